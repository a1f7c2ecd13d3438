"""Compare two versions of a plan by meaning, not by text.

List items are matched by ``id``: re-ordering is at most "moved", an edited item
is one change (never a removal plus an addition), and layout or comments alone
are no change at all because only the loaded data is compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from builder.story import describe as d

OPS = ("added", "removed", "changed", "moved")


@dataclass(frozen=True)
class Wording:
    """The pieces a sentence is made of, already in plain English."""

    is_item: bool
    subject: str
    place: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """One change between two versions of a plan."""

    op: str
    path: str
    label: str
    old: Any
    new: Any
    by: str | None = None
    role: str | None = None
    when: datetime | None = None
    commit: str | None = None
    wording: Wording | None = field(default=None, compare=False, repr=False)

    def sentence(self) -> str:
        """The change in plain English, saying who made it when that is known."""
        text = self.what()
        person = d.who(self.by, self.role)
        return f"{person} {text}" if person else d.upper_first(text)

    def what(self, short: bool = False) -> str:
        """The change without who made it: 'added the goal “Swim once a week”'.

        The short form leaves out long old and new values, for one-line summaries.
        """
        w = self.wording
        if short and w is not None and not w.is_item and max(len(w.old), len(w.new)) > 30:
            verb = {"added": "added", "removed": "removed"}.get(self.op, "changed")
            return f"{verb} {w.subject}"
        if w is None:
            return f"{self.op} {self.label}"
        if w.is_item:
            if self.op == "added":
                return f"added {w.subject}" + (f" to {w.place}" if w.place else "")
            if self.op == "removed":
                return f"removed {w.subject}" + (f" from {w.place}" if w.place else "")
            if self.op == "moved":
                where = f" in {w.place}" if w.place else ""
                return f"moved {w.subject}{where} to a new place in the list"
            return f"changed {w.subject} → {w.new}"
        if self.op == "added":
            return f"added {w.subject}: {w.new}" if w.new else f"added {w.subject}"
        if self.op == "removed":
            return f"removed {w.subject} (it was {w.old})" if w.old else f"removed {w.subject}"
        if not (w.old and w.new):
            return f"changed {w.subject}"
        return f"changed {w.subject}: {w.old} → {w.new}"

    def as_json(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "path": self.path,
            "label": self.label,
            "old": self.old,
            "new": self.new,
            "by": self.by,
            "role": self.role,
            "when": self.when.isoformat() if self.when else None,
        }


@dataclass(frozen=True)
class _Step:
    kind: str  # section | list | item
    text: str  # the title, or for an item 'Goal “Swim once a week”'
    specific: bool = True  # for lists: whether their items have a kind worth saying


def diff_plans(old: Any, new: Any) -> list[Change]:
    """Every change from one version of a plan (as one audience sees it) to another."""
    people = d.people_of(old, new)
    out: list[Change] = []
    _diff(old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {},
          "", (), d.root(), people, out)
    return out


def _diff(old: Any, new: Any, path: str, trail: tuple[_Step, ...], node: d.Node | None,
          people: d.People, out: list[Change]) -> None:
    # Equal data is no change (fast, in C). Only True == 1 could hide a change here, and the
    # schema never lets one field hold both a yes/no and a number.
    if old is new or (type(old) is type(new) and old == new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            child = node.child(key) if node else None
            _diff_key(key, old.get(key, _MISSING), new.get(key, _MISSING), path, trail, child,
                      people, out)
        return
    if isinstance(old, list) and isinstance(new, list):
        _diff_list(old, new, path, trail, node, people, out)
        return
    if _same(old, new):
        return
    out.append(_field_change("changed", path, trail, old, new, node, people))


class _Missing:
    pass


_MISSING: Any = _Missing()


def _diff_key(key: str, old: Any, new: Any, path: str, trail: tuple[_Step, ...],
              node: d.Node | None, people: d.People, out: list[Change]) -> None:
    sub = f"{path}.{key}" if path else key
    if old is _MISSING or new is _MISSING:
        present = new if old is _MISSING else old
        if _has_ids(present):
            # A whole list of items appearing or going: say it item by item.
            _diff_list([] if old is _MISSING else old, [] if new is _MISSING else new, sub,
                       _with_section(trail, key, node, is_list=True), node, people, out)
            return
        if _holds_items(present):
            # A whole part holding items (a wellbeing area with one concern shared): say each
            # item, not "Wellbeing areas — Added this".
            _diff({} if old is _MISSING else old, {} if new is _MISSING else new, sub,
                  _with_section(trail, key, node, is_list=False), node, people, out)
            return
        op = "added" if old is _MISSING else "removed"
        out.append(_field_change(op, sub, _with_field(trail, key, node), None if op == "added" else old,
                                 None if op == "removed" else new, node, people))
        return
    if isinstance(old, (dict, list)) and type(old) is type(new):
        is_list = isinstance(old, list)
        _diff(old, new, sub, _with_section(trail, key, node, is_list=is_list), node, people, out)
        return
    if _same(old, new):
        return
    out.append(_field_change("changed", sub, _with_field(trail, key, node), old, new, node, people))


def _diff_list(old: list[Any], new: list[Any], path: str, trail: tuple[_Step, ...],
               node: d.Node | None, people: d.People, out: list[Change]) -> None:
    item_node = node.child("[]") if node else None
    if _has_ids(old, empty=True) and _has_ids(new, empty=True) and (old or new):
        old_by = {item["id"]: item for item in old}
        new_by = {item["id"]: item for item in new}
        for item in old:
            if item["id"] not in new_by:
                out.append(_item_change("removed", path, trail, item, item_node, people, old=item))
        common_old = [i for i in old_by if i in new_by]
        common_new = [i for i in new_by if i in old_by]
        in_place = _longest_common_subsequence(common_old, common_new)
        for item in new:
            key = item["id"]
            if key not in old_by:
                out.append(_item_change("added", path, trail, item, item_node, people, new=item))
                continue
            before = old_by[key]
            if key not in in_place:
                out.append(_item_change("moved", path, trail, item, item_node, people))
            if before is not item and before != item:
                _diff_item(before, item, path, trail, item_node, people, out)
        return
    if all(not isinstance(v, (dict, list)) for v in [*old, *new]):
        # A list of plain values (who attended, who can see this) is a set: order is layout.
        if sorted(map(repr, old)) != sorted(map(repr, new)):
            out.append(_field_change("changed", path, trail, old, new, node, people))
        return
    for index in range(max(len(old), len(new))):
        sub = f"{path}[{index}]"
        step = (*trail, _Step("item", f"item {index + 1}"))
        if index >= len(old):
            out.append(_change("added", sub, step, None, new[index], True, people, item_node))
        elif index >= len(new):
            out.append(_change("removed", sub, step, old[index], None, True, people, item_node))
        else:
            _diff(old[index], new[index], sub, step, item_node, people, out)


def _diff_item(before: dict[str, Any], after: dict[str, Any], path: str, trail: tuple[_Step, ...],
               node: d.Node | None, people: d.People, out: list[Change]) -> None:
    item_path = f"{path}[id={after['id']}]"
    names = d.naming_fields(node)
    old_name = d.item_name(before, node, people)
    new_name = d.item_name(after, node, people)
    renamed = [k for k in names if not _same(before.get(k, _MISSING), after.get(k, _MISSING))]
    step = _item_step(before, node, people)
    if renamed and old_name != new_name:
        where = f"{item_path}.{renamed[0]}" if len(renamed) == 1 else item_path
        kept = {k: v for k, v in after.items() if k not in renamed}
        old_value = before.get(renamed[0]) if len(renamed) == 1 else old_name
        new_value = after.get(renamed[0]) if len(renamed) == 1 else new_name
        change = _change("changed", where, (*trail, step), old_value, new_value, True, people, node)
        wording = change.wording
        assert wording is not None
        out.append(_replace_wording(change, Wording(True, wording.subject, wording.place,
                                                    d.quote(old_name), d.quote(new_name))))
        before = {k: v for k, v in before.items() if k not in renamed}
        after = kept
    _diff(before, after, item_path, (*trail, step), node, people, out)


def _replace_wording(change: Change, wording: Wording) -> Change:
    return replace(change, wording=wording)


def _has_ids(value: Any, empty: bool = False) -> bool:
    if not isinstance(value, list) or not value:
        return empty and isinstance(value, list)
    if not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in value):
        return False
    return len({i["id"] for i in value}) == len(value)


def _holds_items(value: Any) -> bool:
    """A mapping with a list of items somewhere inside it."""
    return isinstance(value, dict) and any(_has_ids(v) or _holds_items(v) for v in value.values())


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def _longest_common_subsequence(a: list[str], b: list[str]) -> set[str]:
    """The ids that kept their order relative to each other; any others have moved."""
    # Patience-style: positions of a's ids in b, then the longest increasing run.
    where = {key: i for i, key in enumerate(b)}
    seq = [where[key] for key in a]
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(seq)
    for i, value in enumerate(seq):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < value:
                lo = mid + 1
            else:
                hi = mid
        if lo > 0:
            parent[i] = tail_at[lo - 1]
        if lo == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[lo] = value
            tail_at[lo] = i
    kept: set[str] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        kept.add(a[i])
        i = parent[i]
    return kept


# -- labels and wording ---------------------------------------------------------------------


def _with_section(trail: tuple[_Step, ...], key: str, node: d.Node | None,
                  is_list: bool) -> tuple[_Step, ...]:
    if key in d.GROUPING_KEYS and not trail:
        return trail
    title = d.title_for(key, node)
    if is_list:
        item = node.child("[]") if node else None
        return (*trail, _Step("list", title, specific=d.item_kind(item) is not None))
    return (*trail, _Step("section", title))


def _with_field(trail: tuple[_Step, ...], key: str, node: d.Node | None) -> tuple[_Step, ...]:
    return (*trail, _Step("field", d.title_for(key, node)))


def _item_step(item: dict[str, Any], node: d.Node | None, people: d.People) -> _Step:
    kind = d.item_kind(node)
    name = d.item_name(item, node, people)
    if kind:
        return _Step("item", f"{kind} {d.quote(name)}" if name else kind)
    return _Step("item", d.quote(name) if name else "an item")


def _item_change(op: str, path: str, trail: tuple[_Step, ...], item: dict[str, Any],
                 node: d.Node | None, people: d.People, old: Any = None, new: Any = None) -> Change:
    step = _item_step(item, node, people)
    return _change(op, f"{path}[id={item['id']}]", (*trail, step), old, new, True, people, node)


def _field_change(op: str, path: str, trail: tuple[_Step, ...], old: Any, new: Any,
                  node: d.Node | None, people: d.People) -> Change:
    return _change(op, path, trail, old, new, False, people, node)


def _label(trail: tuple[_Step, ...]) -> str:
    parts: list[str] = []
    for i, step in enumerate(trail):
        following = trail[i + 1] if i + 1 < len(trail) else None
        if step.kind == "list" and step.specific and following and following.kind == "item":
            continue
        parts.append(step.text if not parts else d.lower_first(step.text))
    return ": ".join(parts) or "The plan"


def _change(op: str, path: str, trail: tuple[_Step, ...], old: Any, new: Any, is_item: bool,
            people: d.People, node: d.Node | None) -> Change:
    label = _label(trail)
    last = trail[-1] if trail else _Step("field", "The plan")
    owners = trail[:-1]
    if is_item:
        subject = _the(last.text)
        place = _place(owners)
    else:
        place = ""
        if owners and owners[-1].kind == "item":
            subject = f"“{last.text}” for {_place(owners)}"
        elif owners:
            subject = f"“{last.text}” in {_place(owners, limit=1)}"
        else:
            subject = f"“{last.text}”"
    old_text, new_text = d.value_text(old, node, people), d.value_text(new, node, people)
    if isinstance(old, str) and isinstance(new, str) and old_text == new_text:
        old_text, new_text = d.quote_change(old, new)
    wording = Wording(is_item, subject, place, old_text, new_text)
    return Change(op, path, label, old, new, wording=wording)


def _place(owners: tuple[_Step, ...], limit: int = 2) -> str:
    """Where something is, in a few words, innermost first: 'needs and concerns in Physical
    health', 'the result “5 January 2025” in the physical health check “Weight”'."""
    words: list[str] = []
    for i in range(len(owners) - 1, -1, -1):
        step = owners[i]
        following = owners[i + 1] if i + 1 < len(owners) else None
        if step.kind == "list" and step.specific and (following is None or following.kind == "item"):
            continue
        if step.kind == "item":
            words.append(_the(step.text))
            if not any(s.kind == "item" for s in owners[:i]):
                break
        else:
            if words and words[-1].startswith("the "):
                break  # past an item, only an item further out is worth saying
            words.append(d.lower_first(step.text) if step.kind == "list" else step.text)
        if len(words) >= limit:
            break
    return " in ".join(words)


def _the(text: str) -> str:
    if text.startswith("“") or text.startswith("an "):
        return text
    lowered = d.lower_first(text)
    return lowered if lowered.startswith("the ") else f"the {lowered}"


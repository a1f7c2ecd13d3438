"""What one edit did to one thing, in words: values with their units, statuses said as
events, a next-due date folded into the result that moved it, long texts word by word.

:func:`say` takes the changes one recorded edit made to one thing (an item such as a
check or a request, or a single field) and the plan as that edit left it, and returns
the verbs and details a sentence is made of. ``account`` puts the sentences together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from builder.plan import labels
from builder.plan.readings import judge, part_verdict
from builder.story import describe as d
from builder.story.diff import Change
from builder.story.worddiff import Piece, is_long, word_diff

_SEGMENT = re.compile(r"([^.\[]+)((?:\[[^\]]*\])*)")
#: Item kinds whose section heading already says what they are, so their name stands alone.
_NAMED_ALONE = ("goal", "action", "request", "medication", "health_check", "team_member",
                "carer", "contact")
#: Item kinds that are people: named with the list they are in, so one person in two lists
#: reads as one person in two roles.
_PEOPLE = ("team_member", "carer", "contact")
#: Item kinds named by a text of their own, which is quoted.
_QUOTED = ("goal", "action", "request", "text_item", "view", "note")
#: A request's status, said as what happened.
_REQUEST_STATUS = {
    "requested": "recorded this as asked for again",
    "booked": "recorded this as booked",
    "done": "recorded this as done",
    "result-received": "recorded the result as received",
    "declined": "recorded this as declined",
    "cancelled": "recorded this as cancelled",
}
_DONE = {"request": ("done", "result-received"), "action": ("completed",), "goal": ("achieved",)}
_OPEN_REQUEST = ("requested", "booked")


class _Details(list):  # type: ignore[type-arg]
    """Details, each kept with the verb it belongs to (the last one said before it)."""

    def __init__(self, verbs: list[str]) -> None:
        super().__init__()
        self.verbs = verbs

    def append(self, pieces: Any) -> None:
        super().append((len(self.verbs) - 1, tuple(pieces)))

    def __iadd__(self, more: Any) -> _Details:
        for pieces in more:
            self.append(pieces)
        return self


@dataclass(frozen=True)
class Said:
    """The words for what one edit did to one thing."""

    verbs: tuple[str, ...]
    #: Each detail with the index of the verb it belongs to.
    details: tuple[tuple[int, tuple[Piece, ...]], ...]
    changes: tuple[Change, ...]
    after: Any  # the thing as this edit left it (None: removed)
    lead: str | None = None  # a new name for the thing, when this edit gave it one
    results: int = 0
    added: bool = False
    removed: bool = False
    done: bool = False
    replaced: bool = False


# -- finding things in a plan and in the schema --------------------------------------------


def _segments(path: str) -> list[tuple[str, str | None]]:
    """'a.b[id=x].c' -> [('a', None), ('b', 'x'), ('c', None)] (an index counts as no id)."""
    out = []
    for name, brackets in _SEGMENT.findall(path):
        found = re.search(r"\[id=([^\]]*)\]", brackets)
        out.append((name, found.group(1) if found else ("" if brackets else None)))
    return out


def find(data: Any, path: str) -> Any:
    """The value at a change's path in a plan, or None."""
    node = data
    for name, item_id in _segments(path):
        if not isinstance(node, dict):
            return None
        node = node.get(name)
        if item_id:
            node = next((i for i in node or [] if isinstance(i, dict) and i.get("id") == item_id),
                        None) if isinstance(node, list) else None
        elif item_id == "":
            return None
    return node


def node_at(path: str) -> d.Node | None:
    node: d.Node | None = d.root()
    for name, item_id in _segments(path):
        node = node.child(name) if node else None
        if item_id is not None and node:
            node = node.child("[]")
    return node


def definition_at(key: str) -> str:
    node = node_at(key)
    return (node.definition or "") if node and key.endswith("]") else ""


# -- the name of a thing -------------------------------------------------------------------


def lead(key: str, changes: list[Change], data: dict[str, Any] | None) -> str:
    """What a thing is called, in full: the plan's own label, never cut short."""
    node = node_at(key)
    people = d.people_of(data)
    if not key.endswith("]"):
        return _field_lead(key, node)
    item = find(data, key)
    if not isinstance(item, dict):
        gone = next((c.old for c in changes if c.path == key and isinstance(c.old, dict)), None)
        item = gone if isinstance(gone, dict) else {}
    name = full_name(item, node, people)
    definition = node.definition if node else ""
    if definition == "review":
        return f"The review of {name}" if name else "A review"
    shown = f"“{name}”" if definition in _QUOTED or definition not in _NAMED_ALONE else name
    parent = key.rsplit("[", 1)[0]
    listed = d.title_for(parent.rsplit(".", 1)[-1], node_at(parent))
    if definition in _PEOPLE and name:
        # A person may be in the care team, a carer and a crisis contact at once: each line says
        # which list it is, and who they are, so two lines read as one person in two roles.
        return f"{listed}: {name}{_who_else(item, definition, data or {})}"
    if definition in _NAMED_ALONE:
        return shown or "An item"
    return f"{listed}: {shown}" if name else listed


def _field_lead(key: str, node: d.Node | None) -> str:
    """A field's name, with what it belongs to when its own name says too little on its own:
    'Advance statement: written on', not 'Written on'."""
    field = d.title_for(key.rsplit(".", 1)[-1].split("[")[0], node)
    parts = key.split(".")
    if len(parts) < 3 or parts[0] in d.GROUPING_KEYS or "[" in key:
        return field
    parent = ".".join(parts[:-1])
    return f"{d.title_for(parts[-2], node_at(parent))}: {d.lower_first(field)}"


def _who_else(item: dict[str, Any], definition: str, data: dict[str, Any]) -> str:
    """' (carer)' for a care-team member; for a crisis contact who is also in the care team,
    ' (also in the care team: carer)'."""
    team = [m for m in data.get("care_team") or [] if isinstance(m, dict)]
    if definition == "team_member":
        return f" ({labels.words(item['role'])})" if isinstance(item.get("role"), str) else ""
    if definition == "contact" and isinstance(item.get("name"), str):
        same = [m for m in team if isinstance(m.get("name"), str) and m["name"].strip()
                and item["name"].startswith(m["name"].strip())]
        if same and isinstance(same[0].get("role"), str):
            return f" (also in the care team: {labels.words(same[0]['role'])})"
    return ""


def full_name(item: dict[str, Any], node: d.Node | None, people: d.People) -> str:
    """An item's name as the plan gives it: a check's own label, a text in full."""
    definition = node.definition if node else ""
    if definition == "health_check":
        return labels.check_name(item)
    for key in d.naming_fields(node):
        value = item.get(key)
        child = node.child(key) if node else None
        if isinstance(value, str) and value.strip() and not (
                child and (child.is_date() or child.has_enum() or child.is_person_ref())):
            if key == "name" and isinstance(item.get("dose"), str) and item["dose"].strip():
                dose = " ".join(item["dose"].split())
                # '10 mg' follows the name; a dose in words is set off: 'HRT gel, two pumps a day'.
                joined = f"{value} {dose}" if dose[:1].isdigit() else f"{value}, {d.lower_first(dose)}"
                return " ".join(joined.split())
            return " ".join(value.split())
    return d.item_name(item, node, people)


# -- what one edit did ---------------------------------------------------------------------


def pair_replacements(groups: dict[str, list[Change]], data: dict[str, Any] | None
                      ) -> dict[str, list[Change]]:
    """One medicine taken out and another put in by the same edit: one replacement."""
    added = [k for k, cs in groups.items() if definition_at(k) == "medication"
             and any(c.path == k and c.op == "added" for c in cs)]
    removed = [k for k, cs in groups.items() if definition_at(k) == "medication"
               and any(c.path == k and c.op == "removed" for c in cs)]
    if len(added) != 1 or len(removed) != 1:
        return groups
    out = {k: v for k, v in groups.items() if k != removed[0]}
    out[added[0]] = [*groups[removed[0]], *groups[added[0]]]
    return out


def say(key: str, changes: list[Change], data: dict[str, Any]) -> Said | None:
    """The words for what one edit did to one thing (None if it did nothing to say)."""
    node = node_at(key)
    people = d.people_of(data)
    definition = definition_at(key)
    after = find(data, key)
    verbs: list[str] = []
    details = _Details(verbs)
    flags: dict[str, Any] = {"checks": {c["id"]: labels.check_name(c) for c in data.get("health_checks") or []
                                        if isinstance(c, dict) and isinstance(c.get("id"), str)}}
    own = [c for c in changes if c.path == key]
    inner = [c for c in changes if c.path != key and c.path.startswith(key)]
    others = [c for c in changes if not c.path.startswith(key)]
    if others:  # a medicine replaced by another
        old = next(c for c in others if c.op == "removed")
        old_name = full_name(old.old if isinstance(old.old, dict) else {}, node, people)
        new_name = full_name(after if isinstance(after, dict) else {}, node, people)
        verbs.append(f"replaced {old_name} with {new_name}")
        flags["replaced"] = True
        own = []
    for change in own:
        _say_own(change, definition, node, after, people, verbs, details, flags)
    if inner:
        _say_inner(key, inner, definition, after, people, verbs, details, flags)
    if not verbs:
        return None
    return Said(tuple(verbs), tuple(details), tuple(changes), after,
                lead(key, changes, data) if flags.get("renamed") or flags.get("replaced") else None,
                flags.get("results", 0), flags.get("added", False),
                flags.get("removed", False), flags.get("done", False), flags.get("replaced", False))


def _say_own(change: Change, definition: str, node: d.Node | None, after: Any,
             people: d.People, verbs: list[str], details: _Details,
             flags: dict[str, Any]) -> None:
    is_item = bool(change.wording and change.wording.is_item) or definition != ""
    if change.op == "added":
        flags["added"] = True
        if not is_item:
            verbs.append("added this")
            if value_pieces(change.new, node, people)[0].text:
                details.append(value_pieces(change.new, node, people))
        elif definition == "request" and isinstance(after, dict) and after.get("to"):
            verbs.append(f"asked {people.name(after['to'])} for this")
        elif definition == "review":
            verbs.append("recorded this review")
        else:
            results = [r for r in after.get("results") or [] if isinstance(r, dict)] \
                if definition == "health_check" and isinstance(after, dict) else []
            if results:  # a new check with its first result: the result is what matters
                latest = max(results, key=lambda r: str(r.get("date", "")))
                flags["results"] = len(results)  # counted as results, as they are listed
                verbs.append("added this check with a result")
                details.append((Piece("text", result_words(latest, after, people)),))
            else:
                verbs.append("added this")
        return
    if change.op == "removed":
        flags["removed"] = True
        verbs.append("removed this")
        if not is_item:
            details.append((Piece("text", "it was "), *value_pieces(change.old, node, people)))
        return
    if change.op == "moved":
        verbs.append("moved this to a new place in the list")
        return
    verb, pieces = _changed_value("this", change, node, people)
    verbs.append(verb)
    if pieces:
        details.append(pieces)


def _say_inner(key: str, changes: list[Change], definition: str, after: Any, people: d.People,
               verbs: list[str], details: _Details, flags: dict[str, Any]) -> None:
    by_field: dict[str, list[Change]] = {}
    for change in changes:
        rest = change.path[len(key):].lstrip(".")
        by_field.setdefault(re.split(r"[.\[]", rest, maxsplit=1)[0], []).append(change)
    status = by_field.pop("status", [])
    next_due = by_field.pop("next_due", [])
    results = by_field.pop("results", []) if definition == "health_check" else []
    folded: list[str] = []
    if status:
        change = status[-1]
        new, old = change.new, change.old
        if definition == "request" and new in _REQUEST_STATUS:
            verbs.append(_REQUEST_STATUS[new])
        elif definition in _DONE and new in _DONE[definition]:
            verbs.append(f"recorded this as {labels.words(new)}")
        else:
            was = f" (it was {labels.words(old)})" if old else ""
            verbs.append(f"marked this as {labels.words(new)}{was}")
        flags["done"] = new in _DONE.get(definition, ())
        if definition == "request":
            for name, words in (("done_on", "done on"), ("result", "result")):
                for c in by_field.pop(name, []):
                    if c.op != "removed" and c.new is not None:
                        value = value_pieces(c.new, node_at(c.path), people)
                        details.append((Piece("text", f"{words} "), *value))
    added_results = [c for c in results if c.op == "added" and isinstance(c.new, dict)]
    if added_results:
        flags["results"] = len(added_results)
        verbs.append("recorded a result" if len(added_results) == 1
                     else f"recorded {len(added_results)} results")
        check = after if isinstance(after, dict) else {}
        for c in sorted(added_results, key=lambda c: str(c.new.get("date", ""))):
            folded.append(result_words(c.new, check, people))
        if next_due and next_due[-1].new is not None:
            folded[-1] += f"; next due {d.value_text(next_due[-1].new, node_at(next_due[-1].path), people)}"
            next_due = []
        details += [(Piece("text", f),) for f in folded]
    for c in results:
        if c in added_results:
            continue
        result = c.old if c.op == "removed" else find(after, c.path[len(key):].lstrip(".").split(".")[0])
        day = d.date_text(str((result or {}).get("date", ""))) if isinstance(result, dict) else ""
        verbs.append(f"removed the result of {day}" if c.op == "removed" and c.path.endswith("]")
                     else f"corrected the result of {day}")
        if c.op == "changed" and c.old is not None and c.new is not None:
            details.append((Piece("text", f"{d.value_text(c.old, None, people)} → "
                                          f"{d.value_text(c.new, None, people)}"),))
    for c in next_due:
        new = d.value_text(c.new, node_at(c.path), people)
        old = d.value_text(c.old, node_at(c.path), people) if c.old is not None else ""
        verbs.append(f"moved the next due date to {new}" + (f" (it was {old})" if old else "")
                     if c.new is not None else "removed the next due date")
    for name, group in by_field.items():
        for c in group:
            _say_field(key, name, c, people, verbs, details, flags, after)


def _say_field(key: str, name: str, change: Change, people: d.People, verbs: list[str],
               details: _Details, flags: dict[str, Any], after: Any = None) -> None:
    node = node_at(change.path)
    rest = change.path[len(key):].lstrip(".")
    if change.path.endswith("]") and "[" in rest:  # an item inside the item: a progress note
        kind = d.lower_first(d.item_kind(node) or d.title_for(name, node_at(change.path.rsplit("[", 1)[0])))
        item = change.new if change.op == "added" else change.old
        words = full_name(item, node, people) if isinstance(item, dict) else ""
        verb = {"added": "added", "removed": "removed"}.get(change.op, "moved")
        article = "an" if kind[:1] in "aeiou" else "a"
        verbs.append(f"{verb} {article} {kind}" if change.op != "moved" else f"moved a {kind}")
        if words and change.op != "moved":
            details.append((Piece("text", f"“{words}”"),))
        return
    if change.wording and change.wording.is_item and change.op == "changed":
        flags["renamed"] = True
    title = d.title_for(rest.rsplit(".", 1)[-1].split("[")[0], node)
    subject = d.field_words(title, node)
    if "[" in rest:  # a field of an item inside the item: named by its own words
        inner_path = change.path.rsplit(".", 1)[0]
        inner = node_at(inner_path)
        kind = d.lower_first(d.item_kind(inner) or "item")
        item = find(after, inner_path[len(key):].lstrip(".")) if isinstance(after, dict) else None
        name = full_name(item, inner, people) if isinstance(item, dict) else ""
        subject += f" for “{name}”" if name else f" of a {kind}"
    named = flags.get("checks", {})
    if change.op == "added":
        verbs.append(f"added {subject}")
        said = _named_ids(change.new, named) or value_pieces(change.new, node, people)
        if "[" in rest and rest.endswith(".result") and isinstance(item, dict):
            # A reading recorded in a request's part ("Pulse … 104 standing") outside the usual range.
            verdict = part_verdict({**item, "result": change.new})
            if verdict:
                said = (*said, Piece("text", f"; {d.lower_first(verdict.words())}"))
        details.append(said)
    elif change.op == "removed":
        verbs.append(f"removed {subject}")
        details.append((Piece("text", "it was "),
                        *(_named_ids(change.old, named) or value_pieces(change.old, node, people))))
    elif _named_ids(change.old, named) and _named_ids(change.new, named):
        old, new = _named_ids(change.old, named)[0].text, _named_ids(change.new, named)[0].text
        verbs.append(f"changed {subject} from {old} to {new}")
    else:
        verb, pieces = _changed_value(subject, change, node, people)
        verbs.append(verb)
        if pieces:
            details.append(pieces)


def _changed_value(subject: str, change: Change, node: d.Node | None, people: d.People
                   ) -> tuple[str, tuple[Piece, ...]]:
    old, new = change.old, change.new
    if isinstance(old, str) and isinstance(new, str) and _is_text(node) and is_long(old, new):
        return f"changed {subject}", tuple(word_diff(old, new))
    old_words = _words(old, node, people)
    new_words = _words(new, node, people)
    return f"changed {subject} from {old_words} to {new_words}", ()


def _is_text(node: d.Node | None) -> bool:
    return not (node and (node.is_date() or node.has_enum() or node.is_person_ref()))


def _words(value: Any, node: d.Node | None, people: d.People) -> str:
    if isinstance(value, str) and _is_text(node):
        return f"“{' '.join(value.split())}”"
    return d.value_text(value, node, people)


def _named_ids(value: Any, named: dict[str, str]) -> tuple[Piece, ...]:
    """A list of check ids (a medicine's checks, say) by the checks' names; () if it is not one."""
    if isinstance(value, list) and value and all(isinstance(v, str) and v in named for v in value):
        return (Piece("text", ", ".join(named[v] for v in value)),)
    return ()


def value_pieces(value: Any, node: d.Node | None, people: d.People) -> tuple[Piece, ...]:
    """A value in full: a text quoted whole, a date in words, a person by name."""
    return (Piece("text", _words(value, node, people)),)


# -- results and requests ------------------------------------------------------------------


def result_words(result: dict[str, Any], check: dict[str, Any], people: d.People) -> str:
    """'44 mmol/mol on 6 July 2026, was 41; above the aim of 41 or less'."""
    value = measure(result, check)
    day = d.date_text(str(result.get("date", ""))) if result.get("date") else ""
    text = " ".join(p for p in (value, f"on {day}" if day else "") if p)
    earlier = [r for r in check.get("results") or [] if isinstance(r, dict)
               and str(r.get("date", "")) < str(result.get("date", "")) and r is not result
               and r.get("id") != result.get("id")]
    if earlier:
        before = measure(max(earlier, key=lambda r: str(r.get("date", ""))), check, unit=False)
        if before and before == measure(result, check, unit=False):
            text += ", the same as before"
        elif before:
            text += f", was {before}"
    flag = outside(result, check)
    return f"{text}; {flag}" if flag else text


def measure(result: dict[str, Any], check: dict[str, Any], unit: bool = True) -> str:
    """A result's value with its unit: '130/85 mmHg', '82.5 kg', or the reading in words."""
    suffix = f" {check['unit']}" if unit and check.get("unit") else ""
    if result.get("systolic") is not None and result.get("diastolic") is not None:
        return f"{_number(result['systolic'])}/{_number(result['diastolic'])}{suffix}"
    if result.get("value") is not None:
        return f"{_number(result['value'])}{suffix}"
    reading = result.get("reading")
    return f"“{' '.join(str(reading).split())}”" if reading else ""


def outside(result: dict[str, Any], check: dict[str, Any]) -> str:
    """'above the aim of 41 or less' when a result is outside the range the plan agrees, or
    'above the usual range (…)' from a published table when the plan agrees none."""
    verdict = judge(check, result)
    if verdict is None:
        return ""
    said = verdict.words()
    return said[:1].lower() + said[1:]


def still_open(definition: str, item: Any) -> str:
    """A request still waiting for an answer says since when."""
    if definition != "request" or not isinstance(item, dict) or item.get("status") not in _OPEN_REQUEST:
        return ""
    asked = item.get("asked_on")
    return f"Still waiting since {d.date_text(str(asked))}." if asked else "Still waiting."


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)

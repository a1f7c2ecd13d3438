"""Merge two people's versions of a plan by meaning: list items by ``id``, fields by name.

A three-way merge of the version both started from (base) with "ours" and "theirs":
a field changed on one side only takes that change; list items are matched by ``id``,
so items added on both sides are all kept (ours first where both added at one place)
and re-ordering is no conflict; lists of plain values (who may see this) merge as sets.
What both changed differently — or one removed while the other changed — is a
conflict: the file gets readable conflict markers around the smallest block that holds
both versions, naming whose each version is.

The result is written from "ours" with ruamel.yaml's round-trip mode, so comments and
layout outside the merged items stay as they were.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from builder.errors import PlanError
from builder.plan.yaml_comments import give_tail, take_tail

Step = str | tuple[str, str]  # a mapping key, or ("id", value) for a list item


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class NotMergeable(PlanError):
    """One of the versions is not a YAML plan, so it cannot be merged by meaning."""


@dataclass
class Conflict:
    """Something both sides changed differently: its place and the two versions."""

    path: tuple[Step, ...]
    ours: Any
    theirs: Any
    #: The line of the '<<<<<<<' marker in the merged text (1-based), once written.
    line: int = 0

    @property
    def where(self) -> str:
        """'goals[id=swim].what'"""
        text = ""
        for step in self.path:
            text += f"[id={step[1]}]" if isinstance(step, tuple) else (f".{step}" if text else step)
        return text or "the plan"


@dataclass
class MergeResult:
    """The merged text and any conflicts left in it."""

    text: str
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_plans(base: bytes | str | None, ours: bytes | str, theirs: bytes | str, *,
                ours_label: str = "this copy", theirs_label: str = "the other copy") -> MergeResult:
    """Merge theirs into ours, given the version both started from (None: there was none)."""
    ours_text, bom, crlf = _text(ours)
    theirs_text = _text(theirs)[0]
    base_text = _text(base)[0] if base is not None else ""
    yaml = round_trip_yaml(ours_text)
    base_data = _load(yaml, base_text, "the version both started from", allow_empty=True)
    ours_data = _load(yaml, ours_text, ours_label)
    theirs_data = _load(yaml, theirs_text, theirs_label)
    conflicts: list[Conflict] = []
    merged = _merge(base_data if base_data is not None else CommentedMap(), ours_data, theirs_data,
                    (), conflicts)
    text = _dump(yaml, merged)
    if conflicts:
        text = _mark(yaml, merged, text, conflicts, ours_label, theirs_label)
    if crlf:
        text = text.replace("\n", "\r\n")
    return MergeResult(("\ufeff" if bom else "") + text, conflicts)


# -- reading and writing ---------------------------------------------------------------------


def _text(raw: bytes | str | None) -> tuple[str, bool, bool]:
    if raw is None:
        return "", False, False
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise NotMergeable("A version of the plan is not UTF-8 text.") from e
    bom = raw.startswith("\ufeff")
    raw = raw.removeprefix("\ufeff")
    crlf = "\r\n" in raw
    return raw.replace("\r\n", "\n"), bom, crlf


def round_trip_yaml(sample: str) -> YAML:
    """A round-trip YAML reader/writer that writes lists indented the way this file has them."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line the person wrote
    try:
        _, sequence, offset = load_yaml_guess_indent(sample)
    except YAMLError:
        sequence, offset = 4, 2
    yaml.indent(mapping=2, sequence=sequence or 4, offset=offset or 0)
    return yaml


def _load(yaml: YAML, text: str, whose: str, allow_empty: bool = False) -> Any:
    try:
        data = yaml.load(text)
    except (YAMLError, ValueError) as e:
        raise NotMergeable(f"{whose.capitalize()} is not readable YAML, so it cannot be merged "
                           "item by item.") from e
    if data is None and allow_empty:
        return None
    if not isinstance(data, CommentedMap):
        raise NotMergeable(f"{whose.capitalize()} is not a plan (a set of 'name: value' lines).")
    return data


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


# -- the merge --------------------------------------------------------------------------------


def plain_data(node: Any) -> Any:
    """The value as plain data, for comparing (key order, comments and quoting are layout; a
    date is the text it stands for)."""
    if isinstance(node, dict):
        return {str(k): plain_data(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain_data(v) for v in node]
    if isinstance(node, bool):
        return ("bool", node)
    if isinstance(node, date):
        return node.isoformat()
    if isinstance(node, str):
        return str(node)
    return node


def _same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return plain_data(a) == plain_data(b)


def _merge(base: Any, ours: Any, theirs: Any, path: tuple[Step, ...],
           conflicts: list[Conflict]) -> Any:
    if _same(ours, theirs):
        return ours
    if _same(base, ours):
        return theirs
    if _same(base, theirs):
        return ours
    if ours is not MISSING and theirs is not MISSING:
        if isinstance(ours, dict) and isinstance(theirs, dict):
            return _merge_mapping(base if isinstance(base, dict) else {}, ours, theirs, path, conflicts)
        if isinstance(ours, list) and isinstance(theirs, list):
            old = base if isinstance(base, list) else []
            if _has_ids(old) and _has_ids(ours) and _has_ids(theirs):
                return _merge_items(old, ours, theirs, path, conflicts)
            if _allplain_data(old) and _allplain_data(ours) and _allplain_data(theirs):
                return _merge_set(old, ours, theirs)
    conflicts.append(Conflict(path, ours, theirs))
    # Keep a version in place for now, so the conflict can be found when it is marked.
    return ours if ours is not MISSING else theirs


def _merge_mapping(base: dict, ours: CommentedMap, theirs: dict, path: tuple[Step, ...],
                   conflicts: list[Conflict]) -> CommentedMap:
    keys = [*ours, *(k for k in theirs if k not in ours)]
    # The comment after the mapping's last value introduces what follows it: it stays last.
    tail = take_tail(ours)
    for key in keys:
        merged = _merge(base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING),
                        (*path, key), conflicts)
        if merged is MISSING:
            if key in ours:
                del ours[key]
        elif key in ours:
            if merged is not ours[key]:
                _transplant(ours[key], merged)
                ours[key] = merged
        else:
            take_tail(merged)  # their comment after it, if any, was about what follows in theirs
            ours.insert(_position(list(theirs), key, list(ours)), key, merged)
    give_tail(ours, tail)
    return ours


def _merge_items(base: list, ours: CommentedSeq, theirs: list, path: tuple[Step, ...],
                 conflicts: list[Conflict]) -> CommentedSeq:
    base_by = {item["id"]: item for item in base}
    ours_by = {item["id"]: item for item in ours}
    theirs_by = {item["id"]: item for item in theirs}
    # The order: ours, unless only theirs re-ordered what both had (then theirs).
    ours_kept = [i for i in ours_by if i in base_by]
    theirs_kept = [i for i in theirs_by if i in base_by]
    base_order_ours = [i for i in base_by if i in ours_by]
    base_order_theirs = [i for i in base_by if i in theirs_by]
    theirs_moved = theirs_kept != base_order_theirs
    if ours_kept == base_order_ours and theirs_moved:
        lead, lead_by, other = list(theirs_by), theirs_by, list(ours_by)
    else:
        lead, lead_by, other = list(ours_by), ours_by, list(theirs_by)
    order = list(lead)
    lead_added = set(lead) - set(base_by)
    for item_id in other:
        if item_id not in lead_by:  # added by the other side, or removed by the lead side
            order.insert(_position(other, item_id, order, lead_added), item_id)
    # The comment after the list's last item introduces the next part of the plan: whichever
    # item ends up last carries ours, and their last item's own is dropped (ours has it).
    tail = take_tail(ours)
    if theirs:
        take_tail(theirs[-1])
    result: list[Any] = []
    for item_id in order:
        merged = _merge(base_by.get(item_id, MISSING), ours_by.get(item_id, MISSING),
                        theirs_by.get(item_id, MISSING), (*path, ("id", item_id)), conflicts)
        if merged is MISSING:
            continue
        if item_id in ours_by and merged is not ours_by[item_id]:
            _transplant(ours_by[item_id], merged)
        result.append(merged)
    if [id(i) for i in result] != [id(i) for i in ours]:
        ours[:] = result
    give_tail(ours, tail)
    return ours


def _merge_set(base: list, ours: CommentedSeq, theirs: list) -> CommentedSeq:
    """Lists of plain values (who attended, who may see this): what either added or removed."""
    removed = [v for v in base if v not in theirs or v not in ours]
    result = [v for v in ours if v not in removed]
    result += [v for v in theirs if v not in result and v not in removed]
    ours[:] = result
    return ours


def _position(source: list, key: Any, target: list, after_added_by_lead: set | None = None) -> int:
    """Where key goes in target: after the nearest key before it in source that target has."""
    at = source.index(key)
    for before in reversed(source[:at]):
        if before in target:
            place = target.index(before) + 1
            # Items the other side added at the same place stay first: a stable order.
            while after_added_by_lead and place < len(target) and target[place] in after_added_by_lead:
                place += 1
            return place
    place = 0
    while after_added_by_lead and place < len(target) and target[place] in after_added_by_lead:
        place += 1
    return place


def _transplant(old: Any, new: Any) -> None:
    """A value taken from theirs keeps ours' comment after it: ours' layout is kept."""
    tail = take_tail(old)
    take_tail(new)
    give_tail(new, tail)


def _has_ids(value: Any) -> bool:
    if not isinstance(value, list):
        return False
    if not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in value):
        return False
    return len({i["id"] for i in value}) == len(value)


def _allplain_data(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value) \
        and len({repr(plain_data(v)) for v in value}) == len(value)


# -- conflict markers ------------------------------------------------------------------------


def _mark(yaml: YAML, merged: CommentedMap, ours_text: str, conflicts: list[Conflict],
          ours_label: str, theirs_label: str) -> str:
    """Put markers around each conflict's block: our version, then theirs."""
    # Write the merge a second time with their version at each conflict.
    for conflict in conflicts:
        if conflict.theirs is not MISSING:
            _set(merged, conflict.path, conflict.theirs)
    theirs_text = _dump(yaml, merged)
    for conflict in conflicts:
        if conflict.ours is not MISSING:
            _set(merged, conflict.path, conflict.ours)
    ours_blocks = _blocks(yaml, ours_text, conflicts)
    theirs_blocks = _blocks(yaml, theirs_text, conflicts)
    ours_lines = ours_text.splitlines(keepends=True)
    theirs_lines = theirs_text.splitlines(keepends=True)
    placed: list[tuple[int, int, list[str]]] = []
    for conflict, (start, end, indent), (t_start, t_end, _) in zip(
            conflicts, ours_blocks, theirs_blocks, strict=True):
        mine = ours_lines[start:end] if conflict.ours is not MISSING else \
            [f"{indent}# ({_name(ours_label)} removed this)\n"]
        other = theirs_lines[t_start:t_end] if conflict.theirs is not MISSING else \
            [f"{indent}# ({_name(theirs_label)} removed this)\n"]
        placed.append((start, end, [f"<<<<<<< {ours_label}\n", *mine, "=======\n", *other,
                                    f">>>>>>> {theirs_label}\n"]))
    # Nested conflicts cannot happen (a conflict stops the merge below it); overlapping blocks
    # are still guarded against by marking from the bottom up and skipping any overlap.
    out = list(ours_lines)
    last_start = len(out) + 1
    for start, end, block in sorted(placed, key=lambda p: p[0], reverse=True):
        if end > last_start:
            continue
        out[start:end] = block
        last_start = start
    text = "".join(out)
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("<<<<<<< "):
            for conflict in conflicts:
                if not conflict.line:
                    conflict.line = number
                    break
    return text


def _name(label: str) -> str:
    found = re.match(r"(.+?)'s version", label)
    return found.group(1) if found else label


def _set(root: CommentedMap, path: tuple[Step, ...], value: Any) -> None:
    parent, step = _parent(root, path)
    if isinstance(step, tuple):
        index = next(i for i, item in enumerate(parent) if item.get("id") == step[1])
        parent[index] = value
    else:
        parent[step] = value


def _parent(root: Any, path: tuple[Step, ...]) -> tuple[Any, Step]:
    node = root
    for step in path[:-1]:
        node = _child(node, step)
    return node, path[-1]


def _child(node: Any, step: Step) -> Any:
    if isinstance(step, tuple):
        return next(item for item in node if isinstance(item, dict) and item.get("id") == step[1])
    return node[step]


def _blocks(yaml: YAML, text: str, conflicts: list[Conflict]) -> list[tuple[int, int, str]]:
    """For each conflict, the lines (0-based start, end) of its block in text, and its indent."""
    root = yaml.load(text)
    lines = text.splitlines()
    found = []
    for conflict in conflicts:
        parent, step = _parent(root, conflict.path)
        if isinstance(step, tuple):
            index = next(i for i, item in enumerate(parent) if item.get("id") == step[1])
            line, column = parent.lc.item(index)
            # The block of a list item starts at its dash and ends before a line indented
            # no deeper than the dash.
            dash = len(lines[line]) - len(lines[line].lstrip())
            end = _block_end(lines, line, lambda indent, content, d=dash: indent <= d)
            found.append((line, end, " " * dash))
        else:
            line, column = parent.lc.key(step)
            is_list = isinstance(parent[step], list)
            end = _block_end(lines, line, lambda indent, content, c=column, s=is_list: indent < c or (
                indent == c and not (s and content.startswith("-"))))
            found.append((line, end, " " * column))
    return found


def _block_end(lines: list[str], start: int, stops: Any) -> int:
    end = start + 1
    last = start + 1
    while end < len(lines):
        content = lines[end].strip()
        if content and not content.startswith("#"):
            indent = len(lines[end]) - len(lines[end].lstrip())
            if stops(indent, content):
                break
            last = end + 1
        end += 1
    return last

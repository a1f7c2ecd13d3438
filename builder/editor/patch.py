"""Answers written into the plan's YAML in place (ruamel round-trip): comments, key order and
every line not changed stay exactly as they were."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

from builder.editor.questions import Question
from builder.errors import PlanError
from builder.plan.yaml_comments import give_tail, take_tail
from builder.record.merge import plain_data, round_trip_yaml


@dataclass(frozen=True)
class Edit:
    """One change a page asks for: set fields of the part at ``steps``, add an item, or remove one."""

    steps: tuple[str, ...]
    op: str                      # "set", "add" or "remove"
    values: dict[str, Any]       # set: {key: new value or None to leave it out}; add: the new item
    order: tuple[str, ...] = ()  # the schema's order of the keys there, for placing new ones


def apply(text: str, edit: Edit) -> str:
    """The plan's text with the edit made; the same text when it changes nothing."""
    bom = text.startswith("\ufeff")
    body = text.removeprefix("\ufeff")
    crlf = "\r\n" in body
    body = body.replace("\r\n", "\n")
    yaml = round_trip_yaml(body)
    try:
        root = yaml.load(body)
    except YAMLError as e:
        raise PlanError("The plan file is not readable YAML, so the editor cannot change it.") from e
    if edit.op == "set":
        _set_fields(_node(root, edit.steps, create=True), edit.values, edit.order)
    elif edit.op == "add":
        _add_item(root, edit.steps, edit.values, edit.order)
    elif edit.op == "remove":
        _remove_item(_node(root, edit.steps[:-1]), edit.steps[-1])
    out = io.StringIO()
    yaml.dump(root, out)
    new = out.getvalue()
    if crlf:
        new = new.replace("\n", "\r\n")
    new = ("\ufeff" if bom else "") + new
    # Nothing changed in meaning: keep the text exactly (a save with no change writes nothing).
    return text if plain_data(yaml.load(body)) == plain_data(root) else new


def _node(root: Any, steps: tuple[str, ...], create: bool = False) -> Any:
    """The mapping or list at these steps (a list's step is an item's id)."""
    node = root
    for step in steps:
        if isinstance(node, list):
            found = [item for item in node if isinstance(item, dict) and str(item.get("id")) == step]
            if not found:
                raise PlanError("That item is not in the plan any more; go back and look again.")
            node = found[0]
        elif isinstance(node, dict):
            if step not in node or node[step] is None:
                if not create:
                    raise PlanError("That part is not in the plan any more; go back and look again.")
                _insert(node, step, CommentedMap(), ())
            node = node[step]
        else:
            raise PlanError("That part of the plan is not laid out as the plan format says.")
    return node


def _set_fields(node: Any, values: dict[str, Any], order: tuple[str, ...]) -> None:
    if not isinstance(node, dict):
        raise PlanError("That part of the plan is not laid out as the plan format says.")
    tail = take_tail(node)
    for key, value in values.items():
        if value is None:
            node.pop(key, None)
        elif key in node:
            node[key] = _styled(value, node[key])
        else:
            _insert(node, key, _styled(value, None), order)
    give_tail(node, tail)


def _add_item(root: Any, steps: tuple[str, ...], item: dict[str, Any], order: tuple[str, ...]) -> None:
    parent = _node(root, steps[:-1], create=True)
    key = steps[-1]
    if key not in parent or parent[key] is None:
        _insert(parent, key, CommentedSeq(), ())
    items = parent[key]
    if not isinstance(items, list):
        raise PlanError("That part of the plan is not a list, as the plan format says it should be.")
    tail = take_tail(parent) if items is _last(parent) else take_tail(items)
    new = CommentedMap()
    for k in sorted(item, key=lambda k: order.index(k) if k in order else len(order)):
        new[k] = _styled(item[k], None)
    items.append(new)
    if items.fa.flow_style():
        items.fa.set_block_style()
    give_tail(parent if items is _last(parent) else items, tail)


def _remove_item(items: Any, item_id: str) -> None:
    if not isinstance(items, list):
        raise PlanError("That part of the plan is not a list, as the plan format says it should be.")
    index = next((i for i, v in enumerate(items) if isinstance(v, dict) and str(v.get("id")) == item_id),
                 None)
    if index is None:
        raise PlanError("That item is not in the plan any more; go back and look again.")
    tail = take_tail(items)
    del items[index]
    give_tail(items, tail)


def _last(node: dict) -> Any:
    return node[list(node)[-1]] if node else None


def _insert(node: Any, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Put a new key where the schema's order says, after the keys that come before it."""
    if key not in order:
        position = len(node)
    else:
        before = set(order[: order.index(key)])
        position = 0
        for i, existing in enumerate(node):
            if existing in before:
                position = i + 1
    if position >= len(node):
        tail = take_tail(node)
        node[key] = value
        give_tail(node, tail)
    else:
        node.insert(position, key, value)


def _styled(value: Any, old: Any) -> Any:
    """A new value written the way the old one was (quotes, block style), or plainly."""
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value)
        if isinstance(old, ScalarString):
            return type(old)(value)
        return value
    if isinstance(value, list):
        seq = CommentedSeq(value)
        if isinstance(old, CommentedSeq) and old.fa.flow_style() or not isinstance(old, CommentedSeq):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        new = CommentedMap()
        for k, v in value.items():
            new[k] = _styled(v, None)
        return new
    return value


def key_order(question: Question) -> tuple[str, ...]:
    """The order the schema gives a part's keys in."""
    return tuple(c.key for c in question.children)

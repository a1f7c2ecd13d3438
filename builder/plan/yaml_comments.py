"""Comments in YAML written back with ruamel.yaml: the comment lines after a block move with it.

ruamel keeps the comment lines that follow a block (often the heading of the next part of
a plan) on the block's innermost last value. Code that changes what is last in a block —
merging two plans, adding a result — takes that comment off and gives it back after the
new last value, so the heading stays above the part it introduces.
"""

from __future__ import annotations

import copy
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq


def tail_holder(node: Any) -> tuple[Any, Any] | None:
    """Where ruamel keeps the comment after a block: its innermost last key (or list index)."""
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        if node.fa.flow_style():
            return None
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        value = node[key]
        if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
            node = value
            continue
        return node, key
    return None


def take_tail(node: Any) -> Any:
    """Remove and return the comment after a block (None if it has none)."""
    holder = tail_holder(node)
    if holder is None:
        return None
    container, key = holder
    entry = container.ca.items.get(key)
    slot = 2 if isinstance(container, CommentedMap) else 0
    if not entry or len(entry) <= slot or entry[slot] is None:
        return None
    token, entry[slot] = entry[slot], None
    return token


def give_tail(node: Any, token: Any) -> None:
    """Put a comment after a block (after whatever is last in it now)."""
    holder = tail_holder(node) if token is not None else None
    if holder is None:
        return
    container, key = holder
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    slot = 2 if isinstance(container, CommentedMap) else 0
    while len(entry) <= slot:
        entry.append(None)
    if entry[slot] is None:
        entry[slot] = token
    elif entry[slot].value != token.value:  # a comment of its own after it: keep both, in order
        entry[slot].value += token.value


def append_keeping_tail(seq: CommentedSeq, item: Any) -> None:
    """Append to a list, keeping the comment lines that followed the list after the new item.

    An end-of-line comment on the old last value stays on that value; only the lines
    below it move.
    """
    holder = tail_holder(seq)
    token = take_tail(seq)
    seq.append(item)
    if token is None or holder is None:
        return
    text: str = token.value
    if not text.startswith("\n"):  # "# note on the old value\n# next part…"
        first, _, rest = text.partition("\n")
        kept = copy.copy(token)
        kept.value = first + "\n"
        container, key = holder
        container.ca.items[key][2 if isinstance(container, CommentedMap) else 0] = kept
        if not rest.strip():
            return
        token = copy.copy(token)
        token.value = "\n" + rest
    give_tail(seq, token)

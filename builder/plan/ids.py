"""Item ids: every id a plan uses, and a new one that is not taken (ids are never reused)."""

from __future__ import annotations

from typing import Any


def all_ids(node: Any) -> set[str]:
    """Every ``id`` anywhere in a plan (or part of one)."""
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            found.add(node["id"])
        for value in node.values():
            found |= all_ids(value)
    elif isinstance(node, list):
        for value in node:
            found |= all_ids(value)
    return found


def unused_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``… whichever is first not taken."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"

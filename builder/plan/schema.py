"""The holistic-plan JSON Schema: loaded once, and the vocabularies read from it."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from builder.workspace import SCHEMA_FILE

#: Fields that name a person: ``me`` or a care-team id (``attended`` is a list of them).
PERSON_FIELDS = frozenset(
    {"owner", "expressed_by", "from", "to", "prescriber", "by", "member", "responsible"}
)


def plan_schema() -> dict[str, Any]:
    """A copy of the schema as data, safe to hand to libraries that rewrite what they are given."""
    return copy.deepcopy(_schema())


@cache
def _schema() -> dict[str, Any]:
    """The schema, read once per process."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def shared_schema() -> dict[str, Any]:
    """The schema read once per process, for reading only: never change it or hand it to a
    library that might (use plan_schema() for that)."""
    return _schema()


def vocabulary(name: str) -> list[str]:
    """The allowed values of one of the schema's vocabularies, e.g. ``role``."""
    return list(_schema()["definitions"][name]["enum"])


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a ``$ref`` (keeping any title or description given beside it)."""
    if "$ref" not in node:
        return node
    target = _schema()
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    merged = dict(resolve(target))
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    return merged


def subschema(path: tuple[str | int, ...]) -> dict[str, Any] | None:
    """The (resolved) schema that describes the value at a data path, if any."""
    node = _schema()
    for part in path:
        node = resolve(node)
        if isinstance(part, int):
            node = node.get("items")
        else:
            node = node.get("properties", {}).get(part)
        if node is None:
            return None
    return resolve(node)


def title_of(path: tuple[str | int, ...]) -> str | None:
    """The plain-English title the schema gives the value at a data path."""
    node = subschema(path)
    return node.get("title") if node else None

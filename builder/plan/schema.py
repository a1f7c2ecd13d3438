"""The holistic-plan JSON Schema: loaded once, and the vocabularies read from it."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from builder.plan.findings import Finding
from builder.workspace import SCHEMA_FILE, WORKSPACE_SCHEMA

#: Fields that name a person: ``me`` or a care-team id (``attended`` is a list of them).
PERSON_FIELDS = frozenset(
    {"owner", "expressed_by", "from", "to", "prescriber", "by", "member", "responsible",
     "given_by", "recorded_by"}
)
#: Lists of people: ``me`` or care-team ids (``shared_with`` may name audiences too).
PERSON_LIST_FIELDS = frozenset({"attended", "with", "shared_with"})


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


def workspace_copy_finding(workspace: Path | None) -> Finding | None:
    """A warning when the workspace's own copy of the schema is not the one plans are checked against.

    Plans are always checked against the schema that comes with wellplan, because that is the
    schema its website and printed copies understand. A workspace's ``schema/`` copy is for
    editors; if it differs, what an editor suggests and what ``wellplan check`` accepts can disagree.
    """
    if workspace is None:
        return None
    copy_file = workspace / WORKSPACE_SCHEMA
    try:
        if copy_file.read_bytes() == SCHEMA_FILE.read_bytes():
            return None
    except OSError:
        return None  # no copy (or an unreadable one): nothing for an editor to disagree with
    from builder import __version__

    return Finding(
        WORKSPACE_SCHEMA.as_posix(),
        1,
        1,
        "",
        f"this workspace's copy of the schema is not the one that comes with wellplan {__version__}, "
        "and plans are checked against wellplan's. Your editor suggests fields from this copy, "
        "so it may suggest things that the check refuses.",
        "To bring the copy up to date, run 'wellplan init --update-schema' and record the change. "
        "To stay with an older schema, use the wellplan version it came with "
        "(for the pre-commit hook: that version's tag as its 'rev').",
        "warning",
    )

"""Start a new plan from the commented template, never overwriting an existing one."""

from __future__ import annotations

import json
import re
from pathlib import Path

from builder.errors import WorkspaceError
from builder.workspace import (
    PLAN_TEMPLATE,
    PLANS_DIR,
    check_plan_id,
    plan_file,
    plan_rel,
    schema_link,
    shown_path,
)

TEMPLATE = PLAN_TEMPLATE
#: The person's name line in the template: the first ``name: ""``, under ``person:``.
_NAME_BLANK = re.compile(r'^(  name: )""', re.MULTILINE)


def template_text(plan_id: str, name: str | None = None) -> str:
    """The template for this plan id, with the person's name filled in if given."""
    text = TEMPLATE.read_text(encoding="utf-8").replace("<plan-id>", check_plan_id(plan_id))
    if name and name.strip():
        # A JSON string is a valid YAML double-quoted string, whatever the name holds.
        quoted = json.dumps(name.strip(), ensure_ascii=False)
        text = _NAME_BLANK.sub(lambda m: m.group(1) + quoted, text, count=1)
    return text


_MODELINE = re.compile(r"^(# yaml-language-server: \$schema=)\S+", re.MULTILINE)


def with_schema_link(text: str, rel: str) -> str:
    """The plan's first line pointing editors at the workspace's schema from where it lives."""
    return _MODELINE.sub(lambda m: m.group(1) + schema_link(rel), text, count=1)


def new_plan(workspace: Path, plan_id: str, name: str | None = None) -> Path:
    """Create the plan's file (plans/da/n-/dan-okafor.yaml, or plans/<plan_id>.yaml in a
    workspace not yet resharded) from the template and return its path."""
    path = plan_file(workspace, plan_id)
    flat = workspace / PLANS_DIR / f"{plan_id}.yaml"
    for existing in (path, path.with_suffix(".yml"), flat, flat.with_suffix(".yml")):
        if existing.exists() or existing.is_symlink():
            raise WorkspaceError(
                f"{shown_path(existing)} already exists, so it was left as it is. "
                "Choose another id, or edit the existing plan."
            )
    text = with_schema_link(template_text(plan_id, name), plan_rel(workspace, plan_id))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # "x" creates the file only if nothing is there, even if one appeared a moment ago.
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError as e:
        raise WorkspaceError(f"{shown_path(path)} already exists, so it was left as it is.") from e
    except OSError as e:
        raise WorkspaceError(f"Could not create {path}: {e.strerror or e}.") from e
    return path

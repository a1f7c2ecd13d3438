"""Start a new plan from the commented template, never overwriting an existing one."""

from __future__ import annotations

import json
import re
from pathlib import Path

from builder.errors import WorkspaceError
from builder.workspace import PLAN_TEMPLATE, PLANS_DIR, check_plan_id, plan_file

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


def new_plan(workspace: Path, plan_id: str, name: str | None = None) -> Path:
    """Create plans/<plan_id>.yaml from the template and return its path."""
    path = plan_file(workspace, plan_id)
    for existing in (path, path.with_suffix(".yml")):
        if existing.exists() or existing.is_symlink():
            raise WorkspaceError(
                f"{PLANS_DIR}/{existing.name} already exists, so it was left as it is. "
                "Choose another id, or edit the existing plan."
            )
    text = template_text(plan_id, name)
    try:
        # "x" creates the file only if nothing is there, even if one appeared a moment ago.
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError as e:
        raise WorkspaceError(f"{PLANS_DIR}/{path.name} already exists, so it was left as it is.") from e
    except OSError as e:
        raise WorkspaceError(f"Could not create {path}: {e.strerror or e}.") from e
    return path

"""The plan as it stands, for sending elsewhere: only a file without problems leaves the workspace."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.errors import PlanError, UsageError
from builder.view import AUDIENCES, is_audience, unknown_carer

if TYPE_CHECKING:
    from builder.plan.due import Obligation
    from builder.plan.labels import People


def current_plan(workspace: Path, plan_id: str, audience: str, refused: str,
                 today: date | None = None) -> dict[str, Any]:
    """The plan's current file as data, refusing an unknown audience or a plan with problems.

    ``refused`` finishes "plans/x.yaml has problems, so …" (e.g. "it was not exported").
    """
    from builder.plan.validate import check_plan
    from builder.workspace import plan_file, shown_path

    if not is_audience(audience):
        raise UsageError(f"'{audience}' is not an audience; use one of {', '.join(AUDIENCES)}, "
                         "or carer:ID for one carer.")
    path = plan_file(workspace, plan_id)
    if not path.exists():
        raise PlanError(f"There is no plan called '{plan_id}' in plans/.")
    loaded, findings = check_plan(path, shown_path(path), today=today)
    if loaded.data is None or any(f.severity == "error" for f in findings):
        raise PlanError(f"{shown_path(path)} has problems, so {refused}. "
                        f"Run 'wellplan check {plan_id}' to see how to fix them.")
    nobody = unknown_carer(loaded.data, audience, plan_id)
    if nobody:
        raise UsageError(nobody)
    return loaded.data


def plan_due(workspace: Path, plan_id: str, audience: str, today: date
             ) -> tuple[str, list[Obligation], People]:
    """What is due in a plan's current valid file, as that audience may see it: the person's
    name, the obligations, and who the plan's people are for that audience."""
    from builder.plan.due import obligations
    from builder.plan.labels import People
    from builder.view import due_view

    seen = due_view(current_plan(workspace, plan_id, audience, "what is due cannot be worked out", today),
                    audience)
    person = seen.get("person") or {}
    return str(person.get("name") or plan_id), obligations(seen, today), People(seen)

"""Bring one plan file up to the current plan format, as one recorded change that keeps its comments."""

from __future__ import annotations

from pathlib import Path

from builder.errors import PlanError
from builder.plan.migrate import CURRENT_VERSION, migrate_text, needs_migration
from builder.record.record import record_edit, recorded_bytes, replace_file
from builder.workspace import plan_file, plan_rel

#: Who a format update is recorded as when nobody is named: the change is the program's, not a person's.
DEFAULT_NAME = "wellplan format update"
DEFAULT_ROLE = "other"


def migrate_plan(workspace: Path, plan_id: str, *, name: str = DEFAULT_NAME,
                 role: str = DEFAULT_ROLE) -> str | None:
    """Rewrite the plan in the current format and record it; None when it is already current."""
    import yaml

    workspace = Path(workspace)
    path = plan_file(workspace, plan_id)
    rel = plan_rel(workspace, plan_id)
    if not path.is_file():
        raise PlanError(f"There is no plan called '{plan_id}': {rel} does not exist.")
    before = path.read_bytes()
    try:
        data = yaml.safe_load(before)
    except yaml.YAMLError as e:
        raise PlanError(f"{rel} cannot be read as YAML, so it was not migrated. "
                        f"Run 'wellplan check {plan_id}' to see where.") from e
    if not needs_migration(data):
        return None
    if recorded_bytes(workspace, rel) not in (None, before):
        raise PlanError(
            f"{rel} has changes that are not recorded yet, so it was not migrated (the update must be "
            "a change of its own). Record them first with "
            f"'wellplan record {plan_id} --as NAME --role ROLE'.")
    after = migrate_text(before.decode("utf-8-sig")).encode("utf-8")
    replace_file(path, before, after)
    try:
        return record_edit(
            workspace, plan_id, name=name, role=role,
            message=f"Brought the plan up to version {CURRENT_VERSION} of the plan format\n\n"
                    "Nothing in the plan was added or removed; two parts changed shape: the advance "
                    "statement and the carer's assessment.")
    except Exception:
        replace_file(path, after, before)
        raise

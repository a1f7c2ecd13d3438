"""Saving is recording: one page's answers written into the plan and recorded as one change.

The page was made from one recorded version of the plan (its ``base``). The answers are
written into that version; if someone recorded a change meanwhile, the two are merged
item by item (``record.merge``), and a real conflict is refused with both versions shown.
The whole plan is then checked as ``wellplan check`` checks it, nothing the reader may
not see may have changed, and only then is the file written and recorded by
``record.record.record_edit`` (author, role, trailer, the guard). Anything refused leaves
the file and the history exactly as they were.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.editor.patch import Edit, apply
from builder.editor.unseen import unseen
from builder.errors import HistoryError, PlanError, WellplanError
from builder.plan.findings import Finding
from builder.plan.load import load_plan_bytes
from builder.record.guard import undone_by
from builder.record.merge import Conflict, NotMergeable, merge_plans
from builder.record.record import problems_in_text, record_edit, recorded_bytes, replace_file
from builder.story.history import git, repo_path
from builder.workspace import plan_file, plan_rel

BLOB = re.compile(r"^[0-9a-f]{40}$")
#: Held while a save writes and records, so stopping the server never cuts one in half.
SAVING = threading.Lock()


class NothingChanged(PlanError):
    """The answers are what the plan already says: nothing was written."""


class Invalid(PlanError):
    """The plan would have problems: nothing was written."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("The plan would have problems, so nothing was saved.")
        self.findings = findings


class Conflicted(PlanError):
    """Someone else changed the same thing meanwhile: both versions, nothing written."""

    def __init__(self, other: str, conflicts: list[Conflict]) -> None:
        super().__init__(f"{other} changed the same thing while you were editing, so nothing was saved.")
        self.other = other
        self.conflicts = conflicts


@dataclass(frozen=True)
class Editor:
    """Who is editing: their name and role, and the audience whose view they see."""

    workspace: Path
    plan_id: str
    name: str
    role: str
    audience: str

    @property
    def rel(self) -> str:
        return plan_rel(self.workspace, self.plan_id)

    @property
    def path(self) -> Path:
        return plan_file(self.workspace, self.plan_id)


def recorded(editor: Editor) -> tuple[str, bytes]:
    """The plan as last recorded (its blob id and bytes), refusing a file with changes not recorded."""
    current = editor.path.read_bytes()
    before = recorded_bytes(editor.workspace, editor.rel)
    if before is None:
        raise PlanError(f"{editor.rel} has not been recorded yet. Record it first with "
                        f"'wellplan record {editor.plan_id} --as \"Your Name\" --role YOUR-ROLE'.")
    if current != before:
        raise PlanError(f"{editor.rel} has changes that are not recorded yet (is someone editing it in "
                        f"another editor?). Record them first with 'wellplan record {editor.plan_id}', "
                        "then reload this page.")
    blob = git(editor.workspace, "rev-parse", f"HEAD:{repo_path(editor.workspace, editor.rel)}")
    return blob.decode().strip(), current


def save(editor: Editor, edit: Edit, base_blob: str) -> str:
    """Write the edit and record it as one change by this editor; returns the commit."""
    with SAVING:
        blob, current = recorded(editor)
        base = _base(editor, base_blob, blob, current)
        ours = apply(base.decode("utf-8"), edit).encode("utf-8")
        if ours == base:
            raise NothingChanged("Nothing was changed, so nothing was saved.")
        new = ours if base == current else _merged(editor, base, ours, current)
        if new == current:
            raise NothingChanged("Your change is in the plan already, so nothing was saved.")
        _refuse_hidden_changes(editor, current, new)
        found = problems_in_text(new, editor.plan_id, editor.rel)
        if found:
            raise Invalid(found)
        _refuse_undoing(editor, new)
        replace_file(editor.path, current, new)
        try:
            return record_edit(editor.workspace, editor.plan_id, name=editor.name, role=editor.role)
        except WellplanError:
            replace_file(editor.path, new, current)  # nothing half-written: the file as it was
            raise


def _base(editor: Editor, base_blob: str, blob: str, current: bytes) -> bytes:
    if base_blob == blob:
        return current
    if not BLOB.match(base_blob):
        raise PlanError("This page is not from a version of this plan; reload it and try again.")
    try:
        return git(editor.workspace, "cat-file", "blob", base_blob)
    except HistoryError as e:
        raise PlanError("This page is not from a version of this plan; reload it and try again.") from e


def _merged(editor: Editor, base: bytes, ours: bytes, current: bytes) -> bytes:
    other = _last_author(editor)
    try:
        result = merge_plans(base, ours, current, ours_label=f"{editor.name}'s version",
                             theirs_label=f"{other}'s version")
    except NotMergeable as e:
        raise PlanError(f"{other} changed the plan while you were editing, and the two could not be "
                        f"merged ({e}). Nothing was saved.") from e
    if not result.clean:
        raise Conflicted(other, result.conflicts)
    return result.text.encode("utf-8")


def _last_author(editor: Editor) -> str:
    out = git(editor.workspace, "log", "-1", "--format=%an", "--", editor.rel)
    return out.decode("utf-8", "replace").strip() or "Someone else"


def _refuse_hidden_changes(editor: Editor, current: bytes, new: bytes) -> None:
    before, after = _data(current, editor.rel), _data(new, editor.rel)
    if before is not None and after is not None and \
            unseen(before, editor.audience) != unseen(after, editor.audience):
        raise PlanError("That change would alter a part of the plan you cannot see, so nothing was saved.")


def _refuse_undoing(editor: Editor, new: bytes) -> None:
    """The guard of `wellplan record`, said for the page: recorded work is never undone from it
    (record_edit runs the same guard again when it records)."""
    data = _data(new, editor.rel)
    undone = undone_by(editor.workspace, editor.plan_id, data, name=editor.name) if data else []
    if undone:
        listed = "; ".join(u.sentence() for u in undone[:3])
        raise PlanError(f"Nothing was saved, because this would undo {listed}. If that is meant, "
                        "someone in the care team can record it with 'wellplan record … --undo'.")


def _data(raw: bytes, rel: str) -> dict[str, Any] | None:
    loaded = load_plan_bytes(raw, rel)
    return loaded.data if isinstance(loaded.data, dict) else None

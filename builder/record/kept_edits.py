"""Copies of edits that were not recorded: kept under git's folder, listed, reopened or cleared.

``wellplan edit`` works on a copy in ``.git/wellplan/edits/`` and keeps it when an edit
is given up or the editor fails, so typed text is never lost. This module is how a
person finds those copies again (``wellplan edit --recover``), and clears them once
they are no longer wanted (``wellplan edit --clear-kept``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from builder.errors import PlanError
from builder.story.history import git
from builder.workspace import plan_file, plan_rel

#: A kept copy's name: the plan id, when the edit started (UTC), and a unique ending.
_NAME = re.compile(r"^(?P<plan>[a-z0-9][a-z0-9-]*?)-(?P<stamp>\d{8}-\d{6})-[^.]*\.yaml$")


@dataclass
class KeptCopy:
    """One kept copy of an edit that was not recorded."""

    plan_id: str
    path: Path
    started: datetime  # when the edit began, from the copy's name
    saved: datetime  # when the copy was last written

    def same_as_plan(self, workspace: Path) -> bool:
        """True if the copy holds nothing that is not in the plan file as it is now."""
        path = plan_file(workspace, self.plan_id)
        return path.is_file() and path.read_bytes() == self.path.read_bytes()


def edits_folder(workspace: Path) -> Path:
    """Where edit copies are kept: inside git's own folder, never in plans/."""
    git_dir = Path(git(workspace, "rev-parse", "--absolute-git-dir").decode().strip())
    return git_dir / "wellplan" / "edits"


def kept_copies(workspace: Path, plan_id: str | None = None) -> list[KeptCopy]:
    """Every kept copy (of one plan, if given), newest first."""
    folder = edits_folder(workspace)
    found = []
    for path in folder.glob("*.yaml") if folder.is_dir() else []:
        match = _NAME.match(path.name)
        if not match or (plan_id and match["plan"] != plan_id):
            continue
        started = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        saved = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        found.append(KeptCopy(match["plan"], path, started, saved))
    return sorted(found, key=lambda kept: (kept.saved, kept.path.name), reverse=True)


def clear_unchanged(workspace: Path, plan_id: str) -> None:
    """Remove kept copies of a plan that hold nothing but the plan as it is: nothing is lost."""
    for kept in kept_copies(workspace, plan_id):
        if kept.same_as_plan(workspace):
            kept.path.unlink(missing_ok=True)


def clear_kept(workspace: Path, plan_id: str | None = None) -> list[KeptCopy]:
    """Delete the kept copies (of one plan, if given); returns what was deleted."""
    gone = kept_copies(workspace, plan_id)
    for kept in gone:
        kept.path.unlink(missing_ok=True)
    return gone


def newest_to_reopen(workspace: Path, plan_id: str) -> KeptCopy:
    """The newest kept copy of a plan, refused if the plan was recorded since it was made."""
    copies = kept_copies(workspace, plan_id)
    if not copies:
        raise PlanError(f"There is no kept copy of an edit of {plan_rel(workspace, plan_id)} to reopen. "
                        "'wellplan edit --recover' lists every kept copy.")
    kept = copies[0]
    rel = plan_rel(workspace, plan_id)
    last = git(workspace, "log", "-1", "--format=%ct|%an", "--", rel).decode().strip()
    if last:
        stamp, who = last.split("|", 1)
        # Both are whole seconds: a change recorded in the very second the copy was made may
        # be newer than it, so it counts as newer (refusing is the safe side).
        if datetime.fromtimestamp(int(stamp), UTC) >= kept.started:
            raise PlanError(
                f"{rel} was recorded by {who} after this copy was made, so reopening the copy "
                f"could undo that change. Compare the two ({kept.path} and {rel}), make your "
                f"changes with 'wellplan edit {plan_id}', then remove the copy with "
                f"'wellplan edit --clear-kept {plan_id}'."
            )
    return kept


def describe(kept: KeptCopy, workspace: Path) -> str:
    """'jo: edit started 1 December 2026 at 10:02, last saved 10:15 (no changes) — path'."""
    started, saved = kept.started.astimezone(), kept.saved.astimezone()
    when = f"{started.day} {started:%B %Y} at {started:%H:%M}"
    last = f"{saved:%H:%M}" if saved.date() == started.date() else \
        f"{saved.day} {saved:%B %Y} at {saved:%H:%M}"
    same = " (the same as the plan now)" if kept.same_as_plan(workspace) else ""
    shown = os.path.relpath(kept.path, workspace)
    return f"{kept.plan_id}: edit started {when}, last saved {last}{same}. {shown}"

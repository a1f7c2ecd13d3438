"""Edit a plan in the person's text editor and record it, never losing what they typed.

The editor works on a copy kept under git's folder (``.git/wellplan/edits/``), and
its path is said before the editor opens. The copy is only removed once the change
is recorded (or nothing was changed). An invalid save re-opens the editor with the
problems listed as comments at the top; saving again without a change means giving
up, and the copy stays where it is. If someone else changed the plan meanwhile, the
two are merged item by item (story/merge.py); only a real conflict comes back to the
editor, with both versions marked. A change that would undo recorded work is refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from builder.errors import PlanError, UsageError, WellplanError
from builder.plan.findings import Finding
from builder.plan.load import load_plan_bytes
from builder.record import kept_edits
from builder.record.editor_choice import choose_editor
from builder.record.guard import WouldUndo, refuse_undoing
from builder.record.merge import NotMergeable, merge_plans
from builder.record.record import (
    check_person,
    plain,
    problems_in_text,
    record_edit,
    recorded_bytes,
    replace_file,
)
from builder.story.history import ensure_repository, git
from builder.workspace import plan_file, plan_rel, suggest_plan

MARK = "# wellplan:"


def edit_plan(workspace: Path, plan_id: str, *, name: str, role: str, message: str | None = None,
              editor: str | None = None, say: Callable[[str], None] | None = None,
              undo: bool = False, start_from: Path | None = None,
              share_note: tuple[str, ...] | list[str] = ()) -> str | None:
    """Open the plan in an editor until it is valid, then record it; the commit, or None.

    ``start_from``: a kept copy of an earlier edit to carry on with, instead of the plan.
    """
    say = say or _to_stderr
    workspace = Path(workspace)
    check_person(name, role)
    if share_note and not (message and message.strip()):
        raise UsageError("--share-note shares the note given with -m; give one with -m \"...\".")
    path = plan_file(workspace, plan_id)
    if not path.is_file():
        start = f" Start one with 'wellplan new {plan_id}'."
        raise PlanError(f"There is no plan called '{plan_id}': {plan_rel(workspace, plan_id)} does not "
                        f"exist.{suggest_plan(workspace, plan_id) or start}")
    ensure_repository(workspace)
    original = path.read_bytes()
    carried = start_from.read_bytes() if start_from else original
    kept_edits.clear_unchanged(workspace, plan_id)  # copies that hold nothing new go quietly
    earlier = [k for k in kept_edits.kept_copies(workspace, plan_id) if k.path != start_from]
    if earlier:
        count = f"{len(earlier)} earlier edits" if len(earlier) > 1 else "An earlier edit"
        say(f"{count} of this plan {'were' if len(earlier) > 1 else 'was'} not recorded; "
            f"'wellplan edit --recover' lists what is kept.")
    copy = _recovery_path(workspace, plan_id)
    copy.write_bytes(carried)
    say(f"Editing a copy of {plan_rel(workspace, plan_id)}. Until it is recorded, "
        f"your text is kept in {copy}")
    command = editor or choose_editor()
    typed = _edit_until_valid(command, copy, plan_id, original, say)
    if typed is None:
        return None
    while (current := path.read_bytes()) != original:
        if current != recorded_bytes(workspace, plan_rel(workspace, plan_id)):
            # Changed but not recorded: whose it is cannot be known, so it is not merged in.
            raise PlanError(
                f"{plan_rel(workspace, plan_id)} was changed by someone else while you were editing, "
                f"and their change is not recorded yet, so your version was not saved over "
                f"theirs. {_kept(copy)} Ask them to record it ('wellplan record {plan_id}'), then "
                f"run 'wellplan edit {plan_id}' and copy your changes in."
            )
        # Someone else recorded a change while this was being edited: merge by item and field.
        typed = _merge_theirs(workspace, plan_id, original, typed, current, name, copy, say, command)
        original = current
    if typed == original:
        copy.unlink(missing_ok=True)
        say("The plan is back as it was, so nothing was recorded.")
        return None
    if not undo:
        try:
            refuse_undoing(workspace, plan_id, load_plan_bytes(typed, plan_id).data, name=name,
                           command=f"wellplan edit {plan_id}")
        except WouldUndo as e:
            raise PlanError(f"{e} {_kept(copy)}") from e
    try:
        replace_file(path, original, typed)
    except PlanError as e:
        raise PlanError(
            f"{plan_rel(workspace, plan_id)} was changed by someone else just as you saved, so "
            f"your version was not saved over theirs. {_kept(copy)} Run 'wellplan edit {plan_id}' "
            "again and copy your changes in."
        ) from e
    try:
        commit = record_edit(workspace, plan_id, name=name, role=role, message=message, undo=True,
                             share_note=share_note)
    except WellplanError as e:
        raise PlanError(f"Your change is saved in {plan_rel(workspace, plan_id)} but was not "
                        f"recorded: {e}") from e
    copy.unlink(missing_ok=True)
    if start_from:
        start_from.unlink(missing_ok=True)
    return commit


def _edit_until_valid(command: str, copy: Path, plan_id: str, original: bytes,
                      say: Callable[[str], None], previous: bytes | None = None) -> bytes | None:
    """Run the editor until the copy is a valid plan; None if nothing was changed."""
    while True:
        _run_editor(command, copy)
        typed = _without_notes(copy.read_bytes())
        if previous is None and typed == original:
            copy.unlink(missing_ok=True)
            say("Nothing was changed, so nothing was recorded.")
            return None
        if not typed.strip():
            raise PlanError(f"The plan was emptied, so nothing was recorded. {_kept(copy)}")
        if typed == previous:
            raise PlanError(
                f"The plan still has problems, so nothing was recorded. {_kept(copy)} Fix it with "
                f"'wellplan edit {plan_id}' again, or copy it into the plan's file and "
                f"run 'wellplan record {plan_id}'."
            )
        found = problems_in_text(typed, plan_id)
        if not found:
            return typed
        previous = typed
        copy.write_bytes(_with_notes(found, typed, plan_id))
        say(f"The plan has {len(found)} problem{'s' if len(found) != 1 else ''}; "
            "they are listed at the top of the file. Fix them and save, or save without "
            "changes to stop.")


def _merge_theirs(workspace: Path, plan_id: str, original: bytes, typed: bytes, current: bytes,
                  name: str, copy: Path, say: Callable[[str], None], command: str) -> bytes:
    """Your edit merged with the change someone else made meanwhile; a conflict goes back to you."""
    other = _last_author(workspace, plan_id) or "someone else"
    try:
        result = merge_plans(original, typed, current, ours_label=f"{name}'s version",
                             theirs_label=f"{other}'s version")
    except NotMergeable as e:
        raise PlanError(
            f"{plan_rel(workspace, plan_id)} was changed by {other} while you were editing, and the "
            f"two could not be merged ({e}). Your version was not saved over theirs. "
            f"{_kept(copy)}"
        ) from e
    merged = result.text.encode("utf-8")
    found = problems_in_text(merged, plan_id, plan_rel(workspace, plan_id))
    if result.clean and not found:
        say(f"{other} changed {plan_rel(workspace, plan_id)} while you were editing. Your changes "
            "touch other parts of the plan, so both are kept.")
        copy.write_bytes(merged)
        return merged
    # A real conflict (or a merge that leaves a problem): back to the editor with both versions.
    copy.write_bytes(_with_notes(found, merged, plan_id))
    say(f"{other} changed {plan_rel(workspace, plan_id)} while you were editing, in the same "
        f"place{'s' if len(result.conflicts) > 1 else ''} as you. Both versions are in the file, "
        "between '<<<<<<<' and '>>>>>>>' lines: keep the one you want and save.")
    again = _edit_until_valid(command, copy, plan_id, merged, say, previous=merged)
    assert again is not None  # with 'previous' set, an unchanged save stops with the copy kept
    return again


def _last_author(workspace: Path, plan_id: str) -> str:
    try:
        out = git(workspace, "log", "-1", "--format=%an", "--", plan_rel(workspace, plan_id))
    except WellplanError:
        return ""
    return out.decode("utf-8", "replace").strip()


def _run_editor(command: str, copy: Path) -> None:
    # Like git, run the editor through the shell so that EDITOR may carry options.
    try:
        done = subprocess.run(["sh", "-c", f'{command} "$@"', command, str(copy)], check=False)
    except KeyboardInterrupt:
        raise PlanError(f"Stopped, so nothing was recorded. {_kept(copy)}") from None
    if done.returncode == 127:
        raise PlanError(f"The editor '{command}' could not be started, so nothing was recorded. "
                        f"{_kept(copy)} Set the EDITOR environment variable to an editor you have.")
    if done.returncode != 0:
        how = f"was stopped (signal {-done.returncode})" if done.returncode < 0 else \
            f"stopped with an error (code {done.returncode})"
        raise PlanError(f"The editor {how}, so nothing was recorded. {_kept(copy)}")
    if not copy.exists():
        raise PlanError("The copy being edited was deleted, so nothing was recorded.")


def _kept(copy: Path) -> str:
    return f"Your text is kept in {copy}."


def _recovery_path(workspace: Path, plan_id: str) -> Path:
    folder = kept_edits.edits_folder(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    # A name never used before, so an earlier copy is never written over.
    handle, name = tempfile.mkstemp(prefix=f"{plan_id}-{stamp}-", suffix=".yaml", dir=folder)
    os.close(handle)
    return Path(name)


def _with_notes(found: list[Finding], typed: bytes, plan_id: str) -> bytes:
    """The text with its problems listed as comments at the top, at the lines the editor shows."""
    intro = [
        f"{MARK} This plan has problems, so it has not been recorded yet.",
        f"{MARK} Fix them below and save. Lines starting with '{MARK}' are removed.",
        f"{MARK} To stop, save without changes: your text will be kept.",
    ]
    shift = len(intro) + len(found)
    notes = []
    for finding in found:
        moved = Finding(finding.file, finding.line + shift, finding.column, finding.path,
                        finding.message, finding.hint)
        notes.append(f"{MARK} {' '.join(plain(moved).split())}")
    return ("\n".join(intro + notes) + "\n").encode("utf-8") + typed


def _without_notes(raw: bytes) -> bytes:
    lines = raw.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].lstrip(b"\xef\xbb\xbf").startswith(MARK.encode()):
        start += 1
    return b"".join(lines[start:])


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr)

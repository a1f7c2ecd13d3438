"""Git's side of merging plans: the merge driver git runs, and registering it in a clone.

``.gitattributes`` says ``plans/**/*.yaml merge=wellplan``; each clone's git config says
what ``wellplan`` means (``merge.wellplan.driver``). Git then calls
``wellplan merge-driver %O %A %B %P`` for every plan both sides changed, in
``git merge``, ``git rebase``, ``git cherry-pick``, ``git pull`` and ``git stash pop``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from builder.errors import HistoryError
from builder.record.merge import MergeResult, NotMergeable, merge_plans
from builder.story.history import git
from builder.workspace import PLANS_DIR

DRIVER = "wellplan"
ATTRIBUTE = f"{PLANS_DIR}/**/*.yaml merge={DRIVER}"
#: What .gitattributes said before plans lived in folders (replaced when found).
OLD_ATTRIBUTE = f"{PLANS_DIR}/*.yaml merge={DRIVER}"
#: The refs git leaves while it brings another commit in, most specific first.
_INCOMING = ("CHERRY_PICK_HEAD", "REVERT_HEAD", "REBASE_HEAD", "MERGE_HEAD")


@dataclass(frozen=True)
class DriverOutcome:
    """What the driver did: whether it is clean, and the lines to tell the person."""

    clean: bool
    messages: list[str]


def register_merge_driver(workspace: Path, python: str | None = None) -> list[str]:
    """Make git merge this workspace's plans by item: .gitattributes and the clone's config.

    The driver is run with the absolute path of this Python, so it works in a shell
    where no virtual environment is activated. Returns what was done, in words.
    """
    workspace = Path(workspace)
    done = []
    attributes = workspace / ".gitattributes"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if OLD_ATTRIBUTE in existing.splitlines():  # plans in plans/ itself only: now in its folders too
        existing = "\n".join(ATTRIBUTE if line == OLD_ATTRIBUTE else line
                             for line in existing.split("\n"))
        attributes.write_text(existing, encoding="utf-8")
        done.append(f"Changed .gitattributes to say '{ATTRIBUTE}', for plans in folders too "
                    "(commit it so every clone has it).")
    if ATTRIBUTE not in existing.splitlines():
        joiner = "" if not existing or existing.endswith("\n") else "\n"
        attributes.write_text(f"{existing}{joiner}{ATTRIBUTE}\n", encoding="utf-8")
        done.append(f"Added '{ATTRIBUTE}' to .gitattributes (commit it so every clone has it).")
    command = (f"{shlex.quote(python or sys.executable)} -m builder.commands.cli merge-driver "
               "%O %A %B %P")
    git(workspace, "config", f"merge.{DRIVER}.name", "Wellbeing plans, merged item by item")
    git(workspace, "config", f"merge.{DRIVER}.driver", command)
    done.append(f"Set this clone's git config merge.{DRIVER}.driver to run: {command}")
    return done


def run_merge_driver(base: Path, ours: Path, theirs: Path, path: str | None = None,
                     cwd: Path | None = None) -> DriverOutcome:
    """Merge theirs into ours (the file git will keep), as git asks a merge driver to."""
    cwd = cwd or Path.cwd()
    ours_name, theirs_name = _people(cwd, path)
    ours_label = f"{ours_name}'s version" if ours_name else "this copy's version"
    theirs_label = f"{theirs_name}'s version" if theirs_name else "the other copy's version"
    if ours_name and ours_name == theirs_name:
        ours_label, theirs_label = f"{ours_label} (this copy)", f"{theirs_label} (the other copy)"
    shown = path or ours.name
    try:
        result = merge_plans(base.read_bytes(), ours.read_bytes(), theirs.read_bytes(),
                             ours_label=ours_label, theirs_label=theirs_label)
    except NotMergeable as e:
        return _line_merge(base, ours, theirs, shown, str(e), ours_label, theirs_label)
    before = ours.read_bytes()
    ours.write_bytes(result.text.encode("utf-8"))
    if result.clean:
        broken = _new_problems(result.text, before, theirs.read_bytes(), shown)
        if broken:
            return DriverOutcome(False, broken)
    return DriverOutcome(result.clean, _report(result, shown))


def _new_problems(merged: str, ours: bytes, theirs: bytes, shown: str) -> list[str]:
    """Problems the merge made (neither side had them): such a merge is stopped to be looked at.

    Each side can be valid and the merge not: one removed a goal the other's new action serves.
    """
    from builder.record.record import plain, problems_in_text

    plan_id = Path(shown).stem
    found = problems_in_text(merged, plan_id, shown)
    if not found or problems_in_text(ours, plan_id, shown) or problems_in_text(theirs, plan_id, shown):
        return []
    return [f"wellplan: {shown}: the two versions merged item by item, but together they make "
            f"a problem, so the merge stopped for you to look: {plain(found[0])} Fix it, run "
            f"'wellplan check', then 'git add {shown}'."]


def _report(result: MergeResult, shown: str) -> list[str]:
    if result.clean:
        return [f"wellplan: merged {shown} item by item."]
    lines = [f"wellplan: {shown}: {len(result.conflicts)} part"
             f"{'s' if len(result.conflicts) != 1 else ''} changed differently on both sides:"]
    lines += [f"  {shown}:{c.line}: {c.where}" for c in result.conflicts]
    lines.append(f"  Choose a version at each place marked '<<<<<<<', then run 'wellplan check' "
                 f"and 'git add {shown}'.")
    return lines


def _line_merge(base: Path, ours: Path, theirs: Path, shown: str, why: str, ours_label: str,
                theirs_label: str) -> DriverOutcome:
    """Git's own line-by-line merge, for a version that is not a readable plan."""
    done = subprocess.run(["git", "merge-file", "-L", ours_label, "-L", "base", "-L", theirs_label,
                           str(ours), str(base), str(theirs)], capture_output=True, check=False)
    clean = done.returncode == 0
    return DriverOutcome(clean, [f"wellplan: {shown}: {why} It was merged line by line instead"
                                 + ("." if clean else "; see the conflict markers in it.")])


def _people(cwd: Path, path: str | None) -> tuple[str, str]:
    """Who last changed the file on each side (ours at HEAD, theirs at the incoming commit)."""
    if not path:
        return "", ""
    # `git merge` names the commit it brings in only in a GITHEAD_<commit> variable; the
    # other commands have written their ref by the time the driver runs.
    incoming = [key.removeprefix("GITHEAD_") for key in os.environ if key.startswith("GITHEAD_")]
    incoming += _being_replayed(cwd)
    return _author(cwd, "HEAD", path), next(
        (name for ref in [*incoming, *_INCOMING] if (name := _author(cwd, ref, path))), "")


def _being_replayed(cwd: Path) -> list[str]:
    """The commit a rebase is replaying now: the last line of its list of what is done."""
    try:
        git_dir = Path(git(cwd, "rev-parse", "--absolute-git-dir").decode().strip())
        done = (git_dir / "rebase-merge" / "done").read_text(encoding="utf-8").splitlines()
    except (HistoryError, OSError):
        return []
    steps = [line.split() for line in done if line.strip() and not line.startswith("#")]
    return [steps[-1][1]] if steps and len(steps[-1]) > 1 else []


def _author(cwd: Path, ref: str, path: str) -> str:
    try:
        git(cwd, "rev-parse", "-q", "--verify", f"{ref}^{{commit}}")
        out = git(cwd, "log", "-1", "--format=%an", ref, "--", path)
    except HistoryError:
        return ""
    return out.decode("utf-8", "replace").strip()

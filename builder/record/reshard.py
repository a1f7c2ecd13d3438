"""`wellplan reshard`: move a workspace's plans from plans/ into their folders, as one change.

A workspace made before plans lived in folders keeps every plan in plans/ itself. At a
trust's scale that one folder makes every read of the history slow (git rewrites and
compares the whole folder's listing for every commit), so each plan moves to
``plans/<first two characters>/<next two>/<id>.yaml`` (see ``workspace.plan_folder``). The
move is one recorded change by a named person, made with a private index like any
recording: the plans (their editor line pointing at the schema from their new place) and
``.gitattributes`` (so the merge driver still applies), nothing else. Each plan keeps its
history: the history reader pairs a plan removed and one of the same id added in one commit.

Nothing typed is ever lost: a plan with changes not recorded yet is refused, by name.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from builder.errors import PlanError
from builder.plan.new import with_schema_link
from builder.record.merge_driver import ATTRIBUTE, OLD_ATTRIBUTE
from builder.record.record import (
    ROLE_TRAILER,
    check_person,
    git_date,
    message_with_trailers,
    placeholder_email,
)
from builder.story.history import blobs_at, ensure_repository, git, head, keep_commit_graph, repo_path
from builder.workspace import PLANS_DIR, plan_folder

#: The trailer that marks the move, so a reader of the log can tell it from an edit.
RESHARD_TRAILER = "Plan-Reshard"


@dataclass
class Resharded:
    commit: str | None
    moved: list[str]


def reshard(workspace: Path, *, name: str, role: str, when: datetime | None = None) -> Resharded:
    """Move every plan in plans/ itself into its folder, as one recorded change."""
    workspace = Path(workspace)
    check_person(name, role)
    ensure_repository(workspace)
    flat = sorted((workspace / PLANS_DIR).glob("*.yaml"), key=lambda p: p.stem)
    if not flat:
        return Resharded(None, [])
    unrecorded = _unrecorded(workspace, flat)
    if unrecorded:
        more = f" and {len(unrecorded) - 5} more" if len(unrecorded) > 5 else ""
        listed = ", ".join(unrecorded[:5]) + more
        raise PlanError(
            f"Nothing was moved: {len(unrecorded)} plan{'s have' if len(unrecorded) > 1 else ' has'} "
            f"changes that are not recorded yet ({listed}). Record them first (wellplan record ID "
            "--as NAME --role ROLE), or put the file back as it was recorded, then run this again.")
    taken = [p.stem for p in flat if (workspace / _new_rel(p.stem)).exists()]
    if taken:
        raise PlanError(f"Nothing was moved: {_new_rel(taken[0])} already exists, so "
                        f"{PLANS_DIR}/{taken[0]}.yaml cannot move there. Keep one of the two, "
                        "then run this again.")
    moves = {f"{PLANS_DIR}/{p.name}": (_new_rel(p.stem), _relinked(p, _new_rel(p.stem))) for p in flat}
    attributes = workspace / ".gitattributes"
    old_attributes = attributes.read_bytes() if attributes.exists() else None
    new_attributes = _attributes(old_attributes)
    moved = f"Moved {len(flat)} plan{'s' if len(flat) != 1 else ''} into their folders under " \
            f"{PLANS_DIR}/, so that the history stays quick to read."
    message = message_with_trailers(moved, None, {ROLE_TRAILER: role, RESHARD_TRAILER: "yes"})
    commit = _commit(workspace, moves, new_attributes if new_attributes != old_attributes else None,
                     name=name, message=message, when=when)
    for old, (new, content) in moves.items():  # the work tree follows the commit
        target = workspace / new
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.wellplan-{os.getpid()}")
        partial.write_bytes(content)
        os.replace(partial, target)
        (workspace / old).unlink()
    if new_attributes is not None and new_attributes != old_attributes:
        attributes.write_bytes(new_attributes)
    git(workspace, "reset", "-q", "--", PLANS_DIR, ".gitattributes")  # the index, as committed
    keep_commit_graph(workspace)
    return Resharded(commit, [p.stem for p in flat])


def _unrecorded(workspace: Path, flat: list[Path]) -> list[str]:
    """The plans whose file is not what was last recorded (two git processes in all)."""
    recorded = blobs_at(workspace, head(workspace) or "HEAD") if head(workspace) else {}
    now = git(workspace, "hash-object", "--no-filters", "--stdin-paths",
              stdin="".join(f"{p}\n" for p in flat).encode()).decode().split()
    return [p.stem for p, blob in zip(flat, now, strict=True)
            if recorded.get(f"{PLANS_DIR}/{p.name}") != blob]


def _new_rel(plan_id: str) -> str:
    return f"{PLANS_DIR}/{plan_folder(plan_id)}/{plan_id}.yaml"


def _relinked(path: Path, rel: str) -> bytes:
    """The plan with its first line pointing editors at the schema from its new folder."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    return with_schema_link(text, rel).encode("utf-8")


def _attributes(existing: bytes | None) -> bytes | None:
    """.gitattributes with the merge driver's line for plans in folders too (None: no file)."""
    if existing is None:
        return None
    lines = existing.decode("utf-8").split("\n")
    if OLD_ATTRIBUTE in lines:
        return "\n".join(ATTRIBUTE if line == OLD_ATTRIBUTE else line for line in lines).encode("utf-8")
    return existing


def _commit(workspace: Path, moves: dict[str, tuple[str, bytes]], attributes: bytes | None, *,
            name: str, message: str, when: datetime | None) -> str:
    """One commit on HEAD: the plans removed from their old paths and added at the new."""
    parent = head(workspace)
    stamp = git_date(when or datetime.now(UTC))
    email = placeholder_email(name)
    people = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
              "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": stamp}
    prefix = repo_path(workspace, "")  # the workspace may be a folder in a repository
    with tempfile.TemporaryDirectory(prefix="wellplan-index-") as folder:
        index = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        if parent:
            git(workspace, "read-tree", parent, env=index)
        # Every new file's blob from one git process, not one each.
        contents = [content for _, content in moves.values()]
        contents += [attributes] if attributes is not None else []
        paths = []
        for n, content in enumerate(contents):
            paths.append(Path(folder) / f"{n}")
            paths[-1].write_bytes(content)
        blobs = git(workspace, "hash-object", "-w", "--no-filters", "--stdin-paths",
                    stdin="".join(f"{p}\n" for p in paths).encode()).decode().split()
        lines = []
        for (old, (new, _)), blob in zip(moves.items(), blobs, strict=False):
            lines.append(f"0 {'0' * 40}\t{prefix}{old}")
            lines.append(f"100644 {blob}\t{prefix}{new}")
        if attributes is not None:
            lines.append(f"100644 {blobs[-1]}\t{prefix}.gitattributes")
        git(workspace, "update-index", "--index-info", stdin=("\n".join(lines) + "\n").encode("utf-8"),
            env=index)
        tree = git(workspace, "write-tree", env=index).decode().strip()
        commit = git(workspace, "commit-tree", tree, *(["-p", parent] if parent else []),
                     stdin=message.encode("utf-8"), env=people).decode().strip()
        git(workspace, "update-ref", "-m", "wellplan: reshard", "HEAD", commit, parent or "0" * 40)
    return commit

"""Read the recorded history of every plan from git, in one pass.

One ``git log`` over ``plans/`` lists every commit that touched a plan, with the
blob id of each file it wrote; one ``git cat-file --batch`` process then reads
those blobs. A renamed plan keeps its history: walking from newest to oldest, a
rename makes the old file name part of the same plan. Git's own errors are turned
into :class:`HistoryError` here and nowhere else.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from builder.errors import HistoryError
from builder.workspace import PLANS_DIR, plan_rel

#: The plan a recorded change changed (its id), so the history can be read from the commit
#: messages alone, without comparing each commit's files with its parent's.
PLAN_TRAILER = "Plan-Id"
ROLE_TRAILER = "Plan-Role"
REVIEW_TRAILER = "Plan-Review"
#: The real time a change was recorded, when it was given an earlier date (record --date).
RECORDED_ON_TRAILER = "Plan-Recorded-On"
#: Who may read the message given with an edit (``record -m``): always the team, and any
#: audience named with ``--share-note``. Its presence says the message is a person's note,
#: not a summary the tool made.
NOTE_TRAILER = "Plan-Note-For"

_RECORD = "\x1e"
_FIELD = "\x1f"
_FORMAT = _RECORD + _FIELD.join(
    [
        "%H",
        "%P",
        "%aI",
        "%an",
        "%s",
        f"%(trailers:key={ROLE_TRAILER},valueonly,separator=%x2C)",
        f"%(trailers:key={REVIEW_TRAILER},valueonly,separator=%x2C)",
        f"%(trailers:key={RECORDED_ON_TRAILER},valueonly,separator=%x2C)",
        f"%(trailers:key={NOTE_TRAILER},valueonly,separator=%x2C)",
        f"%(trailers:key={PLAN_TRAILER},valueonly,separator=%x2C)",
        "%B",
    ]
) + _FIELD


@dataclass(frozen=True, slots=True)
class Revision:
    """One recorded edit of one plan."""

    commit: str
    when: datetime
    author: str
    role: str | None
    is_review: bool
    review_id: str | None
    path: str
    subject: str
    #: When it was really recorded, if it was given an earlier date in the history.
    recorded_on: datetime | None = None
    #: The note the editor gave with the edit (None: none given), and who may read it.
    note: str | None = None
    note_for: tuple[str, ...] = ()
    #: A merge commit: the plan as two (or more) lines of edits were brought together.
    merge: bool = False


@dataclass(frozen=True, slots=True)
class Version:
    """A plan as one commit left it: the revision, its blob, and the blob it replaced."""

    revision: Revision
    blob: str
    #: The plan as the commit's parent had it (None if the commit created the file). Each
    #: commit is compared with its own parent, so branches and merges compare truthfully.
    parent_blob: str | None = None
    #: A merge's other parents' copies of the plan (the first parent's is parent_blob).
    other_parent_blobs: tuple[str | None, ...] = ()


#: git maps whole pack files into memory (up to 8 GiB) and keeps 96 MB of delta bases; at a
#: trust's scale that made each git process hold more memory than the build itself. These
#: bounds keep a git process near 100 MB at 10,000 plans, at the same speed.
LEAN = ("-c", "core.packedGitLimit=64m", "-c", "core.packedGitWindowSize=16m",
        "-c", "core.deltaBaseCacheLimit=32m")


def git(workspace: Path, *args: str, stdin: bytes | None = None,
        env: dict[str, str] | None = None) -> bytes:
    """Run git in the workspace and return its output; a failure becomes a HistoryError."""
    full_env = {**os.environ, "LC_ALL": "C", **(env or {})}
    try:
        done = subprocess.run(
            ["git", *LEAN, "-c", "core.quotepath=off", *args],
            cwd=workspace,
            input=stdin,
            capture_output=True,
            env=full_env,
            check=False,
        )
    except FileNotFoundError as e:
        raise HistoryError("git is not installed, so the plan history cannot be read.") from e
    if done.returncode != 0:
        raise HistoryError(_explain(done.stderr.decode("utf-8", "replace"), args))
    return done.stdout


def _explain(stderr: str, args: tuple[str, ...]) -> str:
    text = stderr.strip()
    if "not a git repository" in text:
        return (
            "This workspace is not a git repository, so there is no recorded history. "
            "Run 'git init' in the workspace first."
        )
    if "unknown revision" in text or "bad revision" in text or "Needed a single revision" in text:
        return "That recorded version does not exist in this workspace's history."
    first = text.splitlines()[0] if text else "no message"
    return f"git could not do that ({first})."


def ensure_repository(workspace: Path) -> None:
    """Refuse a workspace that is not inside a git repository."""
    git(workspace, "rev-parse", "--git-dir")


def repo_path(workspace: Path, rel: str) -> str:
    """A workspace path as git's trees name it (the workspace may be a folder in a repository)."""
    prefix = git(workspace, "rev-parse", "--show-prefix").decode("utf-8", "replace").strip()
    return prefix + rel


def head(workspace: Path) -> str | None:
    """The commit HEAD points at, or None before the first commit."""
    ensure_repository(workspace)
    try:
        return git(workspace, "rev-parse", "--verify", "-q", "HEAD^{commit}").decode().strip()
    except HistoryError:
        return None


def keep_commit_graph(workspace: Path) -> bool:
    """Bring git's commit-graph, with its changed-path (Bloom) filters, up to date with HEAD.

    With it, reading one plan's history visits only the commits that may have changed that
    plan's file instead of diffing every commit's tree. Written as a chain of layers
    (``--split``), so each call adds only the commits made since the last. Done only when
    HEAD moved since the last time (a marker in the git folder says which HEAD that was);
    a failure changes nothing but speed. Returns whether it was written now.
    """
    try:
        now = head(workspace)
        marker = Path(workspace) / git(workspace, "rev-parse", "--git-path",
                                       "wellplan/commit-graph-head").decode().strip()
    except HistoryError:
        return False
    if now is None:
        return False
    try:
        if marker.read_text(encoding="ascii").strip() == now:
            return False
    except OSError:
        pass
    try:
        git(workspace, "commit-graph", "write", "--reachable", "--changed-paths", "--split",
            "--no-progress")
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(now + "\n", encoding="ascii")
    except (HistoryError, OSError):
        return False
    return True


def resolve_commit(workspace: Path, rev: str) -> str:
    """The full commit id a revision name (sha, branch, tag, HEAD~2) stands for."""
    if rev.startswith("-"):
        raise HistoryError(f"There is no recorded version called '{rev}'.")
    try:
        out = git(workspace, "rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}")
        return out.decode().strip()
    except HistoryError as e:
        raise HistoryError(f"There is no recorded version called '{rev}'.") from e


def commits_reaching(workspace: Path, commit: str) -> Iterator[str]:
    """Commits that touched plans/, newest first, reachable from commit."""
    out = git(workspace, "rev-list", commit, "--", PLANS_DIR + "/")
    yield from out.decode().split()


def read_versions(workspace: Path, plan_ids: Iterable[str]) -> dict[str, list[Version]]:
    """Every recorded version of each plan, newest first, from one ``git log`` pass.

    A change recorded by ``wellplan`` says which plan it changed (its ``Plan-Id`` trailer),
    so for those the log's messages are enough: one ``git cat-file`` then names the plan's
    copy in each such commit (and, in a history with merges or a deleted plan, in its
    parent; otherwise the parent's copy is the plan's previous version), and no commit's
    files are compared with its parent's. Only commits without the trailer (made with plain git, merges, a reshard) are
    compared, in a second ``git log`` of just those commits.

    A merge commit that left a plan different from any of its parents is a version too (the
    plan as merged, with each parent's copy), so the newest version is always the plan as
    the branch has it. ``--date-order`` lists every commit before its parents; ``-m`` lists
    the plans a merge changed against each parent, so reading stays linear in the number of
    commits.
    """
    if head(workspace) is None:
        return {plan_id: [] for plan_id in plan_ids}
    owner: dict[str, str] = {plan_rel(workspace, plan_id): plan_id for plan_id in plan_ids}
    found: list[tuple[str, Version]] = []
    merges: list[tuple[int, list[str], str, str]] = []  # (place, parents, plan id, merged blob)
    if len(owner) > 1:
        if not _one_pass(workspace, dict(owner), found, merges, trust_trailers=True):
            # A commit named a plan it did not change (a recorded message reused by hand):
            # the trailers cannot be trusted here, so every commit is compared.
            found.clear()
            merges.clear()
            _one_pass(workspace, owner, found, merges, trust_trailers=False)
    else:
        # One plan: only its own file, so git's changed-path filters (commit-graph) let the
        # walk skip every commit that did not touch it. A rename is followed back by hand.
        ((path, plan_id),) = owner.items()
        since: list[str] = []
        while True:
            start = len(found)
            for commit in _grouped(_log_records(workspace, "--raw", "-M", "-m", *since,
                                                "--", path)):
                _take(commit, {path: plan_id}, found, merges)
            oldest = found[-1][1] if len(found) > start else None
            if oldest is None or oldest.parent_blob is not None or oldest.revision.merge:
                break
            renamed = _renamed_from(workspace, oldest.revision.commit, path)
            if renamed is None:
                break
            path, old_blob = renamed
            found[-1] = (plan_id, replace(oldest, parent_blob=old_blob))
            since = [f"{oldest.revision.commit}^"]
    _merge_parents(workspace, found, merges)
    versions: dict[str, list[Version]] = {plan_id: [] for plan_id in plan_ids}
    for plan_id, version in found:
        if version.blob:  # a merge that left the plan as one of its parents had it is no version
            versions[plan_id].append(version)
    return versions


def _one_pass(workspace: Path, owner: dict[str, str], found: list[tuple[str, Version]],
              merges: list[tuple[int, list[str], str, str]], *, trust_trailers: bool) -> bool:
    """Every plan's versions from the log's messages, comparing only commits that need it.

    Returns False if a commit's trailer named a plan that the commit did not change.
    """
    # The log's text is walked twice, each commit parsed and let go of in turn: at 10,000
    # plans, holding every commit's fields at once took more memory than the versions made.
    text = _log_text(workspace)
    unsaid: list[str] = []
    merged = False
    for fields in _records(text):
        commit = _Commit(fields, [], trust_trailers)
        merged = merged or len(commit.parents) > 1
        if commit.plan_id is None:
            unsaid.append(commit.id)
    compared = {c.id: c for c in _grouped(_records(_log_text(
        workspace, "--raw", "-M", "-m", "--no-walk=unsorted", "--stdin", "--", PLANS_DIR + "/",
        stdin="".join(f"{commit}\n" for commit in unsaid).encode())))} if unsaid else {}
    # In a history with no merges and no plan deleted, the plan's copy in a commit's parent
    # is the plan's next older version: only the copy each commit made need be named.
    linear = not merged and not any(
        row[0].startswith("D") for c in compared.values() for row in _moved_by_id(c.rows))
    asked: list[int] = []  # places in found of the versions whose copies git names

    def names() -> Iterator[str]:
        """Walk the commits, newest first, adding each plan's versions to found; name to git
        the copies of the plan a recorded change made (and its parent's), while git answers."""
        at = {_plan_name(path): path for path in owner}  # a plan id as trailers say it: its file
        for fields in _records(text):
            commit = _Commit(fields, [], trust_trailers)
            if commit.plan_id is None:
                if commit.id in compared:
                    _take(compared[commit.id], owner, found, merges, at)
                continue
            path = at.get(commit.plan_id)
            if path is None or path not in owner:
                continue
            asked.append(len(found))
            found.append((owner[path], Version(_revision(commit.fields, False, path), "")))
            yield f"{commit.id}:./{path}"
            if not linear:
                yield f"{commit.id}^:./{path}"

    blobs = _named(workspace, names())
    if not linear:
        blobs, parents = blobs[0::2], blobs[1::2]
    else:
        parents = _older_copies(found, asked, blobs)
    for place, blob, parent in zip(asked, blobs, parents, strict=True):
        if blob is None or blob == parent:
            return False
        plan_id, version = found[place]
        found[place] = (plan_id, replace(version, blob=blob, parent_blob=parent))
    return True


def _named(workspace: Path, names: Iterator[str]) -> list[str | None]:
    """The object each name (``<commit>:<path>``) stands for, None if none, from one
    ``git cat-file``: a helper thread makes and writes the names while git answers."""
    process = subprocess.Popen(
        ["git", *LEAN, "cat-file", "--batch-check=%(objectname)", "--buffer"],
        cwd=workspace, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert process.stdin and process.stdout
    failed: list[BaseException] = []

    def ask() -> None:
        batch: list[str] = []
        try:
            for name in names:
                batch.append(name)
                if len(batch) == 1024:
                    process.stdin.write(("\n".join(batch) + "\n").encode())
                    batch.clear()
            if batch:
                process.stdin.write(("\n".join(batch) + "\n").encode())
        except BrokenPipeError:  # pragma: no cover - git stopped early; reported below
            pass
        except BaseException as e:  # noqa: BLE001 - raised again in the reading thread
            failed.append(e)
        finally:
            process.stdin.close()

    writer = threading.Thread(target=ask, daemon=True)
    writer.start()
    try:
        answers = [_blob_id(line.decode("utf-8", "replace")) for line in process.stdout]
    finally:
        writer.join()
        process.stdout.close()
        process.wait()
    if failed:
        raise failed[0]
    return answers


def _older_copies(found: list[tuple[str, Version]], asked: list[int],
                  blobs: list[str | None]) -> list[str | None]:
    """For each asked version, the plan's next older version's copy (None: the first)."""
    made = dict(zip(asked, blobs, strict=True))
    older: dict[int, str | None] = {}
    last: dict[str, str | None] = {}
    for place in range(len(found) - 1, -1, -1):
        plan_id, version = found[place]
        if place in made:
            older[place] = last.get(plan_id)
            last[plan_id] = made[place]
        else:
            last[plan_id] = version.blob
    return [older[place] for place in asked]


class _Commit:
    """One commit as the log lists it, and the changes to plans/ git found in it, if asked."""

    __slots__ = ("fields", "rows", "id", "parents", "plan_id")

    def __init__(self, fields: list[str], rows: list[_Raw], trust_trailers: bool = True) -> None:
        self.fields, self.rows = fields, rows
        self.id = fields[0]
        self.parents = fields[1].split()
        #: The plan a change recorded by wellplan changed (one parent or none, and the
        #: trailer); None for any other commit, whose files are compared.
        self.plan_id = _one(fields[9]) if trust_trailers and len(self.parents) <= 1 else None


def _log_records(workspace: Path, *args: str, stdin: bytes | None = None) -> Iterator[list[str]]:
    """``git log --date-order`` with each commit's fields (and, with --raw, its changes last)."""
    return _records(_log_text(workspace, *args, stdin=stdin))


def _log_text(workspace: Path, *args: str, stdin: bytes | None = None) -> str:
    return git(workspace, "log", "--relative", "--no-abbrev", "--date-order", f"--format={_FORMAT}",
               *args, stdin=stdin).decode("utf-8", "replace")


def _records(out: str) -> Iterator[list[str]]:
    """Each commit's fields from the log's text, one at a time."""
    start = out.find(_RECORD)
    while start != -1:
        end = out.find(_RECORD, start + 1)
        fields = out[start + 1: end if end != -1 else len(out)].split(_FIELD)
        if not fields[8]:
            fields[10] = ""  # the message is kept only as a person's note (Plan-Note-For)
        yield fields
        start = end


def _grouped(records: Iterator[list[str]]) -> Iterator[_Commit]:
    """Commits with their changes; a merge is listed once for each parent (``-m``), in turn."""
    current: _Commit | None = None
    for fields in records:
        rows = _raw_lines(fields[11])
        if current is not None and current.fields[0] == fields[0] and len(current.parents) > 1:
            current.rows += rows
            continue
        if current is not None:
            yield current
        current = _Commit(fields, rows)
    if current is not None:
        yield current


def _plan_name(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def _take(commit: _Commit, owner: dict[str, str], found: list[tuple[str, Version]],
          merges: list[tuple[int, list[str], str, str]], at: dict[str, str] | None = None) -> None:
    """The versions of the owner's plans that one compared commit made, added to found.

    Walking from newest to oldest, a rename makes the old file part of the same plan: owner
    (and at, a plan id's file as the trailers name it) then follow the plan to its old name.
    """
    parents = commit.parents
    revision = _revision(commit.fields, merge=len(parents) > 1)
    if len(parents) > 1:
        for path, new_blob in dict((r[4], r[2]) for r in commit.rows if not r[0].startswith("D")).items():
            if path in owner:
                merges.append((len(found), parents, path, new_blob))
                found.append((owner[path], Version(replace(revision, path=path), new_blob)))
        return
    for status, old_blob, new_blob, old_path, path in _moved_by_id(commit.rows):
        plan_id = owner.get(path)
        if plan_id is None or status.startswith("D"):
            continue  # deleted here and created again later: older versions still belong
        parent = None if set(old_blob) == {"0"} else old_blob
        found.append((plan_id, Version(replace(revision, path=path), new_blob, parent)))
        if old_path != path:
            del owner[path]
            owner.setdefault(old_path, plan_id)
            if at is not None:
                at.pop(_plan_name(path), None)
                at.setdefault(_plan_name(old_path), old_path)


def _merge_parents(workspace: Path, found: list[tuple[str, Version]],
                   merges: list[tuple[int, list[str], str, str]]) -> None:
    """Give each merge version its parents' copies of the plan, asked of git all at once."""
    if not merges:
        return
    names = [f"{parent}:./{path}" for _, parents, path, _ in merges for parent in parents]
    out = git(workspace, "cat-file", "--batch-check=%(objectname)",
              stdin="".join(f"{name}\n" for name in names).encode()).decode().splitlines()
    answers = iter(out)
    for place, parents, _, merged in merges:
        copies = [_blob_id(next(answers)) for _ in parents]
        plan_id, version = found[place]
        if all(copy == merged for copy in copies if copy is not None) and any(copies):
            found[place] = (plan_id, replace(version, blob=""))  # the same as a parent's
            continue
        found[place] = (plan_id, replace(version, parent_blob=copies[0],
                                         other_parent_blobs=tuple(copies[1:])))


def _blob_id(answer: str) -> str | None:
    """A blob id from cat-file's answer ("<path> missing": the parent had no such plan)."""
    answer = answer.strip()
    return answer if len(answer) in (40, 64) and " " not in answer else None


def _moved_by_id(rows: list[_Raw]) -> list[_Raw]:
    """A plan moved to another folder keeps its id: a file removed and one of the same name
    added in the same commit are one plan moved (as 'wellplan reshard' moves thousands at once,
    more than git's rename detection looks at), whatever else changed in it."""
    gone = {path.rsplit("/", 1)[-1]: (old_blob, path) for status, old_blob, _, _, path in rows
            if status.startswith("D") and path.startswith(f"{PLANS_DIR}/")}
    if not gone:
        return rows
    out = []
    for row in rows:
        status, _, new_blob, _, path = row
        name = path.rsplit("/", 1)[-1]
        if status.startswith("A") and name in gone:
            old_blob, old_path = gone[name]
            out.append(("R100", old_blob, new_blob, old_path, path))
        elif not (status.startswith("D") and any(r[0].startswith("A") and r[4].rsplit("/", 1)[-1] == name
                                                  for r in rows)):
            out.append(row)
    return out


def _renamed_from(workspace: Path, commit: str, path: str) -> tuple[str, str] | None:
    """The file (and its blob) a commit renamed, or moved to another folder, to path."""
    out = git(workspace, "diff-tree", "-r", "-M", "--raw", "--no-abbrev", "--relative", "--no-commit-id",
              commit).decode("utf-8", "replace")
    for status, old_blob, _, old_path, new_path in _moved_by_id(_raw_lines(out)):
        if status.startswith("R") and new_path == path and old_path.startswith(f"{PLANS_DIR}/"):
            return old_path, old_blob
    return None


_Raw = tuple[str, str, str, str, str]  # status, old blob, new blob, old path, path


def _raw_lines(text: str) -> list[_Raw]:
    found = []
    for line in text.splitlines():
        if not line.startswith(":"):
            continue
        meta, _, names = line.partition("\t")
        parts = meta.split()
        old_blob, new_blob, status = parts[2], parts[3], parts[4]
        paths = names.split("\t")
        if status.startswith("R"):
            old_path, path = paths[0], paths[-1]
        elif status.startswith("C"):
            # --follow may take a new plan for a copy of a similar one: here it was created.
            old_path = path = paths[-1]
            old_blob = "0" * 40
        else:
            old_path = path = paths[0]
        found.append((status, old_blob, new_blob, old_path, path))
    return found


def _revision(fields: list[str], merge: bool, path: str = "") -> Revision:
    commit, _, when, author, subject, role, review, recorded_on, note_for, _, body = fields[:11]
    readers = tuple(dict.fromkeys(a.strip() for a in note_for.split(",") if a.strip())) \
        if note_for else ()
    review_id = _one(review)
    return Revision(commit, datetime.fromisoformat(when), author, _one(role), review_id is not None,
                    review_id, path, subject, _moment(recorded_on) if recorded_on else None,
                    _note(body) if note_for.strip() else None, readers, merge)


def blobs_at(workspace: Path, commit: str) -> dict[str, str]:
    """Each file in plans/ at a commit, with its blob id: {'plans/x.yaml': blob}."""
    out = git(workspace, "ls-tree", "-r", commit, "--", PLANS_DIR + "/").decode("utf-8", "replace")
    found = {}
    for line in out.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            found[path] = parts[2]
    return found




def _moment(value: str) -> datetime | None:
    text = _one(value)
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None  # a trailer typed by hand that is not a moment: ignored
_TRAILER_LINE = re.compile(r"^Plan-[A-Za-z-]+:")


def _note(message: str) -> str | None:
    """The message given with an edit, without the trailers the tool added."""
    lines = [line for line in message.strip().splitlines() if not _TRAILER_LINE.match(line)]
    return "\n".join(lines).strip() or None


def _one(value: str) -> str | None:
    value = value.strip().split(",")[-1].strip() if value.strip() else ""
    return value or None


def read_blobs(workspace: Path, blobs: Iterable[str]) -> dict[str, bytes | None]:
    """The bytes of many blobs (None for any git does not have), from one ``git cat-file``.

    All the requests are written by a helper thread while this one reads the answers, and
    git buffers its output, so there is no round trip per blob.
    """
    wanted = list(dict.fromkeys(blobs))
    result: dict[str, bytes | None] = {}
    if not wanted:
        return result
    process = subprocess.Popen(
        ["git", *LEAN, "cat-file", "--batch", "--buffer"],
        cwd=workspace, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert process.stdin and process.stdout

    def ask() -> None:
        try:
            process.stdin.write("".join(f"{blob}\n" for blob in wanted).encode())
        except BrokenPipeError:  # pragma: no cover - git stopped early; reported below
            pass
        finally:
            process.stdin.close()

    writer = threading.Thread(target=ask, daemon=True)
    writer.start()
    try:
        out = process.stdout
        for blob in wanted:
            header = out.readline().split()
            if len(header) != 3:
                if not header:
                    raise HistoryError("git stopped while reading the plans' history.")
                result[blob] = None  # "<blob> missing"
                continue
            result[blob] = out.read(int(header[2]))
            out.read(1)  # the newline after each blob
    finally:
        writer.join()
        process.stdout.close()
        process.wait()
    return result

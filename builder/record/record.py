"""Record an edit or a review of one plan as one git commit, attributed to a person and role.

The commit is built with a private index (``GIT_INDEX_FILE``): the parent's tree
plus this plan's file, nothing else, even if other files are staged. The branch is
then moved with a compare-and-swap (``git update-ref <new> <old>``), retried if
someone else recorded in the meantime, so two people recording edits to
different plans at the same moment both land.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from builder.errors import HistoryError, PlanError, UsageError
from builder.plan.findings import Finding
from builder.plan.ids import all_ids, unused_id
from builder.plan.load import load_plan_bytes
from builder.record import dating
from builder.record.guard import merge_onto_recorded, refuse_undoing
from builder.story import describe
from builder.story.history import (
    NOTE_TRAILER,
    PLAN_TRAILER,
    RECORDED_ON_TRAILER,
    REVIEW_TRAILER,
    ROLE_TRAILER,
    ensure_repository,
    git,
    head,
    keep_commit_graph,
    repo_path,
)
from builder.workspace import PLANS_DIR, plan_file, plan_rel, shown_path, suggest_plan

ZERO = "0" * 40
#: How many times to retry when another recording moves the branch at the same moment.
ATTEMPTS = 20


def record_edit(workspace: Path, plan_id: str, *, name: str, role: str,
                message: str | None = None, when: datetime | None = None,
                dated: datetime | None = None, undo: bool = False, merge: bool = False,
                share_note: tuple[str, ...] | list[str] = ()) -> str:
    """Validate the plan and commit only its file, as this person and role; returns the commit.

    ``when`` is the time of recording (now by default); ``dated`` an earlier date to give the
    change in the history. Unless ``undo``, a change that would undo recorded work is refused;
    ``merge`` first merges an older copy's changes into the recorded plan, item by item.
    The message is kept as the edit's note, for the team and any audience in ``share_note``.
    """
    workspace = Path(workspace)
    check_person(name, role)
    readers = note_readers(share_note) if message and message.strip() else None
    if readers is None and share_note:
        raise UsageError("--share-note shares the note given with -m; give one with -m \"...\".")
    path = _existing_plan(workspace, plan_id)
    ensure_repository(workspace)
    refuse_if_invalid(path, plan_id)
    content = path.read_bytes()
    rel = plan_rel(workspace, plan_id)
    before = recorded_bytes(workspace, rel)
    if before == content:
        raise PlanError(f"Nothing to record: {rel} is the same as when it was last recorded.")
    if merge:
        content = _merged_copy(workspace, plan_id, path, content, name)
        if content == before:
            raise PlanError(f"Nothing to record: the changes in your copy of {rel} are all in the "
                            "recorded plan already. The file is now the recorded plan.")
    if not undo:
        refuse_undoing(workspace, plan_id, load_plan_bytes(content, rel).data, name=name,
                       command=f"wellplan record {plan_id}")
    now = when or datetime.now(UTC)
    trailers = {PLAN_TRAILER: plan_id, ROLE_TRAILER: role}
    if readers is not None:
        trailers[NOTE_TRAILER] = readers
    if dated is not None:
        dating.check_history_date(workspace, plan_id, dated, now)
        trailers[RECORDED_ON_TRAILER] = dating.stamp(now)
    subject = _first_line(message) or _summary(before, content)
    return commit_file(workspace, rel, content, name=name, role=role,
                       message=message_with_trailers(subject, message, trailers), when=dated or now)


def record_review(workspace: Path, plan_id: str, *, name: str, role: str, date: str,
                  attended: list[str], next_review_due: str, comments: str | None = None,
                  involvement: list[dict[str, Any]] | None = None,
                  when: datetime | None = None, dated: datetime | None = None,
                  undo: bool = False) -> str:
    """Add a review to the plan's reviews (keeping comments and layout) and commit it as a review.

    The commit takes the meeting's date (``dated`` says otherwise); ``when`` is the time of
    recording, now by default.
    """
    workspace = Path(workspace)
    check_person(name, role)
    path = _existing_plan(workspace, plan_id)
    ensure_repository(workspace)
    refuse_if_invalid(path, plan_id)
    original = path.read_bytes()
    text = original.decode("utf-8-sig")
    data = load_plan_bytes(original, str(path)).data
    review_id = unused_id(f"review-{date}", all_ids(data))
    review: dict[str, Any] = {"id": review_id, "date": date, "attended": list(attended)}
    if comments and comments.strip():
        review["my_comments"] = comments.strip()
    review["next_review_due"] = next_review_due
    if involvement:
        review["involvement"] = [
            {"id": item.get("id") or f"{review_id}-{item.get('by', 'me')}", **item}
            for item in involvement
        ]
    new_text = append_review(text, data, review)
    findings = problems_in_text(new_text, plan_id, plan_rel(workspace, plan_id))
    if findings:
        raise PlanError(
            f"The review was not recorded because it would make the plan invalid: "
            f"{plain(findings[0])}"
        )
    if not undo:
        refuse_undoing(workspace, plan_id, load_plan_bytes(new_text.encode("utf-8"), str(path)).data,
                       name=name, command=f"wellplan review {plan_id}")
    now = when or datetime.now(UTC)
    moment = _review_moment(workspace, plan_id, date, now, dated)
    trailers = {PLAN_TRAILER: plan_id, ROLE_TRAILER: role, REVIEW_TRAILER: review_id}
    if moment != now:
        trailers[RECORDED_ON_TRAILER] = dating.stamp(now)
    replace_file(path, original, new_text.encode("utf-8"))
    subject = f"Review on {describe.date_text(date)}; next review due " \
              f"{describe.date_text(next_review_due)}"
    rel = plan_rel(workspace, plan_id)
    return commit_file(workspace, rel, path.read_bytes(), name=name, role=role,
                       message=message_with_trailers(subject, None, trailers), when=moment)


def _merged_copy(workspace: Path, plan_id: str, path: Path, content: bytes, name: str) -> bytes:
    """The plan file with its changes merged into the recorded plan, written in place."""
    rel = plan_rel(workspace, plan_id)
    result = merge_onto_recorded(workspace, plan_id, content, name)
    if result is None:
        raise PlanError(f"{rel} has no recorded version to merge with, so nothing was recorded.")
    if not result.clean:
        where = ", ".join(c.where for c in result.conflicts)
        raise PlanError(
            f"Nothing was recorded or written: your copy and the recorded plan changed the same "
            f"thing{'s' if len(result.conflicts) > 1 else ''} in different ways ({where}). Save "
            f"your copy somewhere else, get the recorded plan back with 'git checkout -- {rel}', "
            "and make your changes there."
        )
    merged = result.text.encode("utf-8")
    found = problems_in_text(merged, plan_id, rel)
    if found:
        raise PlanError(f"Nothing was recorded or written: merged with the recorded plan, your "
                        f"copy would have a problem: {plain(found[0])}")
    if merged != content:
        replace_file(path, content, merged)
    return merged


def _review_moment(workspace: Path, plan_id: str, day: str, now: datetime,
                   dated: datetime | None) -> datetime:
    """When a review goes into the history: as told, else the meeting's day if that fits."""
    if dated is not None:
        dating.check_history_date(workspace, plan_id, dated, now, option="--history-date")
        return dated
    try:
        moment = dating.meeting_moment(datetime.fromisoformat(day).date(), now)
    except ValueError:
        return now
    previous = dating.previous_version(workspace, plan_id)
    # A meeting typed in after later edits were recorded goes in now, keeping the order.
    if moment > now or (previous is not None and moment < previous.when):
        return now
    return moment


# -- checks ----------------------------------------------------------------------------------


def check_person(name: str, role: str) -> None:
    """Refuse a missing name, or a role that is not in the schema's list."""
    roles = describe.role_vocabulary()
    if role not in roles:
        raise UsageError(f"'{role}' is not a role this plan format knows.{_suggest_role(role, roles)} "
                         f"Use one of: {', '.join(roles)}.")
    if not name or not name.strip() or re.search(r"[<>\n\r\x00]", name):
        raise UsageError("Say who made the change with --as \"Full Name\" (no <, > or line breaks).")


def _suggest_role(role: str, roles: list[str]) -> str:
    """' Did you mean --role key-worker?' for 'Key Worker', 'keyworker' or 'key-wroker'."""
    import difflib

    written = re.sub(r"[\s_]+", "-", role.strip().lower())
    close = [written] if written in roles else difflib.get_close_matches(written, roles, n=1, cutoff=0.7)
    return f" Did you mean --role {close[0]}?" if close else ""


def note_readers(share_note: tuple[str, ...] | list[str]) -> str:
    """Who may read an edit's note: the team, and the audiences it was shared with."""
    from builder.view import AUDIENCES

    wanted = [a.strip() for part in share_note for a in part.split(",") if a.strip()]
    unknown = [a for a in wanted if a not in AUDIENCES]
    if unknown:
        raise UsageError(f"'{unknown[0]}' is not an audience a note can be shared with. Use any of: "
                         f"{', '.join(a for a in AUDIENCES if a != 'team')}, separated by commas.")
    return ",".join(dict.fromkeys(["team", *wanted]))


def refuse_if_invalid(path: Path, plan_id: str) -> None:
    """Refuse to record a plan that has errors, naming the first one."""
    errors = problems(path)
    if errors:
        more = f" ({len(errors)} problems in all)" if len(errors) > 1 else ""
        raise PlanError(
            f"{shown_path(path)} has problems, so nothing was recorded{more}. First: "
            f"{plain(errors[0])} Run 'wellplan check {shown_path(path)}' to see them all."
        )


def problems(path: Path, display: str | None = None) -> list[Finding]:
    """The errors (not warnings) in a plan file: the one place record and edit validate."""
    from builder.plan.validate import check_plan

    _, findings = check_plan(path, display)
    return [f for f in findings if f.severity == "error"]


def problems_in_text(text: str | bytes, plan_id: str, shown: str | None = None) -> list[Finding]:
    """The errors in a plan's text, as if it were the plan's file (shown: its path, as the
    workspace names it; plans/<plan_id>.yaml if not given)."""
    with tempfile.TemporaryDirectory(prefix="wellplan-check-") as folder:
        candidate = Path(folder) / f"{plan_id}.yaml"
        candidate.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return problems(candidate, shown or f"{PLANS_DIR}/{plan_id}.yaml")


def plain(finding: Finding) -> str:
    where = f"line {finding.line}"
    hint = f" {finding.hint}" if finding.hint else ""
    return f"{where}: {finding.message}{hint}"


def _existing_plan(workspace: Path, plan_id: str) -> Path:
    path = plan_file(workspace, plan_id)
    if not path.is_file():
        raise PlanError(f"There is no plan called '{plan_id}': {plan_rel(workspace, plan_id)} does not exist."
                        f"{suggest_plan(workspace, plan_id)}")
    return path


# -- the commit ------------------------------------------------------------------------------


def recorded_bytes(workspace: Path, rel: str, commit: str | None = None) -> bytes | None:
    """The file as the given commit (by default HEAD) recorded it, or None if it did not."""
    commit = commit or head(workspace)
    if commit is None:
        return None
    try:
        return git(workspace, "cat-file", "blob", f"{commit}:{repo_path(workspace, rel)}")
    except HistoryError:
        return None


def commit_file(workspace: Path, rel: str, content: bytes, *, name: str, role: str, message: str,
                when: datetime | None = None) -> str:
    """Commit one file's content on top of HEAD, touching nothing else; returns the commit."""
    blob = git(workspace, "hash-object", "-w", "--stdin", stdin=content).decode().strip()
    rel = repo_path(workspace, rel)  # the index and trees name files from the repository's top
    stamp = git_date(when or datetime.now(UTC))
    email = placeholder_email(name)
    people = {
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": stamp,
    }
    with tempfile.TemporaryDirectory(prefix="wellplan-index-") as folder:
        index = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        for attempt in range(ATTEMPTS):
            parent = head(workspace)
            Path(index["GIT_INDEX_FILE"]).unlink(missing_ok=True)
            if parent:
                git(workspace, "read-tree", parent, env=index)
            git(workspace, "update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}", env=index)
            tree = git(workspace, "write-tree", env=index).decode().strip()
            parents = ["-p", parent] if parent else []
            commit = git(workspace, "commit-tree", tree, *parents, stdin=message.encode("utf-8"),
                         env=people).decode().strip()
            try:
                git(workspace, "update-ref", "-m", f"wellplan: {message.splitlines()[0]}", "HEAD",
                    commit, parent or ZERO)
            except HistoryError:
                # Someone else recorded first (the branch moved), or is recording this very
                # moment (its lock is held): build again on top of whatever is there then.
                if attempt + 1 < ATTEMPTS:
                    time.sleep(0.01 * (attempt + 1))
                    continue
                raise
            _stage(workspace, rel, blob)
            keep_commit_graph(workspace)  # so the next read of this plan's history is quick
            return commit
    raise HistoryError("Could not record the change because the history kept moving; try again.")


def _stage(workspace: Path, rel: str, blob: str) -> None:
    """Make the shared index agree with the new commit for this file (and only this file)."""
    top = Path(git(workspace, "rev-parse", "--show-toplevel").decode().strip())
    for attempt in range(100):
        try:
            git(top, "update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}")
            return
        except HistoryError as e:
            if "index.lock" not in str(e) or attempt == 99:
                raise HistoryError(
                    f"The change was recorded, but git's index could not be updated for {rel}; "
                    f"run 'git reset -q -- {rel}' before committing anything else."
                ) from e
            time.sleep(0.05)


def git_date(when: datetime) -> str:
    """A moment as git takes it for GIT_AUTHOR_DATE (a moment without a zone is UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"{int(when.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def placeholder_email(name: str) -> str:
    """The address a commit by this person carries: made from the name, never a real one."""
    slug = re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".") or "someone"
    return f"{slug}@wellbeing-plans.invalid"


def _first_line(message: str | None) -> str:
    if not message:
        return ""
    for line in message.splitlines():
        if line.strip():
            return line.strip()
    return ""


def message_with_trailers(subject: str, message: str | None, trailers: dict[str, str]) -> str:
    """A recorded change's message: the subject, the rest of the note, then the trailers."""
    lines = [subject, ""]
    if message:
        body = message.strip().splitlines()[1:]
        body_text = "\n".join(body).strip()
        if body_text:
            lines += [body_text, ""]
    lines += [f"{key}: {value}" for key, value in trailers.items()]
    return "\n".join(lines) + "\n"


def _summary(before: bytes | None, after: bytes) -> str:
    from builder.story.diff import diff_plans
    from builder.story.timeline import summarise

    old = load_plan_bytes(before, "old").data if before is not None else None
    new = load_plan_bytes(after, "new").data
    if before is None:
        return "Started this plan."
    changes = diff_plans(old if isinstance(old, dict) else {}, new)
    return summarise(changes) or "Changed the layout or comments only."


# -- adding a review to the YAML text -------------------------------------------------------


def append_review(text: str, data: dict[str, Any], review: dict[str, Any]) -> str:
    """The plan's text with a review added at the end of ``reviews:``, all else left as it was."""
    block = yaml.safe_dump([review], sort_keys=False, allow_unicode=True,
                           default_flow_style=False, width=88)
    block = re.sub(r"'(\d{4}-\d{2}-\d{2})'", r"\1", block)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    key = next((i for i, line in enumerate(lines) if re.match(r"reviews\s*:", line)), None)
    if key is None:
        new_lines = [*lines, "reviews:\n", *_indent(block, "  ")]
    else:
        rest = lines[key].split(":", 1)[1].split("#", 1)[0].strip()
        if rest in ("", "[]", "~", "null"):
            end, indent = _block_end(lines, key)
            new_lines = [*lines[:key], "reviews:\n", *lines[key + 1 : end],
                         *_indent(block, indent), *lines[end:]]
        else:
            raise PlanError(
                "The reviews in this plan are written on one line, so a review cannot be added "
                "without rewriting them. Put each review on its own lines and try again."
            )
    result = "".join(new_lines)
    expected = dict(data)
    expected["reviews"] = [*(data.get("reviews") or []), review]
    if load_plan_bytes(result.encode("utf-8"), "check").data != expected:
        raise PlanError(
            "A review could not be added to this plan's file without changing something else. "
            "Add it by hand with 'wellplan edit'."
        )
    return result


def _block_end(lines: list[str], key: int) -> tuple[int, str]:
    """Where the reviews list ends (before trailing blank lines and comments) and its indent."""
    indent = None
    end = key + 1
    last_content = key + 1
    for i in range(key + 1, len(lines)):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break
        if indent is None and stripped.startswith("-"):
            indent = line[: len(line) - len(line.lstrip())]
        last_content = i + 1
    end = last_content
    return end, indent if indent is not None else "  "


def _indent(block: str, indent: str) -> list[str]:
    return [indent + line if line.strip() else line for line in block.splitlines(keepends=True)]


def replace_file(path: Path, expected: bytes, content: bytes) -> None:
    """Write the plan file in one step, refusing if someone changed it meanwhile."""
    temporary = path.with_name(f".{path.name}.wellplan-{os.getpid()}")
    temporary.write_bytes(content)
    try:
        if path.read_bytes() != expected:
            raise PlanError(
                f"{shown_path(path)} was changed by someone else just now, so nothing was "
                "written. Try again."
            )
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)

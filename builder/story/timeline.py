"""Each plan's story for one audience: its edits, its reviews, and what changed since.

Every recorded version is passed through :func:`view.view_plan` for the audience
*before* it is compared with the one before it, so nothing hidden from an audience
can appear in its changes or its summaries. Summaries are made from those changes,
never from commit messages.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from builder.errors import HistoryError
from builder.plan.fastload import VersionLoader
from builder.story import story_codec
from builder.story.account import Account, account_between
from builder.story.diff import Change, Wording, diff_plans
from builder.story.history import (
    Revision,
    Version,
    blobs_at,
    head,
    read_blobs,
    read_versions,
)
from builder.story.merges import own_changes_of
from builder.story.story_cache import StoryCache, content_id
from builder.story.story_cache import key as story_key
from builder.view import AUDIENCES, is_audience, view_plan
from builder.workspace import PLANS_DIR, check_plan_id, plan_file, plan_files, plan_rel, suggest_plan

__all__ = [
    "Change", "Entry", "PlanStory", "ReviewPoint", "Revision", "iter_stories", "plan_story",
    "read_stories",
]

#: Audiences told that a version could not be read. Others simply do not see it: an
#: unreadable version shows nothing, and even that an edit happened is not theirs to know.
TOLD_OF_UNREADABLE = ("person", "team")
#: Audiences given commit messages: the team, who can read the repository anyway.
SEES_COMMIT_MESSAGES = ("team",)
log = logging.getLogger(__name__)

UNREADABLE = "This version could not be read, so what changed in it cannot be shown."
STARTED = "Started this plan."
#: Who made an edit, when that person is someone this audience may not know of.
SOMEONE = "Someone in the care team"


@dataclass
class Entry:
    """One recorded edit, with the changes this audience may see."""

    revision: Revision
    changes: list[Change]
    summary: str
    readable: bool


@dataclass
class ReviewPoint:
    """A recorded review, with the review item as this audience may see it."""

    revision: Revision
    review: dict[str, Any]


@dataclass
class _Seen:
    """One version as this audience sees it (None if it could not be read)."""

    revision: Revision
    data: dict[str, Any] | None


@dataclass
class PlanStory:
    """Everything one audience may know about how a plan came to be as it is."""

    plan_id: str
    audience: str
    entries: list[Entry]
    reviews: list[ReviewPoint]
    last_updated: Revision | None
    since_last_review: list[Change]
    #: Where "what changed" starts for this audience, said plainly, and its version.
    since: str = "Since the plan was started"
    since_commit: str | None = None
    #: How many reviews were recorded, whether or not this audience may see them.
    reviews_recorded: int = 0
    _seen: list[_Seen] = field(default_factory=list, repr=False)  # oldest first
    _current: dict[str, Any] | None = field(default=None, repr=False)
    _at_head: dict[str, Any] | None = field(default=None, repr=False)  # the last recorded
    _positions: dict[str, int] = field(default_factory=dict, repr=False)

    def between(self, a: ReviewPoint, b: ReviewPoint) -> list[Change]:
        """What changed from one review to another, each change attributed to its edit."""
        return self.compare(a.revision.commit, b.revision.commit)

    def compare(self, old_commit: str | None, new_commit: str | None) -> list[Change]:
        """What changed between two recorded versions (None for new: the file as it is now)."""
        start = self._index(old_commit) if old_commit else -1
        end = self._index(new_commit) if new_commit else len(self._seen) - 1
        if start > end:
            start, end = end, start
            old_commit, new_commit = new_commit, old_commit
        old = self._readable_at(start)
        if new_commit is None:
            new = next((v for v in (self._current, self._at_head) if v is not None), None)
            new = new if new is not None else self._readable_at(end)
        else:
            new = self._readable_at(end)
        changes = diff_plans(old or {}, new or {})
        made = [e for e in self.entries if self._index(e.revision.commit) in range(start + 1, end + 1)]
        attributed = attribute(changes, made)
        if new_commit is not None or self._current is None:
            return attributed
        # Changes in the file that nobody has recorded yet are nobody's: say so, not a guess.
        recorded = self._at_head if self._at_head is not None else self._readable_at(end)
        pending = diff_plans(recorded or {}, self._current)
        return [replace(c, by=None, role=None, when=None, commit=None)
                if any(_same_path(c, p) or _related_path(c, p) for p in pending) else c
                for c in attributed]

    def account(self, old_commit: str | None, new_commit: str | None) -> Account:
        """The account of what changed from one recorded version to another (None: now)."""
        return account_between(self, old_commit, new_commit)

    def account_since(self) -> Account:
        """What changed since the last review (or since the plan was started), up to now."""
        return account_between(self, self.since_commit, None)

    def is_since_review(self, entry: Entry) -> bool:
        """Whether an edit is one of those "what changed" tells (after the since point)."""
        return self.since_commit is not None and \
            self._index(entry.revision.commit) > self._index(self.since_commit)

    def account_of(self, entry: Entry) -> Account:
        """The account of one recorded edit, as the history tells it."""
        from builder.story.account import account_of_entry

        return account_of_entry(self, entry)

    def edits_between(self, old_commit: str | None, new_commit: str | None
                      ) -> tuple[list[tuple[Entry, dict[str, Any] | None]], list[Change],
                                 dict[str, Any] | None]:
        """The recorded edits after one version up to another, oldest first, each with the plan
        as it left it (as this audience sees it); and, when the newer one is now, the changes
        in the file not recorded yet, with the file as it is."""
        start = self._index(old_commit) if old_commit else -1
        end = self._index(new_commit) if new_commit else len(self._seen) - 1
        if start > end:
            start, end = end, start
            old_commit, new_commit = new_commit, old_commit
        made = []
        for entry in reversed(self.entries):
            index = self._index(entry.revision.commit)
            if start < index <= end:
                made.append((entry, self._seen[index].data))
        if new_commit is not None or self._current is None:
            return made, [], None
        recorded = self._at_head if self._at_head is not None else self._readable_at(end)
        return made, diff_plans(recorded or {}, self._current), self._current

    @property
    def file(self) -> str:
        """The plan's file as last recorded (plans/da/n-/dan-okafor.yaml, or plans/<id>.yaml)."""
        return self._seen[-1].revision.path if self._seen else f"{PLANS_DIR}/{self.plan_id}.yaml"

    @property
    def version(self) -> Revision | None:
        """The plan's last recorded version, the same for every audience's copy made from it."""
        return self._seen[-1].revision if self._seen else None

    def version_at(self, commit: str) -> Revision:
        """The recorded version of this plan as it was at a commit."""
        return self._seen[self._index(commit)].revision

    def version_number(self, commit: str) -> int:
        """Which recorded version of this plan a commit made: 1 for the first (a number people can say)."""
        return self._index(commit) + 1

    def _index(self, commit: str) -> int:
        if len(self._positions) != len(self._seen):
            self._positions.update({s.revision.commit: i for i, s in enumerate(self._seen)})
        if commit in self._positions:
            return self._positions[commit]
        raise HistoryError(f"That version is not part of the history of plan '{self.plan_id}'.")

    def _readable_at(self, index: int) -> dict[str, Any] | None:
        for seen in reversed(self._seen[: index + 1]):
            if seen.data is not None:
                return seen.data
        return None


story_codec.register(PlanStory, Entry, ReviewPoint, _Seen, Revision, Change, Wording)


def read_stories(workspace: Path, audience: str, plan_ids: list[str] | None = None
                 ) -> dict[str, PlanStory]:
    """The story of each plan (all plans in plans/ by default) for one audience."""
    return dict(iter_stories(workspace, audience, plan_ids))


def iter_stories(workspace: Path, audience: str, plan_ids: list[str] | None = None
                 ) -> Iterator[tuple[str, PlanStory]]:
    """Each plan's story for one audience, one plan at a time, in the order of plan_ids.

    Stories come from the workspace's story cache when it holds one made from exactly
    the same history, file, audience and program (:mod:`story_cache`); the others are
    made (on both cores when there are many) and kept. Only one chunk of plans is held
    at a time, so memory does not grow with the number of plans.
    """
    if not is_audience(audience):
        raise HistoryError(f"'{audience}' is not an audience; use one of {', '.join(AUDIENCES)}, "
                           "or carer:ID for one carer.")
    workspace = Path(workspace)
    ids = [check_plan_id(p) for p in plan_ids] if plan_ids is not None else \
        [path.stem for path in plan_files(workspace)]
    plan = _Plan(workspace, audience, ids, StoryCache.open(workspace))
    pool = None
    if plan.store is not None and _workers() > 1 and plan.unkept_at_head() > _CHUNK:
        # Many stories to make: the workers are forked now, before this process reads the
        # whole log, so they do not share (and, as Python touches it, copy) all of it.
        pool = multiprocessing.get_context("fork").Pool(_workers())
    try:
        missing = plan.missing()
        if pool is not None and len(missing) > _CHUNK:
            plan.fill(missing, pool)  # made on both cores and kept; read back below, one at a time
            missing = plan.missing()
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    for chunk in _chunks(ids):
        made = plan.make([pid for pid in chunk if pid in missing]) if missing else {}
        for plan_id in chunk:
            story = made.pop(plan_id, None) or plan.kept(plan_id)
            if story is None:  # kept a moment ago but not readable now: make it here
                story = plan.make([plan_id])[plan_id]
            yield plan_id, story


#: Plans read, viewed and described together: enough to share one git cat-file, few
#: enough that their parsed versions are let go of soon.
_CHUNK = 50


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start: start + _CHUNK]


def _workers() -> int:
    return min(2, os.cpu_count() or 1)


class _Plan:
    """Which stories a call needs, under which keys, and making the ones not kept."""

    def __init__(self, workspace: Path, audience: str, ids: list[str], store: StoryCache | None) -> None:
        self.workspace, self.audience, self.ids, self.store = workspace, audience, ids, store
        self.commit = head(workspace)
        # Each plan file's content id, not its bytes: at a trust's scale the files alone are
        # a hundred megabytes; a chunk's files are read again when its stories are made.
        self.file_ids = {pid: content_id(_file_bytes(workspace, pid)) for pid in ids}
        self.mode = "one" if len(ids) == 1 else ("many", content_id("\n".join(ids).encode()))
        self._log: _Log | None = None
        self.head_keys: dict[str, str] = {}
        self.history_keys: dict[str, str] = {}
        if store is not None and self.commit is not None:
            for pid in ids:
                self.head_keys[pid] = story_key("head", audience, pid, self.commit, self.mode,
                                                self.file_ids[pid])

    @property
    def log(self) -> _Log:
        if self._log is None:
            self._log = _read_log(self.workspace, self.ids)
        return self._log

    def history_key(self, pid: str) -> str:
        if pid not in self.history_keys:
            versions = tuple((v.revision.commit, v.revision.path, v.blob, v.parent_blob,
                              v.other_parent_blobs) for v in self.log.versions[pid])
            self.history_keys[pid] = story_key(
                "history", self.audience, pid, versions,
                self.log.at_head.get(pid), self.file_ids[pid])
        return self.history_keys[pid]

    def missing(self) -> set[str]:
        """The plans whose story is not kept under either of its keys."""
        if self.store is None or self.commit is None:
            return set(self.ids)
        missing = set()
        for pid in self.ids:
            found = self.store.keys(self.audience, pid)
            if found is None or (self.head_keys[pid] not in found and self.history_key(pid) not in found):
                missing.add(pid)
        return missing

    def kept(self, pid: str) -> PlanStory | None:
        if self.store is None or self.commit is None:
            return None
        head_key = self.head_keys[pid]
        story = self.store.load(self.audience, pid, head_key)
        if story is None:
            story = self.store.load(self.audience, pid, self.history_key(pid), head_key)
        return story if isinstance(story, PlanStory) and story.plan_id == pid else None

    def make(self, ids: list[str]) -> dict[str, PlanStory]:
        """Stories made here from the history (and kept, when there is a cache)."""
        if not ids:
            return {}
        log = self.log
        wanted = [b for pid in ids for v in log.versions[pid]
                  for b in (v.blob, v.parent_blob, *v.other_parent_blobs) if b]
        wanted += [log.at_head[i] for i in ids if i in log.at_head]
        loader = VersionLoader()  # one per chunk: sections repeat within a plan, rarely across
        parsed = {blob: loader.load(raw) if raw is not None else None
                  for blob, raw in read_blobs(self.workspace, wanted).items()}
        files = {pid: _file_bytes(self.workspace, pid) for pid in ids}
        recorded = _Recorded(log.versions, parsed, loader, log.at_head, files)
        memo: dict[Any, Any] = {}  # parts shared between versions are filtered once
        made = {}
        for pid in ids:
            made[pid] = story = _story(self.workspace, pid, self.audience, recorded, memo)
            if self.store is not None and self.commit is not None:
                self.store.save(self.audience, pid, self.head_keys[pid], self.history_key(pid), story)
        return made

    def fill(self, ids: set[str], pool: Any) -> None:
        """Make and keep many stories on both cores (each worker writes what it made).

        Each worker is sent one chunk of plans with just those plans' versions, so the
        memory of the whole is this process's log and one chunk a worker.
        """
        chunks = list(_chunks([pid for pid in self.ids if pid in ids]))
        try:
            for _ in pool.imap_unordered(_fill_share, (self.share(c) for c in chunks)):
                pass
        except Exception:  # noqa: BLE001 - whatever went wrong there is met again, and said, here
            log.debug("Stories were not made on both cores", exc_info=True)

    def unkept_at_head(self) -> int:
        """How many plans have no story kept for this very commit and file (read without
        the log: a story kept under its history key may still serve the rest)."""
        if self.store is None or self.commit is None:
            return len(self.ids)
        return sum(1 for pid in self.ids
                   if self.head_keys[pid] not in (self.store.keys(self.audience, pid) or ()))

    def share(self, ids: list[str]) -> _Plan:
        """This call for some of its plans only: what a worker needs to make their stories."""
        part = object.__new__(_Plan)
        part.workspace, part.audience, part.ids, part.store = self.workspace, self.audience, ids, self.store
        part.commit, part.mode = self.commit, self.mode
        part.file_ids = {pid: self.file_ids[pid] for pid in ids}
        part.head_keys = {pid: self.head_keys[pid] for pid in ids if pid in self.head_keys}
        part.history_keys = {pid: self.history_key(pid) for pid in ids}
        whole = self.log
        part._log = _Log(whole.key, {pid: whole.versions[pid] for pid in ids},
                         {pid: whole.at_head[pid] for pid in ids if pid in whole.at_head})
        return part


def _fill_share(plan: _Plan) -> None:
    plan.make(plan.ids)


def _file_bytes(workspace: Path, plan_id: str) -> bytes | None:
    try:
        return (workspace / plan_rel(workspace, plan_id)).read_bytes()  # a link: refused elsewhere
    except OSError:
        return None


@dataclass
class _Log:
    """What one git log pass found for some plans at one commit."""

    key: tuple[str, str | None, tuple[str, ...]]
    versions: dict[str, list[Version]]
    at_head: dict[str, str]  # plan id -> its blob at HEAD (after a merge, the merged one)


@dataclass
class _Recorded:
    """The versions of some plans, with the blobs of one chunk of them parsed."""

    versions: dict[str, list[Version]]
    parsed: dict[str, dict[str, Any] | None]
    loader: VersionLoader
    at_head: dict[str, str]
    files: dict[str, bytes | None]  # each plan file as it is now


#: The last pass, kept so that asking again for another audience (the site asks for four)
#: re-uses it. It is keyed by HEAD's commit id, so it can never be out of date.
_last: list[_Log] = []


def _read_log(workspace: Path, ids: list[str]) -> _Log:
    commit = head(workspace)
    key = (str(workspace.resolve()), commit, tuple(ids))
    if _last and _last[0].key == key:
        return _last[0]
    versions = read_versions(workspace, ids)
    blobs = blobs_at(workspace, commit) if commit else {}
    rels = {i: plan_rel(workspace, i) for i in ids}
    at_head = {i: blobs[rels[i]] for i in ids if rels[i] in blobs}
    _last[:] = [_Log(key, versions, at_head)]
    return _last[0]


def plan_story(workspace: Path, plan_id: str, audience: str) -> PlanStory:
    """One plan's story; a plan with no recorded history is an error."""
    story = read_stories(workspace, audience, [plan_id])[plan_id]
    if not story._seen:
        path = plan_file(workspace, plan_id)
        if not path.exists():
            raise HistoryError(f"There is no plan called '{plan_id}' in {PLANS_DIR}/."
                               f"{suggest_plan(workspace, plan_id)}")
        raise HistoryError(
            f"{plan_rel(workspace, plan_id)} has no recorded history yet. Record it first with "
            f"'wellplan record {plan_id} --as \"YOUR NAME\" --role YOUR-ROLE'."
        )
    return story


def attribute(changes: list[Change], entries: list[Entry]) -> list[Change]:
    """Say who made each change: the latest of the given edits that touched the same thing."""
    newest_first = sorted(entries, key=lambda e: e.revision.when, reverse=True)
    out = []
    for change in changes:
        entry = _maker(change, newest_first)
        if entry is None:
            out.append(change)
            continue
        r = entry.revision
        out.append(replace(change, by=r.author, role=r.role, when=r.when, commit=r.commit))
    return out


def _maker(change: Change, entries: list[Entry]) -> Entry | None:
    for test in (_same_path_and_op, _same_path, _related_path):
        for entry in entries:
            if any(test(change, made) for made in entry.changes):
                return entry
    return None


def _same_path_and_op(a: Change, b: Change) -> bool:
    return a.path == b.path and a.op == b.op


def _same_path(a: Change, b: Change) -> bool:
    return a.path == b.path


def _related_path(a: Change, b: Change) -> bool:
    return _inside(a.path, b.path) or _inside(b.path, a.path)


def _inside(path: str, outer: str) -> bool:
    return path.startswith(outer) and path[len(outer): len(outer) + 1] in (".", "[")


def summarise(changes: list[Change], first: bool = False) -> str:
    """A short summary of some changes, made only from the changes themselves."""
    if first:
        return STARTED
    if not changes:
        return ""
    head = changes[0].what(short=True)
    head = head[:1].upper() + head[1:]
    others = len(changes) - 1
    if others:
        head += f", and {others} other change{'s' if others != 1 else ''}"
    # A quote that ends a sentence already ("… nights.”") needs no second full stop.
    return head if head.endswith((".”", "!”", "?”")) else f"{head}."


def _story(workspace: Path, plan_id: str, audience: str, recorded: _Recorded,
           memo: dict[Any, Any]) -> PlanStory:
    versions, parsed = recorded.versions[plan_id], recorded.parsed
    seen: list[_Seen] = []
    parents: list[dict[str, Any] | None] = []
    # git makes a merge commit with no role; the one who merged has one in this plan's history.
    roles: dict[str, str] = {}
    for version in reversed(versions):
        if version.revision.role and not version.revision.merge:
            roles[version.revision.author] = version.revision.role
    for version in reversed(versions):
        revision = version.revision
        if revision.merge and revision.role is None and revision.author in roles:
            revision = replace(revision, role=roles[revision.author])
        if audience not in SEES_COMMIT_MESSAGES:
            # A commit message is free text (or a summary of the whole plan), so it could
            # name anything; other audiences get summaries made from what they may see.
            revision = replace(revision, subject="")
        if revision.note and audience not in revision.note_for:
            # A note may mention anything in the plan: it reaches an audience only when the
            # one who wrote it shared it with them (the team always reads it).
            revision = replace(revision, note=None)
        raw = parsed.get(version.blob)
        viewed = _view(raw, audience, memo)
        if revision.author in _hidden_people(raw, viewed):
            # Who made an edit can say too much (that a sexual health nurse is involved, say)
            # when the person chose not to share that member of their team with this audience.
            revision = replace(revision, author=SOMEONE, role=None)
        seen.append(_Seen(revision, viewed))
        parent = parsed.get(version.parent_blob) if version.parent_blob else None
        parents.append(_view(parent, audience, memo) if parent is not None else None)
    entries: list[Entry] = []
    reviews: list[ReviewPoint] = []
    previous: dict[str, Any] | None = None
    for place, (version, item, parent) in enumerate(zip(reversed(versions), seen, parents, strict=True)):
        revision = item.revision
        if item.data is None:
            if audience in TOLD_OF_UNREADABLE:
                entries.append(Entry(revision, [], UNREADABLE, False))
        else:
            created = version.parent_blob is None and not any(version.other_parent_blobs)
            if version.other_parent_blobs:
                # A merge: only what the person merging settled is theirs; the rest are the
                # edits of those who made them, told where they were made.
                def viewed(blob: str | None) -> dict[str, Any] | None:
                    return _view(parsed.get(blob), audience, memo) if blob else None

                own = own_changes_of(version, viewed, versions[len(versions) - place:]) or []
            else:
                # Compare with the commit's own parent; if that could not be read, with the
                # last version that could.
                before = {} if created else parent if parent is not None else previous
                own = diff_plans(before or {}, item.data)
            changes = [replace(c, by=revision.author, role=revision.role, when=revision.when,
                               commit=revision.commit) for c in own]
            if changes:
                summary = summarise(changes, created)
                if revision.merge:
                    summary = f"When merging: {summary[:1].lower()}{summary[1:]}"
                entries.append(Entry(revision, changes, summary, True))
            previous = item.data
        if revision.is_review:
            review = _review_item(item.data, revision.review_id)
            if review is not None:
                reviews.append(ReviewPoint(revision, review))
    entries.reverse()
    current = _current(recorded.files.get(plan_id), audience, recorded.loader, memo)
    head_blob = recorded.at_head.get(plan_id)
    at_head = _view(parsed.get(head_blob), audience, memo) if head_blob else None
    # Most of the time the file is as last recorded: one object then, not three equal
    # copies, so a kept story is read back (and held) at about half the size.
    last = seen[-1].data if seen else None
    at_head = last if at_head is not None and at_head == last else at_head
    current = at_head if current is not None and current == at_head else current
    story = PlanStory(plan_id, audience, entries, reviews,
                      entries[0].revision if entries else None, [], _seen=seen, _current=current,
                      _at_head=at_head)
    story.reviews_recorded = sum(1 for item in seen if item.revision.is_review)
    if seen:
        last_review = _last_review_commit(seen)
        story.since_commit = last_review or seen[0].revision.commit
        if last_review:
            story.since = _since_words(last_review, reviews, versions, parsed, audience)
        story.since_last_review = story.compare(last_review or seen[0].revision.commit, None) \
            if last_review else _since_start(story)
    return story


def _since_words(commit: str, reviews: list[ReviewPoint], versions: list[Version],
                 parsed: dict[str, dict[str, Any] | None], audience: str) -> str:
    """'Since the review on 16 September 2026', said plainly even to an audience that may not
    read the review itself (its date is not private unless the review item says so)."""
    for point in reviews:
        if point.revision.commit == commit:
            return f"Since the review on {_review_day(point.review.get('date'), point.revision)}"
    version = next(v for v in versions if v.revision.commit == commit)
    # The plan as last recorded says whether the review is private (it may have been marked
    # so after the review was recorded); else the review as it was recorded.
    raw = _review_item(parsed.get(versions[0].blob), version.revision.review_id) or \
        _review_item(parsed.get(version.blob), version.revision.review_id)
    shown_to = raw.get("visible_to") if isinstance(raw, dict) else None
    if isinstance(shown_to, list) and audience not in shown_to:
        return "Since the last review"
    day = raw.get("date") if isinstance(raw, dict) else None
    return f"Since the last review, on {_review_day(day, version.revision)}"


def _review_day(day: Any, revision: Revision) -> str:
    from builder.story.describe import date_text

    return date_text(str(day)) if day else date_text(revision.when.date().isoformat())


def _since_start(story: PlanStory) -> list[Change]:
    """With no review yet, everything since the plan was first recorded."""
    first = story._seen[0].revision.commit
    return story.compare(first, None)


def _last_review_commit(seen: list[_Seen]) -> str | None:
    # The last review of any kind marks the point, even if this audience may not see the
    # review itself: the changes compared are still only those it may see.
    for item in reversed(seen):
        if item.revision.is_review:
            return item.revision.commit
    return None


def _hidden_people(raw: dict[str, Any] | None, viewed: dict[str, Any] | None) -> set[str]:
    """Names of care-team members in the plan that this audience's view leaves out."""
    def names(plan: dict[str, Any] | None) -> set[str]:
        team = plan.get("care_team") if isinstance(plan, dict) else None
        return {m["name"] for m in team if isinstance(m, dict) and isinstance(m.get("name"), str)} \
            if isinstance(team, list) else set()

    return names(raw) - names(viewed)


def _review_item(data: dict[str, Any] | None, review_id: str | None) -> dict[str, Any] | None:
    if data is None or not isinstance(data.get("reviews"), list):
        return None
    for review in data["reviews"]:
        if isinstance(review, dict) and review.get("id") == review_id:
            return review
    return None


def _view(data: dict[str, Any] | None, audience: str, memo: dict[Any, Any]
          ) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        return view_plan(data, audience, memo)
    except (TypeError, AttributeError, ValueError):
        return None  # a past version too malformed to filter is treated as unreadable


def _current(raw: bytes | None, audience: str, loader: VersionLoader,
             memo: dict[Any, Any]) -> dict[str, Any] | None:
    """The plan file as it is now, as this audience sees it (None if it cannot be read)."""
    return None if raw is None else _view(loader.load(raw), audience, memo)

"""Compare two named versions of a plan for one audience: what ``wellplan diff`` shows.

A version is named by a review id or date, or any git revision; "now" is the plan file
as it is in the workspace. The changes come from :class:`timeline.PlanStory`, so they
hold only what the story's audience may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import HistoryError
from builder.story.account import Account, account_between
from builder.story.describe import date_text
from builder.story.diff import Change
from builder.story.history import Revision, commits_reaching, resolve_commit
from builder.story.timeline import TOLD_OF_UNREADABLE, PlanStory


def version_for(workspace: Path, story: PlanStory, rev: str) -> Revision:
    """The version of a plan a name stands for: a review id, a review date, or a git revision."""
    for point in story.reviews:
        if rev in (point.revision.review_id, point.review.get("date")):
            return point.revision
    written = [r for r in _unrecorded_reviews(story) if rev in (r.get("id"), r.get("date"))]
    if written:
        raise HistoryError(
            f"The plan lists a review on {date_text(str(written[0].get('date')))}, but it was written "
            "into the file, not recorded with 'wellplan review', so there is no version of the plan "
            f"from that meeting. 'wellplan history {story.plan_id}' lists the recorded versions."
        )
    commit = resolve_commit(workspace, rev)
    known = {seen.revision.commit for seen in story._seen}
    for candidate in commits_reaching(workspace, commit):
        if candidate in known:
            return story.version_at(candidate)
    raise HistoryError(f"Plan '{story.plan_id}' did not exist yet at '{rev}'.")


@dataclass
class Comparison:
    """What changed between two versions of a plan, for one audience."""

    plan_id: str
    audience: str
    old: Revision | None  # None: before the plan was first recorded
    new: Revision | None  # None: the plan file as it is now
    changes: list[Change]
    unreadable: list[Revision]
    account: Account
    #: Said before the changes, such as that there is no recorded review to compare with.
    note: str = ""
    #: The plan's file, as last recorded.
    file: str = ""

    def as_json(self) -> str:
        import json

        note = {"note": self.note} if self.note else {}
        return json.dumps({
            **note,
            "plan": self.plan_id,
            "audience": self.audience,
            "from": _version_json(self.old),
            "to": _version_json(self.new),
            **self.account.as_json(),
            "changes": [c.as_json() for c in self.changes],
            "unreadable": [_version_json(r) for r in self.unreadable],
        }, indent=2, ensure_ascii=False)

    def as_text(self) -> str:
        lines = [self.note, ""] if self.note else []
        shown = self.file or f"plans/{self.plan_id}.yaml"
        lines += [f"What changed in {shown} from {version_words(self.old)} "
                 f"to {version_words(self.new)}:", ""]
        lines += self.account.as_text()
        if self.unreadable:
            lines.append("")
        for revision in self.unreadable:
            lines.append(f"- The version {_recorded_words(revision)} could not be read, so what "
                         "changed in it is not shown.")
        if not self.account.lines and not self.unreadable:
            lines.append("Nothing has changed.")
        return "\n".join(lines)


def compare_versions(workspace: Path, story: PlanStory, rev_from: str | None,
                     rev_to: str | None) -> Comparison:
    """Compare two named versions (default: the last review, or the first version, with now)."""
    note = ""
    if rev_from:
        old: Revision | None = version_for(workspace, story, rev_from)
    else:
        old = _last_review(story)
        if old is None:
            note = no_review_note(story)
            old = story._seen[0].revision if story._seen else None
    new = version_for(workspace, story, rev_to) if rev_to else None
    if old and new and old.when > new.when:
        old, new = new, old
    changes = story.compare(old.commit if old else None, new.commit if new else None)
    start = story._index(old.commit) if old else -1
    end = story._index(new.commit) if new else len(story._seen) - 1
    unreadable = [seen.revision for seen in story._seen[start + 1 : end + 1] if seen.data is None]
    if story.audience not in TOLD_OF_UNREADABLE:
        unreadable = []
    account = account_between(story, old.commit if old else None, new.commit if new else None)
    return Comparison(story.plan_id, story.audience, old, new, changes, list(reversed(unreadable)),
                      account, note, story.file)


def no_review_note(story: PlanStory) -> str:
    """Said when there is no recorded review to compare with, instead of comparing silently."""
    note = (f"There is no recorded review of {story.file} yet, so this compares its "
            "first recorded version with now.")
    written = [date_text(str(r.get("date"))) for r in _unrecorded_reviews(story)]
    if written:
        listed = ", ".join(written)
        note += (f" The review{'s' if len(written) > 1 else ''} it lists ({listed}) "
                 f"{'were' if len(written) > 1 else 'was'} written into the file, not recorded "
                 "with 'wellplan review'.")
    return note


def _unrecorded_reviews(story: PlanStory) -> list[dict[str, Any]]:
    """Reviews the plan lists that no recorded review commit added."""
    plan = story._current if story._current is not None else story._at_head
    recorded = {point.revision.review_id for point in story.reviews}
    return [r for r in (plan or {}).get("reviews") or []
            if isinstance(r, dict) and r.get("id") not in recorded]


def version_words(revision: Revision | None) -> str:
    """'the review recorded on 10 January 2026', 'the version recorded on 2 March 2026 by Sam Lee', 'now'."""
    if revision is None:
        return "now"
    if revision.is_review:
        return f"the review recorded on {date_text(revision.when.date().isoformat())}"
    return f"the version {_recorded_words(revision)}"


def _recorded_words(revision: Revision) -> str:
    return f"recorded on {date_text(revision.when.date().isoformat())} by {revision.author}"


def _version_json(revision: Revision | None) -> dict[str, Any] | None:
    if revision is None:
        return None
    return {"commit": revision.commit, "when": revision.when.isoformat(),
            "author": revision.author, "role": revision.role, "review": revision.review_id}


def _last_review(story: PlanStory) -> Revision | None:
    for seen in reversed(story._seen):
        if seen.revision.is_review:
            return seen.revision
    return None

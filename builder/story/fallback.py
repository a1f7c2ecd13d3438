"""A plan never drops out: when its file has problems, its last valid recorded version.

One typo in a date must not take a person's plan and crisis page off the site, nor
stop a copy being printed for the review meeting. The site and the PDF show the last
recorded version that was valid, under a banner that says since when the plan has had
problems, who recorded that, which version is shown and whom to ask to fix it. A plan
that was never valid has no such version and is reported as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from builder.errors import HistoryError
from builder.plan.labels import long_date
from builder.plan.load import load_plan_bytes
from builder.story.history import Revision, read_blobs, read_versions
from builder.workspace import plan_rel

#: How many recorded versions to look back through for a valid one.
LOOK_BACK = 200


@dataclass(frozen=True)
class Fallback:
    """The version shown instead of a plan file with problems, and what to say about it."""

    plan_id: str
    data: dict[str, Any]
    shown: Revision
    #: The first recorded version with problems (None: the problems are not recorded yet).
    broken: Revision | None
    #: Whom to ask to fix it: who recorded the problems, else the plan's key worker.
    ask: str

    def banner(self) -> str:
        """'This plan has problems since 3 December 2026 (recorded by …); showing the version of …'"""
        if self.broken is not None:
            since = (f"This plan has problems since {long_date(self.broken.when.date())} "
                     f"(recorded by {self.broken.author})")
        else:
            since = "This plan's file has problems that have not been recorded yet"
        ask = f" Ask {self.ask} to fix it." if self.ask else " Ask the care team to fix it."
        return f"{since}; showing the version of {long_date(self.shown.when.date())}.{ask}"


def last_valid_version(workspace: Path, plan_id: str, today: date | None = None) -> Fallback | None:
    """The plan's newest recorded version without problems, or None if it never had one."""
    try:
        versions = read_versions(workspace, [plan_id]).get(plan_id, [])[:LOOK_BACK]
    except HistoryError:
        return None
    if not versions:
        return None
    blobs = read_blobs(workspace, [v.blob for v in versions])
    today = today or date.today()
    broken: Revision | None = None
    for version in versions:
        data = _valid(blobs.get(version.blob), plan_id, today)
        if data is None:
            broken = version.revision
            continue
        if broken is None and not _recorded_is_current(workspace, plan_id, blobs.get(version.blob)):
            ask = _key_worker(data)
        else:
            ask = broken.author if broken is not None else _key_worker(data)
        return Fallback(plan_id, data, version.revision, broken, ask)
    return None


def _valid(raw: bytes | None, plan_id: str, today: date) -> dict[str, Any] | None:
    if raw is None:
        return None
    from builder.plan import rules
    from builder.plan.validate import schema_findings

    loaded = load_plan_bytes(raw, f"{plan_id}.yaml")  # only whether it is valid is used
    if loaded.data is None or not loaded.ok:
        return None
    findings = schema_findings(loaded) + rules.rule_findings(loaded, today)
    if any(f.severity == "error" for f in findings):
        return None
    return loaded.data if isinstance(loaded.data, dict) else None


def _recorded_is_current(workspace: Path, plan_id: str, raw: bytes | None) -> bool:
    try:
        return (workspace / plan_rel(workspace, plan_id)).read_bytes() == raw
    except OSError:
        return False


def _key_worker(data: dict[str, Any]) -> str:
    for member in data.get("care_team") or []:
        if isinstance(member, dict) and member.get("key_worker") is True and member.get("name"):
            return f"the key worker, {member['name']},"
    return ""

"""The date a recorded change is given in the plan's history, when it is not now.

A team bringing a plan's past in from paper records each change with its real date
(``record --date``, and ``review`` takes the meeting's date). Such a date is never in
the future and never before the plan's previous recorded version, so the history
stays in order. The commit keeps the real time of recording too, in a
``Plan-Recorded-On:`` trailer, and the history shows both when they differ.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from builder.errors import UsageError
from builder.story import describe
from builder.story.history import RECORDED_ON_TRAILER, Revision, read_versions

__all__ = ["RECORDED_ON_TRAILER", "check_history_date", "parse_when", "recorded_on_text"]
#: Clocks differ a little between machines: this much "in the future" is still now.
SLACK = timedelta(minutes=5)
#: A date-only history date is put at midday, so no time zone moves it to another day.
MIDDAY = time(12, 0)


def parse_when(text: str, option: str = "--date") -> datetime:
    """'2026-03-23', '2026-03-23 14:30' or '2026-03-23T14:30+01:00' as a moment (local if no zone)."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            moment = datetime.combine(date.fromisoformat(value), MIDDAY)
        else:
            moment = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date. Write it as YYYY-MM-DD, or YYYY-MM-DD HH:MM for a "
            "time too, for example 2026-03-23 or '2026-03-23 14:30'."
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


def meeting_moment(day: date, now: datetime) -> datetime:
    """The moment a review of that day goes into the history: now if it is today, else midday."""
    local_now = now.astimezone()
    if day == local_now.date():
        return now
    return datetime.combine(day, MIDDAY).astimezone()


def check_history_date(workspace: Path, plan_id: str, dated: datetime, now: datetime,
                       option: str = "--date") -> None:
    """Refuse a date in the future, or before the plan's previous recorded version."""
    if dated > now + SLACK:
        raise UsageError(
            f"{option} {_shown(dated)} is in the future, so nothing was recorded. A change can "
            "only be given a date on which it had already been made."
        )
    previous = previous_version(workspace, plan_id)
    if previous is not None and dated < previous.when:
        raise UsageError(
            f"{option} {_shown(dated)} is before the plan's last recorded change "
            f"({_shown(previous.when)}, by {previous.author}), so nothing was recorded. Record "
            "changes in the order they happened, oldest first; a change recorded now can be "
            "dated no earlier than that."
        )


def previous_version(workspace: Path, plan_id: str) -> Revision | None:
    """The plan's newest recorded version, if any."""
    versions = read_versions(workspace, [plan_id]).get(plan_id, [])
    return versions[0].revision if versions else None


def differs(when: datetime, recorded_on: datetime | None) -> bool:
    """Whether a change's history date and its real time of recording are worth both showing."""
    return recorded_on is not None and abs(recorded_on - when) > timedelta(hours=1)


def recorded_on_text(when: datetime, recorded_on: datetime | None) -> str:
    """' (recorded on 1 December 2026)' when that differs from the history date, else ''."""
    if not differs(when, recorded_on):
        return ""
    assert recorded_on is not None
    return f" (recorded on {describe.date_text(recorded_on.date().isoformat())})"


def stamp(moment: datetime) -> str:
    """The trailer's value: an ISO 8601 moment in UTC, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _shown(moment: datetime) -> str:
    local = moment.astimezone()
    day = describe.date_text(local.date().isoformat())
    return day if local.time() == MIDDAY else f"{day} {local:%H:%M}"

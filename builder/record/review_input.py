"""What ``wellplan review`` checks as it is typed, so a slip is named by its option, not a line.

The plan's own rules check a review once it is in the file; by then a wrong date is
"line 630" of a file the person never opened. These checks run first, on the options
as given, and say which option to change and to what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from builder.errors import UsageError
from builder.plan.labels import People, long_date, parse_date, words
from builder.plan.rules import MAX_REVIEW_GAP_DAYS, ME


@dataclass
class Doubt:
    """Something unusual about a review that may still be meant: asked about, not refused."""

    message: str


def review_date(text: str | None, today: date) -> date:
    """The --date of the review: a real day, not in the future."""
    if text is None:
        return today
    day = _date_option("--date", text)
    if day > today:
        raise UsageError(
            f"--date {text} is in the future. Record a review on or after the day it took place."
        )
    return day


def next_review_doubts(text: str, held: date) -> list[Doubt]:
    """Refuse a --next-review that is not a date or not after the review; doubt one over 12 months."""
    due = _date_option("--next-review", text)
    if due <= held:
        raise UsageError(
            f"--next-review {text} is not after the review itself ({long_date(held)}). Give the day "
            f"the next review is due, usually 3 to 6 months away, such as "
            f"{_months_later(held, 6).isoformat()}."
        )
    if (due - held).days > MAX_REVIEW_GAP_DAYS:
        return [Doubt(
            f"--next-review {text} is more than 12 months after this review ({long_date(held)}). "
            f"Plans are reviewed at least once a year, and people asked for every 3 to 6 months "
            f"(such as {_months_later(held, 6).isoformat()})."
        )]
    return []


def same_day_doubts(plan: dict[str, Any], held: date) -> list[Doubt]:
    """A review already recorded on the same day is more often a command run twice than a meeting."""
    same = [r.get("id", "?") for r in plan.get("reviews") or []
            if isinstance(r, dict) and parse_date(r.get("date")) == held]
    if not same:
        return []
    return [Doubt(
        f"This plan already has a review on {long_date(held)} ({', '.join(map(str, same))}). "
        "Recording another makes a second review that day; if the meeting was on another day, "
        "give it with --date."
    )]


def attended_ids(plan: dict[str, Any], given: list[str]) -> list[str]:
    """The --attended list, refusing anyone who is not 'me' or a care-team id, listing the ids."""
    people = People(plan)
    unknown = [who for who in given if who != ME and who not in people.members]
    if not unknown:
        return given
    quoted = [f"'{who}'" for who in unknown]
    named = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    verb = "is not a care-team id" if len(unknown) == 1 else "are not care-team ids"
    choices = [f"{ME} ({people.me})"] + [
        f"{ident} ({_who(member)})" for ident, member in people.members.items()
    ]
    guess = [_id_for(plan, people, who) for who in given]
    meant = f" Did you mean --attended {','.join(guess)}?" if all(guess) else ""
    raise UsageError(
        f"--attended: {named} {verb}.{meant} Use {ME} for the person, and care-team ids, "
        f"separated by commas. The ids in this plan: {'; '.join(choices)}."
    )


def _who(member: dict[str, Any]) -> str:
    """'Priya Sharma, care coordinator'."""
    role = member.get("role")
    return f"{member.get('name', '?')}, {words(role)}" if role else str(member.get("name", "?"))


def _id_for(plan: dict[str, Any], people: People, who: str) -> str | None:
    """The id someone probably meant by a name: 'Priya Shah' or 'priya' -> priya."""
    wanted = who.strip().lower()
    if wanted == ME or wanted in people.members:
        return wanted
    person = plan.get("person") or {}
    if wanted in {str(person.get(key, "")).lower() for key in ("name", "preferred_name")} - {""}:
        return ME
    for ident, member in people.members.items():
        name = str(member.get("name", "")).lower()
        if wanted and wanted in (name, name.split(" ")[0]):
            return ident
    return None


def _date_option(option: str, text: str) -> date:
    day = parse_date(text) if len(text) == 10 else None
    if day is None:
        raise UsageError(f"{option} {text} is not a date. Write dates as YYYY-MM-DD, such as 2027-03-01.")
    return day


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))

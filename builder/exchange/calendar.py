"""A plan's dates as an iCalendar file a phone's calendar imports: appointments, the next
review and checks due, as one audience may see them.

Each appointment is in it once, and each obligation from the one model of what is due
(``plan/due.py``) once: an obligation a booked appointment answers is said in that
appointment; one that is overdue or never done is on today's date (never on a past date),
saying when it was due; the rest on their due dates.

The file is made from :func:`builder.view.view_plan`'s result only, so nothing the audience
may not see can reach it; names of people hidden from them read "someone in the care team".
The ``icalendar`` library writes the file (escaping, folding, line endings), so plan text is
always a property's text, never part of the file's structure.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from builder.plan.due import Obligation, listed, obligations
from builder.plan.labels import People, long_date, parse_date
from builder.view import due_view

PRODUCT = "-//Wellbeing Plans//wellplan calendar//EN"
UID_DOMAIN = "wellbeing-plans.invalid"


def plan_calendar(seen: dict[str, Any], plan_id: str, today: date, audience: str = "person") -> bytes:
    """The iCalendar file for a plan as one audience sees it (``seen`` is view_plan's result)."""
    from icalendar import Calendar

    people = People(seen)
    name = str((seen.get("person") or {}).get("preferred_name") or (seen.get("person") or {}).get("name")
               or "the person")
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{name}'s wellbeing plan")
    stamp = datetime.combine(today, time(), tzinfo=UTC)
    for event in _events(seen, people, name, today, audience):
        event["uid"] = f"{plan_id}-{event['uid']}@{UID_DOMAIN}"  # the same event each time it is made
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    return calendar.to_ical()


def _events(seen: dict[str, Any], people: People, name: str, today: date, audience: str) -> list[Any]:
    from icalendar import Event

    # Only what has a date (a check the plan has never had is for the team to add, not a day),
    # and of the actions only the reader's own.
    found = [o for o in listed(obligations(seen, today)) if o.due and in_calendar(o, audience)]
    answered: dict[str, list[Obligation]] = {}
    for ob in found:
        if ob.booking:
            answered.setdefault(ob.booking.id, []).append(ob)
    events = []
    for a in seen.get("appointments") or []:
        when = parse_date(a.get("date")) if isinstance(a, dict) else None
        if when is None or a.get("status") in ("cancelled", "missed"):
            continue
        event = Event()
        event.add("uid", f"appointment-{a.get('id')}")
        event.add("summary", str(a.get("what_for") or "Appointment"))
        start = _start(when, a.get("time"))
        event.add("dtstart", start)
        if isinstance(start, datetime) and isinstance(a.get("minutes"), int):
            event.add("dtend", start + timedelta(minutes=a["minutes"]))
        if a.get("place"):
            event.add("location", str(a["place"]))
        with_whom = ", ".join(people.name(w) for w in a.get("with") or [])
        said = [f"With {with_whom}."] if with_whom else []
        mine = answered.get(str(a.get("id")), [])
        said += [f"For: {ob.sentence(today, audience)}" for ob in mine]
        if said:
            event.add("description", "\n".join(said))
        if mine:
            event.add("x-wellplan-obligations", ",".join(ob.key for ob in mine))
        events.append(event)
    for ob in found:
        if ob.booking and ob.booking.when and ob.booking.when >= today:
            continue  # said in the appointment that answers it
        day = max(ob.due, today) if ob.due else today
        event = _all_day(f"due-{ob.key.replace(':', '-')}", _summary(ob, name), day,
                         ob.sentence(today, audience))
        event.add("x-wellplan-obligation", ob.key)
        event.add("x-wellplan-due", ob.due.isoformat() if ob.due else "")
        event.add("x-wellplan-state", ob.state)
        events.append(event)
    return events


def in_calendar(ob: Obligation, audience: str) -> bool:
    """Whether a reader's calendar holds an obligation: all of them for the team and the GP;
    for the person and a named carer, only the actions that are theirs to do."""
    if ob.kind != "action" or audience in ("team", "gp"):
        return True
    mine = "me" if audience == "person" else audience.split(":", 1)[1] if ":" in audience else None
    return ob.who == mine


def _summary(ob: Obligation, name: str) -> str:
    """A calendar line: 'Check due: Weight', 'Overdue: ECG (heart tracing) (was due 30 September 2026)'."""
    what = ob.what.strip().rstrip(".")
    if ob.kind == "review":
        what = f"Review of {name}'s wellbeing plan"
    elif ob.kind == "action":
        what = f"To do: {what}"
    elif ob.kind == "request":
        what = f"Asked for: {what}"
    else:
        what = f"Check due: {what}"
    if ob.state == "overdue" and ob.due:
        return f"Overdue: {what.removeprefix('Check due: ')} (was due {long_date(ob.due)})"
    if ob.state in ("never_done", "not_in_plan"):
        return f"Not done yet: {what.removeprefix('Check due: ')}"
    return what


def _start(day: date, clock: Any) -> date | datetime:
    """A time of day is floating (local wherever the phone is): an appointment at 09:30 is at 09:30."""
    if isinstance(clock, str) and len(clock) == 5:
        return datetime.combine(day, time(int(clock[:2]), int(clock[3:])))
    return day


def _all_day(uid: str, summary: str, day: date, description: str) -> Any:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def export_calendar(workspace: Path, plan_id: str, audience: str, today: date | None = None) -> bytes:
    """The calendar for a plan's current valid file, as that audience may see it."""
    from builder.exchange.current import current_plan

    today = today or date.today()
    plan = current_plan(workspace, plan_id, audience, "no calendar was made", today)
    return plan_calendar(due_view(plan, audience), plan_id, today, audience)

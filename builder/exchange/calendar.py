"""A plan's dates as an iCalendar file a phone's calendar imports: appointments, the next
review and checks due, as one audience may see them.

The file is made from :func:`builder.view.view_plan`'s result only, so nothing the audience
may not see can reach it; names of people hidden from them read "someone in the care team".
The ``icalendar`` library writes the file (escaping, folding, line endings), so plan text is
always a property's text, never part of the file's structure.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from builder.plan.labels import People, check_name, parse_date
from builder.plan.monitoring import monitoring_needs
from builder.view import view_plan

PRODUCT = "-//Wellbeing Plans//wellplan calendar//EN"
UID_DOMAIN = "wellbeing-plans.invalid"


def plan_calendar(seen: dict[str, Any], plan_id: str, today: date) -> bytes:
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
    for event in _events(seen, people, name, today):
        event["uid"] = f"{plan_id}-{event['uid']}@{UID_DOMAIN}"  # the same event each time it is made
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    return calendar.to_ical()


def _events(seen: dict[str, Any], people: People, name: str, today: date) -> list[Any]:
    from icalendar import Event

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
        if with_whom:
            event.add("description", f"With {with_whom}.")
        events.append(event)
    review = _next_review(seen)
    if review:
        events.append(_all_day("next-review", f"Review of {name}'s wellbeing plan", review,
                               "The next review of the plan is due."))
    dated_checks = set()
    for c in seen.get("health_checks") or []:
        due = parse_date(c.get("next_due")) if isinstance(c, dict) else None
        if due:
            dated_checks.add(c.get("id"))
            who = f" {people.name(c['responsible'])} does this check." if c.get("responsible") else ""
            events.append(_all_day(f"check-{c.get('id')}", f"Check due: {check_name(c)}", due,
                                   f"{check_name(c)} is due.{who}"))
    if "health_checks" in seen:
        for need in monitoring_needs(seen, today):
            if need.due and need.due >= today and need.check_id not in dated_checks:
                kinds = "-".join(need.kinds)
                events.append(_all_day(f"monitoring-{need.medicine_id or 'yearly'}-{kinds}",
                                       f"Check due: {need.check_name}", need.due, need.sentence()))
    return events


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


def _next_review(seen: dict[str, Any]) -> date | None:
    reviews = [r for r in seen.get("reviews") or [] if isinstance(r, dict) and parse_date(r.get("date"))]
    if not reviews:
        return None
    latest = max(reviews, key=lambda r: str(r["date"]))
    return parse_date(latest.get("next_review_due"))


def export_calendar(workspace: Path, plan_id: str, audience: str, today: date | None = None) -> bytes:
    """The calendar for a plan's current valid file, as that audience may see it."""
    from builder.exchange.current import current_plan

    today = today or date.today()
    plan = current_plan(workspace, plan_id, audience, "no calendar was made", today)
    return plan_calendar(view_plan(plan, audience), plan_id, today)

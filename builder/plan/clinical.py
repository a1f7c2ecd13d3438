"""Small facts about a plan's clinical parts that every page and printed copy needs the same way.

Whether a result is outside the range the plan agrees, what was offered about it, whether a
request is past its deadline, which medicines are still taken, which appointments are coming.
Pure functions of a (viewed) plan: nothing here decides who may see what.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from builder.plan.labels import long_date, parse_date

#: Request statuses that are still waiting for something to happen.
OPEN_REQUESTS = ("requested", "booked")
#: Offer answers in words.
OFFER_ANSWERS = {"offered": "offered, no answer yet", "accepted": "accepted", "declined": "declined"}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def outside_range(check: dict[str, Any], result: dict[str, Any]) -> str | None:
    """"above" or "below" when a result is outside the range the plan agrees; else None.

    Blood pressure is compared by its top (systolic) number, as its range is written."""
    limits = check.get("range") if isinstance(check.get("range"), dict) else {}
    value = _number(result.get("value"))
    if value is None:
        value = _number(result.get("systolic"))
    if value is None:
        return None
    low, high = _number(limits.get("low")), _number(limits.get("high"))
    if high is not None and value > high:
        return "above"
    if low is not None and value < low:
        return "below"
    return None


def offers_about(check: dict[str, Any], result: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The offers recorded for this result (or, with no result named, for the check as a whole)."""
    offers = [o for o in check.get("offers") or [] if isinstance(o, dict)]
    if result is None:
        return offers
    return [o for o in offers if o.get("result") in (None, result.get("id"))]


def offer_words(offer: dict[str, Any]) -> str:
    """'Stop-smoking support: accepted (offered 5 May 2026)', then any notes."""
    answer = OFFER_ANSWERS.get(str(offer.get("response")), str(offer.get("response", "")))
    when = f" (offered {long_date(offer['date'])})" if offer.get("date") else ""
    notes = f". {offer['notes']}" if offer.get("notes") else ""
    return f"{offer.get('what', 'Support')}: {answer}{when}{notes}"


def request_overdue(request: dict[str, Any], today: date) -> bool:
    """A request still waiting after the date it was needed by."""
    deadline = parse_date(request.get("due_by"))
    return bool(deadline and deadline < today and request.get("status") in OPEN_REQUESTS)


def is_stopped(medicine: dict[str, Any], today: date) -> bool:
    stopped = parse_date(medicine.get("stopped"))
    return stopped is not None and stopped <= today


def upcoming_appointments(plan: dict[str, Any], today: date, days: int | None = None
                          ) -> list[dict[str, Any]]:
    """Booked appointments from today on (within ``days`` if given), soonest first."""
    out = []
    for appointment in plan.get("appointments") or []:
        if not isinstance(appointment, dict) or appointment.get("status") in ("cancelled", "missed"):
            continue
        when = parse_date(appointment.get("date"))
        if when is None or when < today or (days is not None and when > today + timedelta(days=days)):
            continue
        out.append(appointment)
    return sorted(out, key=lambda a: (str(a.get("date")), str(a.get("time", ""))))

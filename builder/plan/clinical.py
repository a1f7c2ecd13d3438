"""Small facts about a plan's clinical parts that every page and printed copy needs the same way.

Whether a result is outside the range the plan agrees, what was offered about it (and what
else the plan holds about it), which medicines are still taken, which appointments are coming.
What is due and whether it is late is worked out once, in ``plan/due.py``.
Pure functions of a (viewed) plan: nothing here decides who may see what.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from builder.plan.labels import long_date, parse_date, words

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


#: Words that show an action, goal or request is about a kind of check (help offered about it).
SUPPORT_WORDS: dict[str, tuple[str, ...]] = {
    "weight": ("weight", "dietitian", "healthy living", "eating", "diet", "portion", "exercise"),
    "bmi": ("weight", "dietitian", "healthy living", "eating", "diet", "exercise"),
    "waist": ("weight", "waist", "dietitian", "healthy living", "eating", "diet"),
    "blood_pressure": ("blood pressure", "ramipril", "salt"),
    "hba1c": ("blood sugar", "diabetes", "hba1c", "dietitian", "diet"),
    "glucose": ("blood sugar", "diabetes", "glucose", "dietitian", "diet"),
    "cholesterol": ("cholesterol", "statin", "lipids", "dietitian", "diet"),
    "smoking": ("smoking", "cigarettes", "vape", "nicotine"),
    "alcohol": ("alcohol", "drinking"),
    "pulse": ("pulse", "heart"),
    "ecg": ("ecg", "heart"),
}


def support_for(plan: dict[str, Any], check: dict[str, Any]) -> list[str]:
    """What the plan records as offered about a check besides its offers: referrals (requests),
    actions and goals whose words name it, in words ("Request: Help with eating well (done)")."""
    import re

    names = SUPPORT_WORDS.get(str(check.get("kind")), ())
    if not names:
        return []

    def about(*said: Any) -> bool:
        lowered = " ".join(str(s or "") for s in said).lower()
        return any(re.search(rf"\b{re.escape(n)}", lowered) for n in names)

    goals = [g for g in plan.get("goals") or [] if isinstance(g, dict)]
    actions = [a for a in plan.get("actions") or [] if isinstance(a, dict)]
    out = []
    linked_goals = {a.get("goal") for a in actions if about(a.get("what"))}
    for goal in goals:
        if goal.get("status") in ("active", "achieved") and (
                goal.get("id") in linked_goals or about(goal.get("what"), goal.get("why_it_matters"))):
            out.append(f"Goal: {str(goal.get('what', '')).rstrip('.')} ({goal.get('status')})")
    for action in actions:
        if about(action.get("what")) and action.get("status") not in ("cancelled", "stopped"):
            what = str(action.get("what", "")).rstrip(".")
            out.append(f"Action: {what} ({words(action.get('status', ''))})")
    for request in plan.get("requests") or []:
        if isinstance(request, dict) and about(request.get("what")) and request.get("status") != "cancelled":
            what = str(request.get("what", "")).rstrip(".")
            out.append(f"Request: {what} ({words(request.get('status', ''))})")
    return out

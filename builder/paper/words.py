"""Plain-English words for a printed plan: dates, labels, statuses, results.

Pure functions from plan values to strings; no markup, no pandoc. Labels come from
the schema's titles, so the printed copy uses the same words as the editor.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from builder.plan import labels
from builder.plan.labels import duration_words
from builder.plan.schema import title_of
from builder.story.describe import range_words

#: Words that are not simply the vocabulary value with its hyphens taken out.
_SPECIAL = {
    "gp": "GP",
    "bmi": "BMI (body mass index)",
    "hba1c": "HbA1c (average blood sugar)",
    "ecg": "ECG (heart trace)",
    "result-received": "result received",
    "any-time": "any time",
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WHEN_TO_CALL = {"day": "In the day", "night": "At night", "any-time": "Any time"}

#: Page one of every copy starts with these, before anything else about the plan.
EMERGENCY = "If someone's life is at risk, call 999 now."
CONTACTS_ON_PAGE_ONE = "Who to call, and their numbers, are on page 1."


def crisis_heading(you: bool) -> str:
    return "If you need help now" if you else "If help is needed now"


def crisis_first_step(you: bool, name: str) -> str:
    """What to do first, when no life is at risk: the numbers are in the order to try them."""
    who = "you feel" if you else f"{name} feels"
    return (f"If {who} things are getting too much, call the first number open now. "
            "If no one answers, try the next.")


def plain(value: Any) -> str:
    """Any plan value as text (numbers and yes/no included); None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def label(path: tuple[str | int, ...]) -> str:
    """The schema's title for a field, or its key in words when the schema has none."""
    title = title_of(tuple(path))
    if title:
        return title
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    return words(last)


def words(value: Any) -> str:
    """A vocabulary value in words: ``in-progress`` -> ``in progress``, ``gp`` -> ``GP``."""
    text = plain(value)
    if text in _SPECIAL:
        return _SPECIAL[text]
    return text.replace("_", " ").replace("-", " ")


def upper_first(value: str) -> str:
    return value[:1].upper() + value[1:]


def role(value: Any) -> str:
    text = words(value)
    return text[:1].upper() + text[1:] if text else "Role not given"


def status(value: Any) -> str:
    text = words(value)
    return text[:1].upper() + text[1:] if text else "Not given"


def when_to_call(value: Any) -> str:
    return _WHEN_TO_CALL.get(plain(value), words(value))


def copy_for(audience: str, name: str) -> str:
    return labels.copy_for(audience, name)  # carer:sam is one carer's copy


def parse_date(value: Any) -> date | None:
    """A date from 'YYYY-MM-DD', a date or a datetime; None if it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def long_date(value: Any) -> str:
    """'2026-11-26' -> '26 November 2026'; text that is not a date stays as written."""
    when = parse_date(value)
    if when is None:
        return plain(value)
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def span(days: int) -> str:
    """A number of days as people say it: 3 days, 2 weeks, 15 months (one wording everywhere)."""
    return duration_words(days)


def nhs_number(value: Any) -> str:
    """Ten digits as 3-3-4 ('943 476 5919'); anything else as written."""
    digits = plain(value).replace(" ", "")
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return plain(value)


def check_name(check: dict[str, Any]) -> str:
    """A check's name: the plan's own label, else the one table every output uses ("HbA1c")."""
    return labels.check_name(check)


def result(res: dict[str, Any], check: dict[str, Any]) -> str:
    """One result in words: '130/85 mmHg', '82.5 kg', or the reading as written."""
    unit = f" {check['unit']}" if check.get("unit") else ""
    if res.get("systolic") is not None and res.get("diastolic") is not None:
        value = f"{plain(res['systolic'])}/{plain(res['diastolic'])}{unit}"
    elif res.get("value") is not None:
        value = f"{plain(res['value'])}{unit}"
    else:
        value = ""
    reading = plain(res.get("reading"))
    qrisk = f"QRISK {plain(res['qrisk'])}%" if res.get("qrisk") is not None else ""
    return "; ".join(part for part in (value, reading, qrisk) if part) or "Done"


def plain_range(check: dict[str, Any]) -> str:
    """The agreed range in words, as the site says it: '95 kg or less'."""
    words = range_words(check)
    return words[:1].upper() + words[1:]

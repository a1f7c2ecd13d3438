"""Words for a page: field titles from the schema, vocabulary in plain English, people, dates.

The schema is the single source of truth for what fields are called; this module
only reads it. Person references (``me`` or a care-team id) are resolved against
the plan *as the audience sees it*, so a reference to someone hidden from this
audience reads "someone in the care team" and never leaks their name.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from builder.plan.schema import shared_schema

_UPPER_WORDS = {"gp": "GP", "ecg": "ECG", "bmi": "BMI", "hba1c": "HbA1c", "nhs": "NHS"}
HIDDEN_PERSON = "someone in the care team"


#: Whose copy (or site) this is and what it holds: the same words on paper and on the site.
_COPY_FOR = {
    "person": "{name}'s own {kind}.",
    "carer": "The {kind} for {name}'s carer. It holds only what {name} has agreed to share.",
    "gp": "The {kind} for {name}'s GP practice: what is needed to coordinate care.",
    "team": "The {kind} for {name}'s care team.",
}


def copy_for(audience: str, name: str, kind: str = "copy") -> str:
    """'The copy for Dan's carer. It holds only what Dan has agreed to share.' (kind: copy, site)."""
    return _COPY_FOR[audience.split(":", 1)[0]].format(name=name, kind=kind)


def schema() -> dict[str, Any]:
    """The plan schema, read once per process (for reading only)."""
    return shared_schema()


def title(definition: str | None, prop: str) -> str:
    """The schema's title for a property of a definition (None: the top level)."""
    root = schema()
    container = root if definition is None else root["definitions"][definition]
    spec = container.get("properties", {}).get(prop, {})
    if "title" in spec:
        return spec["title"]
    ref = spec.get("$ref", "")
    if ref.startswith("#/definitions/"):
        target = root["definitions"][ref.rsplit("/", 1)[1]]
        if "title" in target:
            return target["title"]
    return sentence_case(words(prop))


def title_of_wellbeing(area: str) -> str:
    spec = schema()["properties"]["wellbeing"]["properties"].get(area, {})
    return spec.get("title") or sentence_case(words(area))


def words(value: object) -> str:
    """A vocabulary value such as ``key-worker`` or ``blood_pressure`` in plain words."""
    parts = str(value).replace("_", " ").replace("-", " ").split()
    return " ".join(_UPPER_WORDS.get(p.lower(), p) for p in parts)


def sentence_case(value: str) -> str:
    return value[:1].upper() + value[1:]


def check_name(check: dict[str, Any]) -> str:
    return str(check.get("label") or sentence_case(words(check.get("kind", "check"))))


def parse_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def long_date(value: object) -> str:
    """26 November 2026; text that is not a date is shown as written."""
    day = value if isinstance(value, date) else parse_date(value)
    if day is None:
        return str(value)
    return f"{day.day} {day:%B %Y}"


class People:
    """Who a person reference means, in the plan as this audience sees it."""

    def __init__(self, plan: dict[str, Any]) -> None:
        person = plan.get("person") or {}
        self.me = str(person.get("preferred_name") or person.get("name") or "the person")
        needs = person.get("communication")
        #: The person's language as they wrote it, for marking their own words.
        self.language = needs.get("language") if isinstance(needs, dict) else None
        self.members = {m["id"]: m for m in plan.get("care_team") or [] if isinstance(m, dict) and "id" in m}

    def name(self, ref: object) -> str:
        """A name and role, such as "Priya Shah (key worker)"."""
        if ref == "me":
            return self.me
        member = self.members.get(str(ref))
        if member is None or "name" not in member:
            return HIDDEN_PERSON
        role = member.get("role")
        return f"{member['name']} ({words(role)})" if role else str(member["name"])

    def key_worker(self) -> dict[str, Any] | None:
        for member in self.members.values():
            if member.get("key_worker") is True:
                return member
        return None


def add_interval(day: date, interval: str) -> date:
    """The date an interval ('4 weeks', '3 months', '1 year') after day."""
    number, unit = interval.split()
    n = int(number)
    unit = unit.rstrip("s")
    if unit == "day":
        return day + timedelta(days=n)
    if unit == "week":
        return day + timedelta(weeks=n)
    months = n * (12 if unit == "year" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def duration_words(days: int) -> str:
    """A span as people say it: '3 days', '5 weeks', '15 months', '2 years and 1 month'."""
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days <= 56:
        return f"{days // 7} weeks"
    months = round(days / 30.44)
    if months < 24:
        return f"{months} months"
    years, rest = divmod(months, 12)
    return f"{years} years" + (f" and {rest} month{'s' if rest != 1 else ''}" if rest else "")

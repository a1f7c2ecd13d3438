"""What several pages need to know about a plan: names, due dates, what is still open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from builder.site.html_text import badge as _badge
from builder.site.html_text import text
from builder.view import NEXT_REVIEW, NOTE, PART_NOTES, SHARED_FROM
from builder.plan.labels import days_phrase, parse_date

AREAS = ("mental_health", "physical_health", "life")
OPEN_ACTIONS = ("not-started", "scheduled", "in-progress", "on-hold")
OPEN_REQUESTS = ("requested", "booked")
SOON_DAYS = 30


@dataclass(frozen=True)
class Updated:
    """Who last changed the plan, and when (from the recorded history)."""

    when: date
    name: str
    role: str | None
    version: int | None = None  # which recorded version of the plan (1 for the first)
    #: When that version was recorded, if later than the last change this audience may see
    #: (the printed copy names the same version, so a page and a copy can be matched).
    recorded: date | None = None


def full_name(plan: dict[str, Any]) -> str:
    person = plan.get("person") or {}
    return str(person.get("name") or "This person")


def latest_review(plan: dict[str, Any]) -> dict[str, Any] | None:
    reviews = [r for r in plan.get("reviews") or [] if isinstance(r, dict) and r.get("date")]
    return max(reviews, key=lambda r: str(r["date"])) if reviews else None


def next_review_due(plan: dict[str, Any]) -> date | None:
    """The next review's date: from the reviews, or (for a reader at the last review who may
    not see the reviews) the date the view passed on."""
    review = latest_review(plan)
    return parse_date(review.get("next_review_due") if review else plan.get(NEXT_REVIEW))


def due_state(due: date | None, today: date) -> str | None:
    """overdue, soon (within 30 days) or ok; None when there is no date."""
    if due is None:
        return None
    if due < today:
        return "overdue"
    return "soon" if (due - today).days <= SOON_DAYS else "ok"


def due_badge(due: date | None, today: date) -> str:
    state = due_state(due, today)
    if state == "overdue":
        return _badge(f"Overdue by {days_phrase((today - due).days)}", "overdue")
    if state == "soon":
        return _badge("Due soon", "soon")
    return ""


def yes_no(value: object) -> str | None:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return None


def num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def private_note(node: Any, inline: bool = False) -> str:
    """What the view says about who else may not see this item, in words ("" if nothing)."""
    note = node.get(NOTE) if isinstance(node, dict) else None
    if not note:
        return ""
    tag = "span" if inline else "p"
    return f'<{tag} class="wp-private">{text(note)}.</{tag}>'


def part_note(plan: dict[str, Any], *parts: str) -> str:
    """The same for a whole part of the plan (the first of parts that has a note); for a carer
    or GP, that they see only what is shared with them from it."""
    notes = plan.get(PART_NOTES) if isinstance(plan.get(PART_NOTES), dict) else {}
    said = next((f'<p class="wp-private">{text(notes[p])}.</p>' for p in parts if notes.get(p)), "")
    shared = plan.get(SHARED_FROM) if isinstance(plan.get(SHARED_FROM), dict) else {}
    return said or next((f'<p class="wp-shared-from">{text(shared[p])}.</p>' for p in parts
                         if shared.get(p)), "")

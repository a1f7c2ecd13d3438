"""What several pages need to know about a plan: names, due dates, what is still open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from builder.plan.due import Obligation
from builder.plan.labels import duration_words, long_date
from builder.site.html_text import attr, text
from builder.site.html_text import badge as _badge
from builder.view import NOTE, PART_NOTES, SHARED_FROM

AREAS = ("mental_health", "physical_health", "life")
OPEN_ACTIONS = ("not-started", "scheduled", "in-progress", "on-hold")
OPEN_REQUESTS = ("requested", "booked")


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


#: Audiences whose pages say what is missing calmly, as a fact, rather than as an alarm.
CALM = ("person", "carer")


def obligation_badge(ob: Obligation, today: date, audience: str = "team") -> str:
    """The state of something due, in words first and colour second ("" when in date)."""
    calm = audience.split(":")[0] in CALM
    if ob.state == "overdue" and ob.due:
        return _badge(f"Overdue by {duration_words((today - ob.due).days)}", "overdue")
    if ob.state in ("never_done", "not_in_plan"):
        return _badge("Never done" if ob.state == "never_done" else "Not in the plan",
                      "note" if calm else "overdue")
    if ob.state == "due_soon":
        return _badge("Due soon", "soon")
    return ""


def obligation_html(ob: Obligation, today: date, audience: str = "team", asked: bool = True) -> str:
    """When something is due, its state and what answers it, marked with the model's own
    key, date and state so every page can be checked against every other."""
    # Something never done was due when its medicine started, maybe years ago: the state says it.
    when = text(long_date(ob.due)) if ob.due and ob.state not in ("never_done", "not_in_plan") else ""
    badge = obligation_badge(ob, today, audience)
    booked = ob.booking
    tail = f'<br><span class="wp-booked">{text(booked.words[:1].upper() + booked.words[1:])}</span>' \
        if booked else ""
    if asked and ob.pressing:  # a request already made for it (the requests table says it itself)
        tail += "".join(f'<br><span class="wp-muted">{text(a.words[:1].upper() + a.words[1:])}</span>'
                        for a in ob.answers if a.kind == "request")
    iso = ob.due.isoformat() if ob.due else ""
    return (f'<span class="wp-due" data-obligation="{attr(ob.key)}" data-due="{iso}" '
            f'data-state="{ob.state}">{" ".join(x for x in (when, badge) if x) or "Not set"}{tail}</span>')

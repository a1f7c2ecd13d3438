"""Who is editing, whose view they see, and the people a plan's questions can name."""

from __future__ import annotations

from typing import Any

from builder.plan.labels import words
from builder.view import GP_ROLES


def audience_for(plan: dict[str, Any], name: str, role: str) -> str:
    """The view an editor sees: the person's, one carer's (or the carers'), the GP's, or the team's."""
    if role == "person":
        return "person"
    if role == "carer":
        carers = [m for m in _team(plan) if m.get("role") == "carer"]
        named = [m for m in carers if str(m.get("name", "")).strip().lower() == name.strip().lower()]
        chosen = named if len(named) == 1 else carers if len(carers) == 1 else []
        return f"carer:{chosen[0]['id']}" if chosen else "carer"
    if role in GP_ROLES:
        return "gp"
    return "team"


def people(viewed: dict[str, Any]) -> list[tuple[str, str]]:
    """me and everyone in the care team this reader sees, as (id, name to show)."""
    person = viewed.get("person") if isinstance(viewed.get("person"), dict) else {}
    me = person.get("preferred_name") or person.get("name") or "the person"
    found = [("me", f"{me} (the person this plan is about)")]
    for member in _team(viewed):
        role = f" ({words(member['role'])})" if member.get("role") else ""
        found.append((str(member["id"]), f"{member.get('name', member['id'])}{role}"))
    return found


def carers(viewed: dict[str, Any]) -> list[tuple[str, str]]:
    """The carers in the care team this reader sees, as (id, name)."""
    return [(str(m["id"]), str(m.get("name", m["id"]))) for m in _team(viewed) if m.get("role") == "carer"]


def _team(plan: dict[str, Any]) -> list[dict[str, Any]]:
    team = plan.get("care_team")
    return [m for m in team if isinstance(m, dict) and isinstance(m.get("id"), str)] \
        if isinstance(team, list) else []

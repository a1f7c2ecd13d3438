"""The plan's parts in the words, and the order, of whoever is editing.

The schema names its parts for a professional reading the whole plan ("About me", "Crisis and
contingency plan", in the schema's order). The person and their carer come to the editor to add
their own words, so their task list starts with those and names each part as they would: "My own
words", "In a crisis". The team sees the schema's own names and order. A part not listed here is
shown with its schema title, after these, so a new part of the schema is never left out.
"""

from __future__ import annotations

#: part key -> (the person's words, the carer's words with {name} for the person), in the order
#: the person and the carer see them.
READER_PARTS: dict[str, tuple[str, str]] = {
    "about_me": ("My own words", "{name}'s own words"),
    "wellbeing": ("My mind, my body and my life", "{name}'s mind, body and life"),
    "goals": ("My goals", "{name}'s goals"),
    "crisis": ("In a crisis", "In a crisis"),
    "health_checks": ("My health checks", "{name}'s health checks"),
    "medications": ("My medicines", "{name}'s medicines"),
    "actions": ("Who is doing what", "Who is doing what"),
    "appointments": ("My appointments", "{name}'s appointments"),
    "requests": ("Things asked of other services", "Things asked of other services"),
    "carers": ("My carers", "Me as a carer"),
    "care_team": ("My care team", "{name}'s care team"),
    "sharing": ("Who sees what", "Who sees what"),
    "consent": ("What I have agreed to share", "What {name} has agreed to share"),
    "person": ("My details", "{name}'s details"),
    "reviews": ("My reviews", "{name}'s reviews"),
}


#: What each part holds, said to the person (the schema's own words speak of "the person").
PERSON_HINTS: dict[str, str] = {
    "about_me": "About you, what matters to you and what a good day looks like, in your words.",
    "wellbeing": "How your mind, your body and the rest of your life are going. Each matters as much.",
    "goals": "What you want to achieve, and how it is going.",
    "crisis": "What to do, and who to call, if things get difficult.",
    "health_checks": "Checks such as weight, blood pressure and blood tests, with their results.",
    "medications": "Your medicines, what they are for, and how you feel on them.",
    "actions": "Who will do what for your plan, and by when.",
    "appointments": "Appointments that are booked for you.",
    "requests": "What one service asked another to do, such as blood tests, and whether it happened.",
    "carers": "The people who care for you, and what you agree to share with them.",
    "care_team": "Everyone involved in your care.",
    "sharing": "Which parts of your plan your carer and your GP can read.",
    "consent": "Each time you agreed, or stopped agreeing, to share part of your plan.",
    "person": "Your name, how you like to be contacted, and other details.",
    "reviews": "Your review meetings, and when the next one is due.",
}


def part_hint(key: str, schema_hint: str, kind: str) -> str:
    """What a part holds, said to this reader."""
    return PERSON_HINTS.get(key, schema_hint) if kind == "person" else schema_hint


def part_title(key: str, schema_title: str, kind: str, name: str) -> str:
    """What a part is called for this reader (kind: person, carer, gp or team)."""
    words = READER_PARTS.get(key)
    if words is None or kind not in ("person", "carer"):
        return schema_title
    return (words[0] if kind == "person" else words[1]).format(name=name)


def part_order(keys: list[str], kind: str) -> list[str]:
    """The parts in the order this reader meets them."""
    if kind not in ("person", "carer"):
        return keys
    known = [k for k in READER_PARTS if k in keys]
    return known + [k for k in keys if k not in READER_PARTS]

"""Make a synthetic workspace: N realistic plans, each with M recorded edits.

Every plan starts from a believable care team and plan, then changes the way real
plans do: a nurse adds a blood pressure result, the key worker moves an action on,
the person adds a goal, the psychiatrist changes a dose, the carer records a worry,
and every few edits the team holds a review. Each edit is one git commit whose
author is the person who made it and whose message carries the same trailers that
``wellplan record`` / ``wellplan review`` write (``Plan-Role``, ``Plan-Review``).

The whole history is written by one ``git fast-import`` process, so 1,000 plans
with 20 edits each (21,001 commits) take seconds, not minutes. Everything comes
from seeded random generators and fixed dates: the same arguments give the same
files and the same commit ids.

    python bench/generate.py OUT [--plans N] [--edits M] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

#: Every edit and review is dated from here; nothing depends on the clock.
EPOCH = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
#: A review every this many edits (the 5th, 10th, ... edit of each plan).
REVIEW_EVERY = 5
#: "Today" for checking generated plans: after every generated date.
MODELINE = "# yaml-language-server: $schema=../schema/wellbeing-plan.schema.json\n"
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "HOME": "/nonexistent",
    "LC_ALL": "C",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
}

FIRST = (
    "Alex Sam Jordan Priya Mohammed Aisha Tom Grace Daniel Chloe Kwame Niamh Oliver Fatima "
    "Ravi Megan Lewis Amara Connor Zainab Hannah Tariq Ellie Joseph Leah Marek Sofia Dylan "
    "Bethany Yusuf Kerry Owen Siobhan Nathan Chantelle Ibrahim Lucy Adebayo Rosie Callum"
).split()
LAST = (
    "Morgan Lee Okafor Shah Khan Evans Walsh Patel Hughes Reid Mensah Byrne Clarke Ahmed "
    "Nowak Taylor Singh Murphy Campbell Hussain Wright Bennett Kowalski Osei Doyle Fraser "
    "Rahman Price Lewis Jones Davies Thomas Roberts Begum Kaur Wood Turner Ali Hall Green"
).split()
TEAMS = (
    "Riverside Community Mental Health Team",
    "Northgate Community Mental Health Team",
    "Eastfield Early Intervention in Psychosis Team",
    "Millbrook Recovery Team",
)
SURGERIES = ("Park Lane Surgery", "High Street Medical Centre", "Canal Side Practice")

MEDICINES = (
    (
        "Clozapine",
        ("200 mg at night", "250 mg at night", "300 mg at night", "350 mg at night"),
        "To keep the voices quieter.",
        "Blood tests every 4 weeks.",
    ),
    (
        "Olanzapine",
        ("5 mg at night", "10 mg at night", "15 mg at night"),
        "To help me sleep and keep my thoughts clear.",
        "Weight and blood sugar every 3 months.",
    ),
    (
        "Aripiprazole",
        ("5 mg in the morning", "10 mg in the morning", "15 mg in the morning"),
        "To keep my mood and thoughts steady.",
        "Weight and blood pressure every 6 months.",
    ),
    (
        "Lithium carbonate",
        ("400 mg at night", "600 mg at night", "800 mg at night"),
        "To keep my mood level.",
        "Lithium level, kidney and thyroid tests every 3 months.",
    ),
    (
        "Sertraline",
        ("50 mg in the morning", "100 mg in the morning"),
        "For low mood and worry.",
        "Review after 6 weeks.",
    ),
    (
        "Metformin",
        ("500 mg twice a day", "1 g twice a day"),
        "To bring my blood sugar down.",
        "HbA1c every 6 months.",
    ),
)
SIDE_EFFECTS = (
    "I feel hungry all the time and I have put on weight.",
    "I dribble at night and I feel sleepy in the mornings.",
    "My hands shake a bit when I am tired.",
    "I get a dry mouth and I drink a lot of fizzy drinks.",
    "I feel slowed down, like I am walking through mud.",
)
CHECKS = (
    ("weight", "kg", 55.0, 120.0, None),
    ("blood_pressure", "mmHg", None, None, None),
    ("hba1c", "mmol/mol", 34.0, 60.0, (20, 48)),
    ("cholesterol", "mmol/L", 3.5, 7.5, (2, 5)),
    ("pulse", "beats a minute", 55.0, 105.0, (50, 100)),
    ("waist", "cm", 75.0, 120.0, None),
    ("smoking", None, None, None, None),
    ("alcohol", None, None, None, None),
)
SMOKING = (
    "Smokes about 20 a day.",
    "Smokes about 15 a day.",
    "Smokes about 10 a day.",
    "Smokes 5 a day and uses a vape.",
    "Stopped smoking; using patches.",
)
ALCOHOL = ("About 6 units a week.", "No alcohol.", "About 14 units a week.", "Drinks at weekends only.")
CONCERNS = {
    "mental_health": (
        "The voices get louder when I am stressed about money.",
        "I stop sleeping before I become unwell.",
        "I worry about going back into hospital.",
        "My mood drops in the winter.",
        "I feel on edge when I am around lots of people.",
    ),
    "physical_health": (
        "I have put on a lot of weight since starting my medication.",
        "I get out of breath on the stairs.",
        "I want to stop smoking but it helps me cope.",
        "Nobody has checked my heart for a long time.",
        "My teeth hurt and I have not seen a dentist in years.",
        "I am thirsty all the time and I need the toilet a lot.",
    ),
    "life": (
        "I am behind with the rent.",
        "I feel lonely at weekends.",
        "I would like to get back to work.",
        "Filling in benefit forms makes me anxious.",
        "I want to see my children more often.",
    ),
}
OWN_WORDS = {
    "mental_health": (
        "Most days are OK now. The bad days come when I stop sleeping.",
        "I have been steady since the summer, but I still hear the voices when I am tired.",
        "My mood goes up and down. I know my warning signs better than I used to.",
        "I feel more like myself this year. I want to keep it that way.",
    ),
    "physical_health": (
        "I get tired quickly and my clothes do not fit any more.",
        "I feel heavy and slow. I would like to be fitter.",
        "My body has changed a lot since I started the tablets.",
        "I smoke more when I am bored. I know it is not good for my chest.",
    ),
    "life": (
        "I live on my own in a flat. My sister visits on Sundays.",
        "I live with my mum. We get on most of the time.",
        "I go to the allotment group on Tuesdays and I like it.",
        "Money is tight but I manage with help from the benefits adviser.",
    ),
}
GOALS = {
    "mental_health": (
        "Sleep through the night most nights.",
        "Go a year without a hospital stay.",
        "Learn what to do when the voices get loud.",
    ),
    "physical_health": (
        "Swim once a week.",
        "Walk to the shops instead of taking the bus.",
        "Cut down to five cigarettes a day.",
        "Lose a stone by the summer.",
        "See a dentist this year.",
        "Cook a proper meal three times a week.",
    ),
    "life": (
        "Start a college course.",
        "Do some volunteering.",
        "Sort out my debts.",
        "See my friends every week.",
    ),
}
WHY = (
    "So I feel better in myself.",
    "So I can keep up with my kids.",
    "Because I want to be around for a long time.",
    "It gives me something to look forward to.",
)
ACTIONS = (
    ("Book a full physical health check with the practice nurse.", "physical_health"),
    ("Refer to the stop smoking service.", "physical_health"),
    ("Find a swimming session with a quiet time.", "physical_health"),
    ("Ask the GP for bloods (lipids and HbA1c) and an ECG.", "physical_health"),
    ("Help fill in the benefit review form.", "life"),
    ("Look at sleep hygiene together.", "mental_health"),
    ("Arrange a medication review.", "mental_health"),
    ("Put in a referral to the healthy eating group.", "physical_health"),
    ("Find out about volunteering at the food bank.", "life"),
)
NEXT_STATUS = {
    "not-started": "scheduled",
    "scheduled": "in-progress",
    "in-progress": "completed",
    "on-hold": "in-progress",
}
REQUEST_NEXT = {"requested": "booked", "booked": "done", "done": "result-received"}
WARNING_SIGNS = (
    "I stop sleeping.",
    "I stop answering my phone.",
    "I stop eating properly.",
    "I think people on the TV are talking about me.",
    "I spend a lot of money.",
)
HELPS = (
    "Talking to my sister.",
    "A walk by the canal.",
    "Someone checking in by text.",
    "Being left quiet for a while.",
    "Music in my headphones.",
)
NOT_HELPS = (
    "Being told to calm down.",
    "Lots of people in the room.",
    "Being asked the same questions again and again.",
)
COMMENTS = (
    "I felt listened to this time.",
    "I want my weight taken seriously, not just my mood.",
    "It helped that my carer was there.",
    "I would like the GP and the team to talk to each other more.",
    "I understand my medication better now.",
)
PROGRESS = (
    "Went twice this month.",
    "Harder this month; I was not well.",
    "Getting there slowly.",
    "Went once with my support worker.",
)


@dataclass
class Member:
    """Someone in a plan's care team (or the person themselves, as ``me``)."""

    id: str
    name: str
    role: str
    email: str


@dataclass
class Edit:
    """One recorded change: who made it, in what role, and the one-line summary."""

    author: Member
    summary: str
    review_id: str | None = None


@dataclass
class PlanState:
    """A plan as it stands, with what the generator needs to keep changing it."""

    plan_id: str
    data: dict[str, Any]
    me: Member
    team: list[Member]
    rng: random.Random
    counters: dict[str, int] = field(default_factory=dict)

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}-{self.counters[prefix]}"

    def member(self, *roles: str) -> Member:
        """The first team member holding one of roles (in order of preference)."""
        for role in roles:
            for m in self.team:
                if m.role == role:
                    return m
        return self.key_worker

    @property
    def key_worker(self) -> Member:
        kw = next(m for m in self.data["care_team"] if m.get("key_worker"))
        return next(m for m in self.team if m.id == kw["id"])


# --------------------------------------------------------------------- YAML text


_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _@,.;'()/+?-]*[A-Za-z0-9.)?]$|^[A-Za-z]$")
_NUMBER = re.compile(r"^[-+]?[0-9][0-9_]*(\.[0-9]*)?([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RESERVED = {"yes", "no", "y", "n", "true", "false", "on", "off", "null"}


def _scalar(value: Any) -> str:
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _DATE.match(text):
        return text
    if _PLAIN.match(text) and text.lower() not in _RESERVED and ": " not in text and not _NUMBER.match(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def dump_yaml(data: dict[str, Any]) -> str:
    """Block-style YAML as a person would write it (fast, and the same every time)."""
    lines: list[str] = []
    _emit_mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def _emit_mapping(data: dict[str, Any], indent: int, lines: list[str], first_prefix: str = "") -> None:
    pad = " " * indent
    for n, (key, value) in enumerate(data.items()):
        lead = first_prefix if n == 0 and first_prefix else pad
        if isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            _emit_mapping(value, indent + 2, lines)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{lead}{key}:")
            for item in value:
                _emit_mapping(item, indent + 4, lines, first_prefix=" " * (indent + 2) + "- ")
        elif isinstance(value, list):
            lines.append(f"{lead}{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")


def plan_text(state: PlanState) -> str:
    return MODELINE + dump_yaml(state.data)


# --------------------------------------------------------------------- plans


def nhs_number(rng: random.Random) -> str:
    """A fictional NHS number (the 999 range is set aside for testing) with a valid check digit."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            d = "".join(map(str, digits + [check]))
            return f"{d[:3]} {d[3:6]} {d[6:]}"


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def _member(rng: random.Random, role: str, domain: str, taken: set[str]) -> Member:
    first, last = _name(rng)
    base = f"{first}-{last}".lower()
    mid, n = base, 2
    while mid in taken or mid == "me":
        mid, n = f"{base}-{n}", n + 1
    taken.add(mid)
    return Member(mid, f"{first} {last}", role, f"{first}.{last}@{domain}".lower())


def _day(when: datetime) -> str:
    return when.date().isoformat()


def new_plan(index: int, seed: int, created: datetime) -> PlanState:
    """A believable first version of plan number ``index``."""
    rng = random.Random(f"wellplan-bench:{seed}:{index}")
    first, last = _name(rng)
    plan_id = f"{first}-{last}-{index + 1:05d}".lower()
    me = Member("me", f"{first} {last}", "person", f"{first}.{last}.{index + 1}@example.org".lower())
    taken: set[str] = set()
    team = [
        _member(rng, rng.choice(("care-coordinator", "mental-health-nurse")), "example.nhs.uk", taken),
        _member(rng, "psychiatrist", "example.nhs.uk", taken),
        _member(rng, "gp", "example-surgery.nhs.uk", taken),
        _member(rng, "practice-nurse", "example-surgery.nhs.uk", taken),
    ]
    if rng.random() < 0.7:
        team.append(_member(rng, "carer", "example.org", taken))
    if rng.random() < 0.4:
        team.append(
            _member(
                rng,
                rng.choice(("support-worker", "pharmacist", "occupational-therapist")),
                "example.nhs.uk",
                taken,
            )
        )
    cmht, surgery = rng.choice(TEAMS), rng.choice(SURGERIES)
    since = _day(created - timedelta(days=rng.randrange(60, 900)))
    care_team = []
    for n, m in enumerate(team):
        entry: dict[str, Any] = {"id": m.id, "name": m.name, "role": m.role}
        if m.role != "carer":
            entry["organisation"] = surgery if m.role in ("gp", "practice-nurse") else cmht
            entry["phone"] = f"0300 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
            entry["email"] = m.email
        else:
            entry["phone"] = f"07700 {rng.randrange(900000, 900999)}"
        entry["since"] = since
        if n == 0:
            entry["key_worker"] = True
        care_team.append(entry)
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 42))
    data: dict[str, Any] = {
        "schema_version": 2,
        "person": {
            "name": me.name,
            "preferred_name": first,
            "pronouns": rng.choice(("she/her", "he/him", "they/them")),
            "date_of_birth": born.isoformat(),
            "nhs_number": nhs_number(rng),
            "communication": {"easy_read": rng.random() < 0.2, "large_print": rng.random() < 0.15},
            "contact_preferences": rng.choice(
                (
                    "Text me first; I do not answer unknown numbers.",
                    "Phone in the afternoon.",
                    "Letters are fine.",
                )
            ),
        },
        "sharing": {
            "carer": ["care_team", "crisis", "carers", "goals"],
            "gp": ["care_team", "goals", "actions", "health_checks", "medications", "requests", "reviews"],
        },
        "care_team": care_team,
        "about_me": {
            "in_my_own_words": rng.choice(
                (
                    "I am a quiet person. I like music, my cat and long walks.",
                    "I used to work in a warehouse. I would like to work again one day.",
                    "I love cooking for people, when I have the energy.",
                    "Family matters most to me. I am a dad of two.",
                )
            ),
            "what_matters_to_me": rng.choice(
                (
                    "My family and my flat.",
                    "Staying out of hospital.",
                    "Being treated like a person, not a diagnosis.",
                )
            ),
            "a_good_day": "I get up before ten, go for a walk and talk to someone.",
            "strengths": [
                {
                    "id": "strength-1",
                    "text": rng.choice(
                        ("I am a good listener.", "I keep going when it is hard.", "I am good with animals.")
                    ),
                }
            ],
        },
        "wellbeing": {},
    }
    state = PlanState(plan_id, data, me, team, rng)
    state.counters["strength"] = 1
    for area in ("mental_health", "physical_health", "life"):
        concerns = rng.sample(CONCERNS[area], 2)
        data["wellbeing"][area] = {
            "in_my_own_words": rng.choice(OWN_WORDS[area]),
            "concerns": [{"id": state.next_id("concern"), "text": t} for t in concerns],
        }
    carer = state.member("carer") if any(m.role == "carer" for m in team) else None
    if carer:
        data["wellbeing"]["life"]["other_views"] = [
            {
                "id": state.next_id("view"),
                "by": carer.id,
                "text": "I think things are harder at home than they say.",
            }
        ]
    data["goals"] = []
    for area in ("physical_health", "mental_health"):
        _add_goal(state, area, "me", created)
    data["actions"] = []
    for what, area in rng.sample(ACTIONS, 3):
        data["actions"].append(
            {
                "id": state.next_id("action"),
                "what": what,
                "owner": rng.choice((state.key_worker.id, state.member("gp").id, "me")),
                "due": _day(created + timedelta(days=rng.randrange(30, 120))),
                "status": rng.choice(("not-started", "scheduled", "in-progress")),
                "goal": data["goals"][0]["id"],
                "area": area,
            }
        )
    nurse = state.member("practice-nurse")
    data["health_checks"] = []
    for kind, unit, _lo, _hi, agreed in CHECKS:
        check: dict[str, Any] = {"id": kind.replace("_", "-"), "kind": kind}
        if unit:
            check["unit"] = unit
        if agreed:
            check["range"] = {"low": agreed[0], "high": agreed[1]}
        check["results"] = [_result(state, kind, created - timedelta(days=rng.randrange(20, 200)), nurse.id)]
        check["next_due"] = _day(created + timedelta(days=rng.randrange(60, 300)))
        check["responsible"] = nurse.id
        data["health_checks"].append(check)
    data["health_checks"][0]["in_my_own_words"] = "I do not like being weighed, but I want to know."
    medicine = rng.sample(MEDICINES, 2)
    prescriber = state.member("psychiatrist")
    data["medications"] = [
        {
            "id": name.lower().split()[0],
            "name": name,
            "dose": doses[0],
            "purpose": purpose,
            "prescriber": prescriber.id if name != "Metformin" else state.member("gp").id,
            "started": _day(created - timedelta(days=rng.randrange(100, 1500))),
            "monitoring": monitoring,
            "side_effects": rng.choice(SIDE_EFFECTS),
            "side_effects_explained": rng.random() < 0.5,
        }
        for name, doses, purpose, monitoring in medicine
    ]
    data["requests"] = [
        {
            "id": state.next_id("request"),
            "what": "Bloods (lipids, HbA1c) and an ECG.",
            "from": state.key_worker.id,
            "to": state.member("gp").id,
            "asked_on": _day(created - timedelta(days=rng.randrange(1, 30))),
            "status": "requested",
        }
    ]
    data["crisis"] = {
        "early_warning_signs": [
            {"id": state.next_id("sign"), "text": t} for t in rng.sample(WARNING_SIGNS, 2)
        ],
        "what_helps": [{"id": state.next_id("helps"), "text": t} for t in rng.sample(HELPS, 2)],
        "what_does_not_help": [{"id": state.next_id("not-helps"), "text": rng.choice(NOT_HELPS)}],
        "contacts": [
            {"id": "key-worker", "name": state.key_worker.name, "phone": "0300 555 0100", "when": "day"},
            {
                "id": "crisis-line",
                "name": "Crisis line",
                "phone": "0800 555 0199",
                "when": "any-time",
                "notes": "Open every day, all night.",
            },
        ],
        "advance_statement": {
            "text": "If I become very unwell I would like my sister told, and no depot injection."
        },
    }
    if carer:
        data["carers"] = [
            {
                "id": "carer-1",
                "member": carer.id,
                "their_role": "I help with shopping and appointments.",
                "agreed_to_share": "My crisis plan and my appointments.",
                "their_needs": "A break now and then.",
                "assessment": {"offered": rng.random() < 0.5},
            }
        ]
    data["reviews"] = []
    return state


def _add_goal(state: PlanState, area: str, by: str, when: datetime) -> dict[str, Any]:
    rng = state.rng
    taken = {g["what"] for g in state.data["goals"]}
    choices = [g for g in GOALS[area] if g not in taken] or list(GOALS[area])
    goal = {
        "id": state.next_id("goal"),
        "area": area,
        "what": rng.choice(choices),
        "why_it_matters": rng.choice(WHY),
        "expressed_by": by,
        "target_date": _day(when + timedelta(days=rng.randrange(90, 300))),
        "status": "active",
    }
    state.data["goals"].append(goal)
    return goal


def _result(state: PlanState, kind: str, when: datetime, by: str) -> dict[str, Any]:
    rng = state.rng
    result: dict[str, Any] = {"id": state.next_id(kind.replace("_", "-")), "date": _day(when)}
    spec = next(c for c in CHECKS if c[0] == kind)
    if kind == "blood_pressure":
        result["systolic"] = rng.randrange(105, 165)
        result["diastolic"] = rng.randrange(65, 100)
    elif kind == "smoking":
        result["reading"] = rng.choice(SMOKING)
    elif kind == "alcohol":
        result["reading"] = rng.choice(ALCOHOL)
    else:
        result["value"] = round(rng.uniform(spec[2], spec[3]), 1)
    result["by"] = by
    return result


# --------------------------------------------------------------------- edits


def add_result(state: PlanState, when: datetime) -> Edit:
    check = state.rng.choice(state.data["health_checks"])
    nurse = state.member("practice-nurse", "gp")
    check["results"].append(_result(state, check["kind"], when, nurse.id))
    check["next_due"] = _day(when + timedelta(days=state.rng.choice((91, 182, 365))))
    label = check["kind"].replace("_", " ").replace("hba1c", "HbA1c")
    return Edit(nurse, f"Add a {label} result")


def move_action(state: PlanState, when: datetime) -> Edit:
    open_actions = [a for a in state.data["actions"] if a["status"] in NEXT_STATUS]
    if not open_actions:
        return add_action(state, when)
    action = state.rng.choice(open_actions)
    action["status"] = NEXT_STATUS[action["status"]]
    who = next((m for m in state.team if m.id == action["owner"]), None) or (
        state.me if action["owner"] == "me" else state.key_worker
    )
    return Edit(who, f"Mark the action '{action['what'][:40].rstrip()}' as {action['status']}")


def add_action(state: PlanState, when: datetime) -> Edit:
    what, area = state.rng.choice(ACTIONS)
    kw = state.key_worker
    state.data["actions"].append(
        {
            "id": state.next_id("action"),
            "what": what,
            "owner": kw.id,
            "due": _day(when + timedelta(days=state.rng.randrange(14, 90))),
            "status": "not-started",
            "goal": state.data["goals"][-1]["id"],
            "area": area,
        }
    )
    return Edit(kw, "Add an action")


def add_goal(state: PlanState, when: datetime) -> Edit:
    area = state.rng.choice(("physical_health", "mental_health", "life"))
    goal = _add_goal(state, area, "me", when)
    return Edit(state.me, f"Add my goal '{goal['what']}'")


def change_dose(state: PlanState, when: datetime) -> Edit:
    med = state.rng.choice(state.data["medications"])
    doses = next(m[1] for m in MEDICINES if m[0] == med["name"])
    others = [d for d in doses if d != med["dose"]]
    old, med["dose"] = med["dose"], state.rng.choice(others)
    who = state.member("gp") if med["name"] == "Metformin" else state.member("psychiatrist")
    return Edit(who, f"Change {med['name']} from {old} to {med['dose']}")


def add_concern(state: PlanState, when: datetime) -> Edit:
    area = state.rng.choice(("mental_health", "physical_health", "life"))
    carer = next((m for m in state.team if m.role == "carer"), None)
    who = carer if carer and state.rng.random() < 0.6 else state.me
    text = state.rng.choice(CONCERNS[area])
    state.data["wellbeing"][area]["concerns"].append({"id": state.next_id("concern"), "text": text})
    return Edit(who, f"Add a worry about {area.replace('_', ' ')}")


def add_progress(state: PlanState, when: datetime) -> Edit:
    goal = state.rng.choice(state.data["goals"])
    goal.setdefault("progress", []).append(
        {
            "id": state.next_id("note"),
            "date": _day(when),
            "by": "me",
            "text": state.rng.choice(PROGRESS),
        }
    )
    return Edit(state.me, f"Add progress on '{goal['what']}'")


def move_request(state: PlanState, when: datetime) -> Edit:
    open_requests = [r for r in state.data["requests"] if r["status"] in REQUEST_NEXT]
    gp = state.member("gp")
    if not open_requests:
        state.data["requests"].append(
            {
                "id": state.next_id("request"),
                "what": "Repeat lipids and HbA1c.",
                "from": state.key_worker.id,
                "to": gp.id,
                "asked_on": _day(when),
                "status": "requested",
            }
        )
        return Edit(state.key_worker, "Ask the GP for repeat bloods")
    request = state.rng.choice(open_requests)
    request["status"] = REQUEST_NEXT[request["status"]]
    if request["status"] == "done":
        request["done_on"] = _day(when)
    if request["status"] == "result-received":
        request["result"] = "Results sent to the team; cholesterol a little high."
    return Edit(gp, f"Update the request '{request['what'][:30].rstrip()}' to {request['status']}")


def hold_review(state: PlanState, when: datetime) -> Edit:
    day = _day(when)
    review_id = f"review-{day}"
    carer = next((m for m in state.team if m.role == "carer"), None)
    attended = ["me", state.key_worker.id] + ([carer.id] if carer else [])
    if state.rng.random() < 0.5:
        attended.append(state.member("psychiatrist").id)
    rating = state.rng.randrange
    involvement = [
        {
            "id": state.next_id("feedback"),
            "by": "me",
            "working_together": rating(2, 6),
            "trust": rating(2, 6),
            "living_plan": rating(1, 6),
            "body_and_mind": rating(1, 6),
            "joined_up": rating(1, 5),
            "about_me": rating(2, 6),
        }
    ]
    if carer:
        involvement.append(
            {
                "id": state.next_id("feedback"),
                "by": carer.id,
                "working_together": rating(1, 6),
                "comment": "I felt included this time.",
            }
        )
    state.data["reviews"].append(
        {
            "id": review_id,
            "date": day,
            "attended": attended,
            "my_comments": state.rng.choice(COMMENTS),
            "next_review_due": (due := _day(when + timedelta(days=state.rng.choice((91, 122, 182))))),
            "involvement": involvement,
        }
    )
    summary = f"Review on {_long_date(day)}; next review due {_long_date(due)}"
    return Edit(state.key_worker, summary, review_id=review_id)


def _long_date(day: str) -> str:
    """'2024-03-01' -> '1 March 2024', as the review commits of builder/record.py say it."""
    when = date.fromisoformat(day)
    return f"{when.day} {when:%B} {when.year}"


#: The everyday edits, with how often each happens.
EDITS: tuple[tuple[Callable[[PlanState, datetime], Edit], int], ...] = (
    (add_result, 4),
    (move_action, 3),
    (change_dose, 1),
    (add_goal, 1),
    (add_concern, 2),
    (add_progress, 2),
    (move_request, 1),
    (add_action, 1),
)


def make_edit(state: PlanState, number: int, edits: int, when: datetime) -> Edit:
    """Edit number ``number`` (1-based) of ``edits``: a review every REVIEW_EVERY edits (or last)."""
    if number % REVIEW_EVERY == 0 or (edits < REVIEW_EVERY and number == edits):
        return hold_review(state, when)
    kinds, weights = zip(*EDITS, strict=True)
    return state.rng.choices(kinds, weights)[0](state, when)


# --------------------------------------------------------------------- git


def commit_message(summary: str, role: str, review_id: str | None = None,
                   plan_id: str | None = None) -> str:
    """The message builder/record.py writes: a summary, a blank line, then the trailers."""
    trailers = [f"Plan-Id: {plan_id}"] if plan_id else []
    trailers.append(f"Plan-Role: {role}")
    if review_id:
        trailers.append(f"Plan-Review: {review_id}")
    return f"{summary}\n\n" + "\n".join(trailers) + "\n"


@dataclass
class Workspace:
    """What was generated: where, how many plans and commits, and the plans' ids."""

    path: Path
    plan_ids: list[str]
    commits: int
    last_commit_time: datetime


def schedule(plans: int, edits: int, seed: int) -> list[tuple[datetime, int, int]]:
    """When each plan is started (edit 0) and edited: (time, plan index, edit number), in order."""
    rng = random.Random(f"wellplan-bench-schedule:{seed}")
    events = []
    for index in range(plans):
        when = EPOCH + timedelta(minutes=7 * index)
        events.append((when, index, 0))
        for number in range(1, edits + 1):
            when += timedelta(days=rng.randrange(7, 35), minutes=rng.randrange(0, 480))
            events.append((when, index, number))
    events.sort()
    return events


def generate(out: Path, plans: int = 1000, edits: int = 20, seed: int = 0,
             merges: float = 0.0, folders: bool = False) -> Workspace:
    """Make a git workspace at out (which must not exist or be empty) with the given history.

    ``merges``: the share of edits made in another clone and brought in by a merge commit
    (as ``git pull`` makes one), e.g. 0.1 for one edit in ten. ``folders``: each plan in its
    folder (plans/da/n-/dan-okafor-00001.yaml), as a new workspace keeps them; else in plans/."""
    from builder.workspace import plan_folder

    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"{out} is not empty; give a new folder.")
    git(out, "init", "-q", "-b", "main")
    states: dict[int, PlanState] = {}
    events = schedule(plans, edits, seed)
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=out, stdin=subprocess.PIPE, env=GIT_ENV
    )
    assert proc.stdin is not None
    stream = proc.stdin
    first_when = events[0][0] - timedelta(minutes=1) if events else EPOCH
    _write_commit(
        stream,
        "Wellbeing plans",
        "plans@example.nhs.uk",
        first_when,
        "Start the wellbeing plans workspace\n",
        {".gitignore": b"/site/\n/.cache/\n"},
    )
    every = round(1 / merges) if merges > 0 else 0
    marks = iter(range(1, 1 << 40))
    tip = side = None  # main's last commit, and an edit made in another clone (its mark, files)
    merged = 0
    for place, (when, index, number) in enumerate(events):
        if number == 0:
            state = states[index] = new_plan(index, seed, when)
            edit = Edit(state.key_worker, "Started this plan.")
        else:
            state = states[index]
            edit = make_edit(state, number, edits, when)
        message = commit_message(edit.summary, edit.author.role, edit.review_id, state.plan_id)
        where = f"plans/{plan_folder(state.plan_id)}/" if folders else "plans/"
        files = {f"{where}{state.plan_id}.yaml": plan_text(state).encode()}
        mark = next(marks)
        if side is not None and side[1].keys() == files.keys():
            tip, side = _merge(stream, next(marks), tip, side, when), None  # pulled before editing
            merged += 1
        if every and side is None and tip is not None and place % every == 0:
            # Made in another clone from main as it was; merged after main's next edit.
            _write_commit(stream, edit.author.name, author_email(edit.author.name), when, message,
                          files, ref="refs/heads/other-clone", mark=mark, parent=tip)
            side = (mark, files)
            continue
        _write_commit(stream, edit.author.name, author_email(edit.author.name), when, message, files,
                      mark=mark)
        tip = mark
        if side is not None:
            tip, side = _merge(stream, next(marks), tip, side, when), None
            merged += 1
    if side is not None:
        tip = _merge(stream, next(marks), tip, side, events[-1][0])
        merged += 1
    stream.write(b"done\n")
    stream.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    git(out, "read-tree", "-u", "--reset", "HEAD")
    last = events[-1][0] if events else first_when
    return Workspace(out, sorted(s.plan_id for s in states.values()), len(events) + 1 + merged, last)


def _merge(stream: Any, mark: int, tip: int | None, side: tuple[int, dict[str, bytes]],
           when: datetime) -> int:
    """A merge commit on main bringing in another clone's edit, as ``git pull`` makes one."""
    _write_commit(stream, "Wellbeing plans", "plans@example.nhs.uk", when + timedelta(seconds=1),
                  "Merge the edits made in another clone\n", side[1], mark=mark, parent=tip,
                  merge=side[0])
    return mark


def _write_commit(
    stream: Any, name: str, email: str, when: datetime, message: str, files: dict[str, bytes],
    ref: str = "refs/heads/main", mark: int | None = None, parent: int | None = None,
    merge: int | None = None,
) -> None:
    stamp = f"{int(when.timestamp())} +0000"
    msg = message.encode()
    parts = [
        f"commit {ref}\n".encode(),
        f"mark :{mark}\n".encode() if mark else b"",
        f"author {name} <{email}> {stamp}\ncommitter {name} <{email}> {stamp}\n".encode(),
        b"data %d\n" % len(msg),
        msg,
        f"from :{parent}\n".encode() if parent else b"",
        f"merge :{merge}\n".encode() if merge else b"",
    ]
    for path, content in files.items():
        parts.append(f"M 100644 inline {path}\n".encode())
        parts.append(b"data %d\n" % len(content))
        parts.append(content)
        parts.append(b"\n")
    stream.write(b"".join(parts))


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env={**GIT_ENV, **(env or {})}
    ).stdout


def record_one_more_edit(workspace: Path, plan_id: str, seed: int = 0, number: int = 10_001) -> Edit:
    """Make one more realistic edit to a plan and commit it the way ``wellplan record`` would.

    The plan's generator state is rebuilt from its current file, so this works on any
    generated workspace. Used by the benchmark's incremental-build measurement.
    """
    from builder.plan.load import load_plan
    from builder.record.record import record_edit
    from builder.workspace import plan_file

    path = plan_file(workspace, plan_id)  # in plans/ or in its folder
    loaded = load_plan(path)
    index = int(plan_id.rsplit("-", 1)[1]) - 1
    state = new_plan(index, seed, EPOCH)
    state.data = loaded.data
    state.rng = random.Random(f"wellplan-bench-extra:{seed}:{index}:{number}")
    state.counters = {k: 1000 + number for k in ("note", "concern", "goal", "action", "request")}
    for kind, *_ in CHECKS:
        state.counters[kind.replace("_", "-")] = 1000 + number
    last = git(workspace, "log", "-1", "--format=%at").strip()
    when = datetime.fromtimestamp(int(last), UTC) + timedelta(days=1)
    edit = add_result(state, when)
    path.write_text(plan_text(state), encoding="utf-8")
    record_edit(
        workspace, plan_id, name=edit.author.name, role=edit.author.role, message=edit.summary, when=when
    )
    return edit


def author_email(name: str) -> str:
    """The address builder/record.py gives a person who records an edit."""
    slug = re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".") or "someone"
    return f"{slug}@wellbeing-plans.invalid"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a new (or empty) folder for the workspace")
    parser.add_argument("--plans", type=int, default=1000, help="how many plans (default 1000)")
    parser.add_argument("--edits", type=int, default=20, help="recorded edits per plan (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="change for a different workspace")
    parser.add_argument("--merges", type=float, default=0.0,
                        help="share of edits made in another clone and merged in (e.g. 0.1)")
    parser.add_argument("--folders", action="store_true",
                        help="keep each plan in its folder (plans/da/n-/...), as a new workspace does")
    args = parser.parse_args(argv)
    ws = generate(args.out, args.plans, args.edits, args.seed, args.merges, args.folders)
    print(f"Made {len(ws.plan_ids)} plans with {ws.commits} commits in {ws.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

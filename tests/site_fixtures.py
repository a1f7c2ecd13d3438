"""Workspaces for the site tests: realistic plans with a recorded history, hostile text, canaries.

Every plan here is valid per the schema; its history is recorded through the same
``builder.record.record`` functions people use, with fixed dates, so pages are the same
on every run.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.record.record import record_edit, record_review
from tests.history_fixtures import make_workspace

TODAY = date(2026, 11, 26)

#: Text that must never become markup or run; each must show exactly as typed.
PAYLOADS = (
    '<script>alert("xss-script")</script>',
    '<img src=x onerror=alert("xss-img")>',
    '[click me](javascript:alert("xss-link"))',
    "{{ config.site_name }} {% if true %}jinja{% endif %}",
    '"><svg onload=alert("xss-svg")>',
)

#: Canary strings and the audiences allowed to see each one.
CANARIES = {
    "CANARY-PERSONTEAM-1": {"person", "team"},
    "CANARY-MEDS-3": {"person", "gp", "team"},
    "CANARY-HIDDENMEMBER-4": {"team"},
    "CANARY-REMOVED-5": {"person", "team"},
}


def when(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 30, tzinfo=UTC)


def alex_plan() -> dict[str, Any]:
    """A full plan: every part of the schema, with canaries in restricted items."""
    return {
        "schema_version": 2,
        "person": {
            "name": "Alex Morgan",
            "preferred_name": "Alex",
            "pronouns": "they/them",
            "date_of_birth": "1988-05-02",
            "nhs_number": "943 476 5919",
            "communication": {"easy_read": False, "large_print": True, "language": "English"},
            "contact_preferences": "Text me first, please.",
        },
        "sharing": {"carer": ["care_team", "crisis", "carers", "goals", "actions"]},
        "care_team": [
            {"id": "priya", "name": "Priya Shah", "role": "care-coordinator", "key_worker": True,
             "organisation": "Riverside CMHT", "phone": "01632 960 114", "since": "2024-02-01"},
            {"id": "dr-khan", "name": "Dr Omar Khan", "role": "psychiatrist", "since": "2021-04-10"},
            {"id": "dr-lee", "name": "Dr Ruth Lee", "role": "gp", "organisation": "Canal Street Surgery"},
            {"id": "wendy", "name": "Wendy Hall", "role": "practice-nurse"},
            {"id": "sam", "name": "Sam Morgan", "role": "carer", "phone": "07700 900 418"},
            {"id": "secret", "name": "CANARY-HIDDENMEMBER-4", "role": "psychologist",
             "visible_to": ["team"]},
        ],
        "about_me": {
            "in_my_own_words": "I'm Alex. I love my allotment and my dog, Biscuit.",
            "what_matters_to_me": "Sam, Biscuit, and not going back into hospital.",
            "a_good_day": "A walk with Biscuit, lunch with Sam, an evening on the allotment.",
            "strengths": [{"id": "s-grow", "text": "I can grow anything."}],
        },
        "wellbeing": {
            "mental_health": {
                "in_my_own_words": "The voices are quieter since the spring.",
                "going_well": "Sleeping better.",
                "concerns": [{"id": "mh-winter", "text": "Winter is hard for me."}],
            },
            "physical_health": {
                "in_my_own_words": "I've put on weight since starting olanzapine.",
                "concerns": [
                    {"id": "ph-weight", "text": "Weight gain from my medication."},
                    {"id": "ph-private", "text": "CANARY-PERSONTEAM-1 a private worry.",
                     "visible_to": ["person", "team"]},
                ],
                "other_views": [{"id": "v-khan", "by": "dr-khan",
                                 "text": "The olanzapine is working; tackle weight directly."}],
            },
            "life": {"in_my_own_words": "I'd like to volunteer at the community garden."},
        },
        "goals": [
            {"id": "walk", "area": "physical_health", "what": "Walk Biscuit every day",
             "expressed_by": "me", "status": "active", "target_date": "2027-03-01",
             "why_it_matters": "I feel better when I move."},
            {"id": "sleep", "area": "mental_health", "what": "Keep a regular bedtime",
             "expressed_by": "me", "status": "active"},
            {"id": "garden", "area": "life", "what": "Volunteer at the garden",
             "expressed_by": "sam", "status": "proposed"},
            {"id": "gone", "area": "mental_health", "what": "CANARY-REMOVED-5 a goal kept private",
             "expressed_by": "me", "status": "active", "visible_to": ["person", "team"]},
        ],
        "actions": [
            {"id": "a-walk-group", "what": "Find a walking group", "owner": "priya",
             "due": "2026-10-01", "status": "in-progress", "goal": "walk"},
            {"id": "a-diary", "what": "Keep a sleep diary", "owner": "me", "status": "in-progress",
             "goal": "sleep"},
            {"id": "a-bloods", "what": "Do the yearly bloods", "owner": "dr-lee", "due": "2026-12-20",
             "status": "scheduled", "area": "physical_health"},
            {"id": "a-secret", "what": "Psychology session", "owner": "secret", "status": "scheduled",
             "area": "mental_health"},
        ],
        "health_checks": [
            {"id": "weight", "kind": "weight", "unit": "kg", "range": {"high": 90},
             "next_due": "2027-01-10", "responsible": "wendy",
             "in_my_own_words": "I hate being weighed but I want to know.",
             "results": [
                 {"id": "w1", "date": "2025-11-02", "value": 97.5, "by": "wendy"},
                 {"id": "w2", "date": "2026-03-01", "value": 96.0, "by": "wendy"},
                 {"id": "w3", "date": "2026-07-01", "value": 94.2, "by": "wendy"},
             ]},
            {"id": "bp", "kind": "blood_pressure", "next_due": "2027-01-10", "responsible": "wendy",
             "results": [
                 {"id": "bp1", "date": "2025-11-02", "systolic": 142, "diastolic": 91},
                 {"id": "bp2", "date": "2026-07-01", "systolic": 131, "diastolic": 84},
             ]},
            {"id": "hba1c", "kind": "hba1c", "unit": "mmol/mol", "range": {"low": 20, "high": 41},
             "next_due": "2027-01-10", "results": [
                 {"id": "h1", "date": "2025-11-02", "value": 44},
                 {"id": "h2", "date": "2026-07-01", "value": 42}]},
            {"id": "chol", "kind": "cholesterol", "unit": "mmol/L", "next_due": "2027-01-10",
             "results": [{"id": "c1", "date": "2026-07-01", "value": 5.6}]},
            {"id": "ecg", "kind": "ecg", "next_due": "2026-09-30", "responsible": "dr-lee",
             "results": [{"id": "e1", "date": "2025-09-01", "reading": "Normal."}]},
        ],
        "medications": [
            {"id": "olanzapine", "name": "Olanzapine", "dose": "10 mg at night",
             "purpose": "To keep the voices quiet.", "prescriber": "dr-khan", "started": "2021-05-01",
             "side_effects": "I'm hungry all the time. CANARY-MEDS-3", "side_effects_explained": True},
        ],
        "requests": [
            {"id": "r-bloods", "what": "Bloods (lipids, HbA1c) and an ECG", "from": "dr-khan",
             "to": "dr-lee", "asked_on": "2026-09-01", "status": "requested"},
            {"id": "r-diet", "what": "Dietitian referral", "from": "priya", "to": "dr-lee",
             "asked_on": "2026-02-01", "status": "done", "done_on": "2026-03-01"},
        ],
        "crisis": {
            "early_warning_signs": [{"id": "ew-sleep", "text": "I stop sleeping."}],
            "what_helps": [{"id": "wh-walk", "text": "A walk with Biscuit."}],
            "what_does_not_help": [{"id": "wn-crowds", "text": "Crowds and shouting."}],
            "contacts": [
                {"id": "c-priya", "name": "Priya Shah", "phone": "01632 960 114", "when": "day"},
                {"id": "c-crisis", "name": "Crisis line", "phone": "0800 160 1234", "when": "any-time"},
            ],
            "advance_statement": {"text": "If I become very unwell, please call Sam first."},
        },
        "carers": [
            {"id": "carer-sam", "member": "sam", "their_role": "I'm Alex's brother.",
             "agreed_to_share": "My goals and my crisis plan.", "their_needs": "A carer's assessment.",
             "assessment": {"offered": True}},
        ],
    }


def hostile_plan() -> dict[str, Any]:
    """A valid plan whose every text field holds markup, links and template code."""
    p = list(PAYLOADS)
    return {
        "schema_version": 2,
        "person": {"name": f"Robin {p[0]} Hale", "preferred_name": p[3][:60]},
        "care_team": [
            {"id": "kw", "name": f"Kim {p[1]}", "role": "key-worker", "key_worker": True,
             "phone": "0800 000 000"},
        ],
        "about_me": {"in_my_own_words": " ".join(p), "what_matters_to_me": p[2],
                     "strengths": [{"id": "s1", "text": p[4]}]},
        "wellbeing": {
            "mental_health": {"in_my_own_words": p[0], "concerns": [{"id": "m1", "text": p[1]}]},
            "physical_health": {"in_my_own_words": p[2], "going_well": p[3]},
            "life": {"in_my_own_words": p[4]},
        },
        "goals": [{"id": "g1", "area": "physical_health", "what": p[0], "expressed_by": "me",
                   "status": "active", "why_it_matters": p[1]}],
        "actions": [{"id": "a1", "what": p[2], "owner": "kw", "status": "not-started", "goal": "g1"}],
        "health_checks": [{"id": "w", "kind": "weight", "label": p[1][:100], "unit": "<b>kg</b>",
                           "results": [{"id": "w1", "date": "2026-01-10", "value": 80,
                                        "reading": p[0]},
                                       {"id": "w2", "date": "2026-05-10", "value": 78}]}],
        "medications": [{"id": "m1", "name": p[4][:100], "dose": p[1][:100], "side_effects": p[3]}],
        "requests": [{"id": "r1", "what": p[0], "from": "kw", "to": "kw", "asked_on": "2026-02-01",
                      "status": "requested", "result": p[2]}],
        "crisis": {"contacts": [{"id": "c1", "name": p[1][:100], "phone": "0800 000 000",
                                 "when": "day", "notes": p[0]}],
                   "advance_statement": {"text": p[2]}},
        "reviews": [{"id": "rv1", "date": "2026-01-15", "attended": ["me", "kw"],
                     "my_comments": p[0], "next_review_due": "2026-07-15",
                     "involvement": [{"id": "i1", "by": "me", "trust": 4, "comment": p[1]}]}],
    }


BROKEN = """schema_version: 2
person:
  name: Pat Broken
care_team:
  - id: kw
    name: Kim
    role: key-worker
about_me:
  in_my_own_words: Hello.
wellbeing:
  mental_health:
    in_my_own_words: Fine.
  physical_health:
    in_my_own_words: Fine.
  life:
    in_my_own_words: Fine.
goals:
  - id: g1
    area: physical_health
    what: Walk
    expressed_by: me
    status: maybe
"""
#: Where the broken plan's problem is.
BROKEN_LINE = 22


def write(root: Path, plan_id: str, plan: dict[str, Any]) -> Path:
    path = root / "plans" / f"{plan_id}.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def make_site_workspace(root: Path, repository: Path | None = None) -> Path:
    """Alex's plan with a history of edits by five people and two reviews, a hostile plan,
    and a broken plan. With a repository, the workspace is a folder inside it."""
    if repository is None:
        make_workspace(root)
    else:
        make_workspace(repository)
        (root / "plans").mkdir(parents=True)
    plan = alex_plan()
    first = copy.deepcopy(plan)
    first["health_checks"][0]["results"] = first["health_checks"][0]["results"][:1]
    first["goals"] = [g for g in first["goals"] if g["id"] != "garden"]
    del first["wellbeing"]["mental_health"]["going_well"]
    write(root, "alex-morgan", first)
    record_edit(root, "alex-morgan", name="Priya Shah", role="care-coordinator", when=when(1, 5))
    first["wellbeing"]["mental_health"]["going_well"] = "Sleeping better."
    write(root, "alex-morgan", first)
    record_edit(root, "alex-morgan", name="Alex Morgan", role="person", when=when(2, 2))
    record_review(root, "alex-morgan", name="Priya Shah", role="care-coordinator", date="2026-03-10",
                  attended=["me", "priya", "sam"], next_review_due="2026-09-10",
                  comments="First time I've seen my plan.",
                  involvement=[{"by": "me", "working_together": 2, "trust": 3, "living_plan": 1,
                                "body_and_mind": 2, "joined_up": 1, "about_me": 2}],
                  when=when(3, 10))
    reviews = yaml.safe_load((root / "plans" / "alex-morgan.yaml").read_text())["reviews"]
    plan["reviews"] = reviews
    plan["health_checks"][0]["results"] = plan["health_checks"][0]["results"][:2]
    plan["goals"] = [g for g in plan["goals"] if g["id"] != "garden"]
    write(root, "alex-morgan", plan)
    record_edit(root, "alex-morgan", name="Wendy Hall", role="practice-nurse", when=when(4, 1))
    plan["goals"].insert(2, alex_plan()["goals"][2])
    write(root, "alex-morgan", plan)
    record_edit(root, "alex-morgan", name="Sam Morgan", role="carer", when=when(5, 3))
    plan["medications"][0]["dose"] = "7.5 mg at night"
    write(root, "alex-morgan", plan)
    record_edit(root, "alex-morgan", name="Dr Omar Khan", role="psychiatrist", when=when(6, 20))
    plan["health_checks"][0]["results"] = alex_plan()["health_checks"][0]["results"]
    write(root, "alex-morgan", plan)
    record_edit(root, "alex-morgan", name="Dr Ruth Lee", role="gp", when=when(7, 2))
    record_review(root, "alex-morgan", name="Priya Shah", role="care-coordinator", date="2026-09-08",
                  attended=["me", "priya", "dr-khan"], next_review_due="2027-03-08",
                  involvement=[{"by": "me", "working_together": 4, "trust": 4, "living_plan": 4,
                                "body_and_mind": 5, "joined_up": 3, "about_me": 4,
                                "comment": "It felt like my plan this time."}],
                  when=when(9, 8))
    plan = yaml.safe_load((root / "plans" / "alex-morgan.yaml").read_text())
    plan["goals"] = [g for g in plan["goals"] if g["id"] != "gone"]
    write(root, "alex-morgan", plan)
    record_edit(root, "alex-morgan", name="Alex Morgan", role="person", when=when(10, 1))
    write(root, "robin-hale", hostile_plan())
    record_edit(root, "robin-hale", name="Kim Key", role="key-worker", when=when(2, 1))
    (root / "plans" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site workspace, made once per test process."""
    return make_site_workspace(tmp_path_factory.mktemp("site") / "ws")


@pytest.fixture(scope="session")
def team(workspace: Path, tmp_path_factory: pytest.TempPathFactory):
    """The team site built from it: (report, out)."""
    from builder.site.build import build_site

    out = tmp_path_factory.mktemp("team") / "site"
    return build_site(workspace, out, today=TODAY), out

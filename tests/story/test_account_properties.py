"""Property test: the account of any period names exactly the people whose recorded edits in
that period changed something the audience may see — for every audience.

Histories are generated: people in several roles add, change and remove goals (each goal
shown to some audiences and not others), change texts, and record reviews. What each
audience may see of each version is worked out here with ``view_plan`` alone, and compared
as data, not through the diff the account is made from.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.story.describe import who, who_in
from builder.story.timeline import SOMEONE, plan_story
from builder.view import AUDIENCES, view_plan
from tests.history_fixtures import MINIMAL, day, git, make_workspace, raw_commit

#: Who edits, in what role. Nell is in the care team but only the team may know of her.
PEOPLE = [("Priya Shah", "key-worker"), ("Sam Bloggs", "carer"), ("Jo Bloggs", "person"),
          ("Dr Helen Lewis", "gp"), ("Nell Hart", "mental-health-nurse")]
SHOWN_TO = [None, ["team"], ["team", "person"], ["team", "carer"], ["team", "gp"],
            ["team", "person", "carer", "gp"]]
WORDS = st.sampled_from(["Swim", "Walk", "Cook", "Sleep well", "See friends", "Volunteer",
                         "Garden", "Read"])


def base() -> dict:
    plan = yaml.safe_load(MINIMAL)
    plan["care_team"].append({"id": "nell", "name": "Nell Hart", "role": "mental-health-nurse",
                              "visible_to": ["team"]})
    plan["crisis"] = {"early_warning_signs": [{"id": "sign", "text": "I stop sleeping"}],
                      "contacts": [{"id": "line", "name": "Crisis line", "phone": "0800 000 1111",
                                    "when": "any-time"}]}
    return plan


@st.composite
def edits(draw) -> list[tuple[int, str, dict]]:
    """A list of (who, kind, what) edits, each changing the plan."""
    out = []
    for _ in range(draw(st.integers(2, 6))):
        person = draw(st.integers(0, len(PEOPLE) - 1))
        kind = draw(st.sampled_from(["add-goal", "goal-status", "goal-what", "remove-goal",
                                     "life-words", "warning-sign", "review"]))
        out.append((person, kind, {"words": draw(WORDS), "shown": draw(st.sampled_from(SHOWN_TO)),
                                   "pick": draw(st.integers(0, 10))}))
    return out


def apply(plan: dict, kind: str, what: dict, n: int) -> dict:
    plan = copy.deepcopy(plan)
    goals = plan.setdefault("goals", [])
    if kind == "add-goal" or (kind in ("goal-status", "goal-what", "remove-goal") and not goals):
        goal = {"id": f"goal-{n}", "area": "life", "what": f"{what['words']} ({n})",
                "expressed_by": "me", "status": "proposed"}
        if what["shown"]:
            goal["visible_to"] = what["shown"]
        goals.append(goal)
    elif kind == "goal-status":
        goal = goals[what["pick"] % len(goals)]
        goal["status"] = "active" if goal["status"] != "active" else "on-hold"
    elif kind == "goal-what":
        goals[what["pick"] % len(goals)]["what"] += f" and {what['words'].lower()}"
    elif kind == "remove-goal":
        goals.pop(what["pick"] % len(goals))
    elif kind == "life-words":
        plan["wellbeing"]["life"]["in_my_own_words"] += f" {what['words']} on day {n}."
    elif kind == "warning-sign":
        plan["crisis"]["early_warning_signs"].append({"id": f"sign-{n}", "text": what["words"]})
    elif kind == "review":
        plan.setdefault("reviews", []).append({"id": f"review-{n}", "date": f"2025-02-{n:02d}",
                                               "attended": ["me", "priya"],
                                               "next_review_due": "2025-06-01"})
    return plan


def write(ws: Path, plan: dict, message: str, n: int, name: str, role: str, review: str = "") -> str:
    (ws / "plans" / "jo.yaml").write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    if review:
        git(ws, "add", "--", "plans")
        git(ws, "commit", "-q", "-m", f"{message}\n\nPlan-Role: {role}\nPlan-Review: {review}",
            when=day(n), name=name)
        return git(ws, "rev-parse", "HEAD").strip()
    return raw_commit(ws, message, day(n), name, role, "plans")


def named(name: str, role: str, raw: dict, viewed: dict) -> str:
    """How an author is named to an audience: a team member it may not know of is 'someone'."""
    team = {m["name"] for m in raw.get("care_team", [])} - \
        {m["name"] for m in viewed.get("care_team", [])}
    # Someone the care team does not list is placed as such (issue 32).
    return who(SOMEONE, None) if name in team else who_in(name, role, viewed)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(history=edits(), cut=st.tuples(st.integers(0, 7), st.integers(0, 7)))
def test_the_people_named_are_exactly_those_whose_edits_changed_what_the_audience_sees(
        tmp_path_factory, history, cut):
    ws = make_workspace(tmp_path_factory.mktemp("ws"))
    versions = [base()]
    commits = [write(ws, versions[0], "Started", 1, "Priya Shah", "key-worker")]
    authors = [PEOPLE[0]]
    for n, (person, kind, what) in enumerate(history, start=2):
        plan = apply(versions[-1], kind, what, n)
        name, role = PEOPLE[person]
        review = f"review-{n}" if kind == "review" else ""
        commits.append(write(ws, plan, f"Edit {n}", n, name, role, review))
        versions.append(plan)
        authors.append((name, role))
    start, end = sorted(i % len(commits) for i in cut)
    for audience in AUDIENCES:
        story = plan_story(ws, "jo", audience)
        new = None if end == len(commits) - 1 else commits[end]
        account = story.account(commits[start], new)
        expected = set()
        for i in range(start + 1, end + 1):
            before, after = (view_plan(versions[j], audience) for j in (i - 1, i))
            if before != after:
                expected.add(named(*authors[i], versions[i], after))
        assert set(account.people) == expected, (audience, start, end)
        text = "\n".join(account.as_text())
        for name, role in PEOPLE:
            shown = who(name, role)
            listed = any(e == shown or e.startswith(f"{shown[:-1]}, not in ") for e in expected)
            assert (shown in text) == listed, (audience, shown, text)

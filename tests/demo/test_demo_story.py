"""The demo stories: every version they imply is a valid plan as of its own date."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.demo import make as demo
from builder.errors import PlanError
from builder.plan.load import load_plan_text
from builder.plan.validate import check_plan
from builder.story.describe import role_vocabulary

PLAN_IDS = demo.story_ids()


def versions_of(plan_id: str):
    steps = demo.load_story(plan_id)
    final = load_plan_text(demo.example_text(plan_id), plan_id).data
    return steps, demo.story_versions(steps, final), final


def test_every_example_plan_has_a_story():
    examples = sorted(p.stem for p in demo.EXAMPLES_DIR.glob("*.yaml"))
    assert PLAN_IDS == examples
    assert len(PLAN_IDS) >= 3


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_each_version_is_valid_and_records_nothing_after_its_own_date(plan_id, tmp_path: Path):
    steps, versions, _ = versions_of(plan_id)
    (tmp_path / "plans").mkdir()
    for step, version in zip(steps, versions, strict=True):
        path = tmp_path / "plans" / f"{plan_id}.yaml"
        path.write_text(demo.plan_text(version, demo.example_text(plan_id)), encoding="utf-8")
        # "today" is the day of the step: anything dated later would be a result from the future.
        _, findings = check_plan(path, today=step.when.date())
        errors = [f.as_text() for f in findings if f.severity == "error"]
        assert errors == [], step.where()


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_story_ends_at_the_example_and_every_step_changes_something(plan_id):
    steps, versions, final = versions_of(plan_id)
    assert versions[-1] == final
    for step, before, after in zip(steps[1:], versions[:-1], versions[1:], strict=True):
        assert before != after, step.where()


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_story_is_told_by_the_whole_team_over_many_months(plan_id):
    steps, versions, _ = versions_of(plan_id)
    roles = {step.role for step in steps}
    assert roles <= set(role_vocabulary())
    assert {"person", "carer", "psychiatrist"} <= roles
    assert roles & {"key-worker", "care-coordinator"}
    assert roles & {"gp", "practice-nurse"}
    reviews = [step for step in steps if step.review]
    assert len(reviews) >= 2
    assert (steps[-1].when - steps[0].when).days >= 450
    assert steps[-1].when <= datetime(2026, 11, 26, tzinfo=UTC)
    # A review step's version holds that review as its newest one.
    for step in reviews:
        version = versions[steps.index(step)]
        assert version["reviews"][-1]["id"] == step.review


def test_plan_text_keeps_the_examples_notes_and_reads_back_the_same():
    plan_id = PLAN_IDS[0]
    steps, versions, _ = versions_of(plan_id)
    example = demo.example_text(plan_id)
    text = demo.plan_text(versions[0], example)
    assert text.startswith("# yaml-language-server: $schema=../schema/wellbeing-plan.schema.json\n")
    header, notes = demo.section_notes(example)
    assert header in text and notes["care_team"] in text and notes["care_team"].startswith("#")
    assert load_plan_text(text, "x").data == versions[0]


def test_undo_reports_a_path_that_is_not_in_the_plan():
    step = demo.Step("x", 2, datetime(2026, 1, 1, tzinfo=UTC), "A", "person", added=["goals[id=missing]"])
    with pytest.raises(PlanError, match=r"step 2 .*goals\[id=missing\] is not in the plan"):
        demo.undo(step, {"goals": [{"id": "other"}]})


def test_undo_of_added_removed_and_changed():
    plan = {"goals": [{"id": "a", "status": "active"}], "medications": [{"id": "new"}]}
    step = demo.Step(
        "x",
        2,
        datetime(2026, 1, 1, tzinfo=UTC),
        "A",
        "person",
        added=["medications[id=new]"],
        changed={"goals[id=a].status": "proposed", "goals[id=a].why_it_matters": None},
        removed=[{"from": "medications", "index": 0, "item": {"id": "old"}}],
    )
    plan["goals"][0]["why_it_matters"] = "because"
    demo.undo(step, plan)
    assert plan == {"goals": [{"id": "a", "status": "proposed"}], "medications": [{"id": "old"}]}

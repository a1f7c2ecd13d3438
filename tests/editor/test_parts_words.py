"""The task list speaks to whoever is editing: the person's own words first, named as theirs."""

from __future__ import annotations

from builder.editor.pages import task_list
from builder.editor.parts import PERSON_HINTS, READER_PARTS, part_order
from builder.editor.questions import plan_questions

PLAN = {key: {} for key in ("about_me", "goals", "crisis", "person", "care_team")}


def test_the_person_sees_their_own_words_first_and_named_as_theirs():
    rows = task_list(PLAN, PLAN, adds=True, kind="person", name="Dan")
    titles = [r.key for r in rows]
    assert titles[:3] == ["My own words", "My mind, my body and my life", "My goals"]
    assert "In a crisis" in titles and "My details" in titles
    assert rows[0].value.startswith("About you") and "the person" not in " ".join(r.value for r in rows)


def test_the_carer_reads_the_person_by_name_and_the_team_reads_the_schema():
    carer = [r.key for r in task_list(PLAN, PLAN, adds=False, kind="carer", name="Dan")]
    assert carer == ["Dan's own words", "Dan's goals", "In a crisis", "Dan's care team", "Dan's details"]
    team = [r.key for r in task_list(PLAN, PLAN, adds=False, kind="team", name="Dan")]
    schema = [q.title for q in plan_questions().children if q.key in PLAN]
    assert team == schema


def test_no_part_of_the_schema_is_left_out_of_a_reader_s_order():
    keys = [q.key for q in plan_questions().children if q.kind != "fixed"]
    assert sorted(part_order(keys, "person")) == sorted(keys)
    assert set(READER_PARTS) <= set(keys) and set(PERSON_HINTS) <= set(keys)  # every word names a real part

"""The semantic diff on plain data: items by id, layout is no change, plain-English sentences."""

from __future__ import annotations

import copy

from builder.plan.load import load_plan_text
from builder.story.diff import diff_plans
from tests.history_fixtures import MINIMAL

PLAN = load_plan_text(MINIMAL, "minimal.yaml").data  # dates stay as text, as in real plans


def plan(**changes):
    data = copy.deepcopy(PLAN)
    for key, value in changes.items():
        data[key] = value
    return data


def goals(*items):
    return [dict(id=i, area="physical_health", what=w, expressed_by="me", status="active")
            for i, w in items]


def said(changes):
    return [c.sentence() for c in changes]


def test_the_same_data_is_no_change():
    assert diff_plans(PLAN, copy.deepcopy(PLAN)) == []


def test_reordering_is_moved_not_removed_and_added():
    old = plan(goals=goals(("a", "Swim"), ("b", "Walk"), ("c", "Cook")))
    new = plan(goals=goals(("b", "Walk"), ("c", "Cook"), ("a", "Swim")))
    changes = diff_plans(old, new)
    assert [(c.op, c.path) for c in changes] == [("moved", "goals[id=a]")]
    assert said(changes) == ["Moved the goal “Swim” to a new place in the list"]


def test_an_edited_item_is_one_change():
    old = plan(medications=[{"id": "m1", "name": "Olanzapine", "dose": "10 mg"}])
    new = plan(medications=[{"id": "m1", "name": "Aripiprazole", "dose": "10 mg"}])
    [change] = diff_plans(old, new)
    assert (change.op, change.path, change.old, change.new) == (
        "changed", "medications[id=m1].name", "Olanzapine", "Aripiprazole"
    )
    assert change.label == "Medication “Olanzapine 10 mg”"
    assert change.sentence() == (
        "Changed the medication “Olanzapine 10 mg” → “Aripiprazole 10 mg”"
    )


def test_a_field_change_names_the_item_and_the_schema_title():
    old = plan(goals=goals(("swim", "Swim once a week")))
    new = copy.deepcopy(old)
    new["goals"][0]["target_date"] = "2026-06-30"
    [change] = diff_plans(old, new)
    assert (change.op, change.path) == ("added", "goals[id=swim].target_date")
    assert change.label == "Goal “Swim once a week”: target date"
    assert change.sentence() == "Added “Target date” for the goal “Swim once a week”: 30 June 2026"


def test_an_added_item_and_a_removed_item():
    old = plan(goals=goals(("a", "Swim")))
    new = plan(goals=goals(("b", "Walk")))
    assert said(diff_plans(old, new)) == ["Removed the goal “Swim”", "Added the goal “Walk”"]


def test_nested_items_are_matched_by_id_too():
    check = {"id": "weight", "kind": "weight", "unit": "kg",
             "results": [{"id": "r1", "date": "2025-01-05", "value": 82.5}]}
    old = plan(health_checks=[check])
    new = copy.deepcopy(old)
    new["health_checks"][0]["results"].insert(0, {"id": "r0", "date": "2024-12-01", "value": 84})
    new["health_checks"][0]["results"][1]["value"] = 81
    changes = diff_plans(old, new)
    assert [(c.op, c.path) for c in changes] == [
        ("added", "health_checks[id=weight].results[id=r0]"),
        ("changed", "health_checks[id=weight].results[id=r1].value"),
    ]
    assert said(changes) == [
        "Added the result “1 December 2024” to the physical health check “Weight”",
        "Changed “Value” for the result “5 January 2025” in the physical health check “Weight”: "
        "82.5 → 81",
    ]


def test_lists_of_plain_values_are_sets_and_name_people():
    old = plan(reviews=[{"id": "r", "date": "2025-01-05", "attended": ["me", "priya"],
                         "next_review_due": "2025-04-05"}])
    new = copy.deepcopy(old)
    new["reviews"][0]["attended"] = ["priya", "me"]
    assert diff_plans(old, new) == []
    new["reviews"][0]["attended"] = ["me", "priya", "sam"]
    [change] = diff_plans(old, new)
    assert change.sentence() == (
        "Changed “Who attended” for the review “5 January 2025”: Jo, Priya Shah → "
        "Jo, Priya Shah, Sam Bloggs"
    )


def test_a_whole_section_added_and_removed():
    new = plan(crisis={"contacts": [{"id": "c", "name": "Crisis line", "phone": "111",
                                     "when": "any-time"}]})
    # A part that holds items is said item by item (issue 32: "Wellbeing areas — Added this").
    [change] = diff_plans(PLAN, new)
    assert (change.op, change.path) == ("added", "crisis.contacts[id=c]")
    [change] = diff_plans(new, PLAN)
    assert (change.op, change.path) == ("removed", "crisis.contacts[id=c]")
    new = plan(crisis={"advance_statement": {"text": "At home, please.", "date": "2025-01-05"}})
    [change] = diff_plans(PLAN, new)
    assert (change.op, change.path, change.label) == ("added", "crisis", "Crisis and contingency plan")


def test_items_in_a_text_list_are_named_by_their_words():
    old = plan(crisis={"contacts": [{"id": "c", "name": "Crisis line", "phone": "111",
                                     "when": "any-time"}]})
    new = copy.deepcopy(old)
    new["crisis"]["early_warning_signs"] = [{"id": "sleep", "text": "Not sleeping"}]
    [change] = diff_plans(old, new)
    assert change.path == "crisis.early_warning_signs[id=sleep]"
    assert change.label == "Crisis and contingency plan: early warning signs: “Not sleeping”"
    assert change.sentence() == (
        "Added “Not sleeping” to early warning signs in Crisis and contingency plan"
    )


def test_numbers_and_yes_no_compare_by_meaning():
    old = plan(health_checks=[{"id": "w", "kind": "weight", "range": {"low": 60, "high": 80}}])
    new = copy.deepcopy(old)
    new["health_checks"][0]["range"]["low"] = 60.0
    assert diff_plans(old, new) == []
    new["person"]["communication"] = {"easy_read": True}
    old["person"]["communication"] = {"easy_read": False}
    [change] = diff_plans(old, new)
    assert change.sentence() == "Changed “Easy read” in Communication needs: no → yes"


def test_unexpected_shapes_never_crash():
    weird = [None, 3, "text", [], {"goals": "not a list"}, {"goals": [1, 2, {"x": 1}]},
             {"goals": [{"id": "a"}, {"id": "a"}]}, {"person": ["x"]}]
    for old in weird:
        for new in weird:
            for change in diff_plans(old, new):
                assert change.sentence()
                assert change.label


def test_long_text_is_shortened_in_sentences_but_kept_whole_in_the_change():
    long_text = "word " * 60
    old = plan(about_me={"in_my_own_words": "short"})
    new = plan(about_me={"in_my_own_words": long_text})
    [change] = diff_plans(old, new)
    assert change.new == long_text
    assert len(change.sentence()) < 200
    assert change.sentence().endswith("…”")

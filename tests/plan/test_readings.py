"""Readings outside their aim, or the usual range where the plan sets none, said in words,
with which way they are moving; results written in words (a request part's) read the same."""

from __future__ import annotations

import pytest

from builder.plan.readings import judge, judge_text, kinds_named, part_verdict, reference_table


@pytest.mark.parametrize("kind,result,outside", [
    ("bmi", {"value": 24.9}, False), ("bmi", {"value": 25}, True),
    ("blood_pressure", {"systolic": 140, "diastolic": 90}, False),
    ("blood_pressure", {"systolic": 141, "diastolic": 80}, True),
    ("blood_pressure", {"systolic": 130, "diastolic": 91}, True),
    ("hba1c", {"value": 41}, False), ("hba1c", {"value": 42}, True),
    ("cholesterol", {"value": 6.0}, False), ("cholesterol", {"value": 6.1}, True),
    ("pulse", {"value": 100}, False), ("pulse", {"value": 101}, True),
    ("ecg", {"reading": "Normal. QTc 428 ms."}, False), ("ecg", {"reading": "QTc 455 ms"}, True),
    ("weight", {"value": 140}, False),  # no usual range for a weight: only the plan's own aim
])
def test_the_usual_ranges_where_the_plan_sets_no_aim(kind, result, outside) -> None:
    verdict = judge({"kind": kind}, result)
    assert (verdict is not None) == outside
    if verdict:
        assert verdict.side == "above" and not verdict.own_aim and verdict.flag == "H"
        assert verdict.source == reference_table()[kind]["source"] and verdict.source
        assert verdict.words().startswith("Above the usual range (")


def test_every_usual_range_names_its_published_source() -> None:
    table = reference_table()
    assert set(table) == {"bmi", "blood_pressure", "hba1c", "cholesterol", "pulse", "ecg"}
    assert all(entry["source"] and entry["text"] for entry in table.values())
    assert "South Asian or Chinese" in table["bmi"]["note"]
    assert "470 ms" in table["ecg"]["text"]


def test_the_plans_own_aim_wins_and_the_trend_is_said() -> None:
    check = {"kind": "bmi", "unit": "kg/m²", "range": {"low": 18.5, "high": 30}}
    assert judge(check, {"value": 27}) is None  # inside the plan's aim, though above the usual 25
    weight = {"kind": "weight", "unit": "kg", "range": {"high": 95}}
    falling = judge(weight, {"value": 106.8}, {"value": 107.9})
    assert falling.words() == "Above the aim of 95 kg or less, and coming down" and falling.toward
    rising = judge(weight, {"value": 109.6}, {"value": 108.4})
    assert rising.words() == "Above the aim of 95 kg or less, and going up" and not rising.toward
    low = judge({"kind": "lithium_level", "range": {"low": 0.6, "high": 0.8}}, {"value": 0.5}, {"value": 0.4})
    assert low.words() == "Below the aim of 0.6 to 0.8, and coming up" and low.toward


def test_a_result_in_words_is_read_for_its_kind_and_numbers() -> None:
    assert kinds_named("ECG and pulse check.") == ("pulse", "ecg")
    assert kinds_named("Yearly bloods (HbA1c and lipids).") == ("hba1c", "cholesterol")
    assert kinds_named("Clozapine blood test (full blood count).") == ("full_blood_count",)
    part = {"what": "Pulse, lying and standing", "status": "done",
            "result": "Pulse 92 lying down and 104 standing. Dr Lewis will talk to Dr Hassan."}
    verdict = part_verdict(part)
    assert verdict is not None
    assert verdict.words() == "Above the usual range (100 beats a minute or fewer at rest)"
    assert part_verdict({**part, "result": "Pulse 72 and steady."}) is None
    assert judge_text("blood_pressure", "BP 150/85 sitting") is not None
    # A year in the words is not a reading.
    assert judge_text("pulse", "Checked in 2026, all fine") is None

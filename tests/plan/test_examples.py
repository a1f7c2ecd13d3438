"""The example plans: valid, realistic, commented, and using every part of the plan format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker

from builder.demo.make import section_notes
from builder.plan.load import load_plan
from builder.plan.rules import nhs_number_is_valid
from builder.plan.schema import plan_schema, resolve
from builder.plan.validate import check_plan
from builder.view import view_plan

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "plans").glob("*.yaml"))
IDS = [path.stem for path in EXAMPLES]
TODAY = date(2026, 11, 26)
MODELINE = "# yaml-language-server: $schema=../schema/wellbeing-plan.schema.json"


def data_of(plan_id: str) -> dict:
    return load_plan(ROOT / "plans" / f"{plan_id}.yaml").data


def test_there_are_at_least_three_example_plans():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_example_is_valid_against_the_schema_with_formats(path):
    validator = Draft7Validator(plan_schema(), format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(load_plan(path).data)] == []


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_example_passes_wellplan_check_with_only_due_date_warnings(path):
    _, findings = check_plan(path, today=TODAY)
    assert [f.as_text() for f in findings if f.severity == "error"] == []
    for finding in findings:
        # What is due (overdue, never done, or expected by the guidance and missing), nothing else.
        assert finding.obligation and finding.state in ("overdue", "never_done", "not_in_plan"), \
            finding.as_text()


def test_the_dashboard_has_something_to_shout_about_and_something_in_date():
    overdue_reviews, overdue_checks, checks = [], [], 0
    for path in EXAMPLES:
        _, findings = check_plan(path, today=TODAY)
        overdue_reviews += [path.stem for f in findings if f.path.startswith("reviews")]
        overdue_checks += [f.path for f in findings if f.path.startswith("health_checks")]
        checks += len(load_plan(path).data["health_checks"])
    assert overdue_reviews == ["ruth-ellison"]
    assert 3 <= len(overdue_checks) < checks / 2


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_example_starts_with_the_modeline_and_it_finds_the_schema(path):
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    schema = path.parent / MODELINE.split("$schema=")[1]
    assert schema.resolve() == (ROOT / "schema" / "wellbeing-plan.schema.json").resolve()


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_example_explains_itself_to_a_first_time_editor(path):
    text = path.read_text(encoding="utf-8")
    header, notes = section_notes(text)
    for words in ("Lines starting with #", "YYYY-MM-DD", '"me"', "wellplan check", "wellplan record"):
        assert words in header, words
    for part in load_plan(path).data:
        assert notes.get(part, "").startswith("#"), f"no note above '{part}:'"


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_example_nhs_number_is_valid_and_reserved_for_testing(path):
    number = load_plan(path).data["person"]["nhs_number"]
    assert number.startswith("999") and nhs_number_is_valid(number)


def _schema_paths(node: dict, prefix: str, out: set[str]) -> set[str]:
    node = resolve(node)
    if node.get("type") == "array" and "items" in node:
        return _schema_paths(node["items"], prefix + "[]", out)
    for key, child in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        out.add(path)
        _schema_paths(child, path, out)
    return out


def _data_paths(value, prefix: str, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else key
            out.add(path)
            _data_paths(child, path, out)
    elif isinstance(value, list):
        for child in value:
            _data_paths(child, prefix + "[]", out)
    return out


def test_examples_together_use_every_field_of_the_plan_format():
    wanted = _schema_paths(plan_schema(), "", set())
    used: set[str] = set()
    for plan_id in IDS:
        _data_paths(data_of(plan_id), "", used)
    unused = sorted(p for p in wanted - used if not p.endswith("visible_to"))
    assert unused == []
    visible_to = {p for p in used if p.endswith(".visible_to")}
    assert len(visible_to) >= 10  # on whole parts, list items, results, medicines, people


def test_examples_together_use_every_role_kind_of_check_and_status_that_matters():
    plans = [data_of(plan_id) for plan_id in IDS]
    kinds = {check["kind"] for plan in plans for check in plan["health_checks"]}
    assert {"weight", "blood_pressure", "hba1c", "cholesterol", "smoking", "alcohol"} <= kinds
    statuses = {r["status"] for plan in plans for r in plan["requests"]}
    assert {"requested", "booked", "done", "result-received"} <= statuses
    for plan in plans:
        assert [m for m in plan["care_team"] if m.get("key_worker")]
        assert {c["when"] for c in plan["crisis"]["contacts"]} >= {"day"}
        assert {c["when"] for c in plan["crisis"]["contacts"]} & {"night", "any-time"}
        assert len(plan["reviews"]) >= 2 and any(r.get("involvement") for r in plan["reviews"])
        assert any(g["expressed_by"] != "me" for g in plan["goals"])
        assert any(v["by"] != "me" for a in plan["wellbeing"].values() for v in a.get("other_views", []))


@pytest.mark.parametrize("kind", ["weight", "blood_pressure", "hba1c", "cholesterol"])
def test_trend_charts_have_data(kind):
    counts = [
        len(check.get("results", []))
        for plan_id in IDS
        for check in data_of(plan_id)["health_checks"]
        if check["kind"] == kind
    ]
    assert max(counts) >= 3 and min(counts) >= 2


@pytest.mark.parametrize(
    ("plan_id", "private"),
    [
        ("dan-okafor", ["ph-sex"]),
        (
            "jordan-pike",
            [
                "ph-sexual-health",
                "sexual-health",
                "substance-use",
                "goal-cannabis",
                "act-sexual-health",
                "req-sexual-health",
                "sexual-health-clinic",
            ],
        ),
        ("ruth-ellison", ["hrt", "ph-menopause", "alcohol-2026-05"]),
    ],
)
def test_sensitive_items_are_kept_from_the_carer_but_not_from_the_person(plan_id, private):
    plan = data_of(plan_id)
    for_carer = json.dumps(view_plan(plan, "carer"))
    for_person = json.dumps(view_plan(plan, "person"))
    for item_id in private:
        assert f'"{item_id}"' not in for_carer, item_id
        assert f'"{item_id}"' in for_person, item_id


def test_a_part_shared_on_its_own_reaches_the_carer():
    # Jordan shares their life section and crisis plan with their mum, but not the rest of wellbeing.
    for_carer = view_plan(data_of("jordan-pike"), "carer")
    assert set(for_carer["wellbeing"]) == {"life"}
    assert for_carer["crisis"]["contacts"]
    assert "crisis" in view_plan(data_of("jordan-pike"), "gp")

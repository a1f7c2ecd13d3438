"""The monitoring rules table, case by case: each rule's checks are expected of a plan whose
medicines (or health checks) it applies to, missing and overdue ones are warned about (never
errors), naming the medicine, the check and the source."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.plan.monitoring import monitoring_needs, rules_table, scheduled_weeks
from builder.plan.schema import vocabulary
from builder.plan.validate import check_plan

TODAY = date(2026, 11, 26)
TABLE = rules_table()
CASES = [(rule, spec) for rule in TABLE["rules"] for spec in rule["checks"]]


def _plan(medicines: list[dict[str, Any]], checks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schema_version": 2,
        "person": {"name": "Jo Bloggs"},
        "care_team": [{"id": "priya", "name": "Priya Shah", "role": "key-worker", "key_worker": True}],
        "about_me": {"in_my_own_words": "Me."},
        "wellbeing": {k: {"in_my_own_words": "Fine."} for k in ("mental_health", "physical_health", "life")},
        "medications": medicines,
        "health_checks": checks,
    }


def _check(kind: str, *dates: str) -> dict[str, Any]:
    return {"id": f"{kind.replace('_', '-')}", "kind": kind,
            "results": [{"id": f"r{i}", "date": d, "value": 1} for i, d in enumerate(dates)]}


def _warnings(tmp_path: Path, plan: dict[str, Any]) -> list[str]:
    path = tmp_path / "plans" / "jo.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    _, findings = check_plan(path, today=TODAY)
    assert [f for f in findings if f.severity == "error"] == [], "monitoring never makes an error"
    return [f.message for f in findings]


def test_the_table_uses_only_the_schema_check_kinds_and_names_a_source_for_every_rule() -> None:
    kinds = set(vocabulary("check_kind"))
    for rule, spec in CASES:
        assert set(spec["kinds"]) <= kinds, spec
        assert rule["source"] and spec["how_often"] and spec["name"]
        assert next(iter(scheduled_weeks(spec["schedule"]))) == 0, "every schedule starts at the start"


@pytest.mark.parametrize("rule,spec", CASES, ids=[f"{r['id']}-{s['kinds'][0]}" for r, s in CASES])
def test_each_rule_expects_its_check_and_names_medicine_check_and_source(rule, spec) -> None:
    medicines = rule["applies_to"].get("medicines")
    if medicines:
        plan = _plan([{"id": "med", "name": f"{medicines[0].capitalize()} 10 mg", "dose": "10 mg",
                       "started": "2020-01-01"}], [_check("ecg", "2026-11-01")])
    else:  # the yearly check: any plan that records health checks
        plan = _plan([], [_check("ecg", "2026-11-01")])
    needs = [n for n in monitoring_needs(plan, TODAY)
             if n.rule == rule["id"] and n.kinds == tuple(spec["kinds"])]
    assert len(needs) == 1
    (need,) = needs
    assert need.state == "missing"
    said = need.sentence()
    assert spec["name"] in said and rule["source"] in said and spec["how_often"] in said
    if medicines:
        assert said.startswith(f"{medicines[0].capitalize()} 10 mg needs ")
    # ...and with the check recorded today, it is met.
    plan["health_checks"].append(_check(spec["kinds"][-1], TODAY.isoformat()))
    (met,) = [n for n in monitoring_needs(plan, TODAY) if n.rule == rule["id"]
              and n.kinds == tuple(spec["kinds"])]
    assert not met.is_problem and met.last == TODAY


def test_clozapine_without_a_full_blood_count_check_is_warned_about_naming_both(tmp_path: Path) -> None:
    plan = _plan([{"id": "clozapine", "name": "Clozapine", "dose": "300 mg", "started": "2025-01-06"}],
                 [_check(k, "2026-11-01") for k in ("weight", "waist", "pulse", "blood_pressure", "hba1c",
                                                    "cholesterol", "smoking", "alcohol")])
    warnings = _warnings(tmp_path, plan)
    (fbc,) = [w for w in warnings if "full blood count" in w]
    assert fbc.startswith("Clozapine needs full blood count every week for the first 18 weeks, every 2 "
                          "weeks until 1 year, then every 4 weeks (The clozapine licence")
    assert "This plan has no full blood count check." in fbc
    assert len(warnings) == 1, warnings  # everything else it needs is in date


def test_clozapine_blood_counts_follow_the_weekly_fortnightly_monthly_schedule() -> None:
    start = date(2026, 1, 5)
    weeks = list(islice(scheduled_weeks(TABLE["rules"][2]["checks"][0]["schedule"]), 30))
    assert weeks[:19] == list(range(19)) and weeks[19:] == [20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40]
    on = lambda week: (start + timedelta(weeks=week)).isoformat()  # noqa: E731
    medicine = [{"id": "clozapine", "name": "Clozapine", "dose": "300 mg", "started": start.isoformat()}]
    # Weekly to week 17, fortnightly from week 18 to 44: at week 47 the week-46 count is overdue.
    done = [on(w) for w in range(18)] + [on(w) for w in range(18, 45, 2)]
    plan = _plan(medicine, [_check("full_blood_count", *done)])
    (need,) = [n for n in monitoring_needs(plan, start + timedelta(weeks=47))
               if n.kinds == ("full_blood_count",)]
    assert need.state == "overdue" and need.due == start + timedelta(weeks=46)
    # After a year, every 4 weeks: a count at week 60 makes the next due at week 64.
    plan = _plan(medicine, [_check("full_blood_count", on(60))])
    (need,) = [n for n in monitoring_needs(plan, start + timedelta(weeks=61))
               if n.kinds == ("full_blood_count",)]
    assert need.state == "soon" and need.due == start + timedelta(weeks=64)


def test_antipsychotic_checks_at_the_start_12_weeks_a_year_then_yearly() -> None:
    start = date(2025, 6, 2)
    medicine = [{"id": "risperidone", "name": "Risperidone", "dose": "2 mg", "started": start.isoformat()}]

    def due(*results: date, today: date) -> date | None:
        plan = _plan(medicine, [_check("cholesterol", *(r.isoformat() for r in results))])
        (need,) = [n for n in monitoring_needs(plan, today) if n.kinds == ("cholesterol",)]
        return need.due

    baseline = start - timedelta(days=3)
    assert due(baseline, today=start) == start + timedelta(weeks=12)
    assert due(baseline, start + timedelta(weeks=11), today=start + timedelta(weeks=12)) == \
        start + timedelta(weeks=52)
    assert due(baseline, start + timedelta(weeks=53), today=TODAY) == start + timedelta(weeks=104)


def test_lithium_levels_every_3_months_in_the_first_year_then_every_6() -> None:
    start = date(2025, 1, 6)
    medicine = [{"id": "lithium", "name": "Lithium carbonate (Priadel)", "dose": "800 mg",
                 "started": start.isoformat()}]

    def need_at(last: date, today: date):
        plan = _plan(medicine, [_check("lithium_level", last.isoformat())])
        (need,) = [n for n in monitoring_needs(plan, today) if n.kinds == ("lithium_level",)]
        return need

    week = lambda n: start + timedelta(weeks=n)  # noqa: E731
    assert need_at(week(13), week(14)).due == week(26)
    assert need_at(week(52), week(53)).due == week(78)
    late = need_at(start + timedelta(weeks=13), TODAY)
    assert late.state == "overdue" and late.due == start + timedelta(weeks=26)


def test_a_stopped_medicine_needs_no_monitoring_and_the_yearly_check_is_said_once() -> None:
    plan = _plan([{"id": "olanzapine", "name": "Olanzapine", "dose": "10 mg", "started": "2020-01-01",
                   "stopped": "2026-03-14"}], [_check("weight", "2026-11-01")])
    needs = monitoring_needs(plan, TODAY)
    assert {n.rule for n in needs} == {"smi-yearly-health-check"}
    plan["medications"][0].pop("stopped")
    needs = monitoring_needs(plan, TODAY)
    weight = [n for n in needs if "weight" in n.kinds]
    assert [n.rule for n in weight] == ["antipsychotic-physical-health"], "not twice"


def test_a_plan_without_health_checks_or_medicines_has_nothing_expected_of_it() -> None:
    plan = _plan([], [])
    assert monitoring_needs(plan, TODAY) == []

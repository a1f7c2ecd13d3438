"""The monitoring rules table, case by case: each rule's checks are expected of a plan whose
medicines (or health checks) it applies to, missing and overdue ones are warned about (never
errors), naming the medicine, the check and the source. Read through the one model of what is
due (plan/due.py), where a check and the guidance for it are one obligation."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.plan.due import obligations
from builder.plan.monitoring import rules_table, scheduled_weeks
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


def _need(plan: dict[str, Any], kinds: tuple[str, ...], today: date):
    """The one obligation for this kind of check (a check, or what the guidance expects)."""
    (found,) = [o for o in obligations(plan, today) if o.kind in ("check", "guidance")
                and set(kinds) & set(o.kinds)]
    return found


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
    need = _need(plan, tuple(spec["kinds"]), TODAY)
    assert need.state == "not_in_plan"
    said = need.sentence(TODAY, "team")
    assert spec["name"] in said and rule["source"] in said and spec["how_often"] in said
    if medicines:
        assert f"{medicines[0].capitalize()} 10 mg needs " in said
    # ...and with the check recorded today, it is met.
    plan["health_checks"].append(_check(spec["kinds"][-1], TODAY.isoformat()))
    met = _need(plan, tuple(spec["kinds"]), TODAY)
    assert not met.pressing and met.last == TODAY and any(r.rule == rule["id"] for r in met.reasons)


def test_clozapine_without_a_full_blood_count_check_is_warned_about_naming_both(tmp_path: Path) -> None:
    plan = _plan([{"id": "clozapine", "name": "Clozapine", "dose": "300 mg", "started": "2025-01-06"}],
                 [_check(k, "2026-11-01") for k in ("weight", "waist", "pulse", "blood_pressure", "hba1c",
                                                    "cholesterol", "smoking", "alcohol")])
    warnings = _warnings(tmp_path, plan)
    (fbc,) = [w for w in warnings if "full blood count" in w]
    assert fbc.startswith("Full blood count: the plan has no check of this kind and no result of one.")
    assert ("Clozapine needs full blood count every week for the first 18 weeks, every 2 "
            "weeks until 1 year, then every 4 weeks (The clozapine licence") in fbc
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
    need = _need(plan, ("full_blood_count",), start + timedelta(weeks=47))
    assert need.state == "overdue" and need.due == start + timedelta(weeks=46)
    # After a year, every 4 weeks: a count at week 60 makes the next due at week 64.
    plan = _plan(medicine, [_check("full_blood_count", on(60))])
    need = _need(plan, ("full_blood_count",), start + timedelta(weeks=61))
    assert need.state == "due_soon" and need.due == start + timedelta(weeks=64)


def test_antipsychotic_checks_at_the_start_12_weeks_a_year_then_yearly() -> None:
    start = date(2025, 6, 2)
    medicine = [{"id": "risperidone", "name": "Risperidone", "dose": "2 mg", "started": start.isoformat()}]

    def due(*results: date, today: date) -> date | None:
        plan = _plan(medicine, [_check("cholesterol", *(r.isoformat() for r in results))])
        return _need(plan, ("cholesterol",), today).due

    # Each next step counts from the latest result, never from a grid from the start day.
    baseline = start - timedelta(days=3)
    assert due(baseline, today=start) == baseline + timedelta(weeks=12)
    week_11 = start + timedelta(weeks=11)
    assert due(baseline, week_11, today=start + timedelta(weeks=12)) == week_11 + timedelta(weeks=40)
    week_53 = start + timedelta(weeks=53)
    assert due(baseline, week_53, today=TODAY) == week_53 + timedelta(weeks=52)


def test_lithium_levels_every_3_months_in_the_first_year_then_every_6() -> None:
    start = date(2025, 1, 6)
    medicine = [{"id": "lithium", "name": "Lithium carbonate (Priadel)", "dose": "800 mg",
                 "started": start.isoformat()}]

    def need_at(last: date, today: date):
        plan = _plan(medicine, [_check("lithium_level", last.isoformat())])
        return _need(plan, ("lithium_level",), today)

    week = lambda n: start + timedelta(weeks=n)  # noqa: E731
    assert need_at(week(13), week(14)).due == week(26)
    assert need_at(week(52), week(53)).due == week(78)
    late = need_at(start + timedelta(weeks=13), TODAY)
    assert late.state == "overdue" and late.due == start + timedelta(weeks=26)


def test_a_stopped_medicine_needs_no_monitoring_and_the_yearly_check_is_said_once() -> None:
    plan = _plan([{"id": "olanzapine", "name": "Olanzapine", "dose": "10 mg", "started": "2020-01-01",
                   "stopped": "2026-03-14"}], [_check("weight", "2026-11-01")])
    found = obligations(plan, TODAY)
    assert {r.rule for o in found for r in o.reasons} == {"smi-yearly-health-check"}
    plan["medications"][0].pop("stopped")
    weight = [o for o in obligations(plan, TODAY) if "weight" in o.kinds]
    assert len(weight) == 1, "one obligation for the weight, naming both rules"
    assert [r.rule for r in weight[0].reasons] == ["antipsychotic-physical-health", "smi-yearly-health-check"]


def test_a_plan_without_health_checks_or_medicines_has_nothing_expected_of_it() -> None:
    plan = _plan([], [])
    assert obligations(plan, TODAY) == []

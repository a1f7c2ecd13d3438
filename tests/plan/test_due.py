"""The one model of what is due: worked examples from each cited source, and a property that
no due date is ever later than the last result plus the shortest interval that applies."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.plan.due import needs_attention, obligations
from builder.plan.labels import add_interval, duration_words
from builder.plan.monitoring import expected_checks, steady_weeks
from builder.view import view_plan
from tests.conftest import ROOT

TODAY = date(2026, 12, 6)


def _plan(medicines: list[dict[str, Any]], checks: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {"person": {"name": "Jo Bloggs"}, "medications": medicines, "health_checks": checks, **more}


def _check(kind: str, *dates: str, **more: Any) -> dict[str, Any]:
    return {"id": kind.replace("_", "-"), "kind": kind, **more,
            "results": [{"id": f"r{i}", "date": d, "value": 1} for i, d in enumerate(dates)]}


def _one(plan: dict[str, Any], key: str, today: date = TODAY):
    (found,) = [o for o in obligations(plan, today) if o.key == key]
    return found


# -- worked examples, one from each cited source ---------------------------------------------

CLOZAPINE = {"id": "clozapine", "name": "Clozapine", "started": "2019-05-20"}


@pytest.mark.parametrize("interval", ["4 weeks", None])
def test_clozapine_started_2019_last_test_19_november_is_due_17_december(interval) -> None:
    # The clozapine monitoring services: every 4 weeks after the first year, counted from the
    # last test (a grid of 4-week steps from 2019 would say 28 December, 39 days after it).
    more = {"interval": interval} if interval else {}
    plan = _plan([CLOZAPINE], [_check("full_blood_count", "2026-10-22", "2026-11-19", **more)])
    ob = _one(plan, "check:full-blood-count")
    assert ob.due == date(2026, 12, 17)
    assert ob.state == "due_soon"
    assert any(r.rule == "clozapine-blood-count" for r in ob.reasons)


def test_clozapine_in_the_first_18_weeks_is_weekly_from_the_latest_test() -> None:
    plan = _plan([{**CLOZAPINE, "started": "2026-10-01"}],
                 [_check("full_blood_count", "2026-10-01", "2026-10-08", "2026-10-20")])
    assert _one(plan, "check:full-blood-count").due == date(2026, 10, 27)
    assert _one(plan, "check:full-blood-count").state == "overdue"


@pytest.mark.parametrize("started,results,interval,due", [
    # NICE CG185: every 6 months after the first year ...
    ("2011-09-14", ["2026-05-05"], None, date(2026, 11, 3)),
    # ... unless the plan's own interval is shorter (every 3 months, for a risk of interaction)
    ("2011-09-14", ["2026-05-05", "2026-08-04"], "3 months", date(2026, 11, 4)),
    # ... and every 3 months in the first year, counted from the latest level.
    ("2026-06-01", ["2026-06-01", "2026-09-01"], None, date(2026, 12, 1)),
])
def test_a_lithium_level(started, results, interval, due) -> None:
    more = {"interval": interval} if interval else {}
    plan = _plan([{"id": "lithium", "name": "Lithium carbonate (Priadel)", "started": started}],
                 [_check("lithium_level", *results, **more)])
    assert _one(plan, "check:lithium-level").due == due


def test_the_yearly_physical_health_check_is_a_year_after_the_last_result() -> None:
    # NHS England's yearly check: smoking asked about once a year, counted from the last answer.
    plan = _plan([], [_check("smoking", "2025-12-01")])
    ob = _one(plan, "check:smoking")
    assert ob.due == date(2026, 11, 30) and ob.state == "overdue"
    assert ob.state_words(TODAY) == "Overdue by 6 days"
    alcohol = _one(plan, "guidance:alcohol")
    assert alcohol.state == "not_in_plan" and alcohol.due is None


def test_a_medicine_started_5_weeks_ago() -> None:
    # NICE CG178: weight weekly for the first 6 weeks; blood pressure at the start and 12 weeks.
    started = TODAY - timedelta(weeks=5)
    plan = _plan([{"id": "olanzapine", "name": "Olanzapine", "started": started.isoformat()}], [
        _check("weight", started.isoformat(), (started + timedelta(weeks=2)).isoformat()),
        _check("blood_pressure", started.isoformat()),
    ])
    weight = _one(plan, "check:weight")
    # The week-3 weighing was missed: it is due at once (overdue since week 3).
    assert weight.due == started + timedelta(weeks=3) and weight.state == "overdue"
    assert _one(plan, "check:blood-pressure").due == started + timedelta(weeks=12)
    # Nothing at all recorded for the pulse: it was due at the start and is not in the plan.
    pulse = _one(plan, "guidance:pulse")
    assert pulse.due == started and pulse.state == "not_in_plan"


def test_a_late_result_moves_the_next_step_later() -> None:
    started = date(2026, 11, 1)
    plan = _plan([{"id": "olanzapine", "name": "Olanzapine", "started": started.isoformat()}],
                 [_check("weight", "2026-11-01", "2026-11-22")])  # week 3; weeks 1 and 2 missed
    assert _one(plan, "check:weight").due == date(2026, 11, 29)  # week 3 + 1 week


def test_a_pulse_taken_in_a_request_part_counts_and_the_ecg_is_one_obligation_with_its_booking() -> None:
    plan = yaml.safe_load((ROOT / "plans" / "dan-okafor.yaml").read_text(encoding="utf-8"))
    found = obligations(view_plan(plan, "gp"), date(2026, 11, 26))
    pulse = [o for o in found if "pulse" in o.kinds and o.kind != "check"]
    assert [p.last for p in pulse] == [date(2026, 11, 20)]
    assert pulse[0].state == "in_date"
    ecg = [o for o in found if "ecg" in o.kinds]
    assert len(ecg) == 1, "the ECG check and the ECG request are one obligation"
    assert ecg[0].check_ids == ["ecg"] and ecg[0].request_ids == ["req-ecg-2026"]
    assert ecg[0].state == "overdue"
    assert "— booked for 1 December at Canal Street Surgery" in ecg[0].state_words(date(2026, 11, 26))
    fbc = [o for o in found if "full_blood_count" in o.kinds]
    assert len(fbc) == 1 and fbc[0].due == date(2026, 12, 10)


def test_the_carer_sees_only_what_they_may_and_the_first_page_list_is_most_pressing_first() -> None:
    plan = yaml.safe_load((ROOT / "plans" / "dan-okafor.yaml").read_text(encoding="utf-8"))
    carer = obligations(view_plan(plan, "carer"), date(2026, 11, 26))
    assert not any(o.request_ids for o in carer), "Dan does not share his requests with Grace"
    listed = needs_attention(view_plan(plan, "carer"), date(2026, 11, 26))
    assert listed[0].state == "overdue"
    assert all(o.state in ("overdue", "never_done", "not_in_plan", "due_soon") for o in listed)


@pytest.mark.parametrize("days,said", [(1, "1 day"), (13, "13 days"), (20, "2 weeks"), (56, "8 weeks"),
                                       (60, "2 months"), (461, "15 months"), (800, "2 years and 2 months")])
def test_durations_are_said_plainly(days, said) -> None:
    assert duration_words(days) == said


def test_intervals_in_months_keep_the_day_of_the_month() -> None:
    assert add_interval(date(2026, 1, 31), "1 month") == date(2026, 2, 28)
    assert add_interval(date(2026, 5, 5), "6 months") == date(2026, 11, 5)
    assert add_interval(date(2026, 5, 5), "1 year") == date(2027, 5, 5)


# -- the property ----------------------------------------------------------------------------

MEDICINES = ["Clozapine", "Lithium carbonate", "Olanzapine", "Paracetamol"]
KINDS = ["full_blood_count", "lithium_level", "weight", "blood_pressure", "pulse", "smoking", "ecg"]
INTERVALS = [None, "1 week", "4 weeks", "3 months", "6 months", "1 year"]


@settings(max_examples=150, deadline=None)
@given(
    medicine=st.sampled_from(MEDICINES),
    started_days_ago=st.integers(min_value=0, max_value=4000),
    kind=st.sampled_from(KINDS),
    results_days_ago=st.lists(st.integers(min_value=0, max_value=4000), min_size=1, max_size=6),
    interval=st.sampled_from(INTERVALS),
    recorded_days=st.one_of(st.none(), st.integers(min_value=-400, max_value=800)),
)
def test_a_due_date_is_never_later_than_the_last_result_plus_the_shortest_interval(
        medicine, started_days_ago, kind, results_days_ago, interval, recorded_days) -> None:
    started = TODAY - timedelta(days=started_days_ago)
    check = _check(kind, *[(TODAY - timedelta(days=d)).isoformat() for d in results_days_ago])
    if interval:
        check["interval"] = interval
    if recorded_days is not None:
        check["next_due"] = (TODAY + timedelta(days=recorded_days)).isoformat()
    plan = _plan([{"id": "med", "name": medicine, "started": started.isoformat()}], [check])
    ob = _one(plan, f"check:{check['id']}")
    last = TODAY - timedelta(days=min(results_days_ago))
    assert ob.last == last
    limits = [add_interval(last, interval)] if interval else []
    limits += [last + timedelta(weeks=steady_weeks(e.spec["schedule"]))
               for e in expected_checks(plan, TODAY) if kind in e.kinds]
    if limits:
        assert ob.due is not None and ob.due <= min(limits)
    # A steady phase counts from the last result, never from a grid from the start day.
    for e in expected_checks(plan, TODAY):
        if kind in e.kinds and started_days_ago > 2 * 365 and last - started > timedelta(weeks=60):
            assert ob.due <= last + timedelta(weeks=steady_weeks(e.spec["schedule"]))


def test_a_request_for_a_check_joins_it_and_a_request_for_advice_about_one_does_not() -> None:
    ruth = yaml.safe_load((ROOT / "plans" / "ruth-ellison.yaml").read_text(encoding="utf-8"))
    found = {o.key: o for o in obligations(ruth, date(2026, 11, 26))}
    assert found["check:lithium-level"].request_ids == ["req-bloods-2026-11"]
    assert found["request:req-lithium-travel"].state == "no_date"  # advice, not a level
    jordan = yaml.safe_load((ROOT / "plans" / "jordan-pike.yaml").read_text(encoding="utf-8"))
    found = {o.key: o for o in obligations(jordan, date(2026, 11, 26))}
    assert found["check:sexual-health"].request_ids == ["req-sexual-health"]
    assert "request:req-sexual-health" not in found


def test_check_asks_for_the_result_of_a_check_already_booked_not_to_book_it() -> None:
    from builder.plan.load import load_plan
    from builder.plan.rules import rule_findings

    loaded = load_plan(ROOT / "plans" / "dan-okafor.yaml")
    found = [f for f in rule_findings(loaded, date(2026, 11, 26)) if "health_checks[id=ecg]" in f.path]
    assert len(found) == 1 and "booked for 1 December" in found[0].message
    assert found[0].hint == "When it is done, add the result to the plan."

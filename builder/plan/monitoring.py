"""The monitoring schedules the published guidance sets, from ``monitoring-rules.json``.

The table says, for medicines and for every plan with health checks, which checks are
expected and how often, each with its published source in plain words. Here are the rules
read once, which of them apply to a plan, and the one way a schedule gives a next date:
in the first phase a missed step is due at once and the next step counts from the latest
result; in the steady phase the next date is the latest result plus the interval (never a
grid counted from the day the medicine was started). ``plan/due.py`` builds on this.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from builder.plan.labels import parse_date
from builder.workspace import MONITORING_FILE

#: How long before the start a result still counts as the check at the start.
BASELINE_GRACE = timedelta(weeks=4)


@dataclass(frozen=True)
class Expected:
    """One check a rule expects of a plan: the rule, its spec, and the medicine that needs it."""

    rule: dict[str, Any]
    spec: dict[str, Any]
    medicine: dict[str, Any] | None

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.spec["kinds"])

    @property
    def started(self) -> date | None:
        return parse_date(self.medicine.get("started")) if self.medicine else None


@cache
def rules_table() -> dict[str, Any]:
    """The monitoring rules, read once per process."""
    return json.loads(MONITORING_FILE.read_text(encoding="utf-8"))


def expected_checks(plan: dict[str, Any], today: date, table: dict[str, Any] | None = None
                    ) -> list[Expected]:
    """Every check the rules expect of this plan; medicines that have stopped need none."""
    table = table or rules_table()
    has_checks = any(isinstance(c, dict) for c in plan.get("health_checks") or [])
    medicines = [m for m in plan.get("medications") or [] if isinstance(m, dict) and _taken(m, today)]
    out: list[Expected] = []
    for rule in table["rules"]:
        applies = rule.get("applies_to", {})
        for medicine in medicines:
            if _matches(str(medicine.get("name", "")), applies.get("medicines", [])):
                out += [Expected(rule, spec, medicine) for spec in rule["checks"]]
        if applies.get("plans_with_health_checks") and has_checks:
            out += [Expected(rule, spec, None) for spec in rule["checks"]]
    return out


def _taken(medicine: dict[str, Any], today: date) -> bool:
    stopped = parse_date(medicine.get("stopped"))
    return stopped is None or stopped > today


def _matches(name: str, words: list[str]) -> bool:
    lowered = name.lower()
    return any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words)


def next_by_schedule(schedule: dict[str, Any], start: date | None, results: list[date]
                     ) -> tuple[date | None, int]:
    """(when the next result is due, the weeks between results that applies now).

    Without any result the first step is due: the start (or nothing, with no start). Counting
    always goes from the latest result, so a late result moves the next step later and a
    missed step is due at once."""
    steady = steady_weeks(schedule)
    latest = max(results) if results else None
    if start is None:
        return (latest + timedelta(weeks=steady) if latest else None), steady
    if latest is None:
        return start, _first_gap(schedule)
    if latest < start - BASELINE_GRACE:  # too long before starting to count as the first check
        return min(start, latest + timedelta(weeks=steady)), _first_gap(schedule)
    week = (latest - start).days / 7
    if "at_weeks" in schedule:
        return _next_step(schedule, start, results, latest, week)
    gap = _stage_weeks(schedule, week)
    return latest + timedelta(weeks=gap), gap


def _next_step(schedule: dict[str, Any], start: date, results: list[date], latest: date,
               week: float) -> tuple[date | None, int]:
    """A schedule of steps at set weeks after starting: the step the latest result met, then
    the gap to the step after it, counted from that result."""
    steps = list(schedule["at_weeks"])
    met = 0
    for index, step in enumerate(steps):
        reach = BASELINE_GRACE.days / 7 if index == 0 else (step - steps[index - 1]) / 2
        if week >= step - reach:
            met = index
    if met == len(steps) - 1:
        gap = int(schedule["then_every_weeks"])
        return latest + timedelta(weeks=gap), gap
    gap = steps[met + 1] - steps[met]
    counted = latest + timedelta(weeks=gap)
    step_day = start + timedelta(weeks=steps[met])
    reach_days = (BASELINE_GRACE.days if met == 0 else (steps[met] - steps[met - 1]) * 7 / 2)
    earlier = [r for r in results if r < latest and abs((r - step_day).days) <= reach_days]
    if earlier:  # the step was already met; the latest result is an extra one
        counted = min(counted, start + timedelta(weeks=steps[met + 1]))
    return counted, gap


def _first_gap(schedule: dict[str, Any]) -> int:
    if "at_weeks" in schedule:
        steps = schedule["at_weeks"]
        return steps[1] - steps[0] if len(steps) > 1 else int(schedule["then_every_weeks"])
    return int(schedule["stages"][0]["every_weeks"])


def _stage_weeks(schedule: dict[str, Any], week: float) -> int:
    for stage in schedule["stages"]:
        until = stage.get("until_week")
        if until is None or week < until:
            return int(stage["every_weeks"])
    return steady_weeks(schedule)


def steady_weeks(schedule: dict[str, Any]) -> int:
    """How often, in weeks, once the first stages are over."""
    if "then_every_weeks" in schedule:
        return int(schedule["then_every_weeks"])
    return int(schedule["stages"][-1]["every_weeks"])


def scheduled_weeks(schedule: dict[str, Any]) -> Iterator[int]:
    """The weeks after starting when the check is expected: 0 (the start) first."""
    if "at_weeks" in schedule:
        yield from schedule["at_weeks"]
        week = schedule["at_weeks"][-1]
        while True:
            week += int(schedule["then_every_weeks"])
            yield week
    week = 0
    for stage in schedule["stages"]:
        until = stage.get("until_week")
        while until is None or week < until:
            yield week
            week += int(stage["every_weeks"])


def weeks_words(weeks: int) -> str:
    """'every 4 weeks', 'every 3 months', 'every year'."""
    named = {52: "every year", 26: "every 6 months", 13: "every 3 months", 1: "every week"}
    return named.get(weeks, f"every {weeks} weeks")

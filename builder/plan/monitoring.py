"""The monitoring a plan's medicines need, from the rules table shipped beside the schema.

The table (``monitoring-rules.json``) says, for medicines and for every plan with health
checks, which checks are expected and how often, each with its published source in plain
words. Here it is applied to one plan: for each check a rule expects, whether the plan has it,
when it was last done and when it is next due. Decision support stays small and cited: due
dates and the sources' own words, never advice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from builder.plan.labels import long_date, parse_date
from builder.workspace import MONITORING_FILE

#: How long before a scheduled time a result still counts for it, at the start.
BASELINE_GRACE = timedelta(weeks=4)
#: Within this many days a check is "due soon".
SOON_DAYS = 30


@dataclass(frozen=True)
class Need:
    """One check a rule expects of this plan, and where it stands."""

    rule: str
    source: str
    check_name: str
    how_often: str
    kinds: tuple[str, ...]
    medicine_id: str | None
    medicine_name: str | None
    check_id: str | None  # the plan's check that meets it, if it has one
    last: date | None
    due: date | None
    state: str  # missing, never, overdue, soon or ok

    @property
    def is_problem(self) -> bool:
        return self.state in ("missing", "never", "overdue")

    def who_needs_it(self) -> str:
        return self.medicine_name or "The yearly physical health check"

    def short(self) -> str:
        """'Lithium level, for Lithium carbonate (NICE ...)': a line in a list of what is due."""
        needed_for = self.medicine_name or "the yearly physical health check"
        return f"{self.check_name[:1].upper()}{self.check_name[1:]}, for {needed_for} ({self.source})"

    def sentence(self) -> str:
        """The need and where it stands, in plain words, naming the medicine, the check and the source."""
        needs = f"{self.who_needs_it()} needs {self.check_name} {self.how_often} ({self.source})."
        if self.state == "missing":
            return f"{needs} This plan has no {self.check_name} check."
        if self.last is None:
            when = f" It was due on {long_date(self.due)}." if self.due else ""
            return f"{needs} It has not been done yet.{when}"
        last = f" The last was on {long_date(self.last)}"
        if self.due is None:
            return needs + last + "."
        if self.state == "overdue":
            return f"{needs}{last}, so the next was due on {long_date(self.due)}: it is overdue."
        return f"{needs}{last}; the next is due on {long_date(self.due)}."


@cache
def rules_table() -> dict[str, Any]:
    """The monitoring rules, read once per process."""
    return json.loads(MONITORING_FILE.read_text(encoding="utf-8"))


def monitoring_needs(plan: dict[str, Any], today: date, table: dict[str, Any] | None = None) -> list[Need]:
    """Every check the rules expect of this plan, with its state; medicines that stopped need none."""
    table = table or rules_table()
    checks = [c for c in plan.get("health_checks") or [] if isinstance(c, dict)]
    medicines = [m for m in plan.get("medications") or [] if isinstance(m, dict) and _taken(m, today)]
    out: list[Need] = []
    for rule in table["rules"]:
        applies = rule.get("applies_to", {})
        for medicine in medicines:
            if _matches(str(medicine.get("name", "")), applies.get("medicines", [])):
                out += [_need(rule, spec, checks, medicine, today) for spec in rule["checks"]]
        if applies.get("plans_with_health_checks") and checks:
            out += [_need(rule, spec, checks, None, today) for spec in rule["checks"]]
    # A medicine's own schedule asks at least as much as the yearly check: say it once.
    by_medicine = {k for n in out if n.medicine_id for k in n.kinds}
    return [n for n in out if n.medicine_id or not set(n.kinds) & by_medicine]


def monitoring_problems(plan: dict[str, Any], today: date) -> list[Need]:
    return [n for n in monitoring_needs(plan, today) if n.is_problem]


def _taken(medicine: dict[str, Any], today: date) -> bool:
    stopped = parse_date(medicine.get("stopped"))
    return stopped is None or stopped > today


def _matches(name: str, words: list[str]) -> bool:
    lowered = name.lower()
    return any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words)


def _need(rule: dict[str, Any], spec: dict[str, Any], checks: list[dict[str, Any]],
          medicine: dict[str, Any] | None, today: date) -> Need:
    kinds = tuple(spec["kinds"])
    matching = [c for c in checks if c.get("kind") in kinds]
    mine = [c for c in matching if medicine and medicine.get("id") in (c.get("for_medicines") or [])]
    check = (mine or matching or [None])[0]
    dates = [d for c in matching for r in c.get("results") or [] if isinstance(r, dict)
             for d in [parse_date(r.get("date"))] if d and d <= today]
    last = max(dates) if dates else None
    start = parse_date(medicine.get("started")) if medicine else None
    due = _next_due(spec["schedule"], start, last)
    if check is None:
        state = "missing"
    elif last is None:
        state = "never"
    elif due is None or (due - today).days > SOON_DAYS:
        state = "ok"
    else:
        state = "overdue" if due < today else "soon"
    return Need(
        rule=rule["id"], source=rule["source"], check_name=spec["name"], how_often=spec["how_often"],
        kinds=kinds, medicine_id=medicine.get("id") if medicine else None,
        medicine_name=str(medicine.get("name")) if medicine else None,
        check_id=check.get("id") if check else None, last=last, due=due, state=state,
    )


def _next_due(schedule: dict[str, Any], start: date | None, last: date | None) -> date | None:
    """The first scheduled time not yet met by a result; without a start, the steady interval."""
    if start is None:
        return last + timedelta(weeks=steady_weeks(schedule)) if last else None
    previous: date | None = None
    for week in scheduled_weeks(schedule):
        when = start + timedelta(weeks=week)
        grace = (when - previous) / 2 if previous else BASELINE_GRACE
        if last is None or last < when - grace:
            return when
        previous = when
    return None


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

"""A rule that fails is a fault of ours: it is said, as a finding, never hidden or raised."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from builder.plan import rules
from builder.plan.validate import check_plan
from tests.conftest import CORPUS

TODAY = date(2026, 11, 26)
MINIMAL = CORPUS / "valid" / "minimal.yaml"


def broken_rule(plan: dict[str, Any], add: Any) -> None:
    raise KeyError("care_team")  # a fault such as a rule reading a field that may be absent


def test_a_rule_that_fails_on_a_valid_plan_is_reported_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(rules, "_key_worker", broken_rule)
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace('"999 000 0018"', '"999 000 0019"'), encoding="utf-8")
    _, findings = check_plan(plan, today=TODAY)
    (failed,) = [f for f in findings if f.message.startswith("A check could not run")]
    assert failed.message == "A check could not run: the key worker check failed (KeyError: 'care_team')."
    assert "fault in wellplan" in failed.hint and failed.line == 1 and failed.severity == "warning"
    assert any("not a valid NHS number" in f.message for f in findings)  # the NHS check still ran


def test_on_a_plan_the_schema_already_rejects_a_rule_tripping_over_its_shape_is_not_repeated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(rules, "_key_worker", broken_rule)
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("care_team:", "care_teem:"), encoding="utf-8")
    _, findings = check_plan(plan, today=TODAY)
    assert any("care_teem" in f.message for f in findings)
    assert not any(f.message.startswith("A check could not run") for f in findings)


def test_every_rule_runs_on_every_valid_plan_in_the_corpus_without_failing() -> None:
    for path in sorted((CORPUS / "valid").glob("*.yaml")):
        _, findings = check_plan(path, today=TODAY)
        assert not [f for f in findings if f.message.startswith("A check could not run")], path

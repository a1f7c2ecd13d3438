"""Property tests: any plan the schema allows is either clean or reported, never a crash."""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from builder.plan.load import load_plan_text
from builder.plan.rules import named_rules, rule_findings
from builder.plan.schema import plan_schema
from builder.plan.validate import schema_findings

TODAY = date(2026, 11, 26)
PLANS = from_schema(plan_schema())


def dump(plan: object) -> str:
    return yaml.safe_dump(plan, allow_unicode=True, sort_keys=False)


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(PLANS)
def test_schema_valid_plans_load_back_the_same_and_have_no_schema_findings(plan: dict) -> None:
    text = dump(plan)
    loaded = load_plan_text(text, "generated.yaml")
    # PyYAML's own loader is the reference (its emitter folds odd line breaks such as U+0085).
    assert loaded.data == yaml.safe_load(text)
    assert schema_findings(loaded) == []
    for finding in rule_findings(loaded, TODAY):  # references may dangle: reported, not raised
        assert finding.line >= 1 and finding.message and finding.hint
        assert not finding.message.startswith("A check could not run"), finding.message


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(PLANS)
def test_every_rule_runs_unguarded_on_any_plan_the_schema_allows(plan: dict) -> None:
    """A rule that raises here is a bug: nothing between the rule and this test catches it."""
    found: list[tuple] = []
    for _name, rule in named_rules(TODAY):
        rule(plan, lambda *finding: found.append(finding))
    for path, message, *_ in found:
        assert isinstance(path, tuple) and message


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=30,
    )
)
def test_anything_at_all_is_reported_not_raised(value: object) -> None:
    loaded = load_plan_text(dump(value), "anything.yaml")
    findings = list(loaded.findings)
    if loaded.data is not None:
        schema = schema_findings(loaded)
        findings += schema + rule_findings(loaded, TODAY, shape_checked=not schema)
    assert findings, "arbitrary data is never a valid plan"
    assert all(f.line >= 1 and f.column >= 1 and f.message for f in findings)

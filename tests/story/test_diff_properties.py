"""Property tests: for any plan the schema allows, the diff and its sentences never fail."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema

from builder.plan.schema import plan_schema
from builder.story.diff import diff_plans
from builder.view import AUDIENCES, view_plan

PLANS = from_schema(plan_schema())


def changed(plan: dict) -> dict:
    """The plan with every list turned round, its last item dropped and its text edited."""
    out = copy.deepcopy(plan)
    for value in out.values():
        if isinstance(value, list) and value:
            value.reverse()
            value.pop()
            for item in value:
                for key, field in item.items():
                    if isinstance(field, str) and key != "id":
                        item[key] = field + " (edited)"
    return out


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(PLANS)
def test_any_plan_compares_in_plain_sentences_for_every_audience(plan: dict) -> None:
    for audience in AUDIENCES:
        seen = view_plan(plan, audience)
        other = view_plan(changed(plan), audience)
        for old, new in (({}, seen), (seen, {}), (seen, other), (other, seen)):
            for change in diff_plans(old, new):
                assert change.op in ("added", "removed", "changed", "moved")
                assert change.label and change.sentence()
                json.dumps(change.as_json(), ensure_ascii=False)  # always serialisable
        assert diff_plans(seen, copy.deepcopy(seen)) == []

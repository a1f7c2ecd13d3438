"""Plans with hostile text aimed at every place plan text lands in a page (its "sinks").

Each payload goes into every free-text field of a full plan, into the names of the
people who record its edits, and into a review's comments, so it reaches headings,
link texts, table captions (``aria-label``), column names (``data-label``), chart
titles and the search index. Most need no ``<`` at all: they try to close the
attribute they land in and open one of their own.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.plan.schema import subschema
from builder.plan.validate import check_plan
from builder.record.record import record_edit, record_review
from tests.history_fixtures import make_workspace
from tests.site_fixtures import TODAY, alex_plan, when, write

#: plan id -> text that must stay text. Each alert has its own number, to tell which one ran.
SINK_PAYLOADS = {
    "sink-dq": 'W" onfocus="alert(11)" autofocus="',
    "sink-sq": "W' onfocus='alert(12)' autofocus='",
    "sink-unquoted": "W onmouseover=alert(13) x=",
    "sink-entity": "W&#34; onfocus=&#34;alert(14)&#34; autofocus=&#34;",
    "sink-md-link": "[a](javascript:alert(15)) [b](https://evil.example/) ![c](javascript:alert(16)) [e][r]"
    "\n\n[r]: javascript:alert(17)",
    "sink-html-link": '<a href="javascript:alert(18)">d</a> <javascript:alert(19)> <https://evil.example/>',
}
#: Schema keywords that make a string a vocabulary, a date, an id or a reference, not free text.
NOT_FREE_TEXT = ("enum", "format", "const", "anyOf", "oneOf")


def poisoned(value: Any, payload: str, path: tuple[str | int, ...] = ()) -> Any:
    """``value`` with ``payload`` added to every free-text string the schema allows it in."""
    if isinstance(value, dict):
        filled = {**{k: "" for k in _free_text_fields(path) if k not in value}, **value}
        return {k: poisoned(v, payload, (*path, k)) for k, v in filled.items()}
    if isinstance(value, list):
        return [poisoned(v, payload, (*path, i)) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value
    if not _is_free_text(path):
        return value
    longest = (subschema(path) or {}).get("maxLength", 20_000)
    joined = f"{value} {payload}".strip()
    return joined if len(joined) <= longest else payload[:longest]


def _free_text_fields(path: tuple[str | int, ...]) -> list[str]:
    """The free-text fields the schema allows in the object at ``path`` (so absent ones get filled)."""
    properties = (subschema(path) or {}).get("properties", {})
    return [
        key
        for key, schema in properties.items()
        if (subschema((*path, key)) or {}).get("type") == "string" and _is_free_text((*path, key))
    ]


def _is_free_text(path: tuple[str | int, ...]) -> bool:
    schema = subschema(path) or {}
    if schema.get("type") != "string" or any(k in schema for k in NOT_FREE_TEXT):
        return False
    return schema.get("pattern", r"\S") == r"\S"


def editor_name(payload: str, who: str) -> str:
    """A name to record an edit under: the payload where a name may hold it (no <, > or line breaks)."""
    return f"{who} {payload}" if not re.search(r"[<>\n\r]", payload) else f"{who} Plain"


def make_sink_workspace(root: Path) -> Path:
    """One plan per payload, each with a recorded history: an edit, a review, and a later edit."""
    make_workspace(root)
    for plan_id, payload in SINK_PAYLOADS.items():
        full = poisoned(alex_plan(), payload)
        first = copy.deepcopy(full)
        first["goals"] = first["goals"][:2]
        first["medications"][0]["dose"] = "5 mg"
        write(root, plan_id, first)
        record_edit(root, plan_id, name=editor_name(payload, "Kim"), role="key-worker", when=when(1, 5))
        record_review(
            root, plan_id, name=editor_name(payload, "Kim"), role="key-worker", date="2026-03-10",
            attended=["me", "priya"], next_review_due="2026-09-10", comments=payload,
            involvement=[{"by": "me", "trust": 3, "working_together": 4, "comment": payload}],
            when=when(3, 10),
        )
        reviewed = yaml.safe_load((root / "plans" / f"{plan_id}.yaml").read_text(encoding="utf-8"))
        full["reviews"] = reviewed["reviews"]
        write(root, plan_id, full)
        record_edit(root, plan_id, name=editor_name(payload, "Sam"), role="carer", when=when(5, 3),
                    message=payload)
        _, findings = check_plan(root / "plans" / f"{plan_id}.yaml", today=TODAY)
        errors = [f for f in findings if f.severity == "error"]
        assert not errors, f"the hostile fixture {plan_id} is not a valid plan: {errors}"
    return root


@pytest.fixture(scope="session")
def sink_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sink_workspace(tmp_path_factory.mktemp("sinks") / "ws")


@pytest.fixture(scope="session")
def sink_sites(sink_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The team site, and every plan's own site for the person and the carer, built for real."""
    from builder.site.build import build_site

    sites = {}
    for audience in ("team", "person", "carer"):  # the GP's summary shows a part of the team's
        out = tmp_path_factory.mktemp(f"sinks-{audience}") / "site"
        report = build_site(sink_workspace, out, audience=audience, today=TODAY)
        assert not report.failed, report.failed
        sites[audience] = out
    return sites

"""Property test: any plan the schema allows renders into site pages for every audience,
and nothing a person typed reaches a page as markup.

The pages are turned into HTML by Python-Markdown with the site's own extensions (what
MkDocs does to each page) and read back with an HTML parser, as a browser reads them."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import markdown
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from builder.plan.schema import plan_schema
from builder.site.pages import person_pages
from builder.view import AUDIENCES, view_plan
from builder.workspace import SITE_CONFIG
from tests.html_checks import html_problems
from tests.sink_fixtures import poisoned
from tests.site_fixtures import alex_plan

TODAY = date(2026, 11, 26)
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "{{ config }}",
    'Weight" onfocus="alert(1)" autofocus="',
    "Weight' onfocus='alert(1)' autofocus='",
    "<javascript:alert(1)> <https://evil.example/>",
    "[x][r]\n\n[r]: javascript:alert(1)",
]


@cache
def to_html() -> markdown.Markdown:
    """Python-Markdown with the extensions the site's mkdocs.yml names, as MkDocs runs it."""
    config = yaml.safe_load(SITE_CONFIG.read_text(encoding="utf-8"))
    names, settings_of = [], {}
    for entry in config.get("markdown_extensions", []):
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        settings_of[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=settings_of)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def with_full_plan(test: Any) -> Any:
    """Every payload is also tried in a full plan, whose pages have every kind of sink
    (charts and ratings put plan text in aria-label), whatever the generator draws."""
    for payload in HOSTILE:
        test = example(plan=alex_plan(), audience="team", payload=payload)(test)
    return test


@with_full_plan
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(from_schema(plan_schema()), st.sampled_from(AUDIENCES), st.sampled_from(HOSTILE))
def test_any_plan_renders_for_any_audience_and_its_text_stays_text(
    plan: dict, audience: str, payload: str
) -> None:
    seen = view_plan(poisoned(plan, payload), audience)
    pages = person_pages(seen, None, TODAY)
    assert pages.files, "every plan has pages"
    output = "\n".join(pages.files.values())
    assert "<script>alert" not in output and "<img src=x" not in output
    for text in strings(seen):
        if payload in text and "<" in payload:
            assert text not in output, "a text with markup reached the page unescaped"
    for name, source in pages.files.items():
        page = to_html().reset().convert(source)
        assert html_problems(page) == [], name

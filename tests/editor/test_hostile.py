"""Plan text is text in the form editor too: hostile words in every free-text field of a plan
never become an attribute, a link or markup on any page the editor shows."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest

from tests.editor.fixtures import Client
from tests.html_checks import html_problems
from tests.sink_fixtures import SINK_PAYLOADS, sink_workspace  # noqa: F401


#: Markdown links are left out: the editor renders no Markdown, only escaped text.
@pytest.mark.parametrize("plan_id", sorted(set(SINK_PAYLOADS) - {"sink-md-link"}))
def test_hostile_text_stays_text_on_every_editor_page(sink_workspace: Path, plan_id: str) -> None:  # noqa: F811
    # An empty new item's page holds no plan text but names, which the other pages show too.
    pages = Client(sink_workspace, "Kim Lee", "key-worker", plan_id).crawl(skip=("/assets/", "/add/"))
    assert len(pages) > 30
    payload = SINK_PAYLOADS[plan_id]
    for path, html in pages.items():
        assert not html_problems(html), f"{plan_id} {path}: {html_problems(html)}"
    # The payload is shown, as text, in the boxes where it was typed.
    assert any(payload in unescape(html) for html in pages.values())

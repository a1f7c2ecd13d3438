"""wellplan serve in a real Chromium: the site works under the preview's headers, and cannot be framed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.site.preview import VERSION_PATH, Preview
from tests.browser import browser, new_page  # noqa: F401 - browser is a fixture
from tests.site_fixtures import TODAY, alex_plan, write


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    root = tmp_path_factory.mktemp("ws")
    (root / "plans").mkdir()
    write(root, "alex-morgan", alex_plan())
    running = Preview(root, tmp_path_factory.mktemp("preview"), port=0, today=TODAY)
    running.start()
    yield running
    running.stop()


def test_pages_styles_search_and_reload_work_under_the_preview_headers(browser, preview) -> None:  # noqa: F811
    page = new_page(browser, offline=False)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        response = page.goto(preview.url + "plans/alex-morgan/index.html")
        assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
        page.wait_for_load_state("load")
        # Material's stylesheet applied: the header is coloured, not the browser's default.
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        assert header == "sticky"
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("allotment")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        results = page.locator(".md-search-result__item").all_inner_texts()
        assert any("allotment" in r.lower() for r in results)
        # Live reload: after a rebuild, the open page reloads by itself.
        loads: list[str] = []
        page.on("load", lambda: loads.append(page.url))
        # The page learns its version from its first check; rebuild only after that check.
        with page.expect_response(lambda r: VERSION_PATH in r.url, timeout=15000):
            pass
        plan = preview.workspace / "plans" / "alex-morgan.yaml"
        plan.write_text(plan.read_text().replace("I can grow anything.", "I grow prize leeks."))
        assert preview.check_for_changes()
        page.wait_for_selector("text=I grow prize leeks.", timeout=15000)
        assert len(loads) == 1
        assert page.errors == [] and refused == []
    finally:
        page.context.close()


def test_another_page_cannot_frame_the_preview(browser, preview, tmp_path: Path) -> None:  # noqa: F811
    framing = tmp_path / "framing.html"
    framing.write_text(f'<!doctype html><title>t</title><iframe src="{preview.url}"></iframe>')
    page = new_page(browser, offline=False)
    try:
        page.goto(framing.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)  # let the frame settle, blocked or not
        framed = [f for f in page.frames if f is not page.main_frame]
        assert len(framed) == 1
        assert "Wellbeing plans" not in framed[0].content()
        assert "Alex Morgan" not in framed[0].content()
    finally:
        page.context.close()

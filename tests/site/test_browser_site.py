"""The plan site in a real headless Chromium: accessibility, hostile text, offline search, print."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.site.build import build_site
from tests import site_fixtures
from tests.browser import axe_violations, browser, new_page  # noqa: F401 - browser is a fixture
from tests.site_fixtures import PAYLOADS, TODAY

workspace = site_fixtures.workspace
team = site_fixtures.team

PAGE_KINDS = [
    "index.html",  # the team home
    "plans/alex-morgan/index.html",
    "plans/alex-morgan/crisis.html",
    "plans/alex-morgan/changes.html",
    "plans/alex-morgan/compare-1-to-2.html",
    "plans/alex-morgan/history.html",
    "plans/alex-morgan/charts.html",
    "plans/alex-morgan/involvement.html",
]


@pytest.fixture(scope="session")
def person_site(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("person") / "alex"
    build_site(workspace, out, audience="person", plan_ids=["alex-morgan"], today=TODAY)
    return out


def open_page(browser, path: Path, width: int = 1280, height: int = 900):  # noqa: F811
    page = new_page(browser, width, height)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("rel", PAGE_KINDS)
def test_every_page_kind_has_no_accessibility_violations(browser, team, rel) -> None:  # noqa: F811
    _, out = team
    page = open_page(browser, out / rel)
    try:
        assert axe_violations(page) == []
        assert page.errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("rel", ["index.html", "plans/alex-morgan/index.html", "plans/robin-hale/index.html"])
def test_phone_width_has_no_accessibility_violations(browser, team, rel) -> None:  # noqa: F811
    _, out = team
    page = open_page(browser, out / rel, 390, 844)
    try:
        assert axe_violations(page) == []
    finally:
        page.context.close()


def test_a_persons_own_site_has_no_accessibility_violations(browser, person_site) -> None:  # noqa: F811
    # Best practice too: one region per goal's actions, each with a name of its own, and
    # a search dialog with a name.
    for rel in ("index.html", "crisis.html", "changes.html", "charts.html"):
        page = open_page(browser, person_site / rel)
        try:
            assert axe_violations(page, best_practice=True) == [], rel
        finally:
            page.context.close()


WIDER_THAN_ITS_COLUMN = """() => [...document.querySelectorAll('table')].map(t => {
    const column = t.closest('.md-typeset__scrollwrap') || t.parentElement;
    return [t.caption ? t.caption.innerText : '', t.scrollWidth, column.clientWidth];
}).filter(([, wide, room]) => wide > room + 2)"""


@pytest.mark.parametrize("width", [1000, 1280])
def test_no_table_hides_a_column_beside_the_table_of_contents(browser, team, person_site,  # noqa: F811
                                                                width) -> None:
    """A long badge ("Above the aim of 41 mmol/mol or less, and coming down") wraps in its cell:
    the next-due column is never pushed out of sight behind a scroll bar on a desktop."""
    _, out = team
    for path in (out / "plans" / "alex-morgan" / "index.html", person_site / "index.html"):
        page = open_page(browser, path, width, 900)
        try:
            assert page.evaluate(WIDER_THAN_ITS_COLUMN) == [], path
        finally:
            page.context.close()


@pytest.mark.parametrize("rel", ["index.html", "plans/alex-morgan/index.html", "plans/robin-hale/index.html"])
def test_team_pages_follow_axe_best_practice(browser, team, rel) -> None:  # noqa: F811
    _, out = team
    page = open_page(browser, out / rel)
    try:
        assert axe_violations(page, best_practice=True) == []
    finally:
        page.context.close()


@pytest.mark.parametrize(
    "rel", ["index.html", "crisis.html", "charts.html", "involvement.html", "history.html"]
)
def test_hostile_text_is_shown_as_typed_and_nothing_runs(browser, team, rel) -> None:  # noqa: F811
    _, out = team
    page = open_page(browser, out / "plans" / "robin-hale" / rel)
    try:
        article = page.inner_text("article")
        assert page.dialogs == []
        injected = page.evaluate(
            "document.querySelectorAll('article script, article img, article [onerror], "
            "article [onload], article a[href^=\"javascript\"]').length"
        )
        assert injected == 0
        if rel == "index.html":
            for payload in PAYLOADS:
                assert payload in article, payload
        else:
            assert '<script>alert("xss-script")</script>' in article or "<img src=x" in article
    finally:
        page.context.close()


def search(page, words: str) -> list[str]:
    """Type into Material's search box and return the result titles."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(words)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return page.locator(".md-search-result__item").all_inner_texts()


def test_search_works_from_a_folder_with_no_network(browser, person_site) -> None:  # noqa: F811
    page = open_page(browser, person_site / "index.html")
    try:
        results = search(page, "allotment")
        assert any("allotment" in r.lower() for r in results)
        page.locator(".md-search-result__item a").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith(person_site.as_uri())
        assert page.dialogs == []
    finally:
        page.context.close()


def test_searching_hostile_text_shows_it_as_text_and_runs_nothing(browser, team) -> None:  # noqa: F811
    _, out = team
    page = open_page(browser, out / "plans" / "robin-hale" / "index.html")
    try:
        results = search(page, "Kim")
        assert any('Kim <img src=x onerror=alert("xss-img")>' in r for r in results), results
        assert any('Robin <script>alert("xss-script")</script> Hale' in r for r in results), results
        page.wait_for_timeout(300)  # let any injected handler fire before looking
        assert page.dialogs == []
        injected = page.evaluate(
            "document.querySelectorAll('.md-search-result img, .md-search-result script, "
            ".md-search-result [onerror], .md-search-result [onload]').length"
        )
        assert injected == 0
    finally:
        page.context.close()


def test_printing_shows_the_plan_without_navigation_or_search(browser, team) -> None:  # noqa: F811
    _, out = team
    page = open_page(browser, out / "plans" / "alex-morgan" / "index.html")
    try:
        page.emulate_media(media="print")
        hidden = page.evaluate(
            "['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer', "
            "'.md-search'].map(s => { const e = document.querySelector(s); "
            "return e === null || getComputedStyle(e).display === 'none'; })"
        )
        assert hidden == [True] * 5
        assert page.locator("article").is_visible()
        assert "Walk Biscuit every day" in page.inner_text("article")
        pdf = page.pdf()
        assert pdf.startswith(b"%PDF")
    finally:
        page.context.close()


def test_the_not_found_page_has_no_accessibility_violations(browser, team) -> None:  # noqa: F811
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    _, out = team

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = new_page(browser, offline=False)
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/404.html")
        assert "404" in page.inner_text("article")
        assert axe_violations(page) == []
    finally:
        page.context.close()
        server.shutdown()
        server.server_close()

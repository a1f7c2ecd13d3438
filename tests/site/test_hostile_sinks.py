"""Hostile text in every field that reaches an attribute, a heading or a link: shown as typed,
never an event handler, an attribute of its own, or a link — in the built HTML and in Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser import browser, new_page  # noqa: F401 - browser is a fixture
from tests.html_checks import FOREIGN_SITE, html_problems, parsed, site_problems
from tests.sink_fixtures import SINK_PAYLOADS, sink_sites, sink_workspace  # noqa: F401 - fixtures

HEADINGS = {"h1", "h2", "h3", "h4", "title", "a"}


def shown(text: str) -> str:
    """Text without its spacing: a heading or label shows line breaks as spaces, a cell as <br>."""
    return "".join(text.split())


def displayed(fragment: str) -> str:
    """The text a browser shows for an HTML fragment (Material shows search entries as HTML)."""
    _, texts = parsed(f"<p>{fragment}</p>", {"p"})
    return shown(texts[0][1])


def test_the_fixtures_reach_every_kind_of_sink(sink_sites: dict[str, Path]) -> None:  # noqa: F811
    """Without this, a test below could pass because the hostile text never got to the page."""
    team = sink_sites["team"]
    for plan_id, payload in SINK_PAYLOADS.items():
        typed = shown(payload)
        folder = team / "plans" / plan_id
        reached: dict[str, set[str]] = {}
        for page in folder.glob("*.html"):
            attributes, texts = parsed(page.read_text(encoding="utf-8"), HEADINGS)
            for _, name, value in attributes:
                if typed in shown(value):
                    reached.setdefault("attribute", set()).add(name)
            for tag, value in texts:
                if typed in shown(value):
                    reached.setdefault("text", set()).add(tag)
        attributes, texts = parsed((team / "index.html").read_text(encoding="utf-8"), HEADINGS)
        assert any(tag == "a" and typed in shown(value) for tag, value in texts), plan_id  # a link text
        assert any(name == "aria-label" and typed in shown(value) for _, name, value in attributes), plan_id
        assert "aria-label" in reached.get("attribute", set()), (plan_id, reached)  # captions
        assert {"h1", "h2", "h3", "title"} <= reached.get("text", set()), (plan_id, reached)
        index = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert any(typed in displayed(doc["title"]) for doc in index["docs"]), plan_id


@pytest.mark.parametrize("audience", ["team", "person", "carer"])
def test_no_built_page_or_search_entry_holds_a_handler_or_a_link_from_plan_text(
    sink_sites: dict[str, Path],  # noqa: F811
    audience: str,
) -> None:
    assert site_problems(sink_sites[audience]) == []


def test_the_checker_sees_each_kind_of_breakout() -> None:
    """The HTML checker itself: each breakout, left unescaped, is found."""
    assert html_problems('<td data-label="W" onfocus="alert(11)" autofocus="">x</td>')
    assert html_problems("<div aria-label='W' onfocus='alert(12)' autofocus=''></div>")
    assert html_problems("<h1><a href=\"javascript:alert(15)\">a</a></h1>")
    assert html_problems('<a href=" java\tscript:alert(1)">a</a>')
    assert html_problems(f'<a href="https://{FOREIGN_SITE}/">b</a>')
    assert html_problems("<script>alert(1)</script>")
    assert html_problems('<td data-label="W&quot; onfocus=&quot;alert(11)">x</td>') == []


#: Every element with an aria-label or title is hovered, focused and clicked, as a person might.
HOVER_AND_FOCUS = """() => {
  for (const e of document.querySelectorAll('[aria-label], [title], [data-label], [tabindex]')) {
    for (const kind of ['mouseover', 'mouseenter', 'focus', 'focusin']) e.dispatchEvent(new Event(kind));
    if (e.focus) e.focus();
  }
}"""

NOTHING_RUNS = """() => {
  const handlers = [...document.querySelectorAll('*')].flatMap(e =>
    [...e.attributes].filter(a => a.name.startsWith('on') || a.name === 'autofocus')
      .map(a => e.tagName + ' ' + a.name));
  const links = [...document.querySelectorAll('[href], [src]')]
    .map(e => e.getAttribute('href') || e.getAttribute('src'))
    .filter(u => /^\\s*(javascript|vbscript|data):/i.test(u) || u.includes('evil.example'));
  return handlers.concat(links);
}"""


#: The pages where plan text lands in attributes (captions, labels), headings and link texts.
SINK_PAGES = ("index.html", "charts.html", "involvement.html", "history.html")
#: One of each kind: quotes of both sorts, a Markdown link, an HTML link (every page is parsed above).
BROWSER_PLANS = ("sink-dq", "sink-sq", "sink-md-link", "sink-html-link")


def pages_to_open(team: Path) -> list[Path]:
    return [team / "index.html"] + [team / "plans" / p / page for p in BROWSER_PLANS for page in SINK_PAGES]


def test_in_chromium_no_handler_runs_on_any_page(browser, sink_sites: dict[str, Path]) -> None:  # noqa: F811
    team = sink_sites["team"]
    page = new_page(browser)
    try:
        for path in pages_to_open(team):
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            for _ in range(4):  # focus the first elements, as a keyboard user would
                page.keyboard.press("Tab")
            page.evaluate(HOVER_AND_FOCUS)
            assert page.evaluate(NOTHING_RUNS) == [], path
        page.wait_for_timeout(300)  # let any injected handler fire before looking
        assert page.dialogs == [] and page.errors == []
    finally:
        page.context.close()


def test_in_chromium_searching_hostile_text_runs_nothing(browser, sink_sites: dict[str, Path]) -> None:  # noqa: F811
    team = sink_sites["team"]
    page = new_page(browser)
    try:
        for plan_id in ("sink-dq", "sink-md-link", "sink-html-link"):
            page.goto((team / "plans" / plan_id / "index.html").as_uri())
            page.wait_for_load_state("load")
            box = page.locator("input.md-search__input")
            box.click()
            box.press_sequentially("Biscuit")
            page.wait_for_selector(".md-search-result__item", timeout=15000)
            assert page.evaluate(NOTHING_RUNS) == [], plan_id
        page.wait_for_timeout(300)
        assert page.dialogs == [] and page.errors == []
    finally:
        page.context.close()


def test_a_table_escapes_its_caption_and_column_names_in_every_attribute() -> None:
    """No plan text is a column name today; this keeps data-label safe when one becomes one."""
    from builder.site.html_text import table

    breakout = SINK_PAYLOADS["sink-dq"]
    page = table(breakout, ["Date", breakout], [["1 May", "80 kg"]])
    assert html_problems(page) == []
    attributes, _ = parsed(page, set())
    assert ("td", "data-label", breakout) in attributes and ("div", "aria-label", breakout) in attributes

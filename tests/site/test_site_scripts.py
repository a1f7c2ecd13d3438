"""Plan text keeps its own direction on the site: Urdu reads right to left, marked as Urdu, in Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from builder.site.build import build_site
from builder.site.html_text import heading_md, paras, plain, text
from tests.browser import axe_violations, browser, new_page  # noqa: F401 - browser is a fixture
from tests.site_fixtures import TODAY, alex_plan, write

URDU = "میں ٹھیک ہوں۔ مجھے چلنا پسند ہے۔"
CONCERN = "نیند کم آتی ہے؟"
WELSH = "Rwy'n hoffi cerdded."
BENGALI = "আমি ভালো আছি।"


@pytest.fixture(scope="module")
def urdu_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("urdu") / "ws"
    (root / "plans").mkdir(parents=True)
    plan = alex_plan()
    plan["person"]["communication"]["language"] = "Urdu"
    plan["about_me"]["in_my_own_words"] = f"{WELSH}\n\n{URDU}\n\n{BENGALI}"
    plan["wellbeing"]["mental_health"]["concerns"] = [{"id": "sleep", "text": CONCERN}]
    write(root, "alex-morgan", plan)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    out = root.parent / "site"
    build_site(root, out, audience="person", plan_ids=["alex-morgan"], today=TODAY)
    return out / "index.html"


def test_plan_text_carries_dir_auto_and_the_persons_language(urdu_site: Path) -> None:
    page = urdu_site.read_text(encoding="utf-8")
    assert f'<p dir="auto" lang="ur">{URDU}</p>' in page
    assert f'<p dir="auto">{WELSH.replace(chr(39), "&#x27;")}</p>' in page  # English letters: no lang
    assert f'<p dir="auto">{BENGALI}</p>' in page  # not the person's language
    assert f'<span dir="auto">{CONCERN}</span>' in page  # isolated inside the list
    own = re.search(r'<blockquote class="wp-own-words">(.*?)</blockquote>', page, re.S)
    assert own and re.findall(r"<p(?: [^>]*)?>", own.group(1)) == [
        '<p dir="auto">', '<p dir="auto" lang="ur">', '<p dir="auto">']


def test_right_to_left_pieces_are_isolated_everywhere_but_svg() -> None:
    assert text("Sleep") == "Sleep"  # nothing to isolate: the page's own direction
    assert text(f"{CONCERN}\n<b>") == f'<span dir="auto">{CONCERN}<br>&lt;b&gt;</span>'
    assert heading_md(CONCERN) == f'<span dir="auto">{CONCERN}</span>'
    assert plain(f"{CONCERN} <b>") == f"{CONCERN} &lt;b&gt;"  # SVG titles take no elements
    assert paras("a\n\nb") == '<p dir="auto">a</p><p dir="auto">b</p>'


def test_an_urdu_paragraph_is_laid_out_right_to_left_in_chromium(browser, urdu_site: Path) -> None:  # noqa: F811
    page = new_page(browser)
    try:
        page.goto(urdu_site.as_uri())
        page.wait_for_load_state("load")
        found = page.evaluate(
            """(texts) => texts.map((wanted) => {
                 // The innermost element holding exactly that text (a span inside its li).
                 const el = [...document.querySelectorAll('article p, article span, article li')]
                   .filter((e) => e.textContent.trim() === wanted).pop();
                 if (!el) return null;
                 const box = el.getBoundingClientRect();
                 const range = document.createRange();
                 const node = [...el.childNodes].find((n) => n.nodeType === 3) || el.firstChild;
                 range.setStart(node, 0); range.setEnd(node, 1);
                 const first = range.getBoundingClientRect();
                 return {dir: getComputedStyle(el).direction, lang: el.lang,
                         fromLeft: first.left - box.left, fromRight: box.right - first.right};
               })""",
            [URDU, WELSH, CONCERN],
        )
        urdu, welsh, concern = found
        assert urdu["dir"] == "rtl" and urdu["lang"] == "ur"
        # The first letter of the Urdu sentence sits at the right edge of its paragraph.
        assert urdu["fromRight"] < 2 < urdu["fromLeft"]
        assert welsh["dir"] == "ltr" and welsh["fromLeft"] < 2 < welsh["fromRight"]
        assert concern["dir"] == "rtl"
        assert axe_violations(page) == []
    finally:
        page.context.close()

"""How hard the person's and the carer's pages are to read: Flesch–Kincaid grade, page by page.

Dan Okafor's own site and his sister Grace's are built from the demo and each page's main
text is measured with textstat 0.7.3 (later releases download a word list at run time; this
one counts syllables with pyphen, offline). The grades are printed at the end of the test run.
NHS content guidance asks for a reading age of about 9 (a US grade near 4); grade 8 is the
line no page may cross, kept with room to spare so the test never fails by chance.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import textstat

from builder.demo import make as demo
from builder.site.build import build_site

PLAN = "dan-okafor"
#: No page of the person's or the carer's site may read harder than this grade.
MOST = 8.0
#: Elements whose text stands alone (a heading is not the start of the next sentence).
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "td", "th", "dt", "dd", "blockquote", "figcaption")
#: Elements whose text is not prose: code, charts, and tables of figures.
_SKIPPED = ("script", "style", "svg", "table", "nav")


class _MainText(HTMLParser):
    """The text of a page's article, one block a sentence."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
        if self.depth:
            self.depth += tag not in ("br", "img", "input", "meta", "link", "hr")
        elif tag == "article":
            self.depth = 1
        self.skip += tag in _SKIPPED

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self.skip:
            self.skip -= 1
        if self.depth:
            self.depth -= 1
            if tag in _BLOCKS:
                self.parts.append(".\n")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    reader = _MainText()
    reader.feed(html)
    text = re.sub(r"([.!?:;])\s*\.", r"\1", "".join(reader.parts))
    return re.sub(r"\s+", " ", re.sub(r"^\s*\.\s*$", "", text, flags=re.M)).strip()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("readability")
    workspace = demo.make_demo(root / "demo", build=False, today=demo.WRITTEN_AS_OF).workspace
    made = {}
    for audience in ("person", "carer:grace"):
        made[audience] = root / audience.replace(":", "-")
        build_site(workspace, made[audience], audience=audience, plan_ids=[PLAN],
                   today=demo.WRITTEN_AS_OF)
    return made


def test_every_page_of_the_persons_and_carers_site_is_measured_and_none_reads_harder_than_grade_8(
        sites: dict[str, Path], record_property) -> None:
    lines = ["Flesch–Kincaid grade, page by page, of Dan Okafor's site (demo) as Dan and as Grace:"]
    too_hard = []
    for audience, folder in sites.items():
        for page in sorted(folder.glob("*.html")):
            if page.name == "404.html":
                continue
            text = page_text(page.read_text(encoding="utf-8"))
            words = textstat.lexicon_count(text)
            assert words > 20, f"{page.name} has almost no text to measure: {text!r}"
            grade = textstat.flesch_kincaid_grade(text)
            lines.append(f"  {audience:<12} {page.name:<22} grade {grade:>4.1f}  ({words} words)")
            if grade > MOST:
                too_hard.append(f"{audience} {page.name}: grade {grade}")
    record_property("report", "\n".join(lines))
    assert not too_hard, "Pages that read harder than grade 8: " + "; ".join(too_hard)


def test_page_text_keeps_prose_and_leaves_out_tables_and_scripts() -> None:
    html = ("<nav>Menu</nav><article><h1>Crisis plan</h1><p>Call Priya first</p>"
            "<table><tr><td>01632 960 114</td></tr></table><script>x()</script>"
            "<ul><li>Sleep</li><li>Grace</li></ul></article>")
    assert page_text(html) == "Crisis plan. Call Priya first. Sleep. Grace."

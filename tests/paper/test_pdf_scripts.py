"""A person's own words print in their own script: every common script drawn, right to left where it is.

The copies are read back glyph by glyph (tests/paper/pdf_glyphs.py): a character the
fonts lack is drawn as glyph 0, the empty box, so "no boxes" is counted, not guessed.
"""

from __future__ import annotations

import html
import logging
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from builder.paper.fonts import FONT_DIRS, font_dirs
from builder.paper.pdf import build_pdf
from builder.plan.writing import direction
from tests.paper.pdf_glyphs import drawn

TODAY = date(2026, 11, 26)
PLAN = (Path(__file__).resolve().parent / "alex-morgan.yaml").read_text(encoding="utf-8")

#: A line of the person's own words in each script people in the UK commonly write in.
SAMPLES = {
    "Latin with accents": "Rwy'n hoffi cerdded. Zażółć gęślą jaźń. Ștefan și Țara. "
                          "Ação e coração. Ağaç, ışık, şeker.",
    "Urdu": "میں ٹھیک ہوں۔ مجھے چلنا پسند ہے۔",
    "Arabic": "أنا بخير، شكرا لك.",
    "Bengali": "আমি ভালো আছি।",
    "Gurmukhi": "ਮੈਂ ਠੀਕ ਹਾਂ।",
    "Gujarati": "હું ઠીક છું.",
    "Devanagari": "मैं ठीक हूँ।",
    "Tamil": "நான் நலமாக இருக்கிறேன்.",
    "Chinese": "我很好。我喜歡散步。",
    "Greek": "Είμαι καλά.",
    "Cyrillic": "Я в порядке.",
}
EMOJI = "Happy 😀 today 👍🏽 🇬🇧"
#: Vithkuqi (Unicode 14, 2021) is newer than any font the machine has.
UNDRAWABLE = "Old letters 𐕰𐕱 here."


def _plan(own_words: str, language: str = "Urdu") -> str:
    data = yaml.safe_load(PLAN)
    data["about_me"]["in_my_own_words"] = own_words
    data["person"].setdefault("communication", {})["language"] = language
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _copy(tmp_path: Path, own_words: str) -> Path:
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    (root / "plans" / "alex-morgan.yaml").write_text(_plan(own_words), encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return build_pdf(root, "alex-morgan", tmp_path / "copy.pdf", today=TODAY)


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def _claims_pdf_ua(path: Path) -> bool:
    root = PdfReader(path).trailer["/Root"]
    return "<pdfuaid:part>1</pdfuaid:part>" in root["/Metadata"].get_object().get_data().decode()


@pytest.fixture(scope="module")
def every_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert font_dirs() == list(FONT_DIRS), (
        "the Noto fonts are missing: install Debian's fonts-noto-core and fonts-noto-cjk "
        "(bash scripts/test.sh does)")
    words = "\n\n".join([*SAMPLES.values(), EMOJI])
    return _copy(tmp_path_factory.mktemp("scripts"), words)


def test_every_script_prints_with_no_empty_box_and_keeps_its_pdf_ua_claim(every_script: Path) -> None:
    runs, boxes = drawn(PdfReader(every_script))
    assert boxes == 0
    assert _claims_pdf_ua(every_script)  # Typst refuses PDF/UA-1 for a glyph it cannot draw
    text = _squash("".join(runs))
    missing = []
    for script, sample in SAMPLES.items():
        # Right-to-left text is drawn, and so read back, from its left end.
        wanted = _squash(sample)[::-1] if direction(sample) == "rtl" else _squash(sample)
        if wanted not in text:
            missing.append(script)
    assert not missing, f"not in the PDF's text: {missing}"


def test_each_script_is_drawn_with_a_noto_font_embedded_in_the_copy(every_script: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(every_script)], capture_output=True, text=True).stdout
    for family in ("NotoNaskhArabic", "NotoSerifBengali", "NotoSerifGurmukhi", "NotoSerifGujarati",
                   "NotoSerifDevanagari", "NotoSerifTamil", "NotoSerifCJK"):
        assert family in fonts
    for row in fonts.splitlines()[2:]:
        assert " yes yes " in row, f"font not embedded: {row}"


def test_emoji_print_as_words_not_boxes(every_script: Path) -> None:
    text = "".join(drawn(PdfReader(every_script))[0])
    assert "[emoji: grinning face]" in text
    assert "[flag: GB]" in text
    assert "today" in text


def test_an_urdu_paragraph_runs_right_to_left_from_the_right_margin(every_script: Path) -> None:
    layout = subprocess.run(["pdftotext", "-bbox", str(every_script), "-"], capture_output=True,
                            text=True, check=True).stdout
    words = [(float(x0), float(x1), html.unescape(w)) for x0, x1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', layout)]
    right_edge = max(x1 for _, x1, _ in words)
    left_edge = min(x0 for x0, _, _ in words)
    # The Urdu sentence's first word sits at the right margin; the Welsh one's at the left.
    first_urdu = [x1 for _, x1, w in words if w == "میں"[::-1]]
    assert first_urdu and abs(first_urdu[0] - right_edge) < 1
    assert [x0 for x0, _, w in words if w == "Rwy'n"] == [pytest.approx(left_edge, abs=1)]


def test_a_character_no_font_has_is_said_on_the_page_next_to_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="builder.paper.pdf"):
        out = _copy(tmp_path, f"I am well.\n\n{UNDRAWABLE}")
    runs, boxes = drawn(PdfReader(out))
    assert boxes == 2  # the two letters, as empty boxes: the box count can see them
    text = _squash("".join(runs))
    # The note follows the text it is about, in the same paragraph.
    assert _squash("here. (Note: this printed copy cannot show 2 characters just before this note, "
                   "so they print as empty boxes. The plan itself keeps them as written.)") in text
    assert text.index("Oldletters") < text.index("(Note:")
    assert not _claims_pdf_ua(out)  # an honest copy: it cannot claim PDF/UA-1 with boxes in it
    assert "cannot be drawn with the print fonts" in caplog.text


def test_the_persons_own_words_are_tagged_in_their_language_for_screen_readers(
        every_script: Path) -> None:
    langs: set[str] = set()
    stack = [PdfReader(every_script).trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        item = stack.pop()
        item = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "/Lang" in item:
                langs.add(str(item["/Lang"]))
            if "/K" in item:
                stack.append(item["/K"])
    # The person's language is Urdu: the Urdu paragraph (and the Arabic one, in the same
    # script) is tagged as Urdu; everything else keeps the document's English.
    assert langs == {"ur-GB"}


def test_without_the_noto_fonts_the_copy_is_made_and_says_what_to_install(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder.paper import fonts, pdf

    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path / "no-fonts",))
    pdf._compiler.cache_clear()  # a compiler that never saw the Noto folders
    try:
        with caplog.at_level(logging.WARNING, logger="builder.paper.pdf"):
            out = _copy(tmp_path, SAMPLES["Bengali"])
    finally:
        pdf._compiler.cache_clear()
    runs, boxes = drawn(PdfReader(out))
    assert boxes > 0
    assert "cannot show" in "".join(runs) and not _claims_pdf_ua(out)
    assert "Install Debian's fonts-noto-core and fonts-noto-cjk packages" in caplog.text

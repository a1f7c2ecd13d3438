"""A printed copy's layout, read back from the PDF: text that overlaps, crosses a table's lines,
or is left alone on a page.

pdfplumber gives every character's box and every line drawn; a cell's border is a drawn line,
so a character whose box a border passes through has run out of its cell.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pdfplumber

#: Points a box may touch a line or another box by (glyph boxes meet at their edges).
SLACK = 0.6
#: Letters whose boxes overlap by more than this share of the narrower are printed over each other.
KERNING = 0.4
PUNCTUATION = 0.8
#: A stray page: its body (above the footer) holds at most this many lines of text.
STRAY_LINES = 1


def layout_problems(path: Path) -> list[str]:
    """Every overlap, crossed line and stray page in one PDF, each said with its page and text."""
    problems: list[str] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            chars = [c for c in page.chars if c["text"].strip() and c["upright"]]
            body, footer_top = _body(page, chars)
            problems += [f"page {number}: {p}" for p in _crossings(page, chars)]
            problems += [f"page {number}: {p}" for p in _overlaps(chars)]
            lines = _lines(body)
            if len(lines) <= STRAY_LINES and len(pdf.pages) > 1:
                said = " / ".join(lines) or "nothing"
                problems.append(f"page {number}: holds only {said!r} above the footer")
    return problems


def _body(page: Any, chars: list[dict]) -> tuple[list[dict], float]:
    """The characters above the footer's rule (the lowest full-width line on the page)."""
    rules = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.1
             and ln["x1"] - ln["x0"] > page.width * 0.6]
    footer_top = max((ln["top"] for ln in rules), default=page.height)
    return [c for c in chars if c["bottom"] < footer_top], footer_top


def _lines(chars: list[dict]) -> list[str]:
    """The text of each line (characters sharing a baseline), top to bottom."""
    rows: dict[int, list[dict]] = defaultdict(list)
    for c in chars:
        rows[round(c["bottom"])].append(c)
    return ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"]))
            for _, row in sorted(rows.items())]


def _crossings(page: Any, chars: list[dict]) -> list[str]:
    """Characters a drawn line passes through: text past a table cell's border."""
    found = []
    for ln in page.lines + page.rects:
        if ln.get("object_type") == "rect" and not ln.get("stroke"):
            continue  # a shaded header cell's fill is not a border
        for edge in _edges(ln):
            x0, top, x1, bottom = edge
            for c in chars:
                if x1 - x0 < 0.1:  # vertical
                    if c["x0"] + SLACK < x0 < c["x1"] - SLACK and \
                            c["top"] + SLACK < bottom and c["bottom"] - SLACK > top:
                        found.append(_said(c, chars, "runs across a table's line"))
                elif bottom - top < 0.1:  # horizontal
                    if c["top"] + SLACK < top < c["bottom"] - SLACK and \
                            c["x0"] + SLACK < x1 and c["x1"] - SLACK > x0:
                        found.append(_said(c, chars, "runs across a table's line"))
    return list(dict.fromkeys(found))


def _edges(shape: dict) -> list[tuple[float, float, float, float]]:
    """A line as one edge; a stroked rectangle as its four."""
    x0, top, x1, bottom = shape["x0"], shape["top"], shape["x1"], shape["bottom"]
    if shape.get("object_type") == "line":
        return [(x0, top, x1, bottom)]
    return [(x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom), (x1, top, x1, bottom)]


def _overlaps(chars: list[dict]) -> list[str]:
    """Characters drawn over each other: text printed on top of other text."""
    found = []
    rows: dict[int, list[dict]] = defaultdict(list)
    for c in chars:
        rows[int(c["top"] // 10)].append(c)
    for key, row in rows.items():
        near = row + rows.get(key + 1, [])
        near.sort(key=lambda c: c["x0"])
        for i, a in enumerate(near):
            for b in near[i + 1:]:
                if b["x0"] >= a["x1"] - SLACK:
                    break
                high = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                # Kerning moves a letter a little into its neighbour's box ("We", "r."):
                # printed over means most of the narrower letter is covered.
                # A closing quote tucks over a full stop the same way.
                wide = min(a["x1"], b["x1"]) - b["x0"]
                share = KERNING if a["text"].isalnum() and b["text"].isalnum() else PUNCTUATION
                if high > 0.3 * min(a["height"], b["height"]) and \
                        wide > max(SLACK, share * min(a["width"], b["width"])):
                    found.append(_said(a, chars, f"is printed over {b['text']!r}"))
    return list(dict.fromkeys(found))


def _said(c: dict, chars: list[dict], what: str) -> str:
    """A character in its line's words, so a failure says where to look."""
    line = sorted((o for o in chars if abs(o["bottom"] - c["bottom"]) < 1), key=lambda o: o["x0"])
    text = "".join(o["text"] for o in line)
    return f"{c['text']!r} in {text[:60]!r} {what}"

"""A PDF's drawn text read glyph by glyph with pypdf: what it says, and how many empty boxes it draws.

An "empty box" is glyph 0 (.notdef), which is what a font draws for a character it
has no glyph for; Typst's fonts are CID fonts, so every drawn glyph is a 2-byte code.
Text is read the way a screen reader gets it: a marked cluster's /ActualText (Typst
writes one for each Bengali or Tamil syllable) stands for the glyphs inside it.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def drawn(reader: PdfReader) -> tuple[list[str], int]:
    """Every page's text runs in drawing order, and how many .notdef glyphs were drawn."""
    runs: list[str] = []
    boxes = 0
    for page in reader.pages:
        page_runs, page_boxes = _page(reader, page)
        runs += page_runs
        boxes += page_boxes
    return runs, boxes


def _page(reader: PdfReader, page: Any) -> tuple[list[str], int]:
    fonts = {name: (_to_unicode(font.get_object()), font.get_object().get("/Subtype") == "/Type0")
             for name, font in (page["/Resources"].get("/Font") or {}).items()}
    runs: list[str] = []
    boxes = 0
    font: tuple[dict[int, str], bool] = ({}, True)
    marked: list[bool] = []  # for each open marked-content sequence: does it carry ActualText?
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"Tf":
            font = fonts.get(operands[0], ({}, True))
        elif op in (b"BDC", b"BMC"):
            props = operands[1] if op == b"BDC" and len(operands) > 1 else None
            actual = props.get("/ActualText") if hasattr(props, "get") else None
            if actual is not None and not any(marked):
                runs.append(str(actual))
            marked.append(actual is not None)
        elif op == b"EMC" and marked:
            marked.pop()
        elif op in (b"Tj", b"TJ"):
            for piece in operands[0] if op == b"TJ" else [operands[0]]:
                if isinstance(piece, (int, float)):
                    continue  # a kerning adjustment
                raw = piece.original_bytes if hasattr(piece, "original_bytes") else bytes(piece)
                step = 2 if font[1] else 1
                codes = [int.from_bytes(raw[i:i + step], "big") for i in range(0, len(raw), step)]
                boxes += codes.count(0)
                if not any(marked):
                    runs.append("".join(font[0].get(code, "") for code in codes))
    return runs, boxes


def _to_unicode(font: Any) -> dict[int, str]:
    """A font's ToUnicode map: glyph code -> the text it stands for."""
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return {}
    data = cmap.get_object().get_data()
    out: dict[int, str] = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for line in section.strip().splitlines():
            parts = _HEX.findall(line)
            if len(parts) >= 2:
                out[int(parts[0], 16)] = bytes.fromhex(parts[1].decode()).decode("utf-16-be")
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in section.strip().splitlines():
            parts = _HEX.findall(line)
            if len(parts) == 3:
                low, high = int(parts[0], 16), int(parts[1], 16)
                start = bytes.fromhex(parts[2].decode()).decode("utf-16-be")
                for i, code in enumerate(range(low, high + 1)):
                    out[code] = start[:-1] + chr(ord(start[-1]) + i)
    return out

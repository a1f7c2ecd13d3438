"""Load many versions of plans quickly, re-using the parts that did not change.

Consecutive versions of a plan differ in a section or two, so each version's text
is cut at its top-level keys and each section's text is loaded once (by
:mod:`load`, with all its safety checks) and then re-used. When cutting might not
give exactly what loading the whole file gives (an alias between sections, a
section written twice, anything that does not load on its own), the whole file
is loaded as usual instead, so the result is always the same as ``load_plan``'s.
"""

from __future__ import annotations

import re
from typing import Any

from builder.plan.load import load_plan_bytes, load_plan_text
from builder.plan.migrate import upgrade

_TOP_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\s*:")


class VersionLoader:
    """Loads plan texts, sharing a cache of sections between them."""

    def __init__(self) -> None:
        self.sections: dict[str, Any] = {}
        self.items: dict[str, Any] = {}

    def load(self, raw: bytes) -> dict[str, Any] | None:
        """The plan's data, or None if it cannot be read as a plan."""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        blocks = _split(text)
        if blocks is not None:
            data: dict[str, Any] = {}
            for key, block in blocks:
                value = self._section(block)
                if value is None or list(value) != [key] or key in data:
                    break
                data[key] = value[key]
            else:
                return upgrade(data)
        whole = load_plan_bytes(raw, "version").data
        return whole if isinstance(whole, dict) else None

    def _section(self, block: str) -> dict[str, Any] | None:
        if block not in self.sections:
            self.sections[block] = self._list_section(block) or self._parse(block)
        return self.sections[block]

    def _list_section(self, block: str) -> dict[str, Any] | None:
        """A section that is a list, loaded item by item so unchanged items are re-used."""
        head, _, body = block.partition("\n")
        key = head.split(":", 1)[0].strip()
        if head.split(":", 1)[1].split("#", 1)[0].strip():
            return None  # 'key: value' on one line: not a list written out item by item
        chunks = _items(body)
        if not chunks:
            return None
        items: list[Any] = []
        for chunk in chunks:
            if chunk not in self.items:
                loaded = self._parse("item:\n" + chunk)
                value = loaded.get("item") if loaded else None
                self.items[chunk] = value[0] if isinstance(value, list) and len(value) == 1 \
                    else _NOT_AN_ITEM
            if self.items[chunk] is _NOT_AN_ITEM:
                return None
            items.append(self.items[chunk])
        return {key: items}

    @staticmethod
    def _parse(text: str) -> dict[str, Any] | None:
        loaded = load_plan_text(text, "section", upgrade=False)
        return loaded.data if loaded.ok and isinstance(loaded.data, dict) else None


_NOT_AN_ITEM = object()


def _items(body: str) -> list[str] | None:
    """A list's text cut into one piece per item; None unless that is clearly safe."""
    lines = body.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() and
                  not line.lstrip().startswith("#")), None)
    if start is None or not lines[start].lstrip().startswith("- "):
        return None
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    marker = indent + "- "
    chunks: list[str] = []
    for line in lines[start:]:
        if line.startswith(marker):
            chunks.append(line)
        elif line.strip() and not line.lstrip().startswith("#") and \
                not line.startswith(indent + " ") and not (indent == "" and line.startswith(" ")):
            return None  # something at the list's own indent that is not an item
        else:
            chunks[-1] += line
    return chunks


_SECTION_START = re.compile(r"^(?=[^ \t\r\n#-])", re.MULTILINE)


def _split(text: str) -> list[tuple[str, str]] | None:
    """The text cut into (key, section text) at each top-level key; None if that is unsafe."""
    if "\t" in text or "\x00" in text or text.startswith("---") or "\n---" in text:
        return None
    starts = [m.start() for m in _SECTION_START.finditer(text)]
    if not starts:
        return None
    head = text[: starts[0]]
    if any(line.startswith("-") for line in head.splitlines()):
        return None  # a list before the first key: not a plan; load it whole to say why
    blocks: list[tuple[str, str]] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        block = text[start:end]
        match = _TOP_KEY.match(block)
        if match is None:
            return None
        blocks.append((match.group(0)[:-1].strip(), block))
    return blocks

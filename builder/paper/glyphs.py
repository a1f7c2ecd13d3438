"""Plan text made fit for the print fonts: every script in its own direction, nothing silently lost.

One pass over a finished pandoc document, before Typst sees it:

- a paragraph written right to left (Urdu, Arabic, Hebrew…) is laid out right to left,
  and one in the person's own language and script is marked with that language, so a
  screen reader reads it in the right voice;
- an emoji or symbol the fonts cannot draw is printed as its name in words
  (``[emoji: grinning face]``) rather than an empty box;
- any other character the fonts cannot draw stays in the text (so it can still be
  copied and read aloud), and a note in plain words right after that text says the
  copy shows it as an empty box.

Which characters can be drawn is decided by the caller (pdf.py asks the fonts, then Typst).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from builder.paper.blocks import T, text
from builder.plan.writing import direction, language_of

#: Below this code point every character is drawn (Latin-1 and Latin Extended-A).
_PLAIN_LATIN = 0x180
#: Marks that only change how the character before them looks; alone, they are left out.
_MODIFIERS = {0x20E3, *range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400)}
_FLAG_LETTER = range(0x1F1E6, 0x1F200)

NOTE = ("(Note: this printed copy cannot show {count} just before this note, so {it} "
        "as {boxes}. The plan itself keeps {them} as written.)")


def fit_for_print(document: Any, cannot_draw: Callable[[set[str]], set[str]],
                  language: object = None) -> Any:
    """The document with emoji in words, notes by text that cannot be drawn, and directions set.

    ``cannot_draw(chars)`` returns the characters the print fonts have no glyph for;
    ``language`` is the person's language as written in their plan.
    """
    blocks = document[1]
    chars = set("".join(_strings(blocks)))
    if not chars or max(map(ord, chars)) < _PLAIN_LATIN:
        return document  # the common case: nothing to do, nothing to ask the fonts
    fitter = _Fitter(cannot_draw(chars), language)
    return T.Pandoc(document[0], fitter.blocks(blocks))


class _Fitter:
    def __init__(self, missing: set[str], language: object) -> None:
        self.missing = missing
        self.language = language

    def blocks(self, blocks: list[Any]) -> list[Any]:
        return [self.block(b) for b in blocks]

    def block(self, block: Any) -> Any:
        if isinstance(block, (T.Para, T.Plain)):
            inlines = self.inlines_with_note(block[0])
            return self.directed(type(block)(inlines))
        if isinstance(block, T.Header):
            return T.Header(block[0], block[1], self.inlines_with_note(block[2]))
        if isinstance(block, T.BlockQuote):
            return T.BlockQuote(self.blocks(block[0]))
        if isinstance(block, T.Div):
            return T.Div(block[0], self.blocks(block[1]))
        if isinstance(block, T.BulletList):
            return T.BulletList([self.blocks(item) for item in block[0]])
        if isinstance(block, T.OrderedList):
            return T.OrderedList(block[0], [self.blocks(item) for item in block[1]])
        if isinstance(block, T.Table):
            head, bodies, foot = block[3], block[4], block[5]
            return T.Table(block[0], block[1], block[2],
                           T.TableHead(head[0], self.rows(head[1])),
                           [T.TableBody(b[0], b[1], self.rows(b[2]), self.rows(b[3]))
                            for b in bodies],
                           T.TableFoot(foot[0], self.rows(foot[1])))
        return block

    def rows(self, rows: list[Any]) -> list[Any]:
        return [T.Row(row[0], [T.Cell(c[0], c[1], c[2], c[3], self.blocks(c[4])) for c in row[1]])
                for row in rows]

    def directed(self, block: Any) -> Any:
        """A paragraph whose text is set in its own direction and language, where they differ.

        A span around the whole paragraph, not a Div: pandoc writes a Div as a Typst
        block that shrinks to its text, so right-to-left text would not sit on the right.
        """
        said = "".join(_strings([block]))
        attrs = []
        if direction(said) == "rtl":
            attrs.append(("typst:text:dir", "rtl"))
        lang = language_of(said, self.language)
        if lang:
            # A code from builder.plan.writing's own table, never text from the plan.
            attrs.append(("typst:text:lang", f'"{lang}"'))
        if not attrs:
            return block
        return type(block)([T.Span(("", [], attrs), block[0])])

    def inlines_with_note(self, inlines: list[Any]) -> list[Any]:
        out, kept = self.inlines(inlines)
        if kept:
            out += [T.Space(), T.Emph(text(_note(kept)))]
        return out

    def inlines(self, inlines: list[Any]) -> tuple[list[Any], int]:
        out: list[Any] = []
        kept = 0
        for inline in inlines:
            if isinstance(inline, T.Str):
                value, n = self.printable(inline[0])
                out.append(T.Str(value))
            elif isinstance(inline, (T.Strong, T.Emph)):
                inner, n = self.inlines(inline[0])
                out.append(type(inline)(inner))
            elif isinstance(inline, T.Span):
                inner, n = self.inlines(inline[1])
                out.append(T.Span(inline[0], inner))
            else:
                out.append(inline)
                n = 0
            kept += n
        return out, kept

    def printable(self, value: str) -> tuple[str, int]:
        """The text with undrawable symbols in words; how many undrawable letters stay."""
        if not self.missing or self.missing.isdisjoint(value):
            return value, 0
        out: list[str] = []
        kept = 0
        flag = ""
        for char in value:
            code = ord(char)
            if char in self.missing and code in _FLAG_LETTER:
                flag += chr(ord("A") + code - _FLAG_LETTER.start)
                if len(flag) == 2:
                    out.append(f"[flag: {flag}]")
                    flag = ""
                continue
            flag = ""
            if char not in self.missing:
                out.append(char)
            elif code in _MODIFIERS or unicodedata.category(char) == "Cf":
                continue  # a joiner, colour or skin-tone mark: nothing to show on its own
            elif unicodedata.category(char) in ("So", "Sk", "Sm"):
                out.append(f"[{_describe(char)}]")
            else:
                out.append(char)
                kept += 1
        return "".join(out), kept


def _describe(char: str) -> str:
    name = unicodedata.name(char, "").lower()
    if not name:
        return "a symbol"
    kind = "emoji" if ord(char) >= 0x1F000 or 0x2600 <= ord(char) < 0x2C00 else "symbol"
    return f"{kind}: {name}"


def _note(count: int) -> str:
    one = count == 1
    return NOTE.format(count="1 character" if one else f"{count} characters",
                       it="it prints" if one else "they print",
                       boxes="an empty box" if one else "empty boxes",
                       them="it" if one else "them")


def _strings(blocks: Iterable[Any]) -> Iterable[str]:
    """Every piece of text in some blocks, in reading order.

    A plain walk over the elements' arguments: ``pandoc.iter`` is general but slower
    than making the whole document, and this runs for every copy.
    """
    stack: list[Any] = list(blocks)[::-1]
    text_type = T.Str
    while stack:
        element = stack.pop()
        kind = type(element)
        if kind is text_type:
            yield element._args[0]
        elif kind is list or kind is tuple:
            stack.extend(reversed(element))
        elif kind is not str and hasattr(element, "_args"):
            stack.extend(reversed(element._args))

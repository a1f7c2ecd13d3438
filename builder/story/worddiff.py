"""What changed inside a long text, word by word, instead of cutting it short.

Two versions of a text become a list of :class:`Piece` s: words kept, words added
(``ins``) and words taken out (``del``). Long stretches that did not change are
shortened to a few words either side of each change, so a reader sees what is new
with enough around it to know where it is.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: Words of unchanged text kept either side of a change.
CONTEXT = 8
#: Texts longer than this (either version) are shown word by word rather than quoted whole.
LONG_TEXT = 60


@dataclass(frozen=True)
class Piece:
    """A run of words: plain ``text``, words added (``ins``), words taken out (``del``), or
    the name of what changed (``lead``)."""

    kind: str
    text: str


def is_long(old: str, new: str) -> bool:
    return max(len(old), len(new)) > LONG_TEXT


def word_diff(old: str, new: str, context: int = CONTEXT) -> list[Piece]:
    """The new text with the words added and removed marked, unchanged stretches shortened."""
    a, b = re.findall(r"\S+", old), re.findall(r"\S+", new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    codes = matcher.get_opcodes()
    tokens: list[tuple[str, str]] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            tokens += [("text", w) for w in _kept(a[i1:i2], context, first=n == 0,
                                                   last=n == len(codes) - 1)]
            continue
        if tag in ("delete", "replace"):
            tokens.append(("del", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            tokens.append(("ins", " ".join(b[j1:j2])))
    return _merge(tokens)


def _kept(words: list[str], context: int, first: bool, last: bool) -> list[str]:
    if first and last:
        return words
    if first:
        return ["…", *words[-context:]] if len(words) > context else words
    if last:
        return [*words[:context], "…"] if len(words) > context else words
    if len(words) > 2 * context:
        return [*words[:context], "…", *words[-context:]]
    return words


def _merge(tokens: list[tuple[str, str]]) -> list[Piece]:
    pieces: list[Piece] = []
    for kind, word in tokens:
        if pieces and pieces[-1].kind == kind and kind == "text":
            pieces[-1] = Piece(kind, f"{pieces[-1].text} {word}")
            continue
        if pieces:
            pieces.append(Piece("text", " "))
        pieces.append(Piece(kind, word))
    # Spaces are their own pieces between runs of different kinds; fold them into text runs.
    out: list[Piece] = []
    for piece in pieces:
        if out and out[-1].kind == "text" and piece.kind == "text":
            out[-1] = Piece("text", out[-1].text + piece.text)
        else:
            out.append(piece)
    return out


def plain_text(pieces: list[Piece], marks: tuple[str, str, str, str] = ("[+", "+]", "[-", "-]")
               ) -> str:
    """Pieces as plain text, added and removed words marked so that black and white shows them."""
    out = []
    for piece in pieces:
        if piece.kind == "ins":
            out.append(f"{marks[0]}{piece.text}{marks[1]}")
        elif piece.kind == "del":
            out.append(f"{marks[2]}{piece.text}{marks[3]}")
        else:
            out.append(piece.text)
    return "".join(out)

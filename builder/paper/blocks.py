"""Small builders of pandoc elements for the printed copy; plan text only ever passes through text().

``text()`` turns any value into ``Str`` and ``Space`` elements, which pandoc's Typst
writer escapes character by character. Nothing here pastes text into markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from builder.paper import words
from builder.paper.pandoc_tool import pandoc_types
from builder.plan.labels import HIDDEN_PERSON

T = pandoc_types()

NO_ATTR: tuple[str, list[str], list[tuple[str, str]]] = ("", [], [])


def text(value: Any) -> list[Any]:
    """Inline elements for a value: a line of text is one ``Str``; a line break stays one.

    One ``Str`` per line rather than per word keeps the document small, so pandoc reads
    it faster; its Typst writer escapes a ``Str`` character by character either way.
    """
    out: list[Any] = []
    whole = words.plain(value)
    for line in re.split(r"[ \t]*\r?\n[ \t\r\n]*", whole.strip()):
        if out:
            out.append(T.LineBreak())
        if line:
            out.append(T.Str(_keep_literal(line)))
    # A space at either end is kept as a Space, so that pieces put side by side
    # (text("Result: ") + text(result)) do not run together: "Result:HbA1c 44".
    if out and whole[:1] in (" ", "\t"):
        out.insert(0, T.Space())
    if out and whole[-1:] in (" ", "\t"):
        out.append(T.Space())
    return out


#: What Typst reads as markup where pandoc's Typst writer does not escape it: a list,
#: heading or term marker starting a line inside a list item or table cell, and the
#: soft-hyphen shorthand "-?" anywhere (found by the property tests: "/" alone in a
#: list item stopped the PDF with "expected colon").
_LINE_MARKER = re.compile(r"^(?=(?:[-+/]|=+|\d+\.)(?:\s|$))")
WORD_JOINER = "\u2060"  # invisible, no break, allowed in PDF/UA-1, and in the print fonts


def _keep_literal(line: str) -> str:
    """The line with a word joiner where Typst would otherwise take text for markup."""
    return _LINE_MARKER.sub(WORD_JOINER, line).replace("-?", "-" + WORD_JOINER + "?")


def paragraphs(value: Any) -> list[Any]:
    """One paragraph per blank-line-separated part of a text."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", words.plain(value)) if p.strip()]
    return [T.Para(text(p)) for p in parts]


def strong(value: Any) -> Any:
    return T.Strong(text(value))


def shout(value: str) -> Any:
    """Bold dark red, for what is overdue; the words say it too, not only the colour."""
    return T.Strong([T.Span(("", [], [("typst:text:fill", 'rgb("#9b1111")')]), text(value))])


def small(value: str) -> Any:
    """Small grey print, for what only some readers need (a commit id)."""
    attrs = [("typst:text:size", "0.8em"), ("typst:text:fill", 'rgb("#404040")')]
    return T.Span(("", [], attrs), text(value))


def heading(level: int, value: str) -> Any:
    return T.Header(level, NO_ATTR, text(value))


def terms(rows: Iterable[tuple[str, list[Any] | None]]) -> list[Any]:
    """'Label: value' lines in one paragraph, one line each; rows without a value are left out."""
    inlines: list[Any] = []
    for label, value in rows:
        if not value:
            continue
        if inlines:
            inlines.append(T.LineBreak())
        inlines += [T.Strong(text(f"{label}:")), T.Space(), *value]
    return [T.Para(inlines)] if inlines else []


def bullets(items: Iterable[list[Any]]) -> list[Any]:
    rows = [[T.Plain(item)] for item in items if item]
    return [T.BulletList(rows)] if rows else []


def table(headers: list[str], rows: list[list[list[Any]]], widths: list[float],
          extra: list[tuple[str, str]] | None = None) -> Any:
    """A full-width table with a header row; each cell is a list of inlines."""

    def cell(inlines: list[Any]) -> Any:
        return T.Cell(NO_ATTR, T.AlignDefault(), 1, 1, [T.Plain(inlines)] if inlines else [])

    head = T.TableHead(NO_ATTR, [T.Row(NO_ATTR, [cell(text(h)) for h in headers])])
    body = T.TableBody(NO_ATTR, 0, [], [T.Row(NO_ATTR, [cell(c) for c in row]) for row in rows])
    specs = [(T.AlignLeft(), T.ColWidth_(w)) for w in widths]
    attr = ("", ["typst:no-figure"], extra or [])
    return T.Table(attr, T.Caption(None, []), specs, head, [body], T.TableFoot(NO_ATTR, []))


def items(value: Any) -> list[dict[str, Any]]:
    """The mapping items of a list (anything else in it is skipped)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


class People:
    """Names for person references, from what this audience may see of the care team."""

    def __init__(self, seen: dict[str, Any]) -> None:
        person = seen.get("person") or {}
        self.full_name = words.plain(person.get("name") or "this person")
        self.called = words.plain(person.get("preferred_name") or self.full_name)
        self.team = {
            m["id"]: m for m in seen.get("care_team") or [] if isinstance(m, dict) and "id" in m
        }

    def name(self, ref: Any) -> str:
        if ref == "me":
            return self.called
        member = self.team.get(ref)
        if member is None:
            return HIDDEN_PERSON
        return words.plain(member.get("name") or HIDDEN_PERSON)

    def name_and_role(self, ref: Any) -> str:
        member = self.team.get(ref)
        if ref == "me" or member is None:
            return self.name(ref)
        return f"{self.name(ref)} ({words.role(member.get('role'))})"

    def key_worker(self) -> dict[str, Any] | None:
        marked = [m for m in self.team.values() if m.get("key_worker") is True]
        if marked:
            return marked[0]
        coordinators = [m for m in self.team.values() if m.get("role") in ("key-worker", "care-coordinator")]
        return coordinators[0] if coordinators else None

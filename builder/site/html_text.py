"""Plan text made safe for a page: everything a person typed becomes text, never markup.

Pages are Markdown files whose plan content sits inside raw HTML blocks, which
Markdown passes through untouched. So every value from a plan is HTML-escaped
here, and nothing from a plan ever reaches Markdown syntax itself: ``<script>``,
``[x](javascript:…)``, ``{{ }}`` and ``**`` all show exactly as typed.

Plan text keeps its own direction: a paragraph carries ``dir="auto"``, and a piece of
text holding a right-to-left letter (Urdu, Arabic, Hebrew) is isolated in a
``<span dir="auto">``, so it reads right to left with its punctuation at the right end
even inside an English sentence. Only :func:`plain` leaves text bare, for the places
(SVG, attribute values) where no element may go.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from builder.plan.writing import has_rtl, language_of

#: Control characters (other than tab and newline) are dropped: they are never
#: meaningful in a plan, and Markdown uses \x02/\x03 for its own placeholders.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n")
#: Characters Python-Markdown lets a backslash escape.
_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|~")


def clean(value: object) -> str:
    """The value as plain text, without control characters."""
    return _CONTROL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")


def plain(value: object) -> str:
    """A value escaped as text, with no element around it: for SVG text and titles."""
    return html.escape(clean(value), quote=True)


def text(value: object) -> str:
    """Inline HTML for a value: escaped, line breaks kept, right-to-left text isolated."""
    escaped = _lines(value)
    return f'<span dir="auto">{escaped}</span>' if has_rtl(escaped) else escaped


def _lines(value: object) -> str:
    return html.escape(clean(value), quote=True).replace("\n", "<br>")


def attr(value: object) -> str:
    """A value for an HTML attribute (quoted by the caller)."""
    return html.escape(clean(value).replace("\n", " "), quote=True)


def paras(value: object, css: str = "", language: object = None) -> str:
    """Paragraphs of HTML from text with blank lines between paragraphs, each in its own direction.

    ``language`` is the person's language as written in their plan: a paragraph in
    that language's own script is marked with it (``lang="ur"``), for screen readers.
    """
    cls = f' class="{css}"' if css else ""
    chunks = [c.strip("\n") for c in _BLANK_LINES.split(clean(value).strip())]
    out = []
    for chunk in chunks:
        if chunk.strip():
            code = language_of(chunk, language) if language else None
            lang = f' lang="{code}"' if code else ""
            out.append(f'<p dir="auto"{lang}{cls}>{_lines(chunk)}</p>')
    return "".join(out)


def heading_md(value: object) -> str:
    """Text for a Markdown heading line: escaped for both HTML and Markdown."""
    out = []
    for char in clean(value).replace("\n", " "):
        if char in "&<>\"'":
            out.append(html.escape(char, quote=True))
        elif char in _MARKDOWN_SPECIALS:
            out.append("\\" + char)
        else:
            out.append(char)
    line = "".join(out).strip() or "\\-"
    return f'<span dir="auto">{line}</span>' if has_rtl(line) else line


def block(*parts: str) -> str:
    """A raw HTML block for a Markdown page: one <div>, no blank lines inside."""
    inner = "".join(parts)
    return f"\n<div>{inner}</div>\n\n"


def facts(pairs: Iterable[tuple[str, str | None]]) -> str:
    """A definition list of label → HTML value; pairs whose value is None are left out."""
    rows = "".join(f"<dt>{text(k)}</dt><dd>{v}</dd>" for k, v in pairs if v not in (None, ""))
    return f'<dl class="wp-facts">{rows}</dl>' if rows else ""


def table(caption: str, headers: list[str], rows: list[list[str]], css: str = "", label: str = "",
          shown: str | None = None) -> str:
    """A captioned data table (cells are HTML) that scrolls sideways on a small screen.

    Its scrolling region is named by label (default: the caption); a page with several
    tables of one caption gives each a label of its own, so each region's name is unique.
    ``shown``: what the caption shows on screen when a heading just above already names the
    table ("" for nothing); the whole caption is still read out by screen readers.
    """
    head = "".join(f'<th scope="col">{text(h)}</th>' for h in headers)
    labels = [attr(h) for h in headers]
    body = "".join(
        "<tr>"
        + "".join(f'<td data-label="{label}">{cell}</td>' for label, cell in zip(labels, row, strict=True))
        + "</tr>"
        for row in rows
    )
    extra = f" {css}" if css else ""
    return (
        f'<div class="wp-scroll" role="region" tabindex="0" aria-label="{attr(label or caption)}">'
        f'<table class="wp-table{extra}"><caption>{_caption(caption, shown)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _caption(caption: str, shown: str | None) -> str:
    if shown is None:
        return text(caption)
    visible = f'<span aria-hidden="true">{text(shown)}</span>' if shown else ""
    return f'<span class="wp-sr-only">{text(caption)}</span>{visible}'


def badge(label: str, state: str) -> str:
    """A status shown in words first, with colour as a second cue (a long one may wrap)."""
    long = " wp-badge--long" if len(label) > 24 else ""
    return f'<span class="wp-badge wp-badge--{state}{long}">{text(label)}</span>'

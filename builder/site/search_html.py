"""A page's HTML read for the search index quickly: the calls ``html.parser`` would make, for plain HTML.

Material's search plugin reads every page with a subclass of Python's
``html.parser.HTMLParser``, which is written in Python and walks a page a few
characters at a time: a quarter of a cold build's time. Our pages' HTML is plain —
our renderers write it, plan text in it is always escaped, and Python-Markdown makes
the rest — so it can be cut into tags and text with one regular expression, and the
same handler calls made (``handle_starttag`` with the attributes as the parser gives
them, ``handle_startendtag``, ``handle_endtag``, and ``handle_data`` with character
references converted, one call for each run of text between tags).

:func:`replay` reads only what it can read exactly as ``HTMLParser`` does:

- tags whose name is letters, digits and hyphens (any case; the name is lowered);
- attributes after a space, named with letters, digits and ``-_:.``, either bare
  or ``="…"`` / ``='…'`` with no space around the ``=``;
- text with no ``<`` in it (``&`` may be anything: the parser hands each run of text
  to ``html.unescape`` whole, and so does this).

Anything else — a comment, a doctype, a processing instruction, CDATA, a stray
``<``, an unquoted value, an element whose content the parser reads as raw text
(``<script>``, ``<style>``, and whatever the running Python adds) — and it makes no
call at all and answers False, so the caller hands the page to the parser instead.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Protocol

#: What HTMLParser counts as space between attributes, short of Unicode's other spaces.
_SPACE = "[ \t\n\r\f]"
_TAG = "[a-zA-Z][a-zA-Z0-9-]*"
_ATTRIBUTE_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*"
#: Text up to the next "<", then what that "<" starts: a start tag (its name, its
#: attributes, a "/" before the ">"), an end tag, or anything else (a lone "<"); or
#: the text to the end of the page. Every match starts where the last one ended, so
#: the page is read once, never searched again from each character.
_TEXT_AND_TAG = re.compile(
    rf"([^<]*)(?:"
    rf"<({_TAG})((?:{_SPACE}+{_ATTRIBUTE_NAME}(?:=\"[^\"]*\"|='[^']*')?)*){_SPACE}*(/?)>"
    rf"|</({_TAG})>"
    rf"|(<)"
    rf"|\Z)"
)
#: One attribute of a start tag: its name, and its value in double or single quotes, if any.
_ATTRIBUTE = re.compile(rf"{_SPACE}+({_ATTRIBUTE_NAME})(=(?:\"([^\"]*)\"|'([^']*)'))?")

#: Elements whose content the running Python's parser reads as raw text, not as tags.
RAW_TEXT = frozenset(
    name.lower()
    for name in (*HTMLParser.CDATA_CONTENT_ELEMENTS, *getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()))
)

_DATA, _END, _START, _STARTEND = range(4)
_Attributes = list[tuple[str, str | None]]
_Token = tuple[int, str, _Attributes | None]


class Handler(Protocol):
    """The handler methods of an ``HTMLParser`` subclass that :func:`replay` calls."""

    def handle_starttag(self, tag: str, attrs: _Attributes) -> None: ...
    def handle_startendtag(self, tag: str, attrs: _Attributes) -> None: ...
    def handle_endtag(self, tag: str) -> None: ...
    def handle_data(self, data: str) -> None: ...


def replay(page: str, handler: Handler) -> bool:
    """Make the handler calls HTMLParser would make for page, and say True; or make none and say False."""
    tokens = _tokens(page)
    if tokens is None:
        return False
    data, end, start, startend = (
        handler.handle_data,
        handler.handle_endtag,
        handler.handle_starttag,
        handler.handle_startendtag,
    )
    for kind, value, attributes in tokens:
        if kind == _DATA:
            data(value)
        elif kind == _END:
            end(value)
        elif kind == _START:
            start(value, attributes)  # type: ignore[arg-type] - a start tag always has its list
        else:
            startend(value, attributes)  # type: ignore[arg-type]
    return True


def _tokens(page: str) -> list[_Token] | None:
    """The page as (kind, text or tag name, attributes) tokens; None if any of it is not plain HTML."""
    tokens: list[_Token] = []
    add = tokens.append
    for match in _TEXT_AND_TAG.finditer(page):
        text, start, attributes, slash, end, stray = match.groups()
        if stray is not None:
            return None
        if text:
            add((_DATA, unescape(text), None))
        if end is not None:
            add((_END, end.lower(), None))
        elif start is not None:
            tag = start.lower()
            if tag in RAW_TEXT:
                return None
            add((_STARTEND if slash else _START, tag, _attributes(attributes) if attributes else []))
        else:
            break  # the end of the page
    return tokens


def _attributes(source: str) -> _Attributes:
    """Attributes as HTMLParser lists them: names lowered, values unquoted and unescaped, None if bare."""
    found: _Attributes = []
    for match in _ATTRIBUTE.finditer(source):
        name, valued, double, single = match.groups()
        value = None if valued is None else double if double is not None else single
        found.append((name.lower(), unescape(value) if value else value))
    return found

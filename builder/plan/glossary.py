"""Plain words for a person or carer in place of a clinician's, from data/glossary.json.

Each term is said in plain words to the audiences its entry names; the team and the GP
read the term as written. Terms are matched whole, in any case, so plan text is never
rewritten inside a sentence.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from builder.workspace import GLOSSARY_FILE


@dataclass(frozen=True)
class Term:
    """One entry: the term, the plain words, who reads them, and what it means (if said)."""

    term: str
    plain: str
    audiences: tuple[str, ...]
    explain: str = ""
    check_kind: str = ""


@cache
def terms() -> tuple[Term, ...]:
    data = json.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))
    return tuple(Term(t["term"], t["plain"], tuple(t["for"]), t.get("explain", ""),
                      t.get("check_kind", "")) for t in data["terms"])


def _kind(audience: str) -> str:
    return audience.split(":", 1)[0]  # carer:sam reads what carers read


def plain(words: str, audience: str) -> str:
    """The plain words for a term, for this audience; anything else as it is."""
    key = " ".join(words.split()).casefold()
    for t in terms():
        if _kind(audience) in t.audiences and t.term.casefold() == key:
            return t.plain
    return words


def check_name(check: dict[str, Any], name: str, audience: str) -> str:
    """A health check's name for this audience: the plain words for its kind, if there are any."""
    for t in terms():
        if _kind(audience) in t.audiences and t.check_kind and t.check_kind == check.get("kind"):
            return t.plain
    return plain(name, audience)


def explained(texts: list[str], audience: str) -> list[Term]:
    """The terms with an explanation that these texts use, for this audience, in glossary order."""
    joined = " ".join(texts)
    return [t for t in terms() if _kind(audience) in t.audiences and t.explain and
            re.search(rf"(?<!\w){re.escape(t.term.split(' (')[0])}(?!\w)", joined, re.IGNORECASE)]


@cache
def _fields() -> dict[str, str]:
    data = json.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))
    return {k.casefold(): v for k, v in (data.get("fields") or {}).items()}


def field_words(title: str) -> str | None:
    """How a sentence names a field whose title cannot follow 'the', if the glossary says."""
    return _fields().get(" ".join(title.split()).casefold())

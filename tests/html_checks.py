"""What must never be in a built page, read the way a browser reads it (a real HTML parser).

Plan text may hold anything; after escaping, none of it may become an event handler,
an attribute of its own, a link that runs code, or a link out of the site.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

#: Attributes a browser follows as a URL.
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "poster", "data", "srcdoc"}
#: Schemes that run code or carry a document of their own.
CODE_SCHEMES = ("javascript:", "vbscript:", "data:")
#: Elements plan text must never create: they load or run something.
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "base", "applet"}
#: Where the hostile fixtures point their links: no page may link there.
FOREIGN_SITE = "evil.example"
#: Browsers ignore these characters in a URL's scheme (so "java\tscript:" still runs).
_IGNORED_IN_URL = re.compile(r"[\x00-\x20]")


def url_runs_code(value: str) -> bool:
    return _IGNORED_IN_URL.sub("", value).lower().startswith(CODE_SCHEMES)


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            shown = f"<{tag} {name}={value!r}>"
            if name.startswith("on"):
                self.problems.append(f"an event handler attribute: {shown}")
            elif name == "autofocus":
                self.problems.append(f"an attribute from outside the page: {shown}")
            elif name in URL_ATTRIBUTES and value is not None:
                if url_runs_code(value):
                    self.problems.append(f"a link that runs code: {shown}")
                elif FOREIGN_SITE in value:
                    self.problems.append(f"a link made from plan text: {shown}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"a <{tag}> element")
        self._script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._script = False

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and "alert(" in data:
            self.problems.append(f"a script from plan text: {data[:80]!r}")


def html_problems(html: str) -> list[str]:
    """Everything in ``html`` that plan text must never become (empty is a pass)."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return scan.problems


def site_problems(site: Path) -> list[str]:
    """html_problems for every page of a built site, and for the search index's entries
    (Material's search shows an entry's title and text as HTML)."""
    found = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        found += [f"{rel}: {p}" for p in html_problems(page.read_text(encoding="utf-8"))]
    for index in sorted(site.rglob("search_index.json")):
        rel = index.relative_to(site).as_posix()
        for doc in json.loads(index.read_text(encoding="utf-8")).get("docs", []):
            for key in ("title", "text"):
                found += [f"{rel} {doc.get('location')} {key}: {p}" for p in html_problems(doc.get(key, ""))]
    return found


class _Collect(HTMLParser):
    def __init__(self, tags: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.texts = tags, [], []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag in self.tags:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            self.texts.append((name, "".join(parts)))

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)


def parsed(html: str, tags: set[str]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """Every (tag, attribute, value) in ``html``, and the text of each element named in ``tags``,
    as a browser reads them (character references decoded)."""
    collect = _Collect(tags)
    collect.feed(html)
    collect.close()
    return collect.attributes, collect.texts

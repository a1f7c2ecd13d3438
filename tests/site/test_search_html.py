"""The quick reading of pages for the search index (site/search_html.py) makes exactly
the calls html.parser makes, and real sites get the same search index byte for byte.

Each page of a build is read either by search_html.replay or, for anything it does
not read exactly as ``HTMLParser`` does, by Material's own parser; so the tests
check both that what replay reads it reads exactly, and that what it refuses it
refuses before making a single call."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser as MaterialParser

from builder.demo import make as demo
from builder.site import mkdocs_adapter, search_html
from builder.site.build import build_site
from builder.view import AUDIENCES
from tests.sink_fixtures import make_sink_workspace
from tests.site_fixtures import TODAY, make_site_workspace


class Calls(HTMLParser):
    """Records each handler call, as (handler, arguments)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple] = []

    def handle_starttag(self, tag, attrs) -> None:  # noqa: ANN001
        self.calls.append(("start", tag, attrs))

    def handle_startendtag(self, tag, attrs) -> None:  # noqa: ANN001
        self.calls.append(("startend", tag, attrs))

    def handle_endtag(self, tag) -> None:  # noqa: ANN001
        self.calls.append(("end", tag))

    def handle_data(self, data) -> None:  # noqa: ANN001
        self.calls.append(("data", data))

    def handle_comment(self, data) -> None:  # noqa: ANN001
        self.calls.append(("comment", data))

    def handle_decl(self, decl) -> None:  # noqa: ANN001
        self.calls.append(("decl", decl))

    def handle_pi(self, data) -> None:  # noqa: ANN001
        self.calls.append(("pi", data))

    def unknown_decl(self, data) -> None:  # noqa: ANN001
        self.calls.append(("unknown", data))


def parsed(html: str) -> list[tuple]:
    parser = Calls()
    parser.feed(html)
    parser.close()
    return parser.calls


def replayed(html: str) -> list[tuple] | None:
    handler = Calls()
    if not search_html.replay(html, handler):
        assert handler.calls == [], "replay said no after making calls"
        return None
    return handler.calls


PLAIN = [
    "",
    "just text, with &amp; and &lt;b&gt;",
    "<p>Tom &amp; Jerry &lt;script&gt; &quot;hi&quot; &#39;x&#39; &#x27;y&#x27; &copy; &copy &amp</p>",
    "<p>&notanentity; &#9999999999; &#0; &#x110000; &am p; & ; &</p>",
    '<p title="He said &quot;no&quot; &amp; left &gt; here" data-x=\'a > b "c"\'>x</p>',
    '<a href="#goals" class="headerlink" title="Permanent link">&para;</a>',
    '<input type="checkbox" checked disabled><br><br/><br /><img src="a.png" alt="">',
    '<P CLASS="Loud" Data-Search-Exclude>Upper</P><H2 ID="Mixed-Case">T</H2>',
    '<h2 id="goals">Goals <em>and <strong>more</strong></em></h2><p>After <code>x &lt; y</code></p>',
    "<ul><li>One</li><li>Two <sub>2</sub> <sup>3</sup></li></ul>\n\n"
    "<pre><code>  keep\n  lines  </code></pre>",
    '<svg viewBox="0 0 10 10" role="img" aria-label="A &amp; B"><title>Weight &amp; BMI</title>'
    '<desc>Rising</desc><g><text x="1" y="2">5 kg</text><circle cx="1" cy="1" r="2"/></g></svg>',
    '<linearGradient gradientUnits="userSpaceOnUse"></linearGradient><foreignObject/>',
    '<td data-label="When"\n   colspan="2"\tclass="a">multi\nline</td>',
    '<p lang="ur" dir="auto"><span dir="auto">یہ میرا منصوبہ ہے</span></p>',
    "<p>a > b and c >> d</p>text after the last tag &amp; more",
    '<div a="" b=\'\' c>empty values</div>',
    '<p a="1" a="2">duplicates kept in order</p>',
    "<p xml:lang=\"en\" data-a.b_c=\"x\">names with punctuation</p>",
    "<h1>Title</h1>\n<p>Text\r\nwith CRLF</p>\n",
    '<a href="x">never closed</b></i>',
]

NOT_PLAIN = [
    "<!-- a comment --><p>x</p>",
    "<!DOCTYPE html><p>x</p>",
    "<?xml version='1.0'?><p>x</p>",
    "<![CDATA[x]]>",
    "<script>if (a < b) {}</script>",
    "<STYLE>p > a {}</STYLE>",
    "<p>a < b</p>",
    "<p>1 <2</p>",
    "<p>x</p><",
    "<p>x</p",
    "<a href=unquoted>x</a>",
    '<a href = "spaced">x</a>',
    '<a href="x"title="y">x</a>',
    "</ p>",
    "</p >",
    "<p/ class=\"x\">",
    "<p\vclass=\"x\">",
    "<p\u00a0class=\"x\">",
    "<p class=\"x\" / >",
    "<p class=\"x>",
]


@pytest.mark.parametrize("html", PLAIN)
def test_plain_html_gives_exactly_the_parsers_calls(html: str) -> None:
    assert replayed(html) == parsed(html)


@pytest.mark.parametrize("html", NOT_PLAIN)
def test_anything_else_is_left_to_the_parser_untouched(html: str) -> None:
    assert replayed(html) is None


@pytest.mark.parametrize("name", sorted(search_html.RAW_TEXT))
def test_every_raw_text_element_of_this_python_is_left_to_the_parser(name: str) -> None:
    assert replayed(f"<p>x</p><{name.upper()}>a <b> c</{name}>") is None


#: Pieces of HTML, plain and not, that the property test strings together at random.
PIECES = [
    "<p>", "</p>", "<P>", "</P>", "<br>", "<br/>", "<br />", "<h2 id=\"x\">", "</h2>",
    '<a class="headerlink" href="#x">', "</a>", "<span dir=\"auto\">", "</span>", "<pre>", "</pre>",
    "<div data-search-exclude>", "</div>", "<svg>", "<title>", "</title>", "<text x=\"1\">", "</text>",
    '<td data-label="a &quot;b&quot; &gt; c">', "<td data-label='it&#39;s'>", "<img alt=\"\">",
    "text", " ", "\n", "\t", "&amp;", "&lt;", "&", "&#", "&#39;", "&#x27", "&copy", "&notit;", ";",
    "<", ">", "/", "=", '"', "'", "<!--", "-->", "<!x>", "<?pi>", "</", "<script>", "</script>",
    "<a href=x>", "<a b='1'c=\"2\">", "<x-y z>", "\u00a0", "\x00", "\v", "é",
]


@settings(max_examples=1000, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_whatever_replay_reads_it_reads_as_the_parser_does(html: str) -> None:
    calls = replayed(html)
    if calls is not None:
        assert calls == parsed(html)


def _tag(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["p", "P", "h2", "span", "Td", "text", "title", "desc", "x-y", "g"]))
    attributes = draw(st.lists(st.tuples(
        st.sampled_from(["id", "class", "Data-Label", "aria-label", "xml:lang", "checked"]),
        st.one_of(st.none(), st.text(alphabet="a <>&;#\"x'\n", max_size=8)),
        st.sampled_from([" ", "\n", "  ", "\t"]),
    ), max_size=3))
    source = "".join(
        f"{space}{key}" if value is None
        else f"{space}{key}=\"{value.replace(chr(34), '&quot;')}\"" if "'" in value
        else f"{space}{key}='{value}'"
        for key, value, space in attributes
    )
    return f"<{name}{source}{draw(st.sampled_from(['', ' ', '/', ' /']))}>"


@st.composite
def plain_html(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["start", "end", "text"]))
        if kind == "start":
            parts.append(_tag(draw))
        elif kind == "end":
            parts.append(f"</{draw(st.sampled_from(['p', 'H2', 'span', 'td', 'text', 'x-y']))}>")
        else:
            parts.append(draw(st.text(alphabet="ab &;#x39lt\n\u00a0>", max_size=10)))
    return "".join(parts)


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(plain_html())
def test_plain_html_is_always_read_and_read_as_the_parser_does(html: str) -> None:
    assert replayed(html) == parsed(html)


def _sections(parser: MaterialParser) -> list[tuple]:
    return [(s.el.tag, s.id, s.depth, s.title, s.text, s.is_excluded()) for s in parser.data]


@pytest.mark.parametrize("html", PLAIN + NOT_PLAIN)
def test_materials_parser_makes_the_same_sections_either_way(html: str) -> None:
    material = MaterialParser()
    material.feed(html)
    material.close()
    quick = mkdocs_adapter._QuickSearchParser()
    quick.feed(html)
    quick.close()
    assert _sections(quick) == _sections(material)


# --- Real sites: the same search index, byte for byte ---------------------------------------


def _indexes(out: Path) -> dict[str, bytes]:
    found = {
        str(path.relative_to(out)): path.read_bytes()
        for pattern in ("search_index.json", "search_index.js")
        for path in out.rglob(pattern)
    }
    assert found, f"no search index was built in {out}"
    return found


def _build(workspace: Path, out: Path, audience: str, monkeypatch: pytest.MonkeyPatch,
           quick: bool) -> list[bool]:
    """Build the site in this process, reading pages quickly or with Material's parser; what replay said."""
    said: list[bool] = []
    replay = search_html.replay

    def spy(page: str, handler: search_html.Handler) -> bool:
        said.append(replay(page, handler) if quick else False)
        return said[-1]

    with monkeypatch.context() as patch:
        patch.setattr(search_html, "replay", spy)
        patch.setattr(os, "cpu_count", lambda: 1)  # one process, so the spy sees every page
        report = build_site(workspace, out, audience=audience, today=TODAY)
    assert not report.failed or set(report.failed) == {"broken"}, report.failed
    return said


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example plans with their scripted history, the site tests' plans, and the hostile plans."""
    examples = demo.make_demo(tmp_path_factory.mktemp("search-demo") / "demo", build=False, today=TODAY)
    return {
        "examples": examples.workspace,
        "fixtures": make_site_workspace(tmp_path_factory.mktemp("search-site") / "ws"),
        "hostile": make_sink_workspace(tmp_path_factory.mktemp("search-sinks") / "ws"),
    }


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("name", ["examples", "fixtures", "hostile"])
def test_a_real_site_gets_the_same_search_index_as_materials_parser_makes(
    workspaces: dict[str, Path], name: str, audience: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick_said = _build(workspaces[name], tmp_path / "quick", audience, monkeypatch, quick=True)
    material_said = _build(workspaces[name], tmp_path / "material", audience, monkeypatch, quick=False)
    assert quick_said and len(quick_said) == len(material_said)
    # Every page our renderers and Markdown make is plain HTML: the quick reading is not a bypass.
    assert all(quick_said), f"{quick_said.count(False)} of {len(quick_said)} pages went to Material's parser"
    quick, material = _indexes(tmp_path / "quick"), _indexes(tmp_path / "material")
    assert quick.keys() == material.keys()
    for path in quick:
        assert quick[path] == material[path], f"{path} differs from the index Material's parser makes"
    assert any(b'"text":"' in index and len(index) > 2000 for index in quick.values()), \
        "the indexes hold text"


def test_the_quick_index_adds_a_page_as_materials_own_index_does() -> None:
    """Our add_entry_from_context is Material's, but for the parser: if Material's changes, look again."""
    import ast
    import inspect
    import textwrap

    from material.plugins.search.plugin import SearchIndex

    def body(method: object) -> list[str]:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
        return [ast.dump(statement) for statement in tree.body[0].body]  # type: ignore[attr-defined]

    material = body(SearchIndex.add_entry_from_context)
    ours = body(mkdocs_adapter._QuickSearchIndex.add_entry_from_context)
    assert [s.replace("'_QuickSearchParser'", "'Parser'") for s in ours] == material

"""The only module that imports MkDocs: turn a written docs tree into HTML.

The rest of the builder writes an ordinary MkDocs project (``mkdocs.yml`` plus
``docs/``), so any tool that reads ``mkdocs.yml`` can build it. What remains
MkDocs-specific lives here, as one small plugin object added at build time:

- keep only the theme files a page uses (no source maps, no search languages
  we do not use), and take them from one shared copy by hard link, so a site per
  person costs a few kilobytes instead of megabytes;
- write ``search/search_index.js`` beside the JSON index, which Material reads
  when a page is opened from a folder (``file://``), where fetch() is refused;
- put a space between block elements that touch (``</dd><dt>``), so the search
  index, which keeps only the text, does not run "Whose goal" into its answer;
- keep the pages' raw HTML blocks (:func:`html_text.block`, already escaped HTML)
  away from Python-Markdown, which would parse every tag of them only to pass them
  through unchanged: each is swapped for a placeholder paragraph before Markdown
  and put back in its place after. The team home, one table row per plan, is
  mostly such blocks. The HTML is the same as Markdown would have made;
- read each page for the search index with :func:`search_html.replay`, which makes
  the calls Material's parser (a ``html.parser.HTMLParser``) would make, without that
  parser's character-by-character walk; a page it cannot read exactly goes to
  Material's parser as before, so the index is the same byte for byte.
"""

from __future__ import annotations

import fnmatch
import io
import logging
import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import mkdocs.utils
import yaml
from material.plugins.search.plugin import Parser as SearchParser
from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs.commands.build import build as _mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from builder.errors import BuildError
from builder.site import search_html

try:
    from yaml import CSafeLoader as _FastLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None  # type: ignore[assignment, misc]

#: The theme files a built page refers to; everything else in the theme is left out.
THEME_FILES = (
    "assets/javascripts/bundle.*.min.js",
    "assets/javascripts/workers/search.*.min.js",
    "assets/javascripts/iframe-worker.js",
    "assets/javascripts/iframe-worker.LICENSE.txt",
    "assets/stylesheets/main.*.min.css",
    "assets/stylesheets/palette.*.min.css",
    "assets/stylesheets/wellplan.css",
    "assets/images/favicon.png",
)


#: THEME_FILES as one pattern, to check the theme's 14,500 paths (hidden ones too) at once.
_WANTED = re.compile("|".join(fnmatch.translate(pattern) for pattern in THEME_FILES))


def _wanted(uri: str) -> bool:
    return _WANTED.match(uri) is not None


#: A raw HTML block as html_text.block writes it: one line, one <div>, blank lines around.
_RAW_BLOCK = re.compile(r"(?:\A|(?<=\n\n))<div>[^\n]*</div>(?=\n\n|\n?\Z)")


#: The end of a block element straight before another tag: where words of two blocks touch.
_TOUCHING_BLOCKS = re.compile(
    r"(</(?:h[1-6]|p|li|dt|dd|td|th|caption|div|section|blockquote|ul|ol|dl|tr|table|figcaption)>"
    r"(?=<)|</(?:text|title|desc|g)>(?=<)|<br>(?! ))"
)


def space_blocks(html: str) -> str:
    """The HTML with a space after each block element that another tag follows directly, and each line break.

    Between blocks a space changes nothing a reader sees; in the search index, which
    keeps only the text, it keeps "Whose goal" apart from "Alex Morgan".
    """
    return _TOUCHING_BLOCKS.sub(r"\1 ", html)


def set_aside_blocks(markdown: str) -> tuple[str, dict[str, str]]:
    """The page with each raw HTML block replaced by a placeholder, and the blocks by placeholder."""
    nonce = secrets.token_hex(8)
    blocks: dict[str, str] = {}

    def aside(match: re.Match[str]) -> str:
        token = f"wellplanblock{nonce}n{len(blocks)}"
        blocks[token] = match.group(0)
        return token

    return _RAW_BLOCK.sub(aside, markdown), blocks


def put_back_blocks(html: str, blocks: dict[str, str]) -> str:
    """The HTML with each placeholder paragraph replaced by its block, as Markdown would have.

    Python-Markdown keeps the line end after a raw block, so one follows each block here
    too, and strips the ends of the page, as here.
    """
    for token, block in blocks.items():
        placeholder = f"<p>{token}</p>"
        if html.count(placeholder) != 1:
            raise BuildError(f"A block of the page was lost on its way through Markdown ({token}).")
        html = html.replace(placeholder, block + "\n", 1)
    return html.strip() if blocks else html


class _QuickSearchParser(SearchParser):
    """Material's search parser, reading a page with :func:`search_html.replay` when it can."""

    def feed(self, data: str) -> None:
        if self.rawdata or not search_html.replay(data, self):
            super().feed(data)


class _QuickSearchIndex(SearchIndex):
    """Material's search index, reading each page with :class:`_QuickSearchParser`."""

    def add_entry_from_context(self, page) -> None:  # noqa: ANN001 - a MkDocs Page
        # Material's own method, line for line, but for the parser it makes.
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        parser = _QuickSearchParser()
        parser.feed(page.content)
        parser.close()
        for section in parser.data:
            if not section.is_excluded():
                self.create_entry_for_section(section, page.toc, page.url, page)


def _read_search_pages_quickly(config) -> None:  # noqa: ANN001 - MkDocsConfig
    """Give this build's search plugin an index that reads its pages with :class:`_QuickSearchParser`."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if isinstance(plugin, SearchPlugin) and type(index) is SearchIndex:
            plugin.search_index = _QuickSearchIndex(**index.config)


class _WellplanPlugin(BasePlugin):
    def __init__(self, shared_assets: Path | None) -> None:
        super().__init__()
        self.shared_assets = shared_assets
        self.linked: list[str] = []
        self.blocks: dict[str, dict[str, str]] = {}  # page source -> its blocks set aside

    def on_config(self, config):  # noqa: ANN001, ANN201 - MkDocsConfig
        # Runs after the search plugin's own on_config, which makes its index: this plugin is added last.
        _read_search_pages_quickly(config)
        return config

    def on_files(self, files: Files, *, config) -> Files:  # noqa: ANN001 - MkDocsConfig
        theme_dirs = set(config.theme.dirs)
        for file in list(files):
            if file.src_dir not in theme_dirs:
                continue
            if not _wanted(file.src_uri):
                files.remove(file)
            elif self.shared_assets is not None:
                files.remove(file)
                self.linked.append(file.src_uri)
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:  # noqa: ANN001
        markdown, self.blocks[page.file.src_uri] = set_aside_blocks(markdown)
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:  # noqa: ANN001
        return space_blocks(put_back_blocks(html, self.blocks.pop(page.file.src_uri, {})))

    def on_post_build(self, *, config) -> None:  # noqa: ANN001 - MkDocsConfig
        site = Path(config.site_dir)
        for uri in self.linked:
            _link_or_copy(self.shared_assets / uri, site / uri)
        index = site / "search" / "search_index.json"
        if index.is_file():
            data = index.read_text(encoding="utf-8")
            (site / "search" / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def export_theme_assets(config_file: Path, dest: Path) -> list[str]:
    """Copy the theme files pages use into dest, once, for builds to share."""
    config = _load(config_file)
    _reuse_theme_environment(config)
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    copied = []
    for file in files:
        if _wanted(file.src_uri):
            target = dest / file.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file.abs_src_path, target)
            copied.append(file.src_uri)
    return sorted(copied)


def build(config_file: Path, shared_assets: Path | None = None) -> list[str]:
    """Build one MkDocs site; returns MkDocs' warnings (an empty list is a clean build)."""
    warnings = _WarningCollector()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(warnings)
    try:
        config = _load(config_file)
        _reuse_theme_environment(config)
        config.plugins["wellplan"] = _WellplanPlugin(shared_assets)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            _mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, OSError) as e:
        raise BuildError(f"MkDocs could not build {config_file.parent.name}: {e}") from e
    finally:
        mkdocs_log.removeHandler(warnings)
    return warnings.messages


#: One Jinja environment per theme, kept for the life of the process: compiling
#: Material's templates and walking its thousands of files once, not once per site.
_ENVIRONMENTS: dict[tuple[tuple[str, ...], str], jinja2.Environment] = {}


def _reuse_theme_environment(config) -> None:  # noqa: ANN001 - MkDocsConfig
    theme = config.theme
    key = (tuple(theme.dirs), str(theme.locale))
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = theme.get_env()
        # Compiled templates are also kept on disk (Jinja's own per-user cache, checked
        # against each template's source), so a new process does not compile them again.
        env.bytecode_cache = jinja2.FileSystemBytecodeCache()
        # MkDocs lists the theme's files to copy them, and our on_files drops all but
        # THEME_FILES: offer only those, found once, rather than MkDocs matching every
        # file of the theme against its patterns and making 46 files for on_files to drop,
        # for every site (13 ms a site when profiled). MkDocs' own filter still applies.
        names = _theme_files(env.loader.list_templates())

        def list_templates(extensions=None, filter_func=None):  # noqa: ANN001, ANN202 - Jinja's signature
            found = [n for n in names if extensions is None or n.rpartition(".")[2] in extensions]
            return [n for n in found if filter_func is None or filter_func(n)]

        env.list_templates = list_templates
        _ENVIRONMENTS[key] = env
    theme.get_env = lambda: env


def _installed_themes_once() -> Callable[[], dict[str, Any]]:
    """MkDocs' list of installed themes, found once a process.

    Checking each site's settings asks which themes are installed, and MkDocs answers
    by scanning every installed package's entry points, clearing its own cache each
    time a theme is loaded: 40 ms a site, a quarter of the time of each person's site
    when profiled. The installed themes do not change while a build runs.
    """
    scan = getattr(mkdocs.utils.get_themes, "__wrapped__", mkdocs.utils.get_themes)
    found: list[dict[str, Any]] = []

    def get_themes() -> dict[str, Any]:
        if not found:
            found.append(scan())
        return found[0]

    get_themes.cache_clear = lambda: None  # type: ignore[attr-defined] - MkDocs calls it
    get_themes.wellplan = True  # type: ignore[attr-defined]
    return get_themes


if not getattr(mkdocs.utils.get_themes, "wellplan", False):
    mkdocs.utils.get_themes = _installed_themes_once()


def _theme_files(names: list[str]) -> list[str]:
    """Of the theme's files, those a site may copy: the same as on_files would keep."""
    return [n for n in names if _wanted(n)]


def _load(config_file: Path):  # noqa: ANN202 - MkDocsConfig
    """The site's settings, checked by MkDocs as ``mkdocs build`` checks them."""
    try:
        options = _plain_settings(config_file)
        if options is None:
            return load_config(str(config_file))
        # The same settings MkDocs reads from the file, given as options over an empty one.
        return load_config(io.BytesIO(b""), config_file_path=os.path.abspath(config_file), **options)
    except MkDocsException as e:
        raise BuildError(f"The site settings in {config_file} are not valid: {e}") from e


def _plain_settings(config_file: Path) -> dict[str, Any] | None:
    """The settings in config_file read by libyaml, or None where only MkDocs' reader will do.

    MkDocs reads mkdocs.yml with PyYAML's pure-Python loader: 12 ms a site when profiled,
    for the few lines docs_tree writes. Where the file is plain data (no ``!ENV`` or
    ``!relative`` tags, no ``INHERIT``, no empty setting that load_config would drop from
    options, no name load_config takes for itself), libyaml reads the same values from it.
    """
    if _FastLoader is None:
        return None
    try:
        with open(config_file, "rb") as fd:
            options = yaml.load(fd, Loader=_FastLoader)
    except (OSError, yaml.YAMLError):
        return None  # MkDocs reads it again and says what is wrong in its own words
    if not isinstance(options, dict) or not all(isinstance(key, str) for key in options):
        return None
    if {"INHERIT", "config_file", "config_file_path"} & options.keys() or None in options.values():
        return None
    return options


def quiet() -> None:
    """Keep MkDocs' progress lines ("Building documentation…") out of our output."""
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("mkdocs").propagate = False


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

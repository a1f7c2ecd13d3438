"""The quick ways each small site is set up make the same site, byte for byte, as MkDocs' own.

Every site reads its settings (libyaml, not PyYAML's pure-Python reader) and the theme's
files (only those a page uses) the quick way; each test builds with those paths on and
again with MkDocs' own reader and theme walk, and compares everything built.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import yaml

from builder.site import docs_tree, mkdocs_adapter
from builder.site.build import build_site
from builder.site.pages import PageSet
from tests import site_fixtures
from tests.site_fixtures import PAYLOADS, TODAY

workspace = site_fixtures.workspace


def tree(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def slow_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build as before the quick paths: MkDocs reads mkdocs.yml and walks the whole theme."""
    monkeypatch.setattr(docs_tree, "_Dumper", yaml.SafeDumper)
    monkeypatch.setattr(docs_tree, "_Loader", yaml.SafeLoader)
    monkeypatch.setattr(mkdocs_adapter, "_plain_settings", lambda config_file: None)
    monkeypatch.setattr(mkdocs_adapter, "_ENVIRONMENTS", {})
    monkeypatch.setattr(mkdocs_adapter, "_theme_files",
                        lambda names: [n for n in names if not n.startswith(".") and "/." not in n])


def counted_quick_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The settings files read the quick way, as a list that grows as they are read."""
    read: list[Path] = []
    plain = mkdocs_adapter._plain_settings

    def counting(config_file: Path):  # noqa: ANN202
        options = plain(config_file)
        if options is not None:
            read.append(config_file)
        return options

    monkeypatch.setattr(mkdocs_adapter, "_plain_settings", counting)
    return read


@pytest.mark.parametrize("audience", ["team", "person", "carer", "carer:sam", "gp"])
def test_every_audiences_site_is_the_same_byte_for_byte_with_the_quick_paths_off(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audience: str
) -> None:
    # One core: every site is built in this process, where the switches below apply.
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    with monkeypatch.context() as slow:
        slow_paths(slow)
        before = build_site(workspace, tmp_path / "before", audience=audience, today=TODAY)
    read = counted_quick_reads(monkeypatch)
    after = build_site(workspace, tmp_path / "after", audience=audience, today=TODAY)

    # One carer's site holds only the plans they care for (issue 32): here, one.
    assert after.built == before.built and len(after.built) >= (1 if ":" in audience else 2)
    assert len(read) == len(after.built) + (audience == "team") + 1  # + the theme's export
    assert after.warnings == before.warnings
    assert after.failed == before.failed
    built = tree(tmp_path / "after")
    assert built == tree(tmp_path / "before")
    assert any(name.endswith("search/search_index.js") for name in built)
    assert any(name.endswith("sitemap.xml.gz") for name in built)


#: Settings a site's mkdocs.yml may hold besides ours: each must read as MkDocs reads it.
EXTRA_SETTINGS = {
    "plain": "",
    "unknown setting": "colour: blue\n",
    "environment tag": "site_description: !ENV [WELLPLAN_NO_SUCH_VARIABLE, 'From the fallback']\n",
    "empty setting": "site_url:\n",
    "bad value": "use_directory_urls: sometimes\n",
    "a name load_config takes": "config_file: other.yml\n",
}


@pytest.mark.parametrize("extra", EXTRA_SETTINGS, ids=list(EXTRA_SETTINGS))
def test_a_site_reads_its_settings_and_warns_as_mkdocs_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str
) -> None:
    pages = PageSet("Robin", "", {"index.md": "# Robin\n\nHello.\n"},
                    [("Home", "index.md"), ("Gone", "missing.md")])

    def build(name: str) -> tuple[list[str] | str, dict[str, str]]:
        site = tmp_path / name / "site"
        config = docs_tree.write_project(tmp_path / name / "project", site, pages)
        config.write_text(config.read_text(encoding="utf-8") + EXTRA_SETTINGS[extra], encoding="utf-8")
        try:
            warnings: list[str] | str = mkdocs_adapter.build(config)
        except Exception as e:  # noqa: BLE001 - the same failure is what is compared
            warnings = f"{type(e).__name__}: {e}".replace(name, "NAME")
        return warnings, tree(site) if site.is_dir() else {}

    with monkeypatch.context() as slow:
        slow_paths(slow)
        before = build("before")
    read = counted_quick_reads(monkeypatch)
    after = build("after")

    assert after == before
    assert bool(read) == (extra in ("plain", "unknown setting", "bad value"))
    if extra != "bad value":
        assert any("missing.md" in w for w in after[0]), after[0]
        assert after[1]["index.html"]
    if extra == "unknown setting":
        assert any("colour" in w for w in after[0])


@pytest.mark.parametrize("title", ["Alex Morgan", "Zoë Ng", "محمد علي", "é" * 120, *PAYLOADS,
                                   "yes", "null", "- 12", "#1", "a: b", "tab\there", "two\nlines"])
def test_the_written_settings_are_the_ones_mkdocs_reads(tmp_path: Path, title: str) -> None:
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import get_yaml_loader

    nav = [("Home", "index.md"), (title, "crisis.md")]
    pages = PageSet(title, "", {"index.md": "# Hi\n", "crisis.md": "# Crisis\n"}, nav)
    config_file = docs_tree.write_project(tmp_path / "project", tmp_path / "site", pages)
    expected = yaml.load(docs_tree.SITE_CONFIG.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    expected["site_name"] = title
    expected["theme"]["custom_dir"] = str(docs_tree.SITE_THEME_DIR)
    expected |= {"docs_dir": str(tmp_path / "project" / "docs"), "site_dir": str(tmp_path / "site"),
                 "nav": [{label: path} for label, path in nav]}
    with open(config_file, "rb") as fd:
        assert yaml.load(fd, Loader=get_yaml_loader()) == expected  # MkDocs' own reader
    assert mkdocs_adapter._plain_settings(config_file) == expected
    assert load_config(str(config_file))["site_name"] == title  # an ordinary MkDocs project

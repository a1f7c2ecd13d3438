"""Write an ordinary MkDocs project for each site: ``mkdocs.yml`` plus a ``docs/`` tree.

Nothing here imports MkDocs: any tool that reads ``mkdocs.yml`` could build what is
written. The config is the package's template (``builder/data/mkdocs.yml``) with
this site's name, navigation and folders filled in.

The YAML is read and written with libyaml where PyYAML has it: the pure-Python
reader and writer took 16 ms a site when profiled, more than writing the pages.
The settings are the same data either way, and any YAML reader (MkDocs' own
included) reads them back the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from builder.site.pages import PageSet
from builder.workspace import SITE_CONFIG, SITE_THEME_DIR


def template_config(work: Path) -> Path:
    """The config template with absolute theme paths, for exporting the theme's assets."""
    config = config_dict("Wellbeing plans", [], work / "_empty_docs", work / "_empty_site")
    (work / "_empty_docs").mkdir()
    path = work / "_template.yml"
    path.write_text(_dump(config), encoding="utf-8")
    return path


def config_dict(title: str, nav: list[tuple[str, str]], docs: Path, site: Path) -> dict[str, Any]:
    config = yaml.load(SITE_CONFIG.read_text(encoding="utf-8"), Loader=_Loader)
    config["site_name"] = title
    config["theme"]["custom_dir"] = str(SITE_THEME_DIR)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(site)
    config["nav"] = [{label: path} for label, path in nav]
    return config


def write_project(project: Path, site: Path, pages: PageSet) -> Path:
    """Write one site's project into project, to be built into site; returns its mkdocs.yml."""
    docs = project / "docs"
    docs.mkdir(parents=True)
    for rel, content in pages.files.items():
        (docs / rel).write_text(content, encoding="utf-8")
    config = config_dict(pages.title, pages.nav, docs, site)
    path = project / "mkdocs.yml"
    path.write_text(_dump(config), encoding="utf-8")
    return path


def _dump(config: dict[str, Any]) -> str:
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False)


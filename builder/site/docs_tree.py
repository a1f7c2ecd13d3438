"""Write an ordinary MkDocs project for each site: ``mkdocs.yml`` plus a ``docs/`` tree.

Nothing here imports MkDocs: any tool that reads ``mkdocs.yml`` could build what is
written. The config is the package's template (``builder/data/mkdocs.yml``) with
this site's name, navigation and folders filled in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from builder.site.pages import PageSet
from builder.workspace import SITE_CONFIG, SITE_THEME_DIR


def template_config(work: Path) -> Path:
    """The config template with absolute theme paths, for exporting the theme's assets."""
    config = config_dict("Wellbeing plans", [], work / "_empty_docs", work / "_empty_site")
    (work / "_empty_docs").mkdir()
    path = work / "_template.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def config_dict(title: str, nav: list[tuple[str, str]], docs: Path, site: Path) -> dict[str, Any]:
    config = yaml.safe_load(SITE_CONFIG.read_text(encoding="utf-8"))
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
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


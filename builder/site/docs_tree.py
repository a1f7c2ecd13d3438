"""Write an ordinary MkDocs project for each site: ``mkdocs.yml`` plus a ``docs/`` tree.

Nothing here imports MkDocs: any tool that reads ``mkdocs.yml`` could build what is
written. The config is the template at the repository root (``mkdocs.yml``) with
this site's name, navigation and folders filled in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from builder.site.html_text import attr, text
from builder.site.pages import PageSet
from builder.site.store import CONFIG_TEMPLATE, THEME_DIR


def template_config(work: Path) -> Path:
    """The config template with absolute theme paths, for exporting the theme's assets."""
    config = config_dict("Wellbeing plans", [], work / "_empty_docs", work / "_empty_site")
    (work / "_empty_docs").mkdir()
    path = work / "_template.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def config_dict(title: str, nav: list[tuple[str, str]], docs: Path, site: Path) -> dict[str, Any]:
    config = yaml.safe_load(CONFIG_TEMPLATE.read_text(encoding="utf-8"))
    config["site_name"] = title
    config["theme"]["custom_dir"] = str(THEME_DIR)
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


def write_plain_index(folder: Path, labels: dict[str, str]) -> None:
    """For a person's, carer's or GP's build: a plain page with a link to each plan in it."""
    items = "".join(
        f'<li><a href="plans/{attr(pid)}/index.html">{text(label)}: wellbeing plan</a></li>'
        for pid, label in sorted(labels.items())
    )
    body = f"<ul>{items}</ul>" if items else "<p>No plans were built.</p>"
    (folder / "index.html").write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>Wellbeing plans</title><style>body{font:1.25rem/1.6 sans-serif;margin:2rem auto;"
        "max-width:40rem;padding:0 1rem;color:#1f2330}a{color:#283593}li{margin:.5rem 0}</style>"
        "</head><body><main><h1>Wellbeing plans</h1><p>Open a plan:</p>"
        f"{body}</main></body></html>\n",
        encoding="utf-8",
    )

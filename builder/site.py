"""Build the website: one small site per person, and a team home that links to them.

The pipeline, one line a stage::

    check each plan → read every plan's story (one git log pass) → view for the audience
    → render Markdown pages → write a docs tree per site → MkDocs (two processes)
    → swap the finished site into place

Each person's site is its own MkDocs project (``plans/<id>/``) with its own
navigation and search index, so a page never grows with the number of plans and
one person's folder works on its own from ``file://``. A site is rebuilt only if
its inputs changed: a key made from everything that goes into it (its pages, the
settings, the theme, this code, the date) is stored with the output, and an
unchanged site is hard-linked from the previous build. The build happens in a
folder beside ``out`` and is swapped in at the end, so an interrupted build leaves
the previous site as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from .errors import BuildError, HistoryError, WorkspaceError
from .labels import words
from .pages import PageSet, person_pages
from .view import AUDIENCES, view_plan
from .workspace import PLANS_DIR, check_plan_id, ensure_inside, plan_file, plan_files

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CONFIG_TEMPLATE = ROOT / "mkdocs.yml"
THEME_DIR = ROOT / "themes" / "material"
MANIFEST = ".wellplan-site.json"
FORMAT = "wellplan-site-1"

Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    """What a build made: which plans were built or reused, which failed and why."""

    out: Path
    audience: str
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    home: Path | None = None

    @property
    def plans(self) -> list[str]:
        return sorted(self.built + self.reused)

    def summary(self) -> str:
        made = len(self.plans)
        text = f"Built {made} plan{'s' if made != 1 else ''} for the {self.audience} audience"
        if self.reused:
            text += f" ({len(self.reused)} unchanged since the last build)"
        if self.failed:
            text += f"; {len(self.failed)} could not be built"
        where = self.home or self.out
        return f"{text}. Open {where}"


@dataclass
class _SiteJob:
    name: str  # "" for the team home, else the plan id
    pages: PageSet
    key: str = ""


def build_site(
    workspace: Path,
    out: Path,
    audience: str = "team",
    plan_ids: list[str] | None = None,
    strict: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site for one audience into out; returns what was built and what failed."""
    workspace, out = Path(workspace).resolve(), Path(out).resolve()
    today = today or date.today()
    if audience not in AUDIENCES:
        raise BuildError(f"'{audience}' is not an audience; use one of {', '.join(AUDIENCES)}.")
    _check_out(workspace, out)
    report = BuildReport(out=out, audience=audience)
    tell = progress or (lambda stage, done, total: None)

    plans = _checked_plans(workspace, plan_ids, today, report, tell)
    if strict and report.failed:
        first = next(iter(report.failed.values()))[0]
        raise BuildError(
            f"{len(report.failed)} plan(s) have problems, so nothing was built (--strict). First: {first}"
        )
    stories = _stories(workspace, audience, list(plans), report)
    jobs = [
        _person_job(pid, view_plan(data, audience), stories.get(pid), audience, today)
        for pid, data in sorted(plans.items())
    ]
    if audience == "team":
        jobs.insert(0, _team_job(plans, stories, report, today))
    _build_jobs(out, jobs, audience, today, report, tell)
    if strict and report.warnings:
        raise BuildError(
            f"The site build gave {len(report.warnings)} warning(s) (--strict): {report.warnings[0]}"
        )
    return report


def _check_out(workspace: Path, out: Path) -> None:
    plans = workspace / PLANS_DIR
    if out == plans or out.is_relative_to(plans):
        raise BuildError(f"The site cannot be built inside {plans}: choose another --out folder.")
    if workspace.is_relative_to(out):
        raise BuildError(f"{out} holds the workspace itself; choose an empty or new --out folder.")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).is_file())):
        raise BuildError(
            f"{out} already holds files that wellplan did not make, so it will not be "
            "replaced. Choose a new or empty --out folder."
        )


def _checked_plans(
    workspace: Path, plan_ids: list[str] | None, today: date, report: BuildReport, tell: Progress
) -> dict[str, dict[str, Any]]:
    """Every plan that may be built, by id; the others go into report.failed."""
    from .validate import check_plan

    if plan_ids:
        paths = [plan_file(workspace, check_plan_id(pid)) for pid in plan_ids]
        missing = [p for p in paths if not p.is_file()]
        if missing:
            raise WorkspaceError(f"There is no plan called '{missing[0].stem}' in {workspace / PLANS_DIR}.")
    else:
        paths = plan_files(workspace)
    plans: dict[str, dict[str, Any]] = {}
    for done, path in enumerate(paths, 1):
        tell("Checking plans", done, len(paths))
        display = f"{PLANS_DIR}/{path.name}"
        try:
            ensure_inside(workspace, path)
        except WorkspaceError as e:
            report.failed[path.stem] = [f"{display}: {e}"]
            continue
        loaded, findings = check_plan(path, display, today)
        errors = [f.as_text() for f in findings if f.severity == "error"]
        if errors or loaded.data is None:
            report.failed[path.stem] = errors or [f"{display}: this plan could not be read."]
            for line in report.failed[path.stem]:
                log.warning("%s", line)
            continue
        plans[path.stem] = loaded.data
    return plans


def _stories(workspace: Path, audience: str, ids: list[str], report: BuildReport) -> dict[str, Any]:
    if not ids:
        return {}
    try:
        from .timeline import read_stories

        return read_stories(workspace, audience, ids)
    except HistoryError as e:
        report.warnings.append(
            f"The history of the plans could not be read, so pages about changes are left empty: {e}"
        )
        return {}


def _person_job(plan_id: str, plan: dict[str, Any], story: Any, audience: str, today: date) -> _SiteJob:
    team_link = "../../index.html" if audience == "team" else ""
    return _SiteJob(plan_id, person_pages(plan, story, today, team_link))


def _team_job(
    plans: dict[str, dict[str, Any]], stories: dict[str, Any], report: BuildReport, today: date
) -> _SiteJob:
    from .dashboard import PlanRow, dashboard_pages

    rows = []
    for pid, data in sorted(plans.items()):
        row = PlanRow(pid, view_plan(data, "team"))
        story = stories.get(pid)
        if story is not None and story.last_updated is not None:
            rev = story.last_updated
            row.last_updated = rev.when.date()
            row.last_updated_by = rev.author + (f" ({words(rev.role)})" if rev.role else "")
        rows.append(row)
    failed = [lines[0] for _, lines in sorted(report.failed.items())]
    return _SiteJob("", dashboard_pages(rows, failed, today))


# --- writing and building -------------------------------------------------------------


def _build_jobs(
    out: Path, jobs: list[_SiteJob], audience: str, today: date, report: BuildReport, tell: Progress
) -> None:
    from . import mkdocs_adapter

    staging = out.parent / f".{out.name}.building"
    work = out.parent / f".{out.name}.work"
    for stale in (staging, work):
        shutil.rmtree(stale, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir()
    work.mkdir()
    try:
        assets = work / "assets"
        theme_key = _theme_key(mkdocs_adapter.export_theme_assets(_template_config(work), assets), assets)
        previous = _read_manifest(out)
        keys: dict[str, str] = {}
        for job in jobs:
            config = _write_project(work, staging, job, audience)
            job.key = keys[job.name] = _site_key(job, config, theme_key, audience, today)

        def unchanged(job: _SiteJob) -> bool:
            return previous.get(job.name) == job.key and (out / _site_path(job.name) / "index.html").is_file()

        # The team home sits at the top of the folder, and MkDocs empties the folder it
        # builds into, so the home is done first, before any person's site is put in.
        for job in (j for j in jobs if not j.name):
            if unchanged(job):
                _link_tree(out, staging, skip_top=("plans", MANIFEST))
            else:
                report.warnings += _run_build(_config_path(work, job), assets, today)
        pending = []
        for job in (j for j in jobs if j.name):
            if unchanged(job):
                _link_tree(out / _site_path(job.name), staging / _site_path(job.name))
                report.reused.append(job.name)
            else:
                pending.append((job, _config_path(work, job)))
        _build_many(pending, assets, today, report, tell)
        report.built += [job.name for job, _ in pending]
        if audience != "team":
            _write_plain_index(staging, sorted(report.plans), jobs)
        (staging / MANIFEST).write_text(
            json.dumps({"format": FORMAT, "audience": audience, "sites": keys}, indent=1, sort_keys=True),
            encoding="utf-8",
        )
        _swap(staging, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    report.home = out / "index.html"


def _config_path(work: Path, job: _SiteJob) -> Path:
    return work / (job.name or "_team") / "mkdocs.yml"


def _site_path(name: str) -> str:
    return f"plans/{name}" if name else "."


def _template_config(work: Path) -> Path:
    """The config template with absolute theme paths, for exporting the theme's assets."""
    config = _config_dict("Wellbeing plans", [], work / "_empty_docs", work / "_empty_site")
    (work / "_empty_docs").mkdir()
    path = work / "_template.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def _config_dict(title: str, nav: list[tuple[str, str]], docs: Path, site: Path) -> dict[str, Any]:
    config = yaml.safe_load(CONFIG_TEMPLATE.read_text(encoding="utf-8"))
    config["site_name"] = title
    config["theme"]["custom_dir"] = str(THEME_DIR)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(site)
    config["nav"] = [{label: path} for label, path in nav]
    return config


def _write_project(work: Path, staging: Path, job: _SiteJob, audience: str) -> dict[str, Any]:
    """Write one site's mkdocs.yml and docs/ tree; returns the config that was written."""
    project = work / (job.name or "_team")
    docs = project / "docs"
    for rel, content in job.pages.files.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    site = staging / _site_path(job.name)
    config = _config_dict(job.pages.title, job.pages.nav, docs, site)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config


def _site_key(job: _SiteJob, config: dict[str, Any], theme_key: str, audience: str, today: date) -> str:
    """Everything that goes into one site, hashed: same key, same output."""
    digest = hashlib.sha256()
    settings = {k: v for k, v in config.items() if k not in ("docs_dir", "site_dir")}
    for part in (
        FORMAT,
        _code_key(),
        theme_key,
        audience,
        today.isoformat(),
        json.dumps(settings, sort_keys=True),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    for rel in sorted(job.pages.files):
        digest.update(rel.encode("utf-8") + b"\0" + job.pages.files[rel].encode("utf-8") + b"\0")
    return digest.hexdigest()


def _code_key() -> str:
    """The builder's own source and the versions of MkDocs and Material."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    for package in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown"):
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    digest.update(CONFIG_TEMPLATE.read_bytes())
    return digest.hexdigest()


def _theme_key(files: list[str], assets: Path) -> str:
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.encode() + (assets / rel).read_bytes())
    for path in sorted(THEME_DIR.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(THEME_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    sites = data.get("sites")
    return sites if isinstance(sites, dict) else {}


def _link_tree(source: Path, target: Path, skip_top: tuple[str, ...] = ()) -> None:
    """Copy a finished site by hard links (its files are never written to again)."""
    for folder, dirs, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if d not in skip_top]
            files = [f for f in files if f not in skip_top]
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(Path(folder) / name, target / rel / name)
            except OSError:
                shutil.copy2(Path(folder) / name, target / rel / name)


def _epoch(today: date) -> str:
    return str(int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp()))


def _init_worker(epoch: str) -> None:
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    from . import mkdocs_adapter

    mkdocs_adapter.quiet()


def _run_build(config: Path, assets: Path, today: date) -> list[str]:
    """Build one site in this process, with the build date fixed to today."""
    from . import mkdocs_adapter

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    _init_worker(_epoch(today))
    try:
        return mkdocs_adapter.build(config, assets)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _build_one(config: Path, assets: Path) -> list[str]:
    from . import mkdocs_adapter

    return mkdocs_adapter.build(config, assets)


def _build_many(
    pending: list[tuple[_SiteJob, Path]], assets: Path, today: date, report: BuildReport, tell: Progress
) -> None:
    """Build the people's sites, on both cores when there are several."""
    total = len(pending)
    workers = min(2, os.cpu_count() or 1, total)
    if workers <= 1:
        for done, (job, config) in enumerate(pending, 1):
            report.warnings += [f"{job.name}: {w}" for w in _run_build(config, assets, today)]
            tell("Building plan pages", done, total)
        return
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(_epoch(today),)
    ) as pool:
        futures = {pool.submit(_build_one, config, assets): job for job, config in pending}
        for done, future in enumerate(as_completed(futures), 1):
            job = futures[future]
            report.warnings += [f"{job.name}: {w}" for w in future.result()]
            tell("Building plan pages", done, total)


def _write_plain_index(staging: Path, built: list[str], jobs: list[_SiteJob]) -> None:
    """For a person's, carer's or GP's build: a plain page with a link to each plan in it."""
    from .html_text import attr, text

    titles = {job.name: job.pages.label for job in jobs}
    items = "".join(
        f'<li><a href="plans/{attr(p)}/index.html">{text(titles[p])}: wellbeing plan</a></li>' for p in built
    )
    body = f"<ul>{items}</ul>" if items else "<p>No plans were built.</p>"
    (staging / "index.html").write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>Wellbeing plans</title><style>body{font:1.25rem/1.6 sans-serif;margin:2rem auto;"
        "max-width:40rem;padding:0 1rem;color:#1f2330}a{color:#283593}li{margin:.5rem 0}</style>"
        "</head><body><main><h1>Wellbeing plans</h1><p>Open a plan:</p>"
        f"{body}</main></body></html>\n",
        encoding="utf-8",
    )


def _swap(staging: Path, out: Path) -> None:
    """Put the finished site in place of the old one, keeping the old one until then."""
    old = out.parent / f".{out.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)

"""Build the website: one small site per person, and a team home that links to them.

The pipeline, one line a stage::

    find what changed since the last build (git log of the commits since then)
    → check the changed plans → read their stories → view each for the audience
    → render Markdown pages → write a docs tree per site → MkDocs, on both cores
    → move unchanged sites across and swap the finished site into place

Each person's site is its own MkDocs project with its own navigation and search
index, so a page never grows with the number of plans and one person's folder works
on its own from ``file://``. Only the team site lists everybody (``plans/<id>/``
under a team home). A site for the person, the carer or the GP is about one plan and
nothing else: built with one ``--plan`` it is the output folder itself, opening on
the plan; otherwise each plan gets a folder of its own (``<id>/``) and nothing sits
above them. What a build remembers, and how the swap keeps the previous site whole,
is in :mod:`site_store` (outside the output, so a handed-out folder holds nothing
about anyone else).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from builder.errors import BuildError, HistoryError, WorkspaceError
from builder.plan.labels import words
from builder.site import docs_tree, parts
from builder.site import store as site_store
from builder.site.pages import PageSet, person_pages
from builder.site.store import MANIFEST, Manifest
from builder.view import AUDIENCES, is_audience, marked_view, unknown_carer_in_files
from builder.workspace import (
    PLANS_DIR,
    check_plan_id,
    ensure_inside,
    mark_build_output,
    plan_file,
    plan_files,
    shown_path,
    suggest_plan,
)

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

__all__ = ["MANIFEST", "BuildReport", "build_site"]


@dataclass
class BuildReport:
    """What a build made: which plans were built or kept, which failed and why."""

    out: Path
    audience: str
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # failed now; their last good pages are kept
    #: Failed now, built from their last valid recorded version: plan id -> the banner said.
    fallback: dict[str, str] = field(default_factory=dict)
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
        missing = [pid for pid in self.failed if pid not in self.fallback]
        if missing:
            text += f"; {len(missing)} could not be built"
        if self.fallback:
            n = len(self.fallback)
            text += (f"; {n} {'has' if n == 1 else 'have'} problems, so {'its' if n == 1 else 'their'} "
                     "last valid version is shown")
        if self.stale:
            text += f" ({len(self.stale)} still show their last good version)"
        if self.home is not None and self.home == self.out:
            return f"{text}. Each plan's site is a folder of its own in {self.out}: open its index.html"
        return f"{text}. Open {self.home or self.out}"


@dataclass
class _SiteJob:
    name: str  # "" for the team home, else the plan id
    pages: PageSet


def build_site(
    workspace: Path,
    out: Path,
    audience: str = "team",
    plan_ids: list[str] | None = None,
    strict: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    part: tuple[int, int] | None = None,
) -> BuildReport:
    """Build the site for one audience into out; returns what was built and what failed.

    ``part`` (I, N) builds only every N-th plan, starting at the I-th, into a folder that
    ``parts.join_parts`` puts together with the others into the whole site (for N CI runners).
    """
    workspace, out = Path(workspace).resolve(), Path(out).resolve()
    today = today or date.today()
    if not is_audience(audience):
        raise BuildError(f"'{audience}' is not an audience; use one of {', '.join(AUDIENCES)}, "
                        "or carer:ID for one carer.")
    _check_out(workspace, out)
    report = BuildReport(out=out, audience=audience)
    tell = progress or (lambda stage, done, total: None)

    paths = _plan_paths(workspace, plan_ids)
    layout = _layout(audience, paths)
    paths = _theirs(paths, audience, bool(plan_ids))
    if part is not None:
        paths = parts.share(paths, part, layout)
    previous = Manifest.load(workspace, out, audience, layout) if part is None else \
        Manifest(audience, layout=layout)  # a part is always built whole
    history = site_store.history_fingerprints(workspace, previous.history)
    keys = _input_keys(paths, history.keys, audience, today)
    manifest = Manifest(audience, plans=keys, history=history, layout=layout)
    keep = [pid for pid in manifest.plans if _unchanged(pid, previous, manifest, out)]
    for pid in keep:
        if pid in previous.failed:
            report.failed[pid] = previous.failed[pid]
            for line in report.failed[pid]:
                log.warning("%s", line)
        elif _has_site(pid, previous, out):
            report.reused.append(pid)
            manifest.rows[pid] = previous.rows[pid]
    changed = sorted((p for p in paths if p.stem not in keep), key=lambda p: p.stem)
    if strict:
        _refuse_problems(workspace, changed, today, report)
    # Each plan is checked, read and built in turn, and let go of: at a trust's size
    # (10,000 plans) holding every plan at once would not fit in memory.
    plans = _checked_plans(workspace, changed, today, report, tell)
    stories = _stories(workspace, audience, [p.stem for p in changed], report)
    built: set[str] = set()

    def person_jobs() -> Iterator[_SiteJob]:
        """Each changed plan's pages, made while earlier ones are being built."""
        for pid, data in plans:
            story = _story_for(stories, pid)
            viewed = marked_view(data, audience)
            manifest.rows[pid] = _row(viewed if audience == "team" else None, viewed, story)
            notice = report.fallback.get(pid)
            if notice:
                manifest.rows[pid]["notice"] = notice
            built.add(pid)
            yield _person_job(pid, viewed, story, audience, today, notice)
        for pid in sorted(report.failed):
            # A plan that cannot be read now keeps its last good pages, flagged on the team home:
            # a typo must not take someone's crisis plan off the site.
            if pid not in report.reused and pid not in built and _has_site(pid, previous, out):
                report.stale.append(pid)
                manifest.rows[pid] = previous.rows[pid]
        manifest.failed = dict(sorted(report.failed.items()))

    def home() -> _SiteJob | None:
        return _team_job(manifest, today) if audience == "team" and part is None else None

    _build(workspace, out, person_jobs(), len(changed), home, manifest, previous, today, report, tell,
           part)
    mark_build_output(workspace, out)
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


def _theirs(paths: list[Path], audience: str, chosen: bool) -> list[Path]:
    """For one named carer, only the plans they care for: a typo never builds a site for nobody.

    A plan chosen with --plan that the carer is not a carer of is refused; of all the plans,
    those they care for are built, and none at all is refused."""
    nobody = dict(zip(paths, unknown_carer_in_files(paths, audience, keep_none=True), strict=True))
    theirs = [p for p in paths if nobody[p] is None]
    refused = [why for why in nobody.values() if why]
    if refused and (chosen or not theirs):
        shown = " ".join(refused[:3]) + (f" (and {len(refused) - 3} more plans)" if len(refused) > 3 else "")
        raise BuildError(shown)
    return theirs


def _plan_paths(workspace: Path, plan_ids: list[str] | None) -> list[Path]:
    if not plan_ids:
        return plan_files(workspace)
    paths = [plan_file(workspace, check_plan_id(pid)) for pid in plan_ids]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise WorkspaceError(f"There is no plan called '{missing[0].stem}' in {workspace / PLANS_DIR}."
                             f"{suggest_plan(workspace, missing[0].stem)}")
    return paths


def _input_keys(paths: list[Path], history: dict[str, str], audience: str, today: date) -> dict[str, str]:
    keys = {}
    for path in paths:
        try:
            content = path.read_bytes()
        except OSError:
            content = b""
        keys[path.stem] = site_store.input_key(content, history.get(path.stem, ""), audience, today)
    return keys


def _layout(audience: str, paths: list[Path]) -> str:
    """team: a home and plans/<id>/; one: the folder is the one plan's site; each: <id>/ per plan."""
    if audience == "team":
        return "team"
    return "one" if len({p.stem for p in paths}) == 1 else "each"


def _site_path(layout: str, name: str) -> str:
    """Where a site goes inside the output ("" is the team home)."""
    if not name or layout == "one":
        return "."
    return f"plans/{name}" if layout == "team" else name


def _unchanged(pid: str, previous: Manifest, manifest: Manifest, out: Path) -> bool:
    if previous.plans.get(pid) != manifest.plans[pid]:
        return False
    return pid in previous.failed or _has_site(pid, previous, out)


def _has_site(pid: str, previous: Manifest, out: Path) -> bool:
    return pid in previous.rows and (out / _site_path(previous.layout, pid) / "index.html").is_file()


def _refuse_problems(workspace: Path, paths: list[Path], today: date, report: BuildReport) -> None:
    """With --strict, nothing is built when any plan has problems: all are checked first."""
    failed = BuildReport(report.out, report.audience, failed=dict(report.failed))
    for _ in _checked_plans(workspace, paths, today, failed, lambda *_: None, fallback=False):
        pass
    if failed.failed:
        first = next(iter(failed.failed.values()))[0]
        raise BuildError(
            f"{len(failed.failed)} plan(s) have problems, so nothing was built (--strict). First: {first}"
        )


def _checked_plans(
    workspace: Path, paths: list[Path], today: date, report: BuildReport, tell: Progress,
    fallback: bool = True,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every plan that may be built, one at a time, by id; the others go into report.failed."""
    from builder.plan.validate import check_plan
    from builder.story.fallback import last_valid_version

    for done, path in enumerate(paths, 1):
        tell("Checking plans", done, len(paths))
        display = shown_path(path)
        try:
            ensure_inside(workspace, path)
        except WorkspaceError as e:
            report.failed[path.stem] = [f"{display}: {e}"]
            continue
        loaded, findings = check_plan(path, display, today)
        errors = [f.as_text() for f in findings if f.severity == "error"]
        if errors or loaded.data is None:
            report.failed[path.stem] = errors or [f"{display}: this plan could not be read."]
            if not fallback:
                continue
            for line in report.failed[path.stem]:
                log.warning("%s", line)
            # A plan never drops out: its last valid recorded version is shown, with a banner.
            last = last_valid_version(workspace, path.stem, today)
            if last is not None:
                report.fallback[path.stem] = last.banner()
                log.warning("%s: %s", display, last.banner())
                yield path.stem, last.data
            continue
        yield path.stem, loaded.data


def join_parts(workspace: Path, folders: list[Path], out: Path, today: date | None = None) -> BuildReport:
    """Put the parts built with ``part`` together into out: the same site a single build makes."""
    from builder.site import mkdocs_adapter

    workspace, out = Path(workspace).resolve(), Path(out).resolve()
    today = today or date.today()
    _check_out(workspace, out)
    manifest, found = parts.read_parts([Path(f).resolve() for f in folders])
    report = BuildReport(out=out, audience=manifest.audience)
    for _, data in found:
        report.built += data["built"]
        report.fallback.update(data["fallback"])
    report.built.sort()
    report.failed = dict(manifest.failed)
    staging, work = _fresh_folders(out)
    try:
        for folder, data in found:
            for pid in data["built"]:
                rel = _site_path(manifest.layout, pid)
                shutil.copytree(folder / rel, staging / rel, symlinks=True)
        if manifest.audience == "team":
            assets = work / "assets"
            mkdocs_adapter.export_theme_assets(docs_tree.template_config(work), assets)
            empty = Manifest(manifest.audience, layout=manifest.layout)
            _build_home(_team_job(manifest, today), out, staging, work, assets, manifest, empty, today,
                        report)
        manifest.dump(staging, workspace, out)
        site_store.commit(staging, out, [])
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    mark_build_output(workspace, out)
    report.home = out if manifest.layout == "each" else out / "index.html"
    return report


def _stories(workspace: Path, audience: str, ids: list[str], report: BuildReport
             ) -> Iterator[tuple[str, Any]]:
    """Each plan's story in turn (in the order of ids), so only one chunk is held at a time."""
    if not ids:
        return
    try:
        from builder.story.timeline import iter_stories

        yield from iter_stories(workspace, audience, ids)
    except HistoryError as e:
        report.warnings.append(
            f"The history of the plans could not be read, so pages about changes are left empty: {e}"
        )


def _story_for(stories: Iterator[tuple[str, Any]], plan_id: str) -> Any:
    """The next plan's story: stories come in the plans' order, with some for plans that
    could not be built (those are passed over)."""
    for found, story in stories:
        if found == plan_id:
            return story
        if found > plan_id:
            return None  # pragma: no cover - every plan built has a story
    return None


def _person_job(plan_id: str, plan: dict[str, Any], story: Any, audience: str, today: date,
                notice: str | None = None) -> _SiteJob:
    team_link = "../../index.html" if audience == "team" else ""
    return _SiteJob(plan_id, person_pages(plan, story, today, team_link, notice, audience))


def _row(team_view: dict[str, Any] | None, viewed: dict[str, Any], story: Any) -> dict[str, Any]:
    """What the team home and the plain index need to know about a plan, kept between builds."""
    from builder.site.dashboard import dashboard_facts
    from builder.site.render_common import full_name

    row: dict[str, Any] = {"label": full_name(viewed)}
    if team_view is not None:
        row["plan"] = dashboard_facts(team_view)
        rev = story.last_updated if story is not None else None
        if rev is not None:
            row["updated"] = rev.when.date().isoformat()
            row["updated_by"] = rev.author + (f" ({words(rev.role)})" if rev.role else "")
    return row


def _team_job(manifest: Manifest, today: date) -> _SiteJob:
    from builder.site.dashboard import PlanRow, dashboard_pages

    rows = [
        PlanRow(
            pid,
            row["plan"],
            date.fromisoformat(row["updated"]) if "updated" in row else None,
            row.get("updated_by", ""),
        )
        for pid, row in sorted(manifest.rows.items())
    ]
    failed = [
        lines[0] + (f" {manifest.rows[pid]['notice']}" if manifest.rows.get(pid, {}).get("notice") else
                    " (its last good version is still shown)" if pid in manifest.rows else "")
        for pid, lines in sorted(manifest.failed.items())
    ]
    return _SiteJob("", dashboard_pages(rows, failed, today))


# --- writing and building -------------------------------------------------------------


def _build(
    workspace: Path,
    out: Path,
    jobs: Iterable[_SiteJob],
    count: int,
    make_home: Callable[[], _SiteJob | None],
    manifest: Manifest,
    previous: Manifest,
    today: date,
    report: BuildReport,
    tell: Progress,
    part: tuple[int, int] | None = None,
) -> None:
    """Build every site beside out, then swap it in; the previous site stays until then."""
    from builder.site import mkdocs_adapter

    staging, work = _fresh_folders(out)
    try:
        assets = work / "assets"
        mkdocs_adapter.export_theme_assets(docs_tree.template_config(work), assets)
        with _Builder(assets, today, count, report, tell) as builder:
            for job in jobs:
                site = staging / _site_path(manifest.layout, job.name)
                config = docs_tree.write_project(work / job.name, site, job.pages)
                builder.submit(job.name, config)
            home = make_home()  # needs every plan's row, so it comes after the plans
            if home is not None:
                _build_home(home, out, staging, work, assets, manifest, previous, today, report)
        kept = sorted(report.reused + report.stale)
        if manifest.layout == "one" and kept:
            # The one plan's site is the folder itself: keep it by linking its files across.
            site_store.link_tree(out, staging, skip_top=(MANIFEST, ".gitignore"))
            kept = []
        if part is None:
            manifest.dump(staging, workspace, out)
        else:
            parts.dump_part(staging, manifest, part, report)
        site_store.commit(staging, out, [_site_path(manifest.layout, pid) for pid in kept])
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    report.home = out if manifest.layout == "each" else out / "index.html"


def _fresh_folders(out: Path) -> tuple[Path, Path]:
    """Empty folders beside out: the new site is put together in the first, built in the second."""
    staging, work = out.parent / f".{out.name}.building", out.parent / f".{out.name}.work"
    for stale in (staging, work):
        shutil.rmtree(stale, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir()
    work.mkdir()
    return staging, work


def _build_home(
    home: _SiteJob,
    out: Path,
    staging: Path,
    work: Path,
    assets: Path,
    manifest: Manifest,
    previous: Manifest,
    today: date,
    report: BuildReport,
) -> None:
    """The team home: kept if its pages are unchanged, else built aside and moved to the top."""
    manifest.home = site_store.page_key(home.pages.files, home.pages.nav, home.pages.title, today)
    if manifest.home == previous.home and (out / "index.html").is_file():
        site_store.link_tree(out, staging, skip_top=("plans", MANIFEST, ".gitignore"))
        return
    # MkDocs empties the folder it builds into, so the home is built in a folder of its own.
    site = work / "_home_site"
    config = docs_tree.write_project(work / "_team", site, home.pages)
    report.warnings += _run_build(config, assets, today)
    for entry in site.iterdir():
        os.replace(entry, staging / entry.name)


class _Builder:
    """Runs MkDocs for people's sites as they are written: on both cores when there are several."""

    def __init__(self, assets: Path, today: date, count: int, report: BuildReport, tell: Progress) -> None:
        self.assets, self.today, self.count, self.report, self.tell = assets, today, count, report, tell
        workers = min(2, os.cpu_count() or 1, count)
        self.pool = (
            ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(_epoch(today),))
            if workers > 1
            else None
        )
        if self.pool is not None:
            # Start the workers now, while this process is small: forked later, after the
            # history is read, each would share (and, as Python touches it, copy) all of it.
            self.pool.submit(int).result()
        self.futures: dict[Future[list[str]], str] = {}
        self.done = 0

    def __enter__(self) -> _Builder:
        return self

    def submit(self, name: str, config: Path) -> None:
        if self.pool is None:
            self._finished(name, _run_build(config, self.assets, self.today))
        else:
            self.futures[self.pool.submit(_build_one, config, self.assets)] = name

    def _finished(self, name: str, warnings: list[str]) -> None:
        self.report.warnings += [f"{name}: {w}" for w in warnings]
        self.report.built.append(name)
        self.done += 1
        self.tell("Building plan pages", self.done, self.count)

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.pool is None:
            return
        try:
            if error is None:
                for future in as_completed(self.futures):
                    self._finished(self.futures[future], future.result())
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.report.built.sort()


def _epoch(today: date) -> str:
    return str(int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp()))


def _init_worker(epoch: str) -> None:
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    from builder.site import mkdocs_adapter

    mkdocs_adapter.quiet()


def _run_build(config: Path, assets: Path, today: date) -> list[str]:
    """Build one site in this process, with the build date fixed to today."""
    from builder.site import mkdocs_adapter

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
    from builder.site import mkdocs_adapter

    return mkdocs_adapter.build(config, assets)

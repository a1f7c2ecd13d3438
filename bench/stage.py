"""One measured stage of the benchmark, run in a process of its own.

``bench/run.py`` starts ``python bench/stage.py NAME JSON-ARGS`` for every stage, so
each stage's time and memory are its own (no warm caches or imports left over from
another stage) and the parent can sample the memory of the stage's whole process
tree. The stage prints one line, ``BENCH-RESULT {json}``, with its timings.

Imports of the code under test happen before the clock starts: the figures are the
work itself, not Python start-up (the ``check`` stage also times the whole CLI).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Result = dict[str, Any]


def _timed(repeats: int, work: Callable[[], Any]) -> tuple[list[float], Any]:
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - start)
    return times, value


# --------------------------------------------------------------------- check


def check(workspace: str, today: str, repeats: int = 3) -> Result:
    """check_paths over every plan, in-process; then the ``wellplan check`` command as a user runs it."""
    from builder.plan.validate import check_paths
    from builder.workspace import plan_files

    ws = Path(workspace)
    paths = plan_files(ws)
    times, (findings, count) = _timed(repeats, lambda: check_paths(paths, ws, date.fromisoformat(today)))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "builder.commands.cli", "check", "--format", "json", "--today", today],
        cwd=ws,
        capture_output=True,
        text=True,
    )
    cli_seconds = time.perf_counter() - start
    errors = sum(f.severity == "error" for f in findings)
    return {
        "times": times,
        "plans": count,
        "errors": errors,
        "warnings": len(findings) - errors,
        "cli_seconds": cli_seconds,
        "cli_exit": done.returncode,
    }


# --------------------------------------------------------------------- history


def history(workspace: str, audience: str = "team", repeats: int = 2) -> Result:
    """Every plan's story (edits, reviews, changes) from one git log pass.

    The stories are taken one plan at a time, as the site and ``wellplan history`` take
    them, and each is let go once counted: memory stays that of one chunk of plans.
    """
    from builder.story.timeline import iter_stories

    def every_story() -> tuple[int, int, int]:
        plans = entries = reviews = 0
        for _, story in iter_stories(Path(workspace), audience):
            plans, entries, reviews = plans + 1, entries + len(story.entries), reviews + len(story.reviews)
        return plans, entries, reviews

    times, (plans, entries, reviews) = _timed(repeats, every_story)
    return {"times": times, "plans": plans, "entries": entries, "reviews": reviews}


def history_log(workspace: str, repeats: int = 2) -> Result:
    """Every edit of every plan (when, who, role, review), from one ``git log`` pass: the
    one-pass counterpart of the per-file baseline below."""
    from builder.story.history import read_versions
    from builder.workspace import plan_files

    ids = [path.stem for path in plan_files(Path(workspace))]
    times, versions = _timed(repeats, lambda: read_versions(Path(workspace), ids))
    return {"times": times, "plans": len(versions), "commits": sum(len(v) for v in versions.values())}


def history_per_file(workspace: str, plan_ids: list[str]) -> Result:
    """The baseline: one ``git log`` process per plan file (what git-date plugins do)."""
    from builder.workspace import plan_rel

    fmt = "--format=%H%x1f%an%x1f%ae%x1f%at%x1f%B%x1e"
    commits = 0
    paths = [plan_rel(Path(workspace), plan_id) for plan_id in plan_ids]  # flat or in folders
    start = time.perf_counter()
    for path in paths:
        out = subprocess.run(
            ["git", "log", fmt, "--", path], cwd=workspace, capture_output=True, check=True
        ).stdout
        commits += out.count(b"\x1e")
    return {"times": [time.perf_counter() - start], "plans": len(plan_ids), "commits": commits}


# --------------------------------------------------------------------- site


def site(
    workspace: str,
    out: str,
    audience: str = "team",
    today: str | None = None,
    clear_cache: bool = False,
    cache_dirs: list[str] | None = None,
) -> Result:
    """One ``build_site`` into out; optionally with the content cache removed first."""
    from builder.site.build import build_site

    if clear_cache:
        for folder in cache_dirs or []:
            shutil.rmtree(folder, ignore_errors=True)
    day = date.fromisoformat(today) if today else None
    times, report = _timed(1, lambda: build_site(Path(workspace), Path(out), audience=audience, today=day))
    return {"times": times, "report": repr(report)[:400], **describe_site(Path(out))}


def site_part(workspace: str, out: str, part: list[int], audience: str = "team",
              today: str | None = None, cache_dirs: list[str] | None = None) -> Result:
    """One part of a split build (``wellplan build --part I/N``), as one CI runner makes it:
    from a workspace with nothing kept, so the cache folders are removed first."""
    from builder.site.build import build_site

    for folder in cache_dirs or []:
        shutil.rmtree(folder, ignore_errors=True)
    day = date.fromisoformat(today) if today else None
    times, _ = _timed(1, lambda: build_site(Path(workspace), Path(out), audience=audience,
                                            today=day, part=(part[0], part[1])))
    return {"times": times}


def site_join(workspace: str, folders: list[str], out: str, today: str | None = None) -> Result:
    """The parts put together into one site (``wellplan build --join``)."""
    from builder.site.build import join_parts

    day = date.fromisoformat(today) if today else None
    times, _ = _timed(1, lambda: join_parts(Path(workspace), [Path(f) for f in folders], Path(out),
                                            today=day))
    return {"times": times}


def commit_graph(workspace: str) -> Result:
    """git's commit-graph with changed-path filters, written as ``wellplan build`` and ``pdf``
    write it before reading one plan's history."""
    from builder.story.history import keep_commit_graph

    times, written = _timed(1, lambda: keep_commit_graph(Path(workspace)))
    return {"times": times, "written": written}


_ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)
_TAG = re.compile(r"<[^>]+>")


def describe_site(out: Path) -> Result:
    """Pages, bytes, and the mean length of each page's own text (what its Markdown said).

    ``bytes`` counts every file (what a copy of the folder takes); ``disk_bytes``
    counts hard-linked files once (what the build itself takes on disk).
    """
    pages, words, total, disk, inodes = [], 0, 0, 0, set()
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        stat = path.stat()
        total += stat.st_size
        if (stat.st_dev, stat.st_ino) not in inodes:
            inodes.add((stat.st_dev, stat.st_ino))
            disk += stat.st_size
        if path.suffix == ".html" and path.name != "404.html":
            html = path.read_text(encoding="utf-8", errors="replace")
            match = _ARTICLE.search(html)
            if match:
                pages.append(str(path.relative_to(out)))
                words += len(unescape(_TAG.sub(" ", match.group(1))).split())
    return {
        "pages": len(pages),
        "page_paths": pages,
        "bytes": total,
        "disk_bytes": disk,
        "mean_words": (words / len(pages)) if pages else 0,
    }


#: A MkDocs hook that gives each page the navigation of its own plan only (the pages in
#: its own folder, plans/<id>/), as a project of many people's plans done well would: each
#: page then costs the same however many plans there are, as ours does.
PER_PLAN_HOOK = '''
from mkdocs.structure.nav import Navigation

_navs = {}


def on_page_context(context, page, config, nav):
    section = page.parent
    if section is None:
        return context
    if id(section) not in _navs:
        pages = [item for item in section.children if item.is_page]
        _navs[id(section)] = Navigation([section], pages)
    context["nav"] = _navs[id(section)]
    return context
'''


def mkdocs_baseline(folder: str, page_paths: list[str], mean_words: float, per_plan: bool = False) -> Result:
    """A plain ``mkdocs build`` with Material of the same pages, of similar length.

    With ``per_plan``, a small hook gives each page only its own plan's pages as its
    navigation (:data:`PER_PLAN_HOOK`), so the cost per page does not grow with the plans.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = Path(folder)
    docs = root / "docs"
    for n, page in enumerate(page_paths):
        target = docs / Path(page).with_suffix(".md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_filler_page(n, mean_words), encoding="utf-8")
    config = root / "mkdocs.yml"
    hooks = ""
    if per_plan:
        (root / "per_plan_nav.py").write_text(PER_PLAN_HOOK, encoding="utf-8")
        hooks = "hooks:\n  - per_plan_nav.py\n"
    config.write_text(
        "site_name: Baseline\nuse_directory_urls: false\ntheme:\n  name: material\n"
        "  font: false\nplugins:\n  - search\nmarkdown_extensions:\n  - tables\n  - toc\n" + hooks,
        encoding="utf-8",
    )
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)

    def work() -> None:
        build(load_config(str(config), site_dir=str(root / "site")))

    times, _ = _timed(1, work)
    return {"times": times, **{k: v for k, v in describe_site(root / "site").items() if k != "page_paths"}}


_WORDS = (
    "the plan says what matters to me and who will help with each part of it so that my "
    "physical health is looked after as well as my mental health blood pressure weight "
    "review goal action carer nurse doctor week month"
).split()


def _filler_page(n: int, words: float) -> str:
    """Markdown with headings, paragraphs, a list and a table, about ``words`` words long."""
    out, count, i = [f"# Page {n}\n"], 2, n
    while count < words:
        block = i % 4
        if block == 0:
            out.append(f"\n## Section {i}\n")
            count += 2
        elif block == 1:
            para = " ".join(_WORDS[(i + k) % len(_WORDS)] for k in range(40))
            out.append(f"\n{para.capitalize()}.\n")
            count += 40
        elif block == 2:
            out.append("\n" + "".join(f"- {_WORDS[(i + k) % len(_WORDS)]} item {k}\n" for k in range(5)))
            count += 15
        else:
            rows = "".join(f"| {i + k} | {_WORDS[k % len(_WORDS)]} | 2024-0{k + 1}-01 |\n" for k in range(4))
            out.append("\n| Value | What | When |\n|---|---|---|\n" + rows)
            count += 15
        i += 1
    return "".join(out)


# --------------------------------------------------------------------- PDF


def pdf(workspace: str, plan_id: str, out: str, today: str | None = None, repeats: int = 3) -> Result:
    """One PDF review copy through pandoc -> Typst, several times (the first one is cold)."""
    from builder.paper.pdf import build_pdf

    day = date.fromisoformat(today) if today else None
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    times, made = _timed(
        repeats,
        lambda: build_pdf(Path(workspace), plan_id, target / f"{plan_id}.pdf", audience="person", today=day),
    )
    made = Path(made) if made else target / f"{plan_id}.pdf"
    return {"times": times, "bytes": made.stat().st_size if made.exists() else 0}


def weasyprint_baseline(
    workspace: str, plan_id: str, out: str, today: str | None = None, repeats: int = 3
) -> Result:
    """The same document through pandoc -> HTML -> WeasyPrint instead of pandoc -> Typst.

    The front half is the builder's own (read the plan's story, check it, take the
    person's view, make the pandoc document), so only the typesetting route differs.
    """
    import pandoc
    import weasyprint

    from builder.paper import pandoc_tool
    from builder.paper import pdf as ours
    from builder.story.timeline import read_stories

    ws, day = Path(workspace), date.fromisoformat(today) if today else date.today()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{plan_id}-weasyprint.pdf"

    def work() -> None:
        story = read_stories(ws, "person", [plan_id])[plan_id]
        document, job = ours._prepare(ws, plan_id, target, "person", False, day, story)
        source = json.dumps(pandoc.write_json_v2(document))
        html = pandoc_tool.run_pandoc(
            ["--from=json", "--to=html5", "--standalone", "--sandbox", f"--metadata=title:{job.title}"],
            source,
        )
        weasyprint.HTML(string=html).write_pdf(target)

    times, _ = _timed(repeats, work)
    return {"times": times, "bytes": target.stat().st_size}


STAGES: dict[str, Callable[..., Result]] = {
    "check": check,
    "history": history,
    "history_log": history_log,
    "history_per_file": history_per_file,
    "site": site,
    "mkdocs_baseline": mkdocs_baseline,
    "pdf": pdf,
    "site_part": site_part,
    "site_join": site_join,
    "commit_graph": commit_graph,
    "weasyprint_baseline": weasyprint_baseline,
}


def main() -> int:
    name, args = sys.argv[1], json.loads(sys.argv[2])
    result = STAGES[name](**args)
    result["maxrss_self_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["maxrss_children_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stdout.flush()
    os.write(1, b"\nBENCH-RESULT " + json.dumps(result).encode() + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The scale and speed benchmark: build a synthetic workspace and measure every stage.

    python bench/run.py [--plans N] [--edits M] [--json FILE]

Every figure is a ratio against a baseline measured side by side in the same run,
on the same machine, because absolute timings on a shared machine are noise. Each
stage runs in a process of its own (bench/stage.py) while this process samples the
memory of that process and everything it starts. Nothing here is a test: targets
are reported, never asserted.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import Workspace, generate, record_one_more_edit  # noqa: E402

from builder.workspace import plan_files  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024
#: Fixed so that builds are reproducible (MkDocs' sitemap.xml.gz reads it).
SOURCE_DATE_EPOCH = "1767225600"


@dataclass
class Figure:
    """One reported figure. ``value`` is a number, a yes/no, or 'not measured: why'."""

    name: str
    value: Any
    unit: str
    target: str
    met: bool | None
    note: str = ""


@dataclass
class StageRun:
    key: str  # the same in every run, to compare runs of different sizes
    name: str
    result: dict[str, Any] | None
    error: str
    seconds: float
    peak_bytes: int

    @property
    def best(self) -> float:
        return min(self.result["times"]) if self.result else float("nan")

    @property
    def first(self) -> float:
        return self.result["times"][0] if self.result else float("nan")


class Runner:
    """Runs stages in child processes, sampling their memory, and says what it is doing."""

    def __init__(self, progress: bool) -> None:
        self.progress = progress
        self.runs: list[StageRun] = []

    def say(self, text: str) -> None:
        if self.progress:
            print(f"  … {text}", file=sys.stderr, flush=True)

    def stage(self, name: str, label: str = "", key: str = "", **args: Any) -> StageRun:
        self.say(label or name)
        # The builder measured is the one beside this file (a snapshot made with
        # 'git archive' is measured as it is, whatever is installed in the venv).
        path = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p)
        env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "PYTHONHASHSEED": "0",
            "PYTHONPATH": path,
        }
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "stage.py"), name, json.dumps(args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out, err = proc.communicate()
        done.set()
        sampler.join()
        seconds = time.perf_counter() - start
        result, error = None, ""
        for line in out.decode(errors="replace").splitlines():
            if line.startswith("BENCH-RESULT "):
                result = json.loads(line.removeprefix("BENCH-RESULT "))
        if result is None:
            error = _why(err.decode(errors="replace")) or f"exit code {proc.returncode}"
        else:
            peak[0] = max(peak[0], 1024 * max(result["maxrss_self_kb"], result["maxrss_children_kb"]))
        run = StageRun(key or name, name if not label else label, result, error, seconds, peak[0])
        self.runs.append(run)
        return run


def tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants, from /proc (Linux).

    Proportional set size (PSS) where the kernel gives it: pages that forked
    workers share with their parent are counted once, not once per process.
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            total += _pss(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE


def _why(stderr: str) -> str:
    """The last meaningful line of a failed stage's error output."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if "ModuleNotFoundError" in line or "ImportError" in line:
            return line.split(":", 1)[-1].strip() + " (that part is not written yet)"
    return lines[-1][:300] if lines else ""


def _not_measured(name: str, unit: str, target: str, why: str) -> Figure:
    return Figure(name, f"not measured: {why}", unit, target, False)


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


# --------------------------------------------------------------------- the run


def measure(opts: argparse.Namespace, tmp: Path, runner: Runner) -> list[Figure]:
    """Every stage, in order; returns the figures."""
    plans, edits, seed, audience = opts.plans, opts.edits, opts.seed, opts.audience
    figures: list[Figure] = []
    load_before = os.getloadavg()[0]
    ws = tmp / "workspace"
    start = time.perf_counter()
    if opts.workspace:
        runner.say(f"copying the workspace made earlier in {opts.workspace}")
        made = reuse(opts.workspace, ws, plans)
        how = f"made earlier by generate.py and cloned here ({opts.workspace})"
    else:
        runner.say(f"making a workspace of {plans} plans × {edits} edits")
        made = generate(ws, plans, edits, seed, opts.merges, opts.folders)
        how = "one git fast-import" + (f", {opts.merges:.0%} of edits merged in from another clone"
                                       if opts.merges else "")
    figures.append(
        Figure(
            "generate workspace",
            round(time.perf_counter() - start, 2),
            "s",
            "—",
            None,
            f"{len(made.plan_ids)} plans, {made.commits} commits, {how}",
        )
    )
    today = (made.last_commit_time + timedelta(days=1)).date().isoformat()
    scale_plans, scale_edits = plans / 1000, plans * edits / 20_000

    parts = set(opts.parts.split(","))
    if "check" in parts:
        figures += measure_check(runner, ws, today, scale_plans)
    if "history" in parts:
        figures += measure_history(runner, ws, made.plan_ids, opts.history_sample, audience, scale_edits)
    if "site" in parts:
        figures += measure_site(runner, ws, tmp, made.plan_ids, opts, today)
    if "pdf" in parts:
        figures += measure_pdf(runner, ws, tmp, made.plan_ids[0], today)
    figures.append(
        Figure(
            "machine load (1-minute load average), start → end",
            round(os.getloadavg()[0], 2),
            "",
            "—",
            None,
            f"{load_before:.2f} at the start, on {os.cpu_count()} cores: above that, other work "
            "shared the machine and times stretch; ratios measured side by side stretch less",
        )
    )

    if opts.against:
        figures += scaling(runner.runs, plans, edits, json.loads(opts.against.read_text(encoding="utf-8")))
    measured = [r for r in runner.runs if r.peak_bytes]
    if measured:
        top = max(measured, key=lambda r: r.peak_bytes)
        figures.append(
            Figure(
                "peak memory",
                round(top.peak_bytes / MB),
                "MB",
                "≤ 512 MB",
                top.peak_bytes <= 512 * MB,
                f"largest stage: {top.name} (resident memory of its process tree)",
            )
        )
    return figures


def reuse(source: Path, ws: Path, plans: int) -> Workspace:
    """A clone of a workspace made earlier by ``generate.py`` (its objects hard-linked, so
    nothing measured here can change it), described as :func:`generate` describes one."""
    found = plan_files(Path(source))
    if len(found) != plans:
        raise SystemExit(f"{source} holds {len(found)} plans, not {plans}: give the --plans it was made "
                         "with.")
    subprocess.run(["git", "clone", "-q", "--local", str(source), str(ws)], check=True)
    subprocess.run(["git", "-C", str(ws), "remote", "remove", "origin"], check=True)
    commits = int(subprocess.run(["git", "-C", str(ws), "rev-list", "--count", "HEAD"], check=True,
                                 capture_output=True, text=True).stdout)
    last = subprocess.run(["git", "-C", str(ws), "log", "-1", "--format=%at"], check=True,
                          capture_output=True, text=True).stdout
    return Workspace(ws, [p.stem for p in found], commits, datetime.fromtimestamp(int(last), UTC))


#: How much more work a stage does when the workspace grows: "plans" (one pass over every
#: plan), "versions" (every recorded version) or "fixed" (the same work at any size).
GROWTH = {
    "check": "plans",
    "history log": "versions",
    "history described, nothing kept": "versions",
    "history described, stories kept": "versions",
    "baseline: git log per plan file": "versions",
    "site full build, cold": "plans",
    "site full build, warm": "plans",
    "site split build, part 1": "plans",
    "site split build, part 2": "plans",
    "site split build, join": "plans",
    "site full build, half the plans": "plans",
    "site incremental build": "plans",
    "baseline: plain MkDocs, navigation of every page": "fixed",
    "baseline: plain MkDocs, navigation per plan": "fixed",
    # The first PDF reads its plan's history: git walks every commit (with the commit-graph's
    # changed-path filters, without opening their trees), so it grows with the history.
    "one PDF": "versions",
    "one PDF, no commit-graph": "versions",
    "commit-graph write": "versions",
    "baseline: pandoc → WeasyPrint": "fixed",
}


def scaling(runs: list[StageRun], plans: int, edits: int, other: dict[str, Any]) -> list[Figure]:
    """Each stage's time against the same stage in a smaller run (its JSON): linear at most.

    A stage that reads every plan may take 1.1 × as much longer as there are more plans
    (11 × for 10 × the plans); one that reads every version, as much longer as there are
    more versions; one of a fixed size, at most 1.1 × as long.
    """
    before = {s["key"]: s for s in other.get("stages", [])}
    versions = plans * (edits + 1) / (other["plans"] * (other["edits"] + 1))
    grew = {"plans": plans / other["plans"], "versions": versions, "fixed": 1.0}
    figures = []
    for run in runs:
        old = before.get(run.key)
        if not run.result or old is None or not old.get("seconds") or run.key not in GROWTH:
            continue
        factor = grew[GROWTH[run.key]]
        ratio = run.first / old["seconds"]
        figures.append(Figure(
            f"scaling: {run.key}", round(ratio, 2), "×", f"≤ {1.1 * factor:.3g} ×", ratio <= 1.1 * factor,
            f"{run.first:.2f} s here against {old['seconds']:.2f} s at {other['plans']} plans × "
            f"{other['edits']} edits ({GROWTH[run.key]}: {factor:.3g} × as many)"))
    if not figures:
        figures.append(Figure("scaling", "not measured: the other run's JSON has no stages to compare",
                              "", "—", False))
    return figures


def stage_rows(runs: list[StageRun]) -> list[dict[str, Any]]:
    """Every stage with its time (the first call), its whole process's time and its peak memory."""
    return [{"key": r.key, "label": r.name, "seconds": round(r.first, 3) if r.result else None,
             "process_seconds": round(r.seconds, 3), "peak_mb": round(r.peak_bytes / MB),
             "error": r.error or None} for r in runs]


def _per_target(seconds: float, scale: float) -> tuple[bool, str]:
    """Met when the time, scaled linearly to the target's size, is within it.

    Below the target's size, scaling also multiplies fixed costs (start-up, schema
    compilation), so a small run judges conservatively.
    """
    if scale >= 1:
        return seconds <= 3.0, ""
    scaled = seconds / scale
    return scaled <= 3.0, f"{scaled:.2f} s when scaled linearly to the target's size; "


def measure_check(runner: Runner, ws: Path, today: str, scale: float) -> list[Figure]:
    text = "≤ 3 s for 1,000 plans"
    run = runner.stage("check", "check: every plan", key="check", workspace=str(ws), today=today)
    if not run.result:
        return [_not_measured("check all plans", "s", text, run.error)]
    r = run.result
    met, scaled = _per_target(run.first, scale)
    cli_met, cli_scaled = _per_target(r["cli_seconds"], scale)
    return [
        Figure(
            "check all plans",
            round(run.first, 3),
            "s",
            text,
            met,
            f"{scaled}check_paths, first call in a fresh process; best of {len(r['times'])}: "
            f"{run.best:.3f} s; {r['plans']} plans, {r['errors']} errors, {r['warnings']} warnings",
        ),
        Figure(
            "check all plans (wellplan check, whole command)",
            round(r["cli_seconds"], 3),
            "s",
            text,
            cli_met,
            f"{cli_scaled}includes Python start-up; exit code {r['cli_exit']}",
        ),
    ]


def measure_history(
    runner: Runner, ws: Path, plan_ids: list[str], sample: int, audience: str, scale: float
) -> list[Figure]:
    text = "≤ 3 s for 1,000 × 20"
    log = runner.stage(
        "history_log", "history: every plan's edits, one git log pass", key="history log", workspace=str(ws)
    )
    ours = runner.stage(
        "history", "history: every plan's story, one git log pass", key="history described, nothing kept",
        workspace=str(ws), audience=audience,
    )
    # The first call above kept every story (.git/wellplan/stories); a new process now reads them.
    kept = runner.stage(
        "history", "history: every plan's story again, in a new process",
        key="history described, stories kept",
        workspace=str(ws), audience=audience,
    )
    step = max(1, len(plan_ids) // sample) if sample else 1
    chosen = plan_ids[::step][: sample or None]
    base = runner.stage(
        "history_per_file",
        f"history baseline: git log per plan file ({len(chosen)} files)",
        key="baseline: git log per plan file",
        workspace=str(ws),
        plan_ids=chosen,
    )
    figures = []
    if not log.result:
        figures.append(_not_measured("history log, all plans", "s", text, log.error))
    else:
        met, scaled = _per_target(log.first, scale)
        figures.append(
            Figure(
                "history log, all plans",
                round(log.first, 3),
                "s",
                text,
                met,
                f"{scaled}read_versions: when, who, role and review of every edit of every plan, "
                f"first call; best of {len(log.result['times'])}: {log.best:.3f} s; "
                f"{log.result['commits']} edits",
            )
        )
    if not ours.result:
        figures.append(_not_measured("history described (cold)", "s", text, ours.error))
    else:
        r = ours.result
        met, scaled = _per_target(ours.first, scale)
        figures.append(
            Figure(
                "history described (cold)",
                round(ours.first, 3),
                "s",
                text,
                met,
                f"{scaled}read_stories({audience!r}) of every plan, with every change described: "
                "first call in a new process, nothing kept yet (every version parsed, viewed and "
                f"diffed, on both cores); again in the same process: {r['times'][-1]:.3f} s; "
                f"{r['entries']} edits, {r['reviews']} reviews",
            )
        )
    if kept.result:
        met, scaled = _per_target(kept.first, scale)
        figures.append(
            Figure(
                "history described (new process, stories kept)",
                round(kept.first, 3),
                "s",
                text,
                met,
                f"{scaled}the same, first call in a new process after the stories were kept on disk "
                "(.git/wellplan/stories, keyed by HEAD or every version's commit and blob ids, the file, "
                "the audience and the program)",
            )
        )
    if not base.result:
        figures.append(_not_measured("history speed-up over per-file git log", "×", "≥ 10 ×", base.error))
        return figures
    per_file_all = base.best / len(chosen) * len(plan_ids)
    figures.append(
        Figure(
            "per-file git log, all plans",
            round(per_file_all, 2),
            "s",
            "—",
            None,
            f"measured on {len(chosen)} of {len(plan_ids)} plan files "
            f"({base.best:.2f} s) and scaled: each call walks the whole history",
        )
    )
    if log.result:
        # Like for like: both read every edit's who, when and message, and nothing more.
        speedup = _ratio(per_file_all, log.first)
        figures.append(
            Figure("history speed-up over per-file git log", round(speedup, 1), "×", "≥ 10 ×", speedup >= 10)
        )
    else:
        figures.append(_not_measured("history speed-up over per-file git log", "×", "≥ 10 ×", log.error))
    if ours.result:
        speedup = _ratio(per_file_all, ours.first)
        figures.append(
            Figure(
                "history with every change described, speed-up over per-file git log",
                round(speedup, 1),
                "×",
                "≥ 10 ×",
                speedup >= 10,
                "read_stories also parses every version and describes every change in plain English",
            )
        )
    return figures


def _new_entries(ws: Path, before: set[str]) -> list[str]:
    return [str(ws / name) for name in sorted(os.listdir(ws)) if name not in before]


def measure_site(
    runner: Runner,
    ws: Path,
    tmp: Path,
    plan_ids: list[str],
    opts: argparse.Namespace,
    today: str,
) -> list[Figure]:
    """Full builds cold and warm against plain MkDocs; one edit, then incremental; size growth."""
    seed, plans, edits, audience = opts.seed, opts.plans, opts.edits, opts.audience
    baseline_pages = opts.baseline_pages
    names = (
        "site cold, cost per page over plain MkDocs+Material",
        "site warm, cost per page over plain MkDocs+Material",
        "incremental build after one edit, share of a full build",
        "incremental output identical to a full build",
        "site size per plan",
        "site size at N plans over at N/2",
    )
    targets = ("≤ 2.0 ×", "≤ 1.2 ×", "≤ 5 %", "yes", "—", "≤ 2.1 × (linear)")
    units = ("×", "×", "%", "", "KB", "×")
    before = set(os.listdir(ws))
    out = tmp / "site"
    common = {"workspace": str(ws), "audience": audience, "today": today}
    # Cold means nothing kept: not even the stories the history stage left on disk.
    stories = [str(ws / ".git" / "wellplan" / "stories")]
    cold = runner.stage(
        "site", "site: full build, cold", key="site full build, cold", out=str(out), clear_cache=True,
        cache_dirs=stories, **common,
    )
    if not cold.result:
        return [_not_measured(n, u, t, cold.error) for n, u, t in zip(names, units, targets, strict=True)]
    cache_dirs = _new_entries(ws, before) + stories
    warm = runner.stage("site", "site: second full build, warm", key="site full build, warm", out=str(out),
                        **common)
    pages, words = cold.result["pages"], cold.result["mean_words"]
    # One MkDocs project's cost per page grows with its page count (every page renders
    # the whole navigation), so a baseline bigger than this would only flatter us.
    sample = cold.result["page_paths"][: baseline_pages or None]
    base_cold = runner.stage(
        "mkdocs_baseline",
        f"baseline: plain mkdocs build of {len(sample)} pages",
        key="baseline: plain MkDocs, navigation of every page",
        folder=str(tmp / "baseline-1"),
        page_paths=sample,
        mean_words=words,
    )
    base_warm = base_cold
    base_plan = runner.stage(
        "mkdocs_baseline",
        f"baseline: plain mkdocs build of {len(sample)} pages, navigation per plan",
        key="baseline: plain MkDocs, navigation per plan",
        folder=str(tmp / "baseline-per-plan"),
        page_paths=sample,
        mean_words=words,
        per_plan=True,
    )
    figures = [
        Figure(
            "site pages",
            pages,
            "pages",
            "—",
            None,
            f"{len(plan_ids)} plans; mean {words:.0f} words of text a page"
            + (
                f"; cache folders in the workspace: {', '.join(Path(c).name for c in cache_dirs)}"
                if cache_dirs
                else ""
            ),
        ),
        Figure("site full build, cold", round(cold.first, 2), "s", "—", None),
        Figure("site full build, warm", round(warm.first, 2) if warm.result else warm.error, "s", "—", None),
    ]
    if base_cold.result and base_warm.result:
        figures.append(
            Figure(
                "plain MkDocs+Material build of the same pages",
                round(base_cold.first, 2),
                "s",
                "—",
                None,
                f"{base_cold.result['pages']} pages (the first {len(sample)} of ours, same paths), "
                "one project whose navigation lists every page on every page; "
                f"mean {base_cold.result['mean_words']:.0f} words a page",
            )
        )
        for name, ours, base, limit, target in (
            (names[0], cold, base_cold, 2.0, targets[0]),
            (names[1], warm, base_warm, 1.2, targets[1]),
        ):
            if ours.result:
                ratio = _ratio(ours.first / pages, base.first / max(1, base.result["pages"]))
                note = (
                    f"{1000 * ours.first / pages:.0f} ms a page against "
                    f"{1000 * base.first / base.result['pages']:.0f} ms; "
                    "the builder uses both cores, the plain MkDocs build one"
                )
                figures.append(Figure(name, round(ratio, 2), "×", target, ratio <= limit, note))
            else:
                figures.append(_not_measured(name, "×", target, ours.error))
    else:
        why = base_cold.error or base_warm.error
        figures += [
            _not_measured(names[0], "×", targets[0], why),
            _not_measured(names[1], "×", targets[1], why),
        ]
    fair = "site cold vs plain Material per-plan navigation"
    if base_plan.result:
        per_page = base_plan.first / max(1, base_plan.result["pages"])
        ratio = _ratio(cold.first / pages, per_page)
        figures.append(
            Figure(
                "plain MkDocs+Material build, navigation per plan",
                round(base_plan.first, 2),
                "s",
                "—",
                None,
                f"{base_plan.result['pages']} pages (the first {len(sample)} of ours, same paths), one "
                "project with a hook giving each page only its own plan's pages as navigation, so its "
                f"cost per page stays the same however many plans; one core; "
                f"mean {base_plan.result['mean_words']:.0f} words a page",
            )
        )
        figures.append(
            Figure(
                fair,
                round(ratio, 2),
                "×",
                "≤ 0.5 ×",
                ratio <= 0.5,
                f"{1000 * cold.first / pages:.1f} ms a page against {1000 * per_page:.1f} ms; "
                "the builder uses both cores, the plain MkDocs build one",
            )
        )
    else:
        figures.append(_not_measured(fair, "×", "≤ 0.5 ×", base_plan.error))

    runner.say("recording one more edit to one plan")
    record_one_more_edit(ws, plan_ids[0], seed)
    inc = runner.stage("site", "site: incremental build after one edit", key="site incremental build",
                       out=str(out), **common)
    # The same site from scratch after the edit, built as two CI runners would build it (each
    # part with nothing kept, one after the other here) and joined: it must be byte for byte
    # the incremental build, and its wall time on two runners is reported beside the single build.
    part_dirs = [tmp / f"site-part-{n}" for n in (1, 2)]
    split = [
        runner.stage("site_part", f"site: split build, part {n} of 2, nothing kept",
                     key=f"site split build, part {n}", out=str(folder), part=[n, 2],
                     cache_dirs=cache_dirs, **common)
        for n, folder in zip((1, 2), part_dirs, strict=True)
    ]
    joined_out = tmp / "site-joined"
    join = runner.stage("site_join", "site: the two parts joined", key="site split build, join",
                        workspace=str(ws), folders=[str(f) for f in part_dirs], out=str(joined_out),
                        today=today)
    if all(r.result for r in split) and join.result:
        wall = max(r.first for r in split) + join.first
        figures.append(
            Figure(
                "site split build on 2 runners (wall)",
                round(wall, 2),
                "s",
                "—",
                None,
                f"the slower part and the join: part 1 {split[0].first:.2f} s, part 2 "
                f"{split[1].first:.2f} s, join {join.first:.2f} s (one after the other here); "
                f"the single cold build took {cold.first:.2f} s, {_ratio(wall, cold.first):.2f} × "
                "this",
            )
        )
    else:
        figures.append(_not_measured("site split build on 2 runners (wall)", "s", "—",
                                     next(r.error for r in [*split, join] if not r.result)))
    if inc.result and join.result:
        share = 100 * _ratio(inc.first, cold.first)
        figures.append(
            Figure(
                names[2],
                round(share, 1),
                "%",
                targets[2],
                share <= 5,
                f"{inc.first:.2f} s against the cold full build's {cold.first:.2f} s",
            )
        )
        differences = compare_trees(out, joined_out)
        figures.append(
            Figure(
                names[3],
                not differences,
                "",
                targets[3],
                not differences,
                "against the split build after the edit, from scratch and joined; "
                + "; ".join(differences[:5]) + (" …" if len(differences) > 5 else ""),
            )
        )
    else:
        why = inc.error or join.error
        figures += [
            _not_measured(names[2], "%", targets[2], why),
            _not_measured(names[3], "", targets[3], why),
        ]

    size = cold.result["bytes"]
    figures.append(
        Figure(
            names[4],
            round(size / len(plan_ids) / 1024, 1),
            "KB",
            targets[4],
            None,
            f"{size / MB:.1f} MB for {len(plan_ids)} plans as copied; "
            f"{cold.result['disk_bytes'] / MB:.1f} MB on disk (hard links counted once)",
        )
    )
    if opts.no_half:
        return figures
    half = max(1, plans // 2)
    runner.say(f"making a workspace of {half} plans to see how size grows")
    generate(tmp / "workspace-half", half, edits, seed, opts.merges, opts.folders)
    small = runner.stage(
        "site",
        f"site: full build of {half} plans",
        key="site full build, half the plans",
        workspace=str(tmp / "workspace-half"),
        out=str(tmp / "site-half"),
        audience=audience,
        today=today,
    )
    if small.result:
        growth = _ratio(size, small.result["bytes"]) * half / (len(plan_ids) / 2)
        figures.append(
            Figure(
                names[5],
                round(growth, 3),
                "×",
                targets[5],
                growth <= 2.1,
                f"twice the plans: 2 × if size is linear, 4 × if quadratic; "
                f"{small.result['bytes'] / MB:.1f} MB at {half} plans",
            )
        )
    else:
        figures.append(_not_measured(names[5], "×", targets[5], small.error))
    return figures


def _drop(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def compare_trees(a: Path, b: Path) -> list[str]:
    """Every file that differs between two output folders (missing, extra, or other bytes)."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differences = [f"only in the incremental build: {p}" for p in sorted(files_a - files_b)]
    differences += [f"missing from the incremental build: {p}" for p in sorted(files_b - files_a)]
    differences += [
        f"differs: {p}" for p in sorted(files_a & files_b) if not filecmp.cmp(a / p, b / p, shallow=False)
    ]
    return differences


def measure_pdf(runner: Runner, ws: Path, tmp: Path, plan_id: str, today: str) -> list[Figure]:
    names = ("one PDF", "PDF speed-up over pandoc → WeasyPrint")
    # The first PDF of one plan reads that plan's history: first without git's commit-graph,
    # then with it (as 'wellplan pdf' writes it), nothing else kept either time.
    info, kept = ws / ".git" / "objects" / "info", ws / ".git" / "wellplan"
    _drop(info / "commit-graph", info / "commit-graphs", kept / "commit-graph-head", kept / "stories")
    without = runner.stage("pdf", "PDF: one review copy, no commit-graph",
                           key="one PDF, no commit-graph", workspace=str(ws), plan_id=plan_id,
                           out=str(tmp / "pdf-no-graph"), today=today, repeats=1)
    graph = runner.stage("commit_graph", "git commit-graph with changed-path filters",
                         key="commit-graph write", workspace=str(ws))
    _drop(ws / ".git" / "wellplan" / "stories")
    ours = runner.stage(
        "pdf",
        "PDF: one review copy, pandoc → Typst",
        key="one PDF",
        workspace=str(ws),
        plan_id=plan_id,
        out=str(tmp / "pdf"),
        today=today,
    )
    if not ours.result:
        return [
            _not_measured(names[0], "s", "≤ 0.3 s", ours.error),
            _not_measured(names[1], "×", "≥ 5 ×", ours.error),
        ]
    figures = [
        Figure(
            names[0],
            round(ours.best, 3),
            "s",
            "≤ 0.3 s",
            ours.best <= 0.3,
            f"best of {len(ours.result['times'])}; first (cold) {ours.first:.3f} s; "
            f"{ours.result['bytes'] / 1024:.0f} KB",
        )
    ]
    if without.result and graph.result:
        figures.append(
            Figure(
                "one PDF, first call, without → with the commit-graph",
                round(_ratio(ours.first, without.first), 3),
                "×",
                "—",
                None,
                f"{without.first:.3f} s without git's commit-graph, {ours.first:.3f} s with it "
                f"(nothing else kept either time); writing it took {graph.first:.2f} s",
            )
        )
    base = runner.stage(
        "weasyprint_baseline",
        "PDF baseline: the same document, pandoc → HTML → WeasyPrint",
        key="baseline: pandoc → WeasyPrint",
        workspace=str(ws),
        plan_id=plan_id,
        out=str(tmp / "pdf-weasyprint"),
        today=today,
    )
    if not base.result:
        figures.append(_not_measured(names[1], "×", "≥ 5 ×", base.error))
        return figures
    speedup = _ratio(base.best, ours.best)
    figures.append(
        Figure(
            names[1],
            round(speedup, 1),
            "×",
            "≥ 5 ×",
            speedup >= 5,
            f"WeasyPrint best {base.best:.3f} s, {base.result['bytes'] / 1024:.0f} KB",
        )
    )
    return figures


# --------------------------------------------------------------------- report


def table(figures: list[Figure]) -> str:
    """Every figure with its target, one a line, with notes indented beneath."""
    rows = []
    for f in figures:
        value = (
            f.value
            if isinstance(f.value, str)
            else ("yes" if f.value is True else "no" if f.value is False else f"{f.value:g}")
        )
        value = f"{value} {f.unit}".strip() if not str(value).startswith("not measured") else value
        verdict = {True: "met", False: "MISSED", None: ""}[f.met]
        rows.append((f.name, value, f.target, verdict, f.note))
    width = max(len(r[0]) for r in rows)
    vwidth = min(24, max(len(r[1]) for r in rows))
    twidth = max(len(r[2]) for r in rows)
    lines = [
        f"{'figure'.ljust(width)}  {'value'.ljust(vwidth)}  {'target'.ljust(twidth)}  result",
        "-" * (width + vwidth + twidth + 12),
    ]
    for name, value, target, verdict, note in rows:
        if len(value) > vwidth:  # a 'not measured: why' goes under the line
            value, note = "not measured", value.removeprefix("not measured: ") + (f"; {note}" if note else "")
        lines.append(f"{name.ljust(width)}  {value.ljust(vwidth)}  {target.ljust(twidth)}  {verdict}")
        if note:
            lines.append(f"{'':{width}}    {note}")
    return "\n".join(lines)


def _commit() -> str | None:
    """The commit measured, when run from a checkout (None from a snapshot made by git archive)."""
    done = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=1000, help="plans in the workspace (default 1000)")
    parser.add_argument("--edits", type=int, default=20, help="recorded edits per plan (default 20)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--seed", type=int, default=0, help="for a different synthetic workspace")
    parser.add_argument("--folders", action="store_true",
                        help="keep each plan in its folder (plans/da/n-/...), as a new workspace does")
    parser.add_argument("--merges", type=float, default=0.0,
                        help="share of edits made in another clone and merged in, e.g. 0.1 (default 0)")
    parser.add_argument("--audience", default="team", help="whose site and history to build (default team)")
    parser.add_argument(
        "--history-sample",
        type=int,
        default=50,
        help="plan files to run the per-file git log baseline on, scaled to all (default 50; 0 = every file)",
    )
    parser.add_argument(
        "--baseline-pages",
        type=int,
        default=1000,
        help="most pages in the plain MkDocs baseline project (default 1000; 0 = as many as ours)",
    )
    parser.add_argument(
        "--keep", type=Path, help="build in this new folder and keep it, instead of a temp one"
    )
    parser.add_argument(
        "--workspace", type=Path,
        help="measure a clone of this workspace, made earlier by generate.py with the same --plans, "
        "--edits and --seed, instead of making one (a big one takes long to make)",
    )
    parser.add_argument(
        "--against", type=Path,
        help="the JSON of a smaller run: add how each stage's time grew against it (linear at most)",
    )
    parser.add_argument(
        "--parts", default="check,history,site,pdf",
        help="which parts to measure, of check,history,site,pdf (default all of them)",
    )
    parser.add_argument(
        "--no-half", action="store_true",
        help="skip building a workspace of half the plans to see how the site's size grows",
    )
    args = parser.parse_args(argv)
    if args.plans < 2 or args.edits < 1:
        parser.error("--plans must be at least 2 and --edits at least 1")
    runner = Runner(progress=sys.stderr.isatty())
    print(f"Benchmark: {args.plans} plans × {args.edits} edits, on {os.cpu_count()} cores", flush=True)
    if args.keep:
        args.keep.mkdir(parents=True)
        figures = measure(args, args.keep.resolve(), runner)
    else:
        with tempfile.TemporaryDirectory(prefix="wellplan-bench-") as tmp:
            figures = measure(args, Path(tmp), runner)
    print(table(figures))
    if args.json:
        payload = {"plans": args.plans, "edits": args.edits, "commit": _commit(),
                   "figures": [asdict(f) for f in figures], "stages": stage_rows(runner.runs)}
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

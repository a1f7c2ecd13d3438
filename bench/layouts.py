"""How the plans/ layout changes git's speed: plain git on synthetic workspaces.

    python bench/layouts.py OUT     # 1,000 plans x 5,000 commits and 10,000 x 50,000, four layouts

Each workspace is made with git fast-import (one small commit per change, believable plan
ids from generate.py) and its commit-graph written with changed-path filters. For each
layout it times, best of two, one `git log --raw -m` over all of plans/ (what reading every
plan's history costs) and the mean of one plan's `git log --raw -m` over 20 plans (what one
PDF or one recording costs). Layouts: flat (plans/<id>.yaml), hash (plans/<2 hex digits of
sha-256>/<id>.yaml), chars (plans/<id[:2]>/<id[2:4]>/<id>.yaml, as the crates.io index does),
letter (plans/<id[0]>/<id>.yaml). The figures are for comparing layouts in one run only.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402 - for believable plan ids

LAYOUTS = ("flat", "hash", "chars", "letter")
SIZES = ((1000, 5000), (10000, 50000))


def plan_ids(n: int) -> list[str]:
    out = []
    for i in range(n):
        first, last = generate._name(random.Random(f"wellplan-bench:0:{i}"))
        out.append(f"{first}-{last}-{i + 1:05d}".lower())
    return out


def where(layout: str, pid: str) -> str:
    folder = {
        "flat": "",
        "hash": hashlib.sha256(pid.encode()).hexdigest()[:2] + "/",
        "chars": f"{pid[:2]}/{pid[2:4]}/",
        "letter": f"{pid[0]}/",
    }[layout]
    return f"plans/{folder}{pid}.yaml"


def make(out: Path, layout: str, n: int, commits: int) -> list[str]:
    out.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=out, check=True)
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=out, stdin=subprocess.PIPE)
    assert importer.stdin is not None
    names = plan_ids(n)
    rng = random.Random(1)
    for i in range(commits):
        pid = names[i] if i < n else rng.choice(names)
        body = f"id: {pid}\nv: {i}\n".encode()
        importer.stdin.write(
            f"commit refs/heads/main\ncommitter A <a@example.invalid> {1_600_000_000 + i} +0000\n"
            f"data 2\nx\nM 100644 inline {where(layout, pid)}\ndata {len(body)}\n".encode() + body + b"\n")
    importer.stdin.close()
    importer.wait()
    subprocess.run(["git", "commit-graph", "write", "--reachable", "--changed-paths"], cwd=out, check=True)
    return names


def timed(command: list[str], cwd: Path) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main(root: Path) -> None:
    log = ["git", "log", "--raw", "--no-abbrev", "-m", "--format=%H", "--"]
    for n, commits in SIZES:
        for layout in LAYOUTS:
            ws = root / f"{layout}-{n}"
            names = make(ws, layout, n, commits)
            every = timed([*log, "plans/"], ws)
            sample = names[:: max(1, n // 20)]
            one = sum(timed([*log, where(layout, pid)], ws) for pid in sample) / len(sample)
            print(f"{n} plans x {commits} commits, {layout:6}: one-pass log {every:.3f}s, "
                  f"one plan's log {one:.4f}s", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

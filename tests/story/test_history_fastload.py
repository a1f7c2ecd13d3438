"""Loading many versions by re-using unchanged sections gives exactly what load_plan gives."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from builder.plan.fastload import VersionLoader
from builder.plan.load import load_plan_bytes

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "tests" / "corpus").rglob("*.yaml")) + sorted((ROOT / "plans").glob("*.yaml"))

#: Small edits a person (or a bad merge) might make to one line.
MUTATIONS = [
    lambda line: "",
    lambda line: line + line,
    lambda line: "  " + line,
    lambda line: line.lstrip(),
    lambda line: line.replace(":", "", 1),
    lambda line: line.replace(": ", ": &a ", 1),
    lambda line: line.replace(": ", ": *a ", 1),
    lambda line: "---\n" + line,
    lambda line: "\t" + line,
    lambda line: line.replace("- ", "", 1),
    lambda line: line.rstrip("\n") + "  # a comment\n",
    lambda line: line.replace(": ", ': "', 1),
    lambda line: "person: x\n" + line,
    lambda line: "- " + line,
]


def expected(raw: bytes):
    data = load_plan_bytes(raw, "x").data
    return data if isinstance(data, dict) else None


def versions(path: Path, count: int, seed: int) -> list[bytes]:
    """The file and some mutated versions of it, each built on the one before, as history is."""
    rng = random.Random(seed)
    raw = path.read_bytes()
    out = [raw]
    try:
        lines = raw.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return out
    for _ in range(count):
        if not lines:
            break
        i = rng.randrange(len(lines))
        lines[i] = rng.choice(MUTATIONS)(lines[i])
        out.append("".join(lines).encode("utf-8"))
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_result_as_loading_each_version_whole(path):
    loader = VersionLoader()  # one loader for all versions, so its caches are exercised
    count = 0 if "bomb" in path.name else 25  # each load of a bomb takes most of a second
    for n, raw in enumerate(versions(path, count, seed=len(path.name))):
        assert loader.load(raw) == expected(raw), f"version {n} of {path.name}"


def test_unchanged_sections_and_items_are_shared_between_versions():
    raw = (ROOT / "plans" / sorted(p.name for p in (ROOT / "plans").glob("*.yaml"))[0]).read_bytes()
    loader = VersionLoader()
    first = loader.load(raw)
    text = raw.decode("utf-8")
    changed = text.replace("schema_version: 2", "schema_version: 2  # still two", 1)
    second = loader.load(changed.encode("utf-8"))
    assert first == second
    assert first["care_team"] is second["care_team"] or all(
        a is b for a, b in zip(first["care_team"], second["care_team"], strict=True)
    )


def test_filtering_shared_parts_once_gives_the_same_views():
    from builder.view import AUDIENCES, view_plan

    loader = VersionLoader()
    memo: dict = {}
    checked = 0
    for path in [f for f in FILES if "bomb" not in f.name]:
        for raw in versions(path, 10, seed=7):
            data = loader.load(raw)
            if data is None:
                continue
            for audience in AUDIENCES:
                assert view_plan(data, audience, memo) == view_plan(data, audience), path.name
                checked += 1
    assert checked > 100

"""A site built in parts on several runners and joined is byte for byte the site one build makes.

Real builds: the example plans, the site fixture workspace (with a plan that cannot be built
and a hostile one) and a generated workspace; each built whole, and in parts that are joined,
and every file of the two compared.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from builder.errors import BuildError, UsageError
from builder.record.record import record_edit
from builder.site.build import build_site, join_parts
from builder.site.parts import PART_FILE, parse_part
from builder.workspace import EXAMPLE_PLANS_DIR
from tests.conftest import run_wellplan
from tests.history_fixtures import day, make_workspace
from tests.site_fixtures import make_site_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import generate  # noqa: E402

TODAY = date(2026, 12, 6)


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def examples(root: Path) -> Path:
    ws = make_workspace(root)
    for n, path in enumerate(sorted(EXAMPLE_PLANS_DIR.glob("*.yaml"))):
        shutil.copyfile(path, ws / "plans" / path.name)
        record_edit(ws, path.stem, name="Priya Sharma", role="care-coordinator", when=day(1 + n))
    return ws


def split_and_join(ws: Path, tmp: Path, audience: str, of: int) -> tuple[Path, Path]:
    whole = tmp / f"whole-{audience}"
    build_site(ws, whole, audience, today=TODAY)
    folders = []
    for number in range(1, of + 1):
        folders.append(tmp / f"part-{audience}-{number}")
        build_site(ws, folders[-1], audience, today=TODAY, part=(number, of))
    joined = tmp / f"joined-{audience}"
    join_parts(ws, list(reversed(folders)), joined, today=TODAY)  # in any order
    return whole, joined


@pytest.mark.parametrize("make", [examples, make_site_workspace], ids=["examples", "site-fixture"])
def test_parts_joined_are_the_whole_team_site_byte_for_byte(tmp_path, make):
    ws = make(tmp_path / "ws")
    whole, joined = split_and_join(ws, tmp_path, "team", 2)
    expected, got = files(whole), files(joined)
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if expected[name] != got[name]] == []
    assert not any(PART_FILE in name for name in got)


def test_a_generated_workspace_in_three_parts_for_the_person(tmp_path):
    made = generate.generate(tmp_path / "ws", 7, 3)
    whole, joined = split_and_join(made.path, tmp_path, "person", 3)
    assert files(joined) == files(whole)
    part = sorted(p.name for p in (tmp_path / "part-person-1").iterdir() if not p.name.startswith("."))
    assert part == sorted(made.plan_ids)[0::3]  # every third plan, from the first


def test_parts_that_are_not_every_part_of_one_build_are_refused(tmp_path):
    ws = examples(tmp_path / "ws")
    one, two = tmp_path / "p1", tmp_path / "p2"
    build_site(ws, one, "team", today=TODAY, part=(1, 2))
    with pytest.raises(BuildError, match="every part from 1/2 to 2/2"):
        join_parts(ws, [one], tmp_path / "site", today=TODAY)
    with pytest.raises(BuildError, match="each once"):
        join_parts(ws, [one, one], tmp_path / "site", today=TODAY)
    # Another recorded version of the plans: the parts would disagree, so no site is made.
    plan = ws / "plans" / "dan-okafor.yaml"
    plan.write_text(plan.read_text().replace("walking football", "walking football on Fridays", 1))
    record_edit(ws, "dan-okafor", name="Priya Sharma", role="care-coordinator", when=day(9))
    build_site(ws, two, "team", today=TODAY, part=(2, 2))
    with pytest.raises(BuildError, match="another recorded version"):
        join_parts(ws, [one, two], tmp_path / "site", today=TODAY)
    assert not (tmp_path / "site").exists()
    with pytest.raises(BuildError, match="is not a part of a site"):
        join_parts(ws, [tmp_path], tmp_path / "site", today=TODAY)


def test_the_command_builds_and_joins_parts_and_says_what_to_do(tmp_path):
    ws = examples(tmp_path / "ws")
    for number in (1, 2):
        done = run_wellplan("build", "--part", f"{number}/2", "--out", str(tmp_path / f"p{number}"),
                            "--today", TODAY.isoformat(), cwd=ws)
        assert done.returncode == 0, done.stderr
        assert f"Built part {number} of 2" in done.stdout and "--join" in done.stdout
    done = run_wellplan("build", "--join", str(tmp_path / "p1"), str(tmp_path / "p2"), "--out",
                        str(tmp_path / "site"), "--today", TODAY.isoformat(), cwd=ws)
    assert done.returncode == 0, done.stderr
    assert "Joined 2 parts: Built 3 plans" in done.stdout
    assert (tmp_path / "site" / "index.html").is_file()
    bad = run_wellplan("build", "--part", "3/2", cwd=ws)
    assert bad.returncode == 2 and "such as 1/4" in bad.stderr and "Traceback" not in bad.stderr
    with pytest.raises(UsageError):
        parse_part("one of two")

"""The benchmark's generator and harness: same input, same workspace; valid plans; the JSON shape.

Timings are never asserted here: they are the benchmark's to report, not a test's to judge.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from builder.plan.load import load_plan_text  # noqa: E402
from builder.plan.validate import check_paths  # noqa: E402
from builder.workspace import plan_files  # noqa: E402

PLANS, EDITS = 5, 6


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> generate.Workspace:
    return generate.generate(tmp_path_factory.mktemp("bench") / "ws", PLANS, EDITS)


def _git(repo: Path, *args: str) -> str:
    return generate.git(repo, *args)


def test_same_arguments_make_the_same_commits_and_files(workspace, tmp_path):
    again = generate.generate(tmp_path / "again", PLANS, EDITS)
    assert _git(again.path, "rev-parse", "HEAD") == _git(workspace.path, "rev-parse", "HEAD")
    for path in plan_files(workspace.path):
        assert (again.path / "plans" / path.name).read_bytes() == path.read_bytes()


def test_another_seed_makes_another_workspace(workspace, tmp_path):
    other = generate.generate(tmp_path / "other", PLANS, EDITS, seed=1)
    assert _git(other.path, "rev-parse", "HEAD") != _git(workspace.path, "rev-parse", "HEAD")


def test_every_plan_and_every_recorded_version_is_valid(workspace):
    today = (workspace.last_commit_time + timedelta(days=1)).date()
    findings, count = check_paths(plan_files(workspace.path), workspace.path, today)
    assert count == PLANS
    assert [f.as_text() for f in findings if f.severity == "error"] == []
    # every version in the history, not only the last one
    log = _git(workspace.path, "log", "--format=%H", "--raw", "--no-abbrev", "--", "plans/")
    blobs = {line.split()[3] for line in log.splitlines() if line.startswith(":")}
    assert len(blobs) == PLANS * (EDITS + 1)
    # every old version, written out as a file and checked the same way
    folder = workspace.path.parent / "versions" / "plans"
    folder.mkdir(parents=True)
    for blob in blobs:
        (folder / f"v-{blob[:12]}.yaml").write_bytes(
            subprocess.run(
                ["git", "cat-file", "blob", blob], cwd=workspace.path, capture_output=True, check=True
            ).stdout
        )
    findings, count = check_paths(sorted(folder.glob("*.yaml")), folder.parent, today)
    assert count == len(blobs)
    assert [f.as_text() for f in findings if f.severity == "error"] == []


def test_commits_are_attributed_with_roles_and_reviews(workspace):
    log = _git(
        workspace.path,
        "log",
        "--format=%an%x1f%(trailers:key=Plan-Role,valueonly)%x1f%(trailers:key=Plan-Review,valueonly)%x1e",
        "--",
        "plans/",
    )
    entries = [e.strip("\n").split("\x1f") for e in log.split("\x1e") if e.strip()]
    assert len(entries) == PLANS * (EDITS + 1)
    roles = {role.strip() for _, role, _ in entries}
    assert "person" in roles and "practice-nurse" in roles and len(roles) >= 4
    assert all(role.strip() for _, role, _ in entries), "every commit names a role"
    reviews = [review.strip() for _, _, review in entries if review.strip()]
    assert len(reviews) == PLANS * (EDITS // generate.REVIEW_EVERY)
    assert len({name for name, _, _ in entries}) > PLANS  # many different people


def test_reviews_are_found_from_the_history(workspace):
    from builder.story.timeline import read_stories

    stories = read_stories(workspace.path, "team")
    assert len(stories) == PLANS
    for story in stories.values():
        assert len(story.entries) == EDITS + 1
        assert len(story.reviews) == EDITS // generate.REVIEW_EVERY


def test_written_yaml_loads_back_to_the_same_data():
    state = generate.new_plan(3, 0, generate.EPOCH)
    for number in range(1, 12):
        generate.make_edit(state, number, 11, generate.EPOCH + timedelta(days=10 * number))
    loaded = load_plan_text(generate.plan_text(state), "plan.yaml")
    assert loaded.findings == []
    assert loaded.data == state.data


def test_awkward_text_is_quoted():
    data = {"a": "yes", "b": "12", "c": "x: y", "d": "# no", "e": "2024-01-02", "f": "ok text", "g": True}
    loaded = load_plan_text(generate.dump_yaml(data), "x.yaml")
    assert loaded.data == data


def test_nhs_numbers_have_a_valid_check_digit():
    import random

    rng = random.Random(7)
    for _ in range(50):
        digits = [int(c) for c in generate.nhs_number(rng).replace(" ", "")]
        total = sum(d * (10 - i) for i, d in enumerate(digits[:9]))
        assert (11 - total % 11) % 11 == digits[9]


def test_one_more_edit_is_recorded_like_wellplan_record(workspace, tmp_path):
    ws = generate.generate(tmp_path / "ws", 2, 2)
    before = _git(ws.path, "rev-parse", "HEAD")
    generate.record_one_more_edit(ws.path, ws.plan_ids[0])
    assert _git(ws.path, "rev-parse", "HEAD^") == before
    changed = _git(ws.path, "show", "--name-only", "--format=%(trailers:key=Plan-Role)", "HEAD")
    assert "Plan-Role: practice-nurse" in changed
    assert f"plans/{ws.plan_ids[0]}.yaml" in changed
    assert _git(ws.path, "status", "--porcelain") == ""


def test_tiny_benchmark_writes_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    # A smaller run to scale against: every stage took 0.5 s there, so a stage that took
    # over 0.5 s × 1.1 × its growth here is reported as growing faster than linearly.
    smaller = tmp_path / "smaller.json"
    keys = ["check", "history log", "site full build, cold", "baseline: pandoc → WeasyPrint",
            "a stage since removed"]
    smaller.write_text(json.dumps({"plans": 2, "edits": 3, "figures": [],
                                   "stages": [{"key": k, "seconds": 0.5} for k in keys]}))
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--plans", "5", "--edits", "3", "--json", str(out),
         "--against", str(smaller)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    payload = json.loads(out.read_text())
    figures = payload["figures"]
    stages = {s["key"]: s for s in payload["stages"]}
    assert {"check", "history described, nothing kept", "site full build, cold", "one PDF"} <= set(stages)
    assert all(s["seconds"] is None or s["seconds"] > 0 for s in stages.values())
    scaled = {f["name"]: f for f in figures if f["name"].startswith("scaling: ")}
    assert set(scaled) == {f"scaling: {k}" for k in keys[:4]}
    # 5 plans against 2: a plan-by-plan stage may grow to 2.75 ×, a fixed-size one to 1.1 ×.
    assert scaled["scaling: check"]["target"] == "≤ 2.75 ×"
    assert scaled["scaling: baseline: pandoc → WeasyPrint"]["target"] == "≤ 1.1 ×"
    for key in keys[:4]:
        figure = scaled[f"scaling: {key}"]
        assert abs(figure["value"] - stages[key]["seconds"] / 0.5) <= 0.01
        limit = float(figure["target"].split()[1])
        assert figure["met"] == (stages[key]["seconds"] / 0.5 <= limit)
    for figure in figures:
        assert set(figure) >= {"name", "value", "unit", "target", "met"}
        assert figure["met"] in (True, False, None)
        if isinstance(figure["value"], str):
            assert figure["value"].startswith("not measured: ") and figure["met"] is False
    names = {f["name"] for f in figures}
    for wanted in (
        "check all plans",
        "history log, all plans",
        "history described (cold)",
        "history described (new process, stories kept)",
        "history speed-up over per-file git log",
        "site cold, cost per page over plain MkDocs+Material",
        "site warm, cost per page over plain MkDocs+Material",
        "site cold vs plain Material per-plan navigation",
        "incremental build after one edit, share of a full build",
        "incremental output identical to a full build",
        "site size per plan",
        "site size at N plans over at N/2",
        "one PDF",
        "PDF speed-up over pandoc → WeasyPrint",
        "peak memory",
    ):
        assert wanted in names
        assert wanted in done.stdout  # the table names every figure with its target


def test_one_plans_story_is_the_same_read_alone_or_with_all(workspace):
    from builder.story.timeline import read_stories

    everyone = read_stories(workspace.path, "team")
    for plan_id in workspace.plan_ids:
        alone = read_stories(workspace.path, "team", [plan_id])[plan_id]
        assert [e.revision.commit for e in alone.entries] == [
            e.revision.commit for e in everyone[plan_id].entries
        ]


def test_a_workspace_made_earlier_is_measured_on_a_clone(workspace, tmp_path):
    import run

    head = _git(workspace.path, "rev-parse", "HEAD")
    made = run.reuse(workspace.path, tmp_path / "ws", PLANS)
    assert made.plan_ids == workspace.plan_ids
    assert made.commits == workspace.commits
    assert made.last_commit_time == workspace.last_commit_time
    generate.record_one_more_edit(made.path, made.plan_ids[0])
    assert _git(workspace.path, "rev-parse", "HEAD") == head  # the original is never changed
    assert _git(workspace.path, "status", "--porcelain") == ""
    with pytest.raises(SystemExit, match="holds 5 plans, not 7"):
        run.reuse(workspace.path, tmp_path / "other", 7)


def test_a_share_of_edits_can_come_in_by_merge_commits_and_each_plan_reads_as_at_head(tmp_path):
    """--merges: some edits are made in another clone and merged; the history reader sees
    each merge as a version, so every plan's newest version is the plan as HEAD has it."""
    from builder.story.history import blobs_at, read_versions

    made = generate.generate(tmp_path / "merged", PLANS, EDITS, merges=0.25)
    merges = _git(made.path, "rev-list", "--merges", "HEAD").split()
    assert len(merges) >= 3 and made.commits == len(_git(made.path, "rev-list", "HEAD").split())
    versions = read_versions(made.path, made.plan_ids)
    at_head = blobs_at(made.path, "HEAD")
    assert any(v.revision.merge for vs in versions.values() for v in vs)
    for plan_id, found in versions.items():
        assert found[0].blob == at_head[f"plans/{plan_id}.yaml"]
        assert read_versions(made.path, [plan_id])[plan_id] == found  # alone, the same


def test_a_workspace_can_keep_its_plans_in_folders_and_the_benchmark_reads_it(tmp_path):
    made = generate.generate(tmp_path / "folders", PLANS, EDITS, folders=True)
    found = plan_files(made.path)
    assert [p.stem for p in found] == sorted(made.plan_ids)
    assert all(p.parent.parent.parent.name == "plans" for p in found)
    findings, count = check_paths(found, made.path, today=(made.last_commit_time + timedelta(days=1)).date())
    assert count == PLANS and not [f for f in findings if f.severity == "error"]

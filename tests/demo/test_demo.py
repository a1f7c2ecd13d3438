"""`wellplan demo`: a workspace whose example plans carry a realistic recorded history."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from builder.demo import make as demo
from builder.errors import WorkspaceError
from builder.story.history import read_versions
from builder.workspace import SCHEMA_FILE

ROOT = Path(__file__).resolve().parents[2]
VENV_ACTIVATE = Path(sys.prefix) / "bin" / "activate"


def git_out(workspace: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=workspace, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> demo.DemoResult:
    # As of the day the examples are written, so that the plans are exactly the examples.
    return demo.make_demo(tmp_path_factory.mktemp("demo") / "demo", build=False, today=demo.WRITTEN_AS_OF)


def test_demo_ends_with_exactly_the_example_plans(made):
    for plan_id in made.plans:
        recorded = made.workspace / "plans" / f"{plan_id}.yaml"
        assert recorded.read_bytes() == (ROOT / "plans" / f"{plan_id}.yaml").read_bytes()
    assert made.plans == sorted(p.stem for p in (ROOT / "plans").glob("*.yaml"))


def test_everything_is_recorded_and_the_schema_travels_with_the_plans(made):
    assert not made.remade and made.site is None and made.pdfs == []
    assert git_out(made.workspace, "status", "--porcelain") == ""
    schema = made.workspace / "plans" / ".." / "schema" / SCHEMA_FILE.name
    assert schema.read_bytes() == SCHEMA_FILE.read_bytes()
    first_line = (made.workspace / "plans" / f"{made.plans[0]}.yaml").read_text().splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema=../schema/{SCHEMA_FILE.name}"


def test_each_step_is_one_commit_by_its_author_in_their_role_at_its_time(made):
    versions = read_versions(made.workspace, made.plans)
    for plan_id in made.plans:
        steps = demo.load_story(plan_id)
        revisions = [v.revision for v in reversed(versions[plan_id])]  # oldest first
        assert [(r.author, r.role, r.when) for r in revisions] == [(s.name, s.role, s.when) for s in steps]
        assert [r.review_id for r in revisions if r.is_review] == [s.review for s in steps if s.review]
        assert all(r.path == f"plans/{plan_id}.yaml" for r in revisions)
    total = sum(len(v) for v in versions.values())
    assert total == made.edits + made.reviews
    assert int(git_out(made.workspace, "rev-list", "--count", "HEAD")) == total + 1


def test_history_is_realistic_many_people_many_months_several_reviews(made):
    versions = read_versions(made.workspace, made.plans)
    for plan_id, plan_versions in versions.items():
        revisions = [v.revision for v in plan_versions]
        roles = Counter(r.role for r in revisions)
        assert roles["person"] >= 2 and roles["carer"] >= 1 and roles["psychiatrist"] >= 1, plan_id
        assert roles["key-worker"] + roles["care-coordinator"] >= 3, plan_id
        assert roles["gp"] + roles["practice-nurse"] >= 1, plan_id
        assert sum(r.is_review for r in revisions) >= 2, plan_id
        whens = [r.when for r in revisions]
        assert max(whens) - min(whens) >= (datetime(2026, 11, 1) - datetime(2025, 7, 1)), plan_id
        assert max(whens) <= datetime(2026, 11, 26, tzinfo=UTC)


def test_commits_are_in_time_order_and_each_touches_one_plan(made):
    log = git_out(made.workspace, "log", "--reverse", "--format=%H %at %ct", "--", "plans/")
    rows = [line.split() for line in log.splitlines()]
    stamps = [int(author) for _, author, _ in rows]
    assert stamps == sorted(stamps)
    assert all(author == committer for _, author, committer in rows)
    for commit, _, _ in rows:
        files = git_out(made.workspace, "show", "--name-only", "--format=", commit).split()
        assert len(files) == 1 and files[0].startswith("plans/")


def test_refuses_a_folder_it_did_not_make(tmp_path):
    target = tmp_path / "work"
    target.mkdir()
    (target / "precious.yaml").write_text("mine", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="did not make, so it was left alone"):
        demo.make_demo(target, build=False)
    assert [p.name for p in target.iterdir()] == ["precious.yaml"]


def test_refuses_a_file(tmp_path):
    target = tmp_path / "a-file"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="not a folder, so it was left alone"):
        demo.make_demo(target, build=False)
    assert target.read_text() == "mine"


def test_refuses_a_link_even_to_an_earlier_demo(made, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(made.workspace, target_is_directory=True)
    with pytest.raises(WorkspaceError, match="not a folder, so it was left alone"):
        demo.make_demo(link, build=False)
    assert (made.workspace / ".git").is_dir()


def test_cli_demo_refuses_a_folder_in_one_plain_line(tmp_path, wellplan):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = wellplan("demo", str(tmp_path), "--no-build")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "left alone" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_cli_demo_remakes_an_earlier_demo_builds_it_and_says_where_to_open_it(made, tmp_path, wellplan):
    workspace = tmp_path / "here"
    shutil.copytree(made.workspace, workspace, symlinks=True)
    (workspace / "my-notes.txt").write_text("mine", encoding="utf-8")
    (workspace / "plans" / "extra.yaml").write_text("person: x\n", encoding="utf-8")
    result = wellplan("demo", "here", "--today", demo.WRITTEN_AS_OF.isoformat(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Remade a demo workspace in {workspace} with 3 plans")
    # Nothing that reads like a fault: what is overdue is said to be part of the example.
    assert "warning" not in result.stdout.lower() and result.stderr == ""
    assert (
        "Checked the 3 plans: no problems. As in a real team's plans, 6 health checks, 1 review and "
        "2 actions are overdue on purpose; the team home shows them. 5 checks have never been done or "
        "are missing from the plans; the plans and the team home name them, and 'wellplan due' lists "
        "everything that is due.\n"
    ) in result.stdout
    assert f"Open the website in your browser: {workspace / 'site' / 'index.html'}" in result.stdout
    assert f"Printable review copies (3 PDFs): {workspace / 'pdf'}" in result.stdout
    # What the demo made is made again; anything else in the folder is left alone.
    assert (workspace / "my-notes.txt").read_text() == "mine"
    assert not (workspace / "plans" / "extra.yaml").exists()
    # Fixed authors and dates: the very same commits as the first time.
    assert git_out(workspace, "rev-parse", "HEAD") == git_out(made.workspace, "rev-parse", "HEAD")
    assert (workspace / "site" / "index.html").is_file()
    for plan_id in demo.story_ids():
        assert (workspace / "site" / "plans" / plan_id / "history.html").is_file()
        assert (workspace / "pdf" / f"{plan_id}.pdf").read_bytes().startswith(b"%PDF")
    # The built site and PDFs are outputs, not part of the recorded workspace.
    assert git_out(workspace, "status", "--porcelain") == "?? my-notes.txt\n"
    # Its last hint works in a fresh shell, where the virtual environment is not active yet.
    activate, look = result.stdout.splitlines()[-2:]
    assert activate == (
        f"To use wellplan yourself, first run this in each new terminal: source {VENV_ACTIVATE}"
    )
    assert look == f"Then, to look at a plan's history: cd {workspace} && wellplan history dan-okafor"
    fresh = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    shell = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c",
         f"{activate.split(': ', 1)[1]} && {look.split(': ', 1)[1]}"],
        env=fresh, capture_output=True, text=True, cwd=tmp_path,
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.startswith("Every recorded change to plans/dan-okafor.yaml")


def test_dates_are_moved_by_whole_weeks_so_what_is_overdue_stays_the_same(tmp_path):
    earlier = demo.WRITTEN_AS_OF - timedelta(days=25 * 7 + 3)
    moved = demo.make_demo(tmp_path / "demo", build=False, today=earlier)
    assert moved.moved_days == -26 * 7  # whole weeks, rounded down: weekdays stay weekdays
    for plan_id in moved.plans:
        recorded = (moved.workspace / "plans" / f"{plan_id}.yaml").read_text(encoding="utf-8")
        example = (ROOT / "plans" / f"{plan_id}.yaml").read_text(encoding="utf-8")
        assert recorded == demo.shift_dates(example, moved.moved_days) != example
    versions = read_versions(moved.workspace, moved.plans)
    for plan_id in moved.plans:
        whens = [v.revision.when for v in reversed(versions[plan_id])]
        story = [s.when + timedelta(days=moved.moved_days) for s in demo.load_story(plan_id)]
        assert whens == story
    # The same things are overdue as on the day the examples were written, and nothing else.
    # (A request and the check it asks for are one obligation, counted once, as a check.)
    assert (moved.errors, moved.overdue_checks, moved.overdue_reviews, moved.other_warnings) == (0, 6, 1, [])
    assert (moved.overdue_requests, moved.overdue_actions, moved.monitoring) == (0, 2, 5)


def test_shift_dates_moves_dates_in_values_and_ids_and_nothing_else():
    text = "id: review-2026-04-22\ndate: 2026-04-22\nnhs_number: 999 100 2340\nid: weight-2025-06\n"
    assert demo.shift_dates(text, 14) == (
        "id: review-2026-05-06\ndate: 2026-05-06\nnhs_number: 999 100 2340\nid: weight-2025-06\n"
    )
    assert demo.shift_dates("2028-02-29 and 2026-13-40", 1) == "2028-03-01 and 2026-13-40"


def test_a_failed_build_is_reported_plainly_and_the_workspace_is_kept(made, monkeypatch):
    from builder.errors import BuildError, PdfError
    from builder.paper import pdf
    from builder.site import build as site

    def no_site(*args, **kwargs):
        raise BuildError("mkdocs is missing.")

    def no_pdfs(*args, **kwargs):
        raise PdfError("typst is missing.")

    monkeypatch.setattr(site, "build_site", no_site)
    monkeypatch.setattr(pdf, "build_all_pdfs", no_pdfs)
    result = demo.DemoResult(made.workspace, made.plans, made.edits, made.reviews)
    demo.build_outputs(result)
    assert result.failed and result.site is None and result.pdf_dir is None
    assert result.notes == [
        "The website could not be built: mkdocs is missing.",
        "The PDFs could not be made: typst is missing.",
    ]
    assert (made.workspace / "plans" / f"{made.plans[0]}.yaml").is_file()


def test_the_account_of_change_says_the_pulse_in_a_request_is_above_the_usual_range(made):
    from tests.conftest import run_wellplan

    done = run_wellplan("diff", "dan-okafor", "--since-review", cwd=made.workspace)
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "Pulse 92 lying down and 104 standing" in line]
    assert "; above the usual range (100 beats a minute or fewer at rest)" in line

"""`wellplan migrate`: an old plan becomes the current format as one recorded change, comments kept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.record.record import record_edit
from tests.conftest import run_wellplan
from tests.history_fixtures import git, make_workspace

OLD = Path(__file__).resolve().parent.parent / "plan" / "v1-examples" / "ruth-ellison.yaml"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    (root / "plans" / "ruth.yaml").write_text(OLD.read_text(encoding="utf-8"), encoding="utf-8")
    record_edit(root, "ruth", name="Tom Baxter", role="care-coordinator",
                when=datetime(2026, 5, 1, 10, tzinfo=UTC))
    return root


def test_check_says_plainly_that_an_old_plan_needs_migrating(workspace: Path) -> None:
    result = run_wellplan("check", "--today", "2026-11-26", cwd=workspace)
    assert result.returncode == 0, result.stderr  # a warning, not an error: the plan still works
    line = next(line for line in result.stdout.splitlines() if "plan format" in line)
    assert line.startswith("plans/ruth.yaml:21:17: warning: schema_version: This plan is written in "
                           "version 1 of the plan format"), line
    assert "Run 'wellplan migrate ruth'" in line


def test_migrate_records_one_change_keeping_comments(workspace: Path) -> None:
    before = git(workspace, "rev-list", "--count", "HEAD").strip()
    result = run_wellplan("migrate", "ruth", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Recorded plans/ruth.yaml" in result.stdout
    assert "Brought the plan up to version 2 of the plan format" in result.stdout
    assert int(git(workspace, "rev-list", "--count", "HEAD")) == int(before) + 1
    assert git(workspace, "status", "--porcelain") == ""
    text = (workspace / "plans" / "ruth.yaml").read_text(encoding="utf-8")
    assert "schema_version: 2" in text and "# Leave this as 2." in text
    assert "# Carers and what Ruth agrees to share with them." in text
    assert "  advance_statement:\n    text: >-\n      If I become high" in text
    # Only the plan's file changed in that commit, and check no longer mentions the format.
    assert git(workspace, "show", "--name-only", "--format=", "HEAD").split() == ["plans/ruth.yaml"]
    again = run_wellplan("check", "--today", "2026-11-26", cwd=workspace)
    assert "plan format" not in again.stdout
    # The change is attributed and says why; to a reader of the plan nothing changed, so the
    # plan's history (which lists changes someone can see) has nothing new to show.
    assert git(workspace, "log", "-1", "--format=%an|%s", "HEAD").strip() == \
        "wellplan format update|Brought the plan up to version 2 of the plan format"
    history = run_wellplan("history", "ruth", cwd=workspace)
    assert history.returncode == 0 and "Started this plan" in history.stdout
    # Running it again does nothing.
    twice = run_wellplan("migrate", "ruth", cwd=workspace)
    assert twice.returncode == 0 and "already in the current plan format" in twice.stdout


def test_migrate_refuses_a_plan_with_unrecorded_changes(workspace: Path) -> None:
    path = workspace / "plans" / "ruth.yaml"
    edited = path.read_text(encoding="utf-8").replace("Life is good.", "Life is very good.")
    path.write_text(edited, encoding="utf-8")
    result = run_wellplan("migrate", "ruth", cwd=workspace)
    assert result.returncode != 0
    assert "not recorded yet" in result.stderr and "wellplan record ruth" in result.stderr
    assert path.read_text(encoding="utf-8") == edited  # nothing lost

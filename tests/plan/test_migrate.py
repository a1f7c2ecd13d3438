"""Version 1 plans: read as version 2 in memory (with a plain warning), and rewritten by
migrate_text keeping every value and every comment. The three old examples are the corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from builder.plan.load import load_plan_text
from builder.plan.migrate import CURRENT_VERSION, migrate_text, needs_migration, upgrade
from builder.plan.schema import shared_schema
from builder.plan.validate import check_plan

OLD = sorted((Path(__file__).parent / "v1-examples").glob("*.yaml"))
TODAY = date(2026, 11, 26)
#: Where a version 1 value lives in version 2 (the only two that moved).
MOVED = {
    ("crisis", "advance_statement"): ("crisis", "advance_statement", "text"),
    "carer_assessment_offered": ("assessment", "offered"),
}


def _leaves(node: Any, path: tuple = ()) -> dict[tuple, Any]:
    """Every value in a plan by its path, list items named by their id."""
    if isinstance(node, dict):
        out: dict[tuple, Any] = {}
        for key, value in node.items():
            out.update(_leaves(value, (*path, key)))
        return out
    if isinstance(node, list):
        out = {}
        for index, item in enumerate(node):
            name = item["id"] if isinstance(item, dict) and "id" in item else index
            out.update(_leaves(item, (*path, name)))
        return out
    return {path: node}


def _moved(path: tuple) -> tuple:
    if path[:2] == ("crisis", "advance_statement"):
        return MOVED[path[:2]]
    if path and path[-1] == "carer_assessment_offered":
        return (*path[:-1], *MOVED["carer_assessment_offered"])
    return path


def test_the_schema_says_the_current_version() -> None:
    assert shared_schema()["properties"]["schema_version"]["const"] == CURRENT_VERSION == 2


@pytest.mark.parametrize("path", OLD, ids=lambda p: p.stem)
def test_each_old_example_migrates_to_a_valid_plan_with_nothing_lost(path: Path, tmp_path: Path) -> None:
    old_text = path.read_text(encoding="utf-8")
    old = load_plan_text(old_text, "old", upgrade=False).data
    assert needs_migration(old) and old["schema_version"] == 1
    new_text = migrate_text(old_text)
    new = load_plan_text(new_text, "new").data
    # Field by field: every old value is in the new plan, where version 2 keeps it.
    old_leaves, new_leaves = _leaves(old), _leaves(new)
    expected = {_moved(p): v for p, v in old_leaves.items() if p != ("schema_version",)}
    expected[("schema_version",)] = 2
    assert new_leaves == expected
    assert "carer_assessment_offered" in old_text and "carer_assessment_offered" not in new_text
    # Valid, with no warning about the format any more.
    target = tmp_path / "plans" / path.name
    target.parent.mkdir()
    target.write_text(new_text, encoding="utf-8")
    _, findings = check_plan(target, today=TODAY)
    assert [f for f in findings if f.severity == "error"] == []
    assert not [f for f in findings if "plan format" in f.message]


@pytest.mark.parametrize("path", OLD, ids=lambda p: p.stem)
def test_migrating_keeps_every_comment_and_every_other_line(path: Path) -> None:
    old_lines = path.read_text(encoding="utf-8").splitlines()
    new_lines = migrate_text("\n".join(old_lines) + "\n").splitlines()
    comments = [line for line in old_lines if line.lstrip().startswith("#")]
    new_comments = [line for line in new_lines if line.lstrip().startswith("#")]
    assert new_comments == [c.replace("Leave this as 1.", "Leave this as 2.") for c in comments]
    # Only the lines that had to change did: the version, the advance statement, the assessment.
    gone = [line for line in old_lines if line not in new_lines]
    assert all(("schema_version" in g or "advance_statement" in g or "carer_assessment_offered" in g
                or "Leave this as 1" in g or g.startswith("    ")) for g in gone), gone


@pytest.mark.parametrize("path", OLD, ids=lambda p: p.stem)
def test_an_old_plan_is_read_as_the_new_version_and_check_says_it_needs_migrating(path: Path,
                                                                               tmp_path: Path) -> None:
    target = tmp_path / "plans" / path.name
    target.parent.mkdir()
    target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    loaded, findings = check_plan(target, today=TODAY)
    assert [f for f in findings if f.severity == "error"] == []
    (said,) = [f for f in findings if "plan format" in f.message]
    assert said.severity == "warning" and said.path == "schema_version"
    assert "version 1" in said.message and "needs migrating" in said.message
    assert f"wellplan migrate {path.stem}" in said.hint
    assert loaded.data == upgrade(load_plan_text(path.read_text(encoding="utf-8"), "x", upgrade=False).data)
    assert isinstance(loaded.data["crisis"]["advance_statement"], dict)


def test_upgrade_changes_nothing_it_is_given() -> None:
    old = {"schema_version": 1, "crisis": {"contacts": [], "advance_statement": "Call Sam."},
           "carers": [{"id": "c", "member": "sam", "carer_assessment_offered": False}]}
    before = repr(old)
    new = upgrade(old)
    assert repr(old) == before
    assert new["crisis"]["advance_statement"] == {"text": "Call Sam."}
    assert new["carers"][0]["assessment"] == {"offered": False}
    assert upgrade(new) is new

"""Nothing recorded is undone by accident: a stale copy is refused, and nothing is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.errors import PlanError
from builder.record.edit import edit_plan
from builder.record.guard import WouldUndo, undone_by
from builder.record.record import record_edit, record_review
from tests.conftest import run_wellplan
from tests.history_fixtures import (
    MINIMAL,
    day,
    edit_text,
    git,
    make_workspace,
    scripted_editor,
    write_plan,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ws(tmp_path):
    """Jo's plan, recorded; a copy taken then; later a review and a change by Priya."""
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo", MINIMAL)
    record_edit(root, "jo", name="Jo Bloggs", role="person", when=day(2))
    stale = (root / "plans" / "jo.yaml").read_text()
    record_review(root, "jo", name="Priya Shah", role="key-worker", date="2025-01-05",
                  attended=["me", "priya"], next_review_due="2025-06-01", when=day(5))
    edit_text(root, "jo", "status: not-started", "status: in-progress")
    record_edit(root, "jo", name="Priya Shah", role="key-worker", when=day(6))
    (root.parent / "stale.yaml").write_text(stale)
    return root


def put_back_stale_copy_with_sams_edit(root: Path) -> str:
    text = (root.parent / "stale.yaml").read_text().replace("Swim once a week", "Swim twice a week")
    (root / "plans" / "jo.yaml").write_text(text)
    return text


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_recording_a_stale_copy_is_refused_naming_whose_work_and_when(ws):
    before = head(ws)
    typed = put_back_stale_copy_with_sams_edit(ws)
    done = run_wellplan("record", "jo", "--as", "Sam Bloggs", "--role", "carer", cwd=ws, env=env())
    assert done.returncode == 1, done.stdout + done.stderr
    message = done.stderr
    assert message.count("\n") == 1 and "Traceback" not in message
    assert "Nothing was recorded" in message
    assert "the review Priya Shah (key worker) recorded on 5 January 2025" in message
    assert "the change Priya Shah (key worker) recorded on 6 January 2025 (changed “Status”" in message
    assert "--undo" in message and "git checkout -- plans/jo.yaml" in message
    assert "again with --merge" in message
    # Nothing committed, nothing written: Sam's copy is still in the file as he left it.
    assert head(ws) == before
    assert (ws / "plans" / "jo.yaml").read_text() == typed


def test_undo_says_it_is_meant_and_then_it_is_recorded(ws):
    put_back_stale_copy_with_sams_edit(ws)
    done = run_wellplan("record", "jo", "--as", "Sam Bloggs", "--role", "carer", "--undo",
                        cwd=ws, env=env())
    assert done.returncode == 0, done.stderr
    assert "Recorded plans/jo.yaml" in done.stdout


def test_a_fresh_edit_of_the_current_plan_is_not_refused(ws):
    edit_text(ws, "jo", "Swim once a week", "Swim twice a week")
    edit_text(ws, "jo", "status: in-progress", "status: completed")  # Priya's field, changed on
    record_edit(ws, "jo", name="Sam Bloggs", role="carer", when=day(7))
    assert "Swim twice a week" in git(ws, "show", "HEAD:plans/jo.yaml")


def test_removing_a_recorded_review_is_refused_even_from_a_fresh_copy(ws):
    text = (ws / "plans" / "jo.yaml").read_text()
    without = text[: text.index("reviews:")]
    (ws / "plans" / "jo.yaml").write_text(without)
    with pytest.raises(WouldUndo, match="the review Priya Shah .* recorded on 5 January 2025"):
        record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(7))


def test_putting_back_an_older_value_another_person_changed_is_refused(ws):
    # A copy taken after the review but before Priya's status change, edited elsewhere.
    old = git(ws, "show", "HEAD~1:plans/jo.yaml").replace("I like walking", "I love walking")
    (ws / "plans" / "jo.yaml").write_text(old)
    found = undone_by(ws, "jo", __import__("yaml").safe_load(old), name="Sam Bloggs")
    assert [(u.revision.author, u.change.path) for u in found] == [
        ("Priya Shah", "actions[id=pool-pass].status")]
    # The person who made that change may set it back: it is their own work.
    assert undone_by(ws, "jo", __import__("yaml").safe_load(old), name="Priya Shah") == []


def test_a_review_on_a_stale_copy_is_refused_and_the_file_is_not_written(ws):
    typed = put_back_stale_copy_with_sams_edit(ws)
    before = head(ws)
    done = run_wellplan("review", "jo", "--as", "Priya Shah", "--role", "key-worker",
                        "--date", "2025-01-08", "--attended", "me,priya", "--next-review",
                        "2025-06-01", "--yes", cwd=ws, env=env())
    assert done.returncode == 1 and "would undo" in done.stderr and "--undo" in done.stderr
    assert head(ws) == before and (ws / "plans" / "jo.yaml").read_text() == typed


def test_an_edit_of_a_stale_copy_is_refused_keeping_what_was_typed(ws):
    put_back_stale_copy_with_sams_edit(ws)
    before = head(ws)
    editor = scripted_editor(ws, [{"replace": ["I like walking", "I love walking"]}])
    with pytest.raises(PlanError, match="would undo") as e:
        edit_plan(ws, "jo", name="Sam Bloggs", role="carer", editor=editor, say=lambda _: None)
    assert head(ws) == before
    assert "Your text is kept in" in str(e.value)


def test_merge_brings_a_stale_copys_changes_into_the_recorded_plan(ws):
    put_back_stale_copy_with_sams_edit(ws)
    done = run_wellplan("record", "jo", "--as", "Sam Bloggs", "--role", "carer", "--merge",
                        cwd=ws, env=env())
    assert done.returncode == 0, done.stderr
    recorded = git(ws, "show", "HEAD:plans/jo.yaml")
    assert "Swim twice a week" in recorded  # Sam's
    assert "status: in-progress" in recorded and "review-2025-01-05" in recorded  # Priya's
    assert (ws / "plans" / "jo.yaml").read_text() == recorded
    assert git(ws, "show", "--format=", "--stat", "HEAD").count("|") == 1


def test_merge_refuses_when_both_changed_the_same_thing_and_writes_nothing(ws):
    text = (ws.parent / "stale.yaml").read_text().replace("status: not-started", "status: completed")
    (ws / "plans" / "jo.yaml").write_text(text)
    before = head(ws)
    done = run_wellplan("record", "jo", "--as", "Sam Bloggs", "--role", "carer", "--merge",
                        cwd=ws, env=env())
    assert done.returncode == 1 and "actions[id=pool-pass].status" in done.stderr
    assert "Nothing was recorded or written" in done.stderr
    assert head(ws) == before and (ws / "plans" / "jo.yaml").read_text() == text

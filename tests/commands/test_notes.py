"""The note given with an edit (`record -m`) is kept, and shared only as its writer said."""

from __future__ import annotations

import json

from tests.conftest import run_wellplan
from tests.history_fixtures import MINIMAL, edit_text, make_workspace, write_plan


def test_a_note_is_kept_shown_to_the_team_and_shared_only_where_asked(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    write_plan(ws, "jo", MINIMAL)
    assert run_wellplan("record", "jo", "--as", "Priya Shah", "--role", "key-worker",
                        cwd=ws).returncode == 0
    edit_text(ws, "jo", "status: active", "status: achieved")
    note = "Jo swam every week in March\n\nShe says the pool staff helped."
    done = run_wellplan("record", "jo", "--as", "Priya Shah", "--role", "key-worker", "-m", note,
                        "--share-note", "person,carer", cwd=ws)
    assert done.returncode == 0, done.stderr
    # The GP sees the goal but was not given the note; the carer may not see goals at all, so
    # the edit is not in the carer's history, note or not.
    expected = {"team": [note, None], "person": [note, None], "gp": [None, None], "carer": [None]}
    for audience, notes in expected.items():
        history = json.loads(run_wellplan("history", "jo", "--for", audience, "--format", "json",
                                          cwd=ws).stdout)
        assert [r["note"] for r in history["revisions"]] == notes, audience
    text = run_wellplan("diff", "jo", "--for", "person", cwd=ws).stdout
    assert "(note: “Jo swam every week in March She says the pool staff helped.”)" in text
    assert "Note: “Jo swam" in run_wellplan("history", "jo", cwd=ws).stdout


def test_sharing_a_note_with_someone_unknown_or_without_a_note_is_a_usage_error(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    write_plan(ws, "jo", MINIMAL)
    done = run_wellplan("record", "jo", "--as", "Priya Shah", "--role", "key-worker", "-m", "Hi",
                        "--share-note", "neighbour", cwd=ws)
    assert done.returncode == 2 and "'neighbour' is not an audience" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_wellplan("record", "jo", "--as", "Priya Shah", "--role", "key-worker",
                        "--share-note", "person", cwd=ws)
    assert done.returncode == 2 and "give one with -m" in done.stderr

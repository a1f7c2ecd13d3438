"""`wellplan diff` on a plan with no recorded review says so, instead of comparing silently."""

from __future__ import annotations

import json

import pytest

from builder.commands.cli import main
from builder.record.record import record_edit
from tests.history_fixtures import MINIMAL, day, edit_text, make_workspace, write_plan

WRITTEN_REVIEW = """reviews:
  - id: review-2025-01-02
    date: 2025-01-02
    attended: [me, priya]
    next_review_due: 2025-04-02
"""


@pytest.fixture
def ws(tmp_path, monkeypatch):
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo", MINIMAL + WRITTEN_REVIEW)  # a review typed in, never recorded
    record_edit(root, "jo", name="Priya Shah", role="key-worker", when=day(3))
    edit_text(root, "jo", "Swim once a week", "Swim twice a week")
    record_edit(root, "jo", name="Sam Bloggs", role="carer", when=day(4))
    monkeypatch.chdir(root)
    return root


def test_since_review_without_a_recorded_review_says_so_first(ws, capsys):
    assert main(["diff", "jo", "--since-review"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:3] == [
        "There is no recorded review of plans/jo.yaml yet, so this compares its first recorded "
        "version with now. The review it lists (2 January 2025) was written into the file, not "
        "recorded with 'wellplan review'.",
        "",
        "What changed in plans/jo.yaml from the version recorded on 3 January 2025 by Priya Shah to now:",
    ]
    assert main(["diff", "jo", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["note"].startswith("There is no recorded review")


def test_naming_a_review_that_was_only_written_in_says_why_there_is_no_such_version(ws, capsys):
    for name in ("2025-01-02", "review-2025-01-02"):
        assert main(["diff", "jo", "--from", name]) == 1
        assert capsys.readouterr().err == (
            "wellplan diff: The plan lists a review on 2 January 2025, but it was written into the "
            "file, not recorded with 'wellplan review', so there is no version of the plan from "
            "that meeting. 'wellplan history jo' lists the recorded versions.\n"
        )


def test_once_a_review_is_recorded_there_is_no_note(ws, capsys):
    assert main(["review", "jo", "--as", "Priya Shah", "--role", "key-worker", "--date", "2025-01-05",
                 "--attended", "me", "--next-review", "2025-04-05"]) == 0
    capsys.readouterr()
    assert main(["diff", "jo", "--since-review"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("What changed in plans/jo.yaml from the review recorded on ")
    assert "no recorded review" not in out

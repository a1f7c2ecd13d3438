"""Recording edits and reviews: attributed commits of one plan's file, refused when invalid."""

from __future__ import annotations

import threading

import pytest

from builder.errors import HistoryError, PlanError, UsageError
from builder.record.record import record_edit, record_review
from builder.story.timeline import plan_story
from tests.conftest import run_wellplan
from tests.history_fixtures import MINIMAL, day, edit_text, git, make_workspace, write_plan


@pytest.fixture
def ws(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo", MINIMAL)
    return root


def test_first_record_is_attributed_with_role_trailer_and_fixed_dates(ws):
    commit = record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    shown = git(ws, "show", "-s", "--format=%an|%aI|%cI|%s|%(trailers:key=Plan-Role,valueonly)",
                commit)
    author, authored, committed, subject, role = shown.strip().split("|")
    assert author == "Priya Shah"
    assert authored == committed == "2025-01-03T10:00:00+00:00"
    assert subject == "Started this plan."
    assert role == "key-worker"


def test_summary_is_made_from_the_change_and_a_message_wins(ws):
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    edit_text(ws, "jo", "Swim once a week", "Swim twice a week")
    record_edit(ws, "jo", name="Sam Bloggs", role="carer", when=day(4))
    assert git(ws, "log", "-1", "--format=%s").strip() == (
        "Changed the goal “Swim once a week” → “Swim twice a week”."
    )
    edit_text(ws, "jo", "status: active", "status: on-hold")
    record_edit(ws, "jo", name="Jo Bloggs", role="person", message="Pool is closed for repairs",
                when=day(5))
    assert git(ws, "log", "-1", "--format=%s").strip() == "Pool is closed for repairs"


def test_only_the_plan_file_is_committed_even_when_other_files_are_staged(ws):
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    (ws / "notes.txt").write_text("private scratch notes\n")
    write_plan(ws, "other", MINIMAL)
    git(ws, "add", "notes.txt", "plans/other.yaml")
    edit_text(ws, "jo", "Swim once a week", "Swim twice a week")
    commit = record_edit(ws, "jo", name="Sam Bloggs", role="carer", when=day(4))
    assert git(ws, "show", "--name-only", "--format=", commit).split() == ["plans/jo.yaml"]
    # The other staged files stay staged, and the recorded plan is not shown as changed.
    status = git(ws, "status", "--porcelain").splitlines()
    assert sorted(status) == ["A  notes.txt", "A  plans/other.yaml"]


def test_an_invalid_plan_is_refused_and_nothing_is_committed(ws):
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    before = git(ws, "rev-parse", "HEAD")
    edit_text(ws, "jo", "status: active", "status: maybe")
    with pytest.raises(PlanError, match=r"plans/jo.yaml has problems, so nothing was recorded"):
        record_edit(ws, "jo", name="Sam Bloggs", role="carer", when=day(4))
    assert git(ws, "rev-parse", "HEAD") == before


def test_a_role_outside_the_schema_is_refused(ws):
    with pytest.raises(UsageError, match="'nurse' is not a role") as e:
        record_edit(ws, "jo", name="Priya Shah", role="nurse")
    assert "mental-health-nurse" in str(e.value)  # the list comes from the schema


@pytest.mark.parametrize("name", ["", "  ", "Eve <eve@x>", "two\nlines"])
def test_a_missing_or_unsafe_name_is_refused(ws, name):
    with pytest.raises(UsageError, match="--as"):
        record_edit(ws, "jo", name=name, role="carer")


def test_nothing_to_record(ws):
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    with pytest.raises(PlanError, match="Nothing to record"):
        record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(4))


def test_not_a_git_repository(tmp_path):
    (tmp_path / "plans").mkdir()
    write_plan(tmp_path, "jo", MINIMAL)
    with pytest.raises(HistoryError, match="not a git repository"):
        record_edit(tmp_path, "jo", name="Priya Shah", role="key-worker")


def test_two_people_recording_different_plans_at_once_both_land(ws):
    ids = [f"p{n}" for n in range(6)]
    for plan_id in ids:
        write_plan(ws, plan_id, MINIMAL)
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(2))
    start = threading.Barrier(len(ids))
    errors: list[BaseException] = []

    def record(plan_id: str) -> None:
        try:
            start.wait()
            record_edit(ws, plan_id, name=f"Person {plan_id}", role="carer", when=day(3))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=record, args=(plan_id,)) for plan_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    tracked = git(ws, "ls-tree", "--name-only", "HEAD", "plans/").split()
    assert sorted(tracked) == sorted(f"plans/{p}.yaml" for p in [*ids, "jo"])
    assert len(git(ws, "rev-list", "HEAD").split()) == len(ids) + 1
    for plan_id in ids:  # each commit holds exactly its own plan
        commit = git(ws, "log", "-1", "--format=%H", "--", f"plans/{plan_id}.yaml").strip()
        assert git(ws, "show", "--name-only", "--format=", commit).split() == [
            f"plans/{plan_id}.yaml"
        ]


def test_a_review_is_appended_keeping_comments_and_is_marked_in_history(ws):
    edit_text(ws, "jo", "goals:", "# Jo's goals, in Jo's words.\ngoals:")
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    before = (ws / "plans" / "jo.yaml").read_text()
    commit = record_review(
        ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-10",
        attended=["me", "priya"], next_review_due="2025-04-10", comments="I felt listened to.",
        involvement=[{"by": "me", "trust": 5, "working_together": 4}], when=day(10),
    )
    after = (ws / "plans" / "jo.yaml").read_text()
    assert after.startswith(before)  # everything before, comments and layout included, is kept
    assert "# Jo's goals, in Jo's words." in after
    trailers = git(ws, "show", "-s", "--format=%(trailers)", commit)
    assert "Plan-Review: review-2025-01-10" in trailers
    assert "Plan-Role: key-worker" in trailers
    story = plan_story(ws, "jo", "team")
    assert [r.review["id"] for r in story.reviews] == ["review-2025-01-10"]
    review = story.reviews[0].review
    assert review["involvement"] == [
        {"id": "review-2025-01-10-me", "by": "me", "trust": 5, "working_together": 4}
    ]
    assert story.entries[0].revision.is_review
    assert story.entries[0].summary == "Added the review “10 January 2025”."
    # A second review on the same day gets an id of its own.
    record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-10",
                  attended=["me"], next_review_due="2025-05-10", when=day(11))
    assert [r.review["id"] for r in plan_story(ws, "jo", "team").reviews] == [
        "review-2025-01-10", "review-2025-01-10-2"
    ]


def test_an_invalid_review_is_refused_and_the_file_is_untouched(ws):
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    before = (ws / "plans" / "jo.yaml").read_bytes()
    with pytest.raises(PlanError, match="review was not recorded"):
        record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-10",
                      attended=["me"], next_review_due="2025-01-01", when=day(10))
    assert (ws / "plans" / "jo.yaml").read_bytes() == before


def test_a_review_goes_into_an_existing_reviews_list(ws):
    text = MINIMAL + (
        "reviews:\n"
        "- id: first-review   # the first one\n"
        "  date: 2024-11-01\n"
        "  attended: [me, priya]\n"
        "  next_review_due: 2025-02-01\n"
        "\n"
        "# The end of Jo's plan.\n"
    )
    write_plan(ws, "jo", text)
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-20",
                  attended=["me", "sam"], next_review_due="2025-05-01", when=day(20))
    after = (ws / "plans" / "jo.yaml").read_text()
    assert after.endswith("\n# The end of Jo's plan.\n")
    assert "- id: first-review   # the first one" in after
    story = plan_story(ws, "jo", "team")
    assert [r.review["date"] for r in story.reviews] == ["2025-01-20"]
    assert story.entries[0].changes[0].sentence() == (
        "Priya Shah (key worker) added the review “20 January 2025”"
    )


def test_the_record_and_review_commands(ws):
    done = run_wellplan("record", "jo", "--as", "Priya Shah", "--role", "key-worker",
                        "-m", "First version, agreed with Jo", cwd=ws)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Recorded plans/jo.yaml (")
    assert done.stdout.rstrip().endswith("First version, agreed with Jo")
    done = run_wellplan(
        "review", "jo", "--as", "Priya Shah", "--role", "key-worker", "--date", "2025-01-10",
        "--attended", "me,priya", "--attended", "sam", "--next-review", "2025-04-10",
        "--comments", "Good to be asked.", "--involvement", "me: trust=5 working_together=4",
        cwd=ws,
    )
    assert done.returncode == 0, done.stderr
    review = plan_story(ws, "jo", "person").reviews[-1].review
    assert review["attended"] == ["me", "priya", "sam"]
    assert review["my_comments"] == "Good to be asked."
    assert review["involvement"][0]["trust"] == 5


@pytest.mark.parametrize("feedback,words", [
    ("trust=5", "start with whose feedback"),
    ("me: happiness=5", "'happiness' is not one of working_together"),
    ("me: trust=9", "a number from 1 to 5"),
])
def test_review_feedback_mistakes_are_one_line(ws, feedback, words):
    done = run_wellplan("review", "jo", "--as", "Priya Shah", "--role", "key-worker",
                        "--attended", "me", "--next-review", "2025-04-10",
                        "--involvement", feedback, cwd=ws)
    assert done.returncode == 2
    assert words in done.stderr and done.stderr.count("\n") == 1


def test_a_workspace_inside_a_bigger_repository(tmp_path):
    repo = make_workspace(tmp_path / "repo")
    ws = repo / "care" / "team-a"
    (ws / "plans").mkdir(parents=True)
    write_plan(ws, "jo", MINIMAL)
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(1))
    edit_text(ws, "jo", "Swim once a week", "Swim twice a week")
    commit = record_edit(ws, "jo", name="Sam Bloggs", role="carer", when=day(2))
    assert git(repo, "show", "--name-only", "--format=", commit).split() == [
        "care/team-a/plans/jo.yaml"
    ]
    assert git(repo, "status", "--porcelain") == ""
    story = plan_story(ws, "jo", "team")
    assert [e.summary for e in story.entries] == [
        "Changed the goal “Swim once a week” → “Swim twice a week”.", "Started this plan."
    ]
    assert story.entries[0].revision.path == "plans/jo.yaml"


def test_a_review_goes_into_an_empty_reviews_list_written_on_one_line(ws):
    write_plan(ws, "jo", MINIMAL + "reviews: []  # none yet\nsharing:\n  carer: [goals]\n")
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-20",
                  attended=["me"], next_review_due="2025-05-01", when=day(20))
    text = (ws / "plans" / "jo.yaml").read_text()
    assert text.endswith("sharing:\n  carer: [goals]\n")
    assert [r.review["id"] for r in plan_story(ws, "jo", "team").reviews] == ["review-2025-01-20"]


def test_reviews_written_in_flow_style_are_not_rewritten(ws):
    write_plan(ws, "jo", MINIMAL + "reviews: [{id: r1, date: 2024-11-01, attended: [me], "
                                   "next_review_due: 2025-02-01}]\n")
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(3))
    before = (ws / "plans" / "jo.yaml").read_bytes()
    with pytest.raises(PlanError, match="written on one line"):
        record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-20",
                      attended=["me"], next_review_due="2025-05-01", when=day(20))
    assert (ws / "plans" / "jo.yaml").read_bytes() == before

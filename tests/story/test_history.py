"""History and diffs for each audience: nothing hidden leaks; clear errors; one git log pass."""

from __future__ import annotations

import json
import subprocess

import pytest

import builder.story.history
from builder.commands.history import history_json, history_text
from builder.errors import HistoryError
from builder.record.record import record_edit, record_review
from builder.story.compare import compare_versions
from builder.story.timeline import plan_story, read_stories
from tests.conftest import run_wellplan
from tests.history_fixtures import MINIMAL, day, edit_text, make_workspace, write_plan

PRIVATE_PLAN = MINIMAL.replace(
    "care_team:\n",
    "sharing:\n  carer: [care_team, goals, actions, reviews]\n"
    "care_team:\n"
    "  - id: dr-hidden\n"
    "    name: Dr Canarymember\n"
    "    role: psychologist\n"
    "    visible_to: [person, team]\n",
).replace(
    "actions:\n",
    "  - id: private-goal\n"
    "    area: mental_health\n"
    "    what: CANARY talk about the voices\n"
    "    expressed_by: dr-hidden\n"
    "    status: active\n"
    "    visible_to: [person, team]\n"
    "actions:\n",
).replace("owner: priya", "owner: dr-hidden")


@pytest.fixture
def private(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    write_plan(ws, "jo", PRIVATE_PLAN)
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(1))
    record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-02",
                  attended=["me", "priya", "dr-hidden"], next_review_due="2025-04-02",
                  when=day(2))
    text = (ws / "plans" / "jo.yaml").read_text()
    start = text.index("  - id: private-goal")
    write_plan(ws, "jo", text[:start] + text[text.index("actions:\n"):])
    record_edit(ws, "jo", name="Dr Canarymember", role="psychologist",
                message="CANARY removed the voices goal", when=day(3))
    edit_text(ws, "jo", "due: 2026-12-15", "due: 2026-11-01")
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(4))
    record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-05",
                  attended=["me", "sam"], next_review_due="2025-04-05", when=day(5))
    return ws


def everything_said(ws, audience) -> str:
    story = plan_story(ws, "jo", audience)
    parts = [history_text(story), history_json(story)]
    parts += [e.summary for e in story.entries] + [repr(e) for e in story.entries]
    parts += [c.sentence() for e in story.entries for c in e.changes]
    parts += [c.sentence() for c in story.since_last_review] + [repr(story.since_last_review)]
    parts += [repr(r.review) for r in story.reviews]
    for a in story.reviews:
        for b in story.reviews:
            parts += [c.sentence() for c in story.between(a, b)]
    comparison = compare_versions(ws, story, story.entries[-1].revision.commit, None)
    parts += [comparison.as_text(), comparison.as_json()]
    return "\n".join(parts)


def test_a_removed_item_hidden_from_the_carer_never_appears_in_what_the_carer_gets(private):
    carer = everything_said(private, "carer")
    assert "CANARY" not in carer
    assert "Canarymember" not in carer
    team = everything_said(private, "team")
    assert "CANARY talk about the voices" in team
    assert "CANARY removed the voices goal" in team  # the team is given commit messages


def test_the_carer_sees_the_edits_it_may_see_and_no_others(private):
    story = plan_story(private, "jo", "carer")
    summaries = [e.summary for e in story.entries]
    # The removal of the hidden goal is not an edit the carer can see at all.
    assert all(e.revision.author != "Dr Canarymember" for e in story.entries)
    assert summaries[0] == "Added the review “5 January 2025”."
    assert story.last_updated == story.entries[0].revision
    assert [r.review["id"] for r in story.reviews] == ["review-2025-01-02", "review-2025-01-05"]
    # Someone the carer may not see is named only as "someone in the care team".
    between = story.between(story.reviews[0], story.reviews[1])
    sentences = [c.sentence() for c in between]
    assert "Priya Shah (key worker) changed “By when” for the action “Find out about a " \
           "discounted pool pass”: 15 December 2026 → 1 November 2026" in sentences
    first_review = story.reviews[0].review
    # a hidden member's id never reaches the carer: ids are often names
    assert first_review["attended"] == ["me", "priya", "someone in the care team"]
    team = plan_story(private, "jo", "team")
    assert [c.op for c in team.between(team.reviews[0], team.reviews[1])][:1] == ["removed"]


def test_a_hidden_person_is_named_gracefully(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    write_plan(ws, "jo", PRIVATE_PLAN)
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(1))
    edit_text(ws, "jo", "owner: dr-hidden", "owner: sam")
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(2))
    carer = plan_story(ws, "jo", "carer")
    assert carer.entries[0].changes[0].sentence() == (
        "Priya Shah (key worker) changed “Who does it” for the action “Find out about a "
        "discounted pool pass”: someone in the care team → Sam Bloggs"
    )
    team = plan_story(ws, "jo", "team")
    assert "Dr Canarymember → Sam Bloggs" in team.entries[0].changes[0].sentence()


def test_an_edit_by_someone_hidden_from_the_carer_is_not_signed_with_their_name(private):
    edit_text(private, "jo", "due: 2026-11-01", "due: 2026-10-01")
    record_edit(private, "jo", name="Dr Canarymember", role="psychologist", when=day(6))
    carer = plan_story(private, "jo", "carer")
    [change] = carer.entries[0].changes
    assert change.sentence().startswith("Someone in the care team changed “By when”")
    assert (carer.entries[0].revision.author, carer.entries[0].revision.role) == (
        "Someone in the care team", None
    )
    assert "Canarymember" not in everything_said(private, "carer")
    team = plan_story(private, "jo", "team")
    assert team.entries[0].changes[0].sentence().startswith("Dr Canarymember (psychologist)")


def test_since_last_review_attributes_each_change_and_marks_unrecorded_ones(private):
    edit_text(private, "jo", "I would like to get back to volunteering.", "I volunteer now.")
    story = plan_story(private, "jo", "team")
    [change] = story.since_last_review
    assert (change.op, change.path, change.by) == ("changed", "wellbeing.life.in_my_own_words", None)
    story = plan_story(private, "jo", "carer")  # the carer may not see the life section
    assert story.since_last_review == []


def test_all_plans_are_read_with_one_git_log_and_two_cat_files(tmp_path, monkeypatch):
    """One log of the messages (no commit compared: each names its plan), one cat-file to
    name each plan's copy in each commit, and one to read them."""
    ws = make_workspace(tmp_path / "ws")
    for n, plan_id in enumerate(["ann", "bob", "cat"], 1):
        write_plan(ws, plan_id, MINIMAL)
        record_edit(ws, plan_id, name="Priya Shah", role="key-worker", when=day(n))
        edit_text(ws, plan_id, "Swim once a week", f"Swim {n} times a week")
        record_edit(ws, plan_id, name="Jo Bloggs", role="person", when=day(n + 10))
    calls: list[list[str]] = []
    processes: list[list[str]] = []
    real_git, real_popen = builder.story.history.git, subprocess.Popen

    def git(workspace, *args, **kwargs):
        calls.append(list(args))
        return real_git(workspace, *args, **kwargs)

    def popen(args, *a, **k):
        processes.append(list(args))
        return real_popen(args, *a, **k)

    monkeypatch.setattr(builder.story.history, "git", git)
    monkeypatch.setattr(builder.story.history.subprocess, "Popen", popen)
    stories = read_stories(ws, "gp")
    assert sorted(stories) == ["ann", "bob", "cat"]
    assert [len(s.entries) for s in stories.values()] == [2, 2, 2]
    assert sum("log" in args for args in calls) == 1
    assert not any("--raw" in args for args in calls)
    assert sum("cat-file" in args for args in processes) == 2
    assert sum("log" in args for args in processes) == 1


def assert_one_line_error(cwd, args, words):
    done = run_wellplan(*args, cwd=cwd)
    assert done.returncode != 0, args
    assert words in done.stderr, (args, done.stderr)
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr


def test_errors_are_one_plain_line(tmp_path):
    bare = tmp_path / "bare"
    (bare / "plans").mkdir(parents=True)
    write_plan(bare, "jo", MINIMAL)
    assert_one_line_error(bare, ["history", "jo"], "not a git repository")
    assert_one_line_error(bare, ["diff", "jo"], "not a git repository")
    ws = make_workspace(tmp_path / "ws")
    write_plan(ws, "jo", MINIMAL)
    assert_one_line_error(ws, ["history", "jo"], "has no recorded history yet")
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(1))
    write_plan(ws, "new-plan", MINIMAL)
    assert_one_line_error(ws, ["diff", "jo", "--from", "no-such-thing"],
                          "no recorded version called 'no-such-thing'")
    assert_one_line_error(ws, ["diff", "jo", "--from=--all"], "no recorded version")
    assert_one_line_error(ws, ["history", "new-plan"], "has no recorded history yet")
    assert_one_line_error(ws, ["history", "nobody"], "There is no plan called 'nobody'")
    assert_one_line_error(ws, ["diff", "jo", "--to", "HEAD"], "--from")
    assert_one_line_error(ws, ["history", "../etc"], "is not a plan id")


def test_the_cli_diff_json_has_the_agreed_fields(private):
    done = run_wellplan("diff", "jo", "--from", "review-2025-01-02", "--to", "2025-01-05",
                        "--format", "json", cwd=private)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["plan"] == "jo"
    assert result["from"]["review"] == "review-2025-01-02"
    assert result["to"]["review"] == "review-2025-01-05"
    for change in result["changes"]:
        assert set(change) == {"op", "path", "label", "old", "new", "by", "role", "when"}
    paths = [c["path"] for c in result["changes"]]
    assert "goals[id=private-goal]" in paths
    removed = result["changes"][paths.index("goals[id=private-goal]")]
    assert (removed["op"], removed["by"], removed["role"]) == (
        "removed", "Dr Canarymember", "psychologist"
    )
    assert removed["label"] == "Goal “CANARY talk about the voices”"
    carer = run_wellplan("diff", "jo", "--from", "review-2025-01-02", "--to", "review-2025-01-05",
                         "--for", "carer", cwd=private)
    assert carer.returncode == 0 and "CANARY" not in carer.stdout
    assert "Priya Shah (key worker) changed the date it should be done by" in carer.stdout


def test_history_cli_text(private):
    done = run_wellplan("history", "jo", "--for", "carer", cwd=private)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Every recorded change to plans/jo.yaml, newest first")
    assert "2025-01-05 10:00  Priya Shah (key worker)  Review" in lines


def test_unknown_audience_is_refused(private):
    with pytest.raises(HistoryError, match="not an audience"):
        read_stories(private, "neighbour")

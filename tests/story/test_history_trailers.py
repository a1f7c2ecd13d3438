"""The history read from the commits' own words: every recorded change names its plan.

A change recorded by wellplan carries a ``Plan-Id:`` trailer, so the one-pass history
reads which plan each commit changed from the log's messages and compares no trees. Only
commits without it (plain git, renames by hand, merges, a reshard) are compared. The test
builds a year of such a mixture in a real repository and requires the history read from
the trailers to be exactly the history read by comparing every commit, and the history
of each plan read alone.
"""

from __future__ import annotations

import pytest

import builder.story.history
from builder.record.record import record_edit, record_review
from builder.record.reshard import reshard
from builder.story.history import read_versions
from tests.history_fixtures import MINIMAL, day, edit_text, git, make_workspace, write_plan

PLANS = ["ann", "bob", "cat"]


def _compared_only(monkeypatch) -> None:
    """Read as if no commit carried the trailer: every commit's files compared."""
    one_pass = builder.story.history._one_pass
    monkeypatch.setattr(builder.story.history, "_one_pass",
                        lambda *args, trust_trailers: one_pass(*args, trust_trailers=False))


def _recorded_then_by_hand(root):
    """Three plans recorded, then by plain git: a change to two of them and a rename."""
    ws = make_workspace(root)
    for n, plan_id in enumerate(PLANS, 1):
        write_plan(ws, plan_id, MINIMAL)
        record_edit(ws, plan_id, name="Priya Shah", role="key-worker", when=day(n))
    edit_text(ws, "ann", "Swim once a week", "Swim twice a week")
    edit_text(ws, "bob", "Swim once a week", "Swim on Sundays")
    git(ws, "commit", "-q", "-am", "Tidy two plans by hand", when=day(5), name="Sam Admin")
    git(ws, "mv", "plans/cat.yaml", "plans/cathy.yaml")
    git(ws, "commit", "-q", "-m", "Cat is Cathy", when=day(6), name="Sam Admin")
    return ws


@pytest.fixture
def mixed(tmp_path):
    """Recorded edits and reviews, a change by plain git to two plans, a rename by hand,
    a merge of another line of edits, and a reshard into folders."""
    ws = _recorded_then_by_hand(tmp_path / "ws")
    record_review(ws, "ann", name="Priya Shah", role="key-worker", date="2025-01-07",
                  attended=["me"], next_review_due="2025-07-07", when=day(7))
    git(ws, "checkout", "-q", "-b", "other")
    edit_text(ws, "bob", "Swim on Sundays", "Swim on Saturdays")
    record_edit(ws, "bob", name="Bob Person", role="person", when=day(8))
    git(ws, "checkout", "-q", "main")
    edit_text(ws, "cathy", "Swim once a week", "Walk every day")
    record_edit(ws, "cathy", name="Cathy Person", role="person", when=day(9))
    git(ws, "merge", "-q", "--no-ff", "-m", "Bring in Bob's edit", "other", when=day(10))
    reshard(ws, name="Priya Shah", role="key-worker", when=day(11))
    edit_text(ws, "ann", "Swim twice a week", "Swim three times a week")
    record_edit(ws, "ann", name="Ann Person", role="person", when=day(12))
    return ws


def test_a_recorded_change_names_its_plan(mixed):
    message = git(mixed, "log", "-1", "--format=%B")
    assert "Plan-Id: ann" in message and "Plan-Role: person" in message
    review = git(mixed, "log", "-1", "--format=%B", "--grep", "Review on")
    assert "Plan-Id: ann" in review and "Plan-Review: review-2025-01-07" in review


def test_the_trailers_give_the_history_that_comparing_every_commit_gives(mixed, monkeypatch):
    ids = ["ann", "bob", "cathy"]
    from_trailers = read_versions(mixed, ids)
    one_by_one = {plan_id: read_versions(mixed, [plan_id])[plan_id] for plan_id in ids}
    _compared_only(monkeypatch)
    compared = read_versions(mixed, ids)
    assert from_trailers == compared == one_by_one
    said = [(v.revision.author, v.revision.subject) for v in from_trailers["bob"]]
    assert "Bob Person" in [author for author, _ in said]  # made on the other line
    assert any(v.revision.merge for v in from_trailers["bob"])
    assert ("Sam Admin", "Tidy two plans by hand") in said
    cathy = [v.revision.author for v in from_trailers["cathy"]]
    assert cathy[-1] == "Priya Shah"  # Cathy's story starts when she was 'cat'
    assert len(from_trailers["ann"]) == 5  # started, by hand, review, (moved), Ann's edit


def test_only_commits_without_the_trailer_are_compared(mixed, monkeypatch):
    logs: list[list[str]] = []
    real_git = builder.story.history.git

    def git_seen(workspace, *args, **kwargs):
        if "log" in args:
            logs.append([*args, (kwargs.get("stdin") or b"").decode()])
        return real_git(workspace, *args, **kwargs)

    monkeypatch.setattr(builder.story.history, "git", git_seen)
    read_versions(mixed, ["ann", "bob", "cathy"])
    whole, compared = logs
    assert "--raw" not in whole  # the whole log: messages only
    asked = compared[-1].split()
    subjects = {git(mixed, "log", "-1", "--format=%s", c).strip()[:32] for c in asked}
    assert subjects == {"Tidy two plans by hand", "Cat is Cathy", "Bring in Bob's edit",
                        "Moved 3 plans into their folders"[:32]}


def test_a_workspace_recorded_only_by_wellplan_compares_nothing(tmp_path, monkeypatch):
    ws = make_workspace(tmp_path / "ws")
    for n, plan_id in enumerate(PLANS, 1):
        write_plan(ws, plan_id, MINIMAL)
        record_edit(ws, plan_id, name="Priya Shah", role="key-worker", when=day(n))
    logs: list[tuple[str, ...]] = []
    real_git = builder.story.history.git

    def git_seen(workspace, *args, **kwargs):
        if "log" in args:
            logs.append(args)
        return real_git(workspace, *args, **kwargs)

    monkeypatch.setattr(builder.story.history, "git", git_seen)
    versions = read_versions(ws, PLANS)
    assert [len(versions[p]) for p in PLANS] == [1, 1, 1]
    assert len(logs) == 1 and "--raw" not in logs[0]


def test_a_message_reused_by_hand_does_not_hide_a_change(mixed, monkeypatch):
    """Someone copies a recorded message (with its Plan-Id) onto a change of another plan:
    the plan it names did not change, so every commit is compared and nothing is lost."""
    edit_text(mixed, "bob", "Swim on Saturdays", "Swim on Fridays")
    git(mixed, "commit", "-q", "-am", "Swim\n\nPlan-Id: ann\nPlan-Role: person", when=day(13),
        name="Sam Admin")
    from_trailers = read_versions(mixed, ["ann", "bob", "cathy"])
    assert from_trailers["bob"][0].revision.author == "Sam Admin"
    assert from_trailers["ann"][0].revision.author == "Ann Person"
    _compared_only(monkeypatch)
    assert read_versions(mixed, ["ann", "bob", "cathy"]) == from_trailers


def test_a_history_without_merges_reads_the_same_from_the_trailers(tmp_path, monkeypatch):
    """No merge: each parent's copy is the plan's previous version, unless a plan was
    deleted and started again (then git is asked, and the new start is a start)."""
    ws = _recorded_then_by_hand(tmp_path / "ws")
    edit_text(ws, "ann", "Swim twice a week", "Swim three times a week")
    record_edit(ws, "ann", name="Ann Person", role="person", when=day(7))
    ids = ["ann", "bob", "cathy"]
    linear = read_versions(ws, ids)
    assert [v.parent_blob is None for v in linear["ann"]] == [False, False, True]
    with monkeypatch.context() as patch:
        _compared_only(patch)
        assert read_versions(ws, ids) == linear
    git(ws, "rm", "-q", "plans/bob.yaml")
    git(ws, "commit", "-q", "-m", "Bob left the service", when=day(8), name="Sam Admin")
    write_plan(ws, "bob", MINIMAL.replace("Swim once a week", "Walk the dog"))
    record_edit(ws, "bob", name="Priya Shah", role="key-worker", when=day(9))
    with_deletion = read_versions(ws, ids)
    assert with_deletion["bob"][0].parent_blob is None  # started again, not changed
    _compared_only(monkeypatch)
    assert read_versions(ws, ids) == with_deletion
    assert with_deletion["ann"] == linear["ann"] and with_deletion["cathy"] == linear["cathy"]

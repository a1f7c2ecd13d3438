"""Plans in folders: a flat workspace moves in one recorded change and keeps every history.

A real workspace with a recorded history in the old layout (every plan in plans/ itself):
`wellplan reshard` moves each plan to plans/<two characters>/<two more>/<id>.yaml as one
commit by a named person, and afterwards every command that takes a plan id finds it, the
history reads across the move (one plan alone and all plans together), new plans go into
their folders with an editor line that reaches the schema, and git still merges plans by item.
"""

from __future__ import annotations

import subprocess

import pytest
import yaml

from builder.record.merge_driver import register_merge_driver
from builder.record.record import record_edit
from builder.record.reshard import reshard
from builder.story.history import read_versions
from builder.story.timeline import plan_story
from builder.workspace import plan_files, plan_folder, plan_rel
from tests.conftest import run_wellplan
from tests.history_fixtures import MINIMAL, day, edit_text, git, make_workspace, write_plan

PEOPLE = {"jo": "Jo Bloggs", "sam": "Sam Hill", "al": "Al Khan"}


@pytest.fixture
def flat(tmp_path):
    """Three plans in plans/ itself, each recorded twice, the merge driver's old line committed."""
    ws = make_workspace(tmp_path / "ws")
    register_merge_driver(ws)
    (ws / ".gitattributes").write_text("plans/*.yaml merge=wellplan\n")
    (ws / "schema").mkdir()
    git(ws, "add", ".gitattributes")
    git(ws, "commit", "-q", "-m", "Merge plans item by item")
    for n, (plan_id, name) in enumerate(PEOPLE.items()):
        write_plan(ws, plan_id, MINIMAL.replace("Jo Bloggs", name))
        record_edit(ws, plan_id, name="Priya Shah", role="key-worker", when=day(1 + n))
    for n, plan_id in enumerate(PEOPLE):
        edit_text(ws, plan_id, "Swim once a week", "Swim twice a week")
        record_edit(ws, plan_id, name=PEOPLE[plan_id], role="person", when=day(5 + n))
    return ws


def test_the_folders_are_named_by_the_id_s_own_characters():
    assert plan_folder("dan-okafor") == "da/n-"
    assert plan_folder("al") == "al/__" and plan_folder("j") == "j_/__"


def test_reshard_moves_every_plan_as_one_change_and_each_keeps_its_history(flat):
    before = {pid: [v.revision.author for v in read_versions(flat, [pid])[pid]] for pid in PEOPLE}
    done = run_wellplan("reshard", "--as", "Priya Shah", "--role", "key-worker", cwd=flat)
    assert done.returncode == 0, done.stderr
    assert "Moved 3 plans" in done.stdout
    assert not list((flat / "plans").glob("*.yaml"))
    assert git(flat, "status", "--porcelain").strip() == ""  # the work tree is the commit
    log = git(flat, "log", "-1", "--format=%an|%B")
    assert log.startswith("Priya Shah|Moved 3 plans") and "Plan-Role: key-worker" in log
    assert git(flat, "show", "--stat", "--format=", "HEAD").count("=>") == 3  # git sees moves too
    for pid in PEOPLE:
        rel = plan_rel(flat, pid)
        assert rel == f"plans/{plan_folder(pid)}/{pid}.yaml"
        text = (flat / rel).read_text()
        assert text.startswith("# yaml-language-server: $schema=../../../schema/wellbeing-plan.schema.json")
        assert run_wellplan("path", pid, cwd=flat).stdout.strip() == rel
        # Alone (its own path, the move followed back) and all together (one pass) agree.
        alone = read_versions(flat, [pid])[pid]
        assert alone == read_versions(flat, list(PEOPLE))[pid]
        assert [v.revision.author for v in alone] == ["Priya Shah", *before[pid]]
        story = plan_story(flat, pid, "team")
        # The move itself changed nothing a reader sees: it is no entry of the history.
        assert [e.revision.author for e in story.entries] == [PEOPLE[pid], "Priya Shah"]
    assert (flat / ".gitattributes").read_text() == "plans/**/*.yaml merge=wellplan\n"
    assert "merge: wellplan" in git(flat, "check-attr", "merge", "--", plan_rel(flat, "jo"))
    check = run_wellplan("check", cwd=flat)
    assert check.returncode == 0 and "Checked 3 plans" in check.stdout, check.stdout + check.stderr
    assert run_wellplan("reshard", "--as", "Priya Shah", "--role", "key-worker",
                        cwd=flat).stdout.startswith("Every plan is already in its folder")


def test_after_the_move_recording_new_plans_history_and_copies_find_plans_by_id(flat, tmp_path):
    reshard(flat, name="Priya Shah", role="key-worker", when=day(9))
    edit_text(flat, "jo", "I like walking", "I love walking")
    done = run_wellplan("record", "jo", "--as", "Jo Bloggs", "--role", "person", cwd=flat)
    assert done.returncode == 0, done.stderr
    history = run_wellplan("history", "jo", cwd=flat)
    assert history.returncode == 0 and "I love walking" in history.stdout
    assert history.stdout.count("Priya Shah (key worker)") >= 1 and "Moved" not in history.stdout
    made = run_wellplan("new", "ruth-ellison", "--name", "Ruth Ellison", cwd=flat)
    assert made.returncode == 0, made.stderr
    new = flat / "plans" / "ru" / "th" / "ruth-ellison.yaml"
    assert new.is_file()
    assert new.read_text().startswith("# yaml-language-server: $schema=../../../schema/")
    assert [p.stem for p in plan_files(flat)] == ["al", "jo", "ruth-ellison", "sam"]
    pdf = run_wellplan("pdf", "jo", "--out", str(tmp_path / "jo.pdf"), cwd=flat)
    assert pdf.returncode == 0, pdf.stderr
    site = run_wellplan("build", "--plan", "jo", "--audience", "person", "--out", str(tmp_path / "site"),
                        cwd=flat)
    assert site.returncode == 0, site.stderr
    page = (tmp_path / "site" / "history.html").read_text() if (tmp_path / "site" / "history.html").exists() \
        else (tmp_path / "site" / "history" / "index.html").read_text()
    assert "I love walking" in page


def test_a_plan_with_changes_not_recorded_stops_the_move_and_nothing_moves(flat):
    edit_text(flat, "sam", "I like walking", "I love walking")
    head = git(flat, "rev-parse", "HEAD")
    done = run_wellplan("reshard", "--as", "Priya Shah", "--role", "key-worker", cwd=flat)
    assert done.returncode == 1 and "sam" in done.stderr and "not recorded yet" in done.stderr
    assert "Traceback" not in done.stderr
    assert git(flat, "rev-parse", "HEAD") == head
    assert sorted(p.name for p in (flat / "plans").glob("*.yaml")) == ["al.yaml", "jo.yaml", "sam.yaml"]


def test_two_clones_merge_by_item_after_the_move(flat, tmp_path):
    reshard(flat, name="Priya Shah", role="key-worker", when=day(9))
    env_git = ["git", "-c", "user.name=Test", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "clone", "-q", str(flat), str(tmp_path / "other")], check=True)
    other = tmp_path / "other"
    register_merge_driver(other)
    edit_text(flat, "jo", "I like walking", "I love walking")
    record_edit(flat, "jo", name="Jo Bloggs", role="person", when=day(10))
    edit_text(other, "jo", "status: not-started", "status: in-progress")
    record_edit(other, "jo", name="Priya Shah", role="key-worker", when=day(11))
    done = subprocess.run([*env_git, "pull", "-q", "--no-rebase", "--no-edit", str(flat), "main"], cwd=other,
                          capture_output=True, text=True)
    assert done.returncode == 0 and "item by item" in done.stderr, done.stderr
    merged = yaml.safe_load((other / plan_rel(other, "jo")).read_text())
    assert merged["about_me"]["in_my_own_words"].startswith("I love walking")
    assert merged["actions"][0]["status"] == "in-progress"

"""The merge driver under real git: three clones, and git merge, rebase and cherry-pick."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.record.merge_driver import register_merge_driver
from builder.record.record import record_edit
from tests.history_fixtures import MINIMAL, day, edit_text, make_workspace, write_plan

ROOT = Path(__file__).resolve().parents[2]
BLOODS = """  - id: gp-bloods
    what: Ask the GP for bloods and an ECG
    owner: priya
    due: 2026-11-01
    status: not-started
"""


def git(root: Path, *args: str, check: bool = True, who: str = "Git User") -> subprocess.CompletedProcess:
    """Git as a person runs it (who: their git identity): the merge driver it starts finds
    this checkout's package."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root.parent),
        "GIT_CONFIG_NOSYSTEM": "1", "PYTHONPATH": str(ROOT), "LC_ALL": "C",
        "GIT_AUTHOR_NAME": who, "GIT_AUTHOR_EMAIL": "git@example.invalid",
        "GIT_COMMITTER_NAME": who, "GIT_COMMITTER_EMAIL": "git@example.invalid",
        "GIT_EDITOR": "true",
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    if check and done.returncode:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture
def clones(tmp_path):
    """A team's repository with one recorded plan, and clones for Sam and Priya, set up."""
    origin = make_workspace(tmp_path / "origin")
    write_plan(origin, "jo", MINIMAL)
    register_merge_driver(origin)
    git(origin, "add", ".gitattributes")
    git(origin, "commit", "-q", "-m", "Merge plans item by item")
    record_edit(origin, "jo", name="Priya Shah", role="key-worker", when=day(2))
    found = {}
    for name in ("sam", "priya"):
        git(tmp_path, "clone", "-q", str(origin), name)
        register_merge_driver(tmp_path / name)
        found[name] = tmp_path / name
    return found


def plan(root: Path) -> dict:
    return yaml.safe_load((root / "plans" / "jo.yaml").read_text(encoding="utf-8"))


def sam_and_priya_edit_different_items(clones):
    sam, priya = clones["sam"], clones["priya"]
    edit_text(sam, "jo", "Swim once a week", "Swim twice a week")
    record_edit(sam, "jo", name="Sam Bloggs", role="carer", when=day(3))
    edit_text(priya, "jo", "status: not-started", "status: in-progress")
    (priya / "plans" / "jo.yaml").write_text(
        (priya / "plans" / "jo.yaml").read_text() + BLOODS, encoding="utf-8")
    return record_edit(priya, "jo", name="Priya Shah", role="key-worker", when=day(4))


def assert_both_kept(root: Path) -> None:
    merged = plan(root)
    assert merged["goals"][0]["what"] == "Swim twice a week"
    assert merged["actions"][0]["status"] == "in-progress"
    assert [a["id"] for a in merged["actions"]] == ["pool-pass", "gp-bloods"]
    text = (root / "plans" / "jo.yaml").read_text()
    assert text.startswith("# yaml-language-server:") and "<<<<<<<" not in text
    check = subprocess.run([sys.executable, "-m", "builder.commands.cli", "check"], cwd=root,
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert check.returncode == 0, check.stdout + check.stderr


def test_git_pull_merges_edits_to_different_items_with_no_conflict(clones):
    sam, priya = clones["sam"], clones["priya"]
    sam_and_priya_edit_different_items(clones)
    git(sam, "fetch", "-q", str(priya), "main")
    merge = git(sam, "merge", "--no-edit", "FETCH_HEAD")
    assert "merged plans/jo.yaml item by item" in merge.stderr
    assert_both_kept(sam)
    assert git(sam, "status", "--porcelain").stdout == ""


def test_git_rebase_replays_edits_by_item(clones):
    sam, priya = clones["sam"], clones["priya"]
    sam_and_priya_edit_different_items(clones)
    git(sam, "fetch", "-q", str(priya), "main")
    git(sam, "rebase", "FETCH_HEAD")
    assert_both_kept(sam)
    log = git(sam, "log", "--format=%an", "-3").stdout.split("\n")
    assert log[:2] == ["Sam Bloggs", "Priya Shah"]


def test_git_cherry_pick_brings_one_edit_by_item(clones):
    sam, priya = clones["sam"], clones["priya"]
    commit = sam_and_priya_edit_different_items(clones)
    git(sam, "fetch", "-q", str(priya), "main")
    git(sam, "cherry-pick", commit)
    assert_both_kept(sam)


def test_three_clones_merge_in_turn_and_nothing_is_lost(clones, tmp_path):
    sam, priya = clones["sam"], clones["priya"]
    sam_and_priya_edit_different_items(clones)
    git(tmp_path, "clone", "-q", str(tmp_path / "origin"), "jo")
    jo = tmp_path / "jo"
    register_merge_driver(jo)
    edit_text(jo, "jo", "I like walking", "I love walking")
    record_edit(jo, "jo", name="Jo Bloggs", role="person", when=day(5))
    for other in (sam, priya):
        git(jo, "fetch", "-q", str(other), "main")
        git(jo, "merge", "--no-edit", "FETCH_HEAD")
    assert_both_kept(jo)
    assert plan(jo)["about_me"]["in_my_own_words"].startswith("I love walking")


def test_a_real_conflict_is_marked_at_its_line_naming_both_people(clones):
    sam, priya = clones["sam"], clones["priya"]
    edit_text(sam, "jo", "Swim once a week", "Swim twice a week")
    record_edit(sam, "jo", name="Sam Bloggs", role="carer", when=day(3))
    edit_text(priya, "jo", "Swim once a week", "Swim at the lido")
    edit_text(priya, "jo", "status: not-started", "status: in-progress")
    record_edit(priya, "jo", name="Priya Shah", role="key-worker", when=day(4))
    git(sam, "fetch", "-q", str(priya), "main")
    merge = git(sam, "merge", "--no-edit", "FETCH_HEAD", check=False)
    assert merge.returncode == 1
    assert "plans/jo.yaml:" in merge.stderr and "goals[id=swim].what" in merge.stderr
    text = (sam / "plans" / "jo.yaml").read_text()
    lines = text.splitlines()
    start = lines.index("<<<<<<< Sam Bloggs's version")
    assert lines[start + 1:start + 5] == ["    what: Swim twice a week", "=======",
                                          "    what: Swim at the lido", ">>>>>>> Priya Shah's version"]
    assert "status: in-progress" in text  # what did not conflict is merged
    check = subprocess.run([sys.executable, "-m", "builder.commands.cli", "check"], cwd=sam,
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert check.returncode == 1
    assert f"plans/jo.yaml:{start + 1}:1:" in check.stdout
    assert "Sam Bloggs's and Priya Shah's" in check.stdout
    # During a rebase the incoming side is the commit being replayed: its author is named too.
    git(sam, "merge", "--abort")
    rebase = git(sam, "rebase", "FETCH_HEAD", check=False)
    assert rebase.returncode != 0
    text = (sam / "plans" / "jo.yaml").read_text()
    assert "<<<<<<< Priya Shah's version" in text and ">>>>>>> Sam Bloggs's version" in text


def test_install_command_sets_up_an_existing_clone(tmp_path):
    root = make_workspace(tmp_path / "ws")
    done = subprocess.run([sys.executable, "-m", "builder.commands.cli", "merge-driver", "--install"],
                          cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert (root / ".gitattributes").read_text() == "plans/*.yaml merge=wellplan\n"
    driver = git(root, "config", "merge.wellplan.driver").stdout.strip()
    assert driver.startswith(sys.executable) and driver.endswith("merge-driver %O %A %B %P")
    # Running it again adds nothing twice.
    register_merge_driver(root)
    assert (root / ".gitattributes").read_text() == "plans/*.yaml merge=wellplan\n"


def test_the_driver_without_files_says_how_to_use_it(tmp_path):
    done = subprocess.run([sys.executable, "-m", "builder.commands.cli", "merge-driver"],
                          cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2 and "--install" in done.stderr and "Traceback" not in done.stderr


def test_a_merge_that_is_clean_by_item_but_makes_a_problem_stops_for_a_look(clones):
    sam, priya = clones["sam"], clones["priya"]
    # Sam removes the goal; Priya adds an action that serves it. Each alone is valid.
    text = (sam / "plans" / "jo.yaml").read_text()
    goal = text[text.index("  - id: swim"):text.index("actions:")]
    (sam / "plans" / "jo.yaml").write_text(
        text.replace(goal, "").replace("goals:\n", "goals: []\n").replace("    goal: swim\n", ""))
    record_edit(sam, "jo", name="Sam Bloggs", role="carer", when=day(3))
    (priya / "plans" / "jo.yaml").write_text(
        (priya / "plans" / "jo.yaml").read_text() + BLOODS + "    goal: swim\n")
    record_edit(priya, "jo", name="Priya Shah", role="key-worker", when=day(4))
    git(sam, "fetch", "-q", str(priya), "main")
    merge = git(sam, "merge", "--no-edit", "FETCH_HEAD", check=False)
    assert merge.returncode == 1
    assert "together they make a problem" in merge.stderr and "swim" in merge.stderr
    assert "<<<<<<<" not in (sam / "plans" / "jo.yaml").read_text()

"""Recording after people's edits were brought together: merges are versions of a plan.

Real clones of a bare repository, each with the merge driver, as a team works: Alice and
Bob edit the same plan in their own clones, one pulls (a merge, a rebase or a
cherry-pick), and the next edit on the result is recorded. It must be accepted, a copy
made before someone else's recorded change must still be refused, and the account of
change must name each person for exactly their own changes (never whoever ran the pull).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.record.guard import WouldUndo
from builder.record.merge_driver import register_merge_driver
from builder.record.record import record_edit
from builder.story.history import read_versions
from builder.story.timeline import plan_story
from tests.history_fixtures import MINIMAL, day, edit_text
from tests.record.test_merge_git import git

ROOT = Path(__file__).resolve().parents[2]
ALICE = ("Alice Green", "key-worker")
BOB = ("Bob Stone", "carer")
#: The plan everyone starts from: the minimal plan with three more goals to work on.
GOALS = ["swim", "visit", "walk", "cook"]


def start_plan() -> str:
    plan = yaml.safe_load(MINIMAL)
    for goal in GOALS[1:]:
        plan["goals"].append({"id": goal, "area": "life", "what": f"Goal {goal}",
                              "expressed_by": "me", "target_date": "2026-12-31", "status": "active"})
    return "# yaml-language-server: $schema=../schema/wellbeing-plan.schema.json\n" + \
        yaml.safe_dump(plan, sort_keys=False, allow_unicode=True)


@pytest.fixture
def team(tmp_path):
    """A bare repository holding one recorded plan, and a clone each for Alice and Bob."""
    return make_team(tmp_path)


def make_team(tmp_path: Path) -> dict[str, Path]:
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "origin.git")
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), "seed")
    git(seed, "checkout", "-q", "-b", "main")
    (seed / "plans").mkdir()
    (seed / "plans" / "jo.yaml").write_text(start_plan(), encoding="utf-8")
    register_merge_driver(seed)
    git(seed, "add", ".gitattributes")
    git(seed, "commit", "-q", "-m", "Merge plans item by item")
    record_edit(seed, "jo", name="Priya Shah", role="key-worker", when=day(1))
    git(seed, "push", "-q", "origin", "main")
    clones = {}
    for name in ("alice", "bob", "carol"):
        git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), name)
        register_merge_driver(tmp_path / name)
        clones[name] = tmp_path / name
    return clones


def record(root: Path, person: tuple[str, str], n: int) -> str:
    return record_edit(root, "jo", name=person[0], role=person[1], when=day(n))


def people_for(root: Path, since: str) -> dict[str, set[str]]:
    """Each thing in the account of change since a commit, with everyone named for it."""
    account = plan_story(root, "jo", "team").account(since, None)
    return {line.key: {step.by for step in line.steps} for line in account.lines}


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").stdout.strip()


def alice_and_bob_edit(team) -> str:
    """The issue's steps 1 and 2: Alice pushes; Bob edits, pulls with a merge, pushes."""
    alice, bob = team["alice"], team["bob"]
    base = head(alice)
    edit_text(alice, "jo", "what: Goal visit", "what: Visit my sister in Canada")
    edit_text(alice, "jo", "status: not-started", "status: in-progress")
    record(alice, ALICE, 2)
    git(alice, "push", "-q", "origin", "main")
    edit_text(bob, "jo", "what: Goal walk", "what: Walk the dog every morning")
    record(bob, BOB, 3)
    pulled = git(bob, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main", who="Bob Stone")
    assert "item by item" in pulled.stderr
    git(bob, "push", "-q", "origin", "main")
    return base


def test_recording_after_a_merge_is_accepted_and_each_change_is_its_maker_s(team):
    alice = team["alice"]
    base = alice_and_bob_edit(team)
    git(alice, "pull", "-q", "--ff-only", "origin", "main")
    assert len(git(alice, "log", "-1", "--format=%P").stdout.split()) == 2  # at the merge
    edit_text(alice, "jo", "I like walking", "I love walking")
    commit = record(alice, ALICE, 4)
    assert git(alice, "log", "-1", "--format=%an|%B", commit).stdout.startswith("Alice Green|")
    assert "Plan-Role: key-worker" in git(alice, "log", "-1", "--format=%B").stdout
    found = people_for(alice, base)
    assert found == {
        "goals[id=visit]": {"Alice Green"}, "actions[id=pool-pass]": {"Alice Green"},
        "goals[id=walk]": {"Bob Stone"}, "about_me.in_my_own_words": {"Alice Green"},
    }


def test_the_merge_is_the_newest_version_and_says_nothing_of_its_own(team):
    alice_and_bob_edit(team)
    bob = team["bob"]
    versions = read_versions(bob, ["jo"])["jo"]
    assert versions[0].revision.merge and versions[0].revision.commit == head(bob)
    merged = (bob / "plans" / "jo.yaml").read_bytes()
    assert git(bob, "cat-file", "blob", versions[0].blob).stdout.encode() == merged
    assert len(versions[0].other_parent_blobs) == 1
    story = plan_story(bob, "jo", "team")
    assert story.version.commit == head(bob)
    # A clean merge adds nothing a reader needs: no line of history of its own.
    assert all(not e.revision.merge for e in story.entries)


def test_a_copy_made_before_the_merge_brought_in_bob_s_edit_is_still_refused(team):
    alice = team["alice"]
    alice_and_bob_edit(team)
    old_copy = (alice / "plans" / "jo.yaml").read_text()  # Alice's, before she pulled
    git(alice, "pull", "-q", "--ff-only", "origin", "main")
    (alice / "plans" / "jo.yaml").write_text(old_copy.replace("I like walking", "I love walking"))
    with pytest.raises(WouldUndo) as refused:
        record(alice, ALICE, 4)
    message = str(refused.value)
    assert "Bob Stone (carer)" in message and "Walk the dog every morning" in message
    assert "Alice Green" not in message  # her own earlier work is not hers to undo
    assert git(alice, "status", "--porcelain").stdout.strip() == "M plans/jo.yaml"


@pytest.mark.parametrize("how", ["rebase", "cherry-pick", "revert"])
def test_recording_after_a_rebase_a_cherry_pick_or_a_revert_is_accepted(team, how):
    alice, bob = team["alice"], team["bob"]
    base = head(alice)
    edit_text(alice, "jo", "what: Goal visit", "what: Visit my sister in Canada")
    alice_commit = record(alice, ALICE, 2)
    git(alice, "push", "-q", "origin", "main")
    edit_text(bob, "jo", "what: Goal walk", "what: Walk the dog every morning")
    record(bob, BOB, 3)
    git(bob, "fetch", "-q", "origin")
    if how == "rebase":
        git(bob, "rebase", "-q", "origin/main", who="Bob Stone")
    elif how == "cherry-pick":
        git(bob, "cherry-pick", alice_commit, who="Bob Stone")
    else:
        git(bob, "revert", "--no-edit", "HEAD", who="Bob Stone")
        git(bob, "merge", "-q", "--no-edit", "origin/main", who="Bob Stone")
    edit_text(bob, "jo", "I like walking", "I love walking")
    record(bob, BOB, 4)
    found = people_for(bob, base)
    assert found["about_me.in_my_own_words"] == {"Bob Stone"}
    assert found["goals[id=visit]"] == {"Alice Green"}
    # Reverted or not, the walk goal was changed by Bob alone (and, after a revert, back).
    assert found["goals[id=walk]"] == {"Bob Stone"}


def conflict(team, resolution: str) -> tuple[Path, str]:
    """Alice and Bob change the same goal differently; Bob merges and settles it by hand."""
    alice, bob = team["alice"], team["bob"]
    base = head(alice)
    edit_text(alice, "jo", "what: Goal visit", "what: Visit my sister for two weeks")
    record(alice, ALICE, 2)
    git(alice, "push", "-q", "origin", "main")
    edit_text(bob, "jo", "what: Goal visit", "what: Visit my sister for a month")
    record(bob, BOB, 3)
    pulled = git(bob, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main", check=False)
    assert pulled.returncode == 1 and "goals[id=visit].what" in pulled.stderr
    text = (bob / "plans" / "jo.yaml").read_text()
    start, end = text.index("<<<<<<<"), text.index(">>>>>>>")
    end = text.index("\n", end) + 1
    ours = text[text.index("\n", start) + 1:].splitlines()[0]  # "  what: …", as indented
    indent = ours[: len(ours) - len(ours.lstrip())]
    (bob / "plans" / "jo.yaml").write_text(text[:start] + f"{indent}what: {resolution}\n" + text[end:])
    git(bob, "add", "plans/jo.yaml")
    git(bob, "commit", "-q", "--no-edit", who="Bob Stone")
    return bob, base


@pytest.mark.parametrize("resolution", ["Visit my sister for two weeks",
                                        "Visit my sister for three weeks"])
def test_a_conflict_settled_by_hand_is_told_as_the_merger_s_choice(team, resolution):
    bob, base = conflict(team, resolution)
    account = plan_story(bob, "jo", "team").account(base, None)
    line = next(line for line in account.lines if line.key == "goals[id=visit]")
    assert [step.by for step in line.steps] == ["Alice Green", "Bob Stone", "Bob Stone"]
    assert line.steps[-1].merging and not line.steps[1].merging
    text = line.text()
    # The merge commit has no role of its own: Bob is named once, with the role he records in.
    assert line.steps[-1].role == "carer"
    merging = text.rsplit("; ", 1)[1]
    assert merging.startswith("then changed the goal from “Visit my sister for a month”")
    assert f"to “{resolution}” when merging the edits" in merging
    edit_text(bob, "jo", "I like walking", "I love walking")
    record(bob, BOB, 4)  # and the next edit is recorded on the settled plan


# -- the property: any two sets of item-level edits, merged, then one more edit -----------

EDIT = st.tuples(st.sampled_from(GOALS), st.sampled_from(["what", "status", "remove"]),
                 st.sampled_from(["Swim", "Walk", "Read", "Garden"]))


def apply(root: Path, edits: list[tuple[str, str, str]], who: str, n: int) -> set[str]:
    """Make the edits to the plan in this clone; the things they changed."""
    path = root / "plans" / "jo.yaml"
    plan = yaml.safe_load(path.read_text())
    touched = set()
    for goal_id, what, word in edits:
        goal = next((g for g in plan["goals"] if g["id"] == goal_id), None)
        if goal is None:
            continue
        if what == "remove":
            plan["actions"] = [a for a in plan["actions"] if a.get("goal") != goal_id]
            plan["goals"].remove(goal)
            touched.add(f"goals[id={goal_id}]")
        elif what == "what":
            goal["what"] = f"{word} with {who}"
        else:
            goal["status"] = {"active": "on-hold", "on-hold": "active"}.get(goal["status"], "active")
        touched.add(f"goals[id={goal_id}]")
    new_id = f"{who.split()[0].lower()}-goal"
    plan["goals"].append({"id": new_id, "area": "life", "what": f"{who}'s own goal",
                          "expressed_by": "me", "status": "active"})
    touched.add(f"goals[id={new_id}]")
    path.write_text("# yaml-language-server: $schema=../schema/wellbeing-plan.schema.json\n"
                    + yaml.safe_dump(plan, sort_keys=False, allow_unicode=True))
    return touched


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mine=st.lists(EDIT, max_size=3), theirs=st.lists(EDIT, max_size=3))
def test_any_two_sets_of_item_edits_merge_and_the_next_edit_is_recorded(tmp_path_factory, mine, theirs):
    # Each side works on its own goals (the same goal edited on both sides is a conflict
    # for a person to settle, tested above).
    theirs = [e for e in theirs if e[0] not in {m[0] for m in mine}]
    team = make_team(tmp_path_factory.mktemp("team"))
    alice, bob, carol = team["alice"], team["bob"], team["carol"]
    base = head(alice)
    by_alice = apply(alice, mine, ALICE[0], 2)
    record(alice, ALICE, 2)
    git(alice, "push", "-q", "origin", "main")
    by_bob = apply(bob, theirs, BOB[0], 3)
    record(bob, BOB, 3)
    git(bob, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main", who="Bob Stone")
    git(bob, "push", "-q", "origin", "main")
    git(carol, "pull", "-q", "--ff-only", "origin", "main")
    edit_text(carol, "jo", "I like walking", "I love walking")
    record_edit(carol, "jo", name="Carol King", role="gp", when=day(4))
    expected = {key: {ALICE[0]} for key in by_alice} | {key: {BOB[0]} for key in by_bob}
    expected["about_me.in_my_own_words"] = {"Carol King"}
    found = people_for(carol, base)
    # An action removed with its goal is told with that goal's remover.
    assert {k: v for k, v in found.items() if not k.startswith("actions")} == expected


# -- one plan's history: its own file only, renames followed, git's filters kept -------------

def test_one_plan_s_history_follows_a_rename_and_reads_the_same_as_all_plans(tmp_path):
    from builder.story.history import keep_commit_graph
    from tests.history_fixtures import git as fixed_git
    from tests.history_fixtures import make_workspace, raw_commit, write_plan

    ws = make_workspace(tmp_path / "ws")
    write_plan(ws, "jo-old", MINIMAL)
    write_plan(ws, "sam", MINIMAL.replace("Jo Bloggs", "Sam Bloggs"))
    record_edit(ws, "jo-old", name="Priya Shah", role="key-worker", when=day(1))
    record_edit(ws, "sam", name="Priya Shah", role="key-worker", when=day(2))
    edit_text(ws, "jo-old", "Swim once a week", "Swim twice a week")
    record_edit(ws, "jo-old", name="Jo Bloggs", role="person", when=day(3))
    fixed_git(ws, "mv", "plans/jo-old.yaml", "plans/jo.yaml")
    raw_commit(ws, "Use Jo's preferred id", day(4), "Priya Shah", "key-worker", "plans")
    edit_text(ws, "jo", "I like walking", "I love walking")
    record_edit(ws, "jo", name="Sam Bloggs", role="carer", when=day(5))
    alone = read_versions(ws, ["jo"])["jo"]
    together = read_versions(ws, ["jo", "sam"])["jo"]
    assert [v.revision.author for v in alone] == ["Sam Bloggs", "Priya Shah", "Jo Bloggs", "Priya Shah"]
    assert [v.revision.path for v in alone] == ["plans/jo.yaml"] * 2 + ["plans/jo-old.yaml"] * 2
    assert alone == together
    # Recording wrote git's commit-graph with changed-path filters, up to the last change.
    assert (ws / ".git" / "objects" / "info" / "commit-graphs").is_dir()
    assert keep_commit_graph(ws) is False  # already up to date: nothing written
    chain = (ws / ".git" / "objects" / "info" / "commit-graphs" / "commit-graph-chain").read_text()
    fixed_git(ws, "commit", "--allow-empty", "-q", "-m", "made outside wellplan")
    assert keep_commit_graph(ws) is True
    assert (ws / ".git" / "objects" / "info" / "commit-graphs" / "commit-graph-chain").read_text() != chain

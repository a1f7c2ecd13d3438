"""wellplan edit never loses typed text: invalid saves, crashes, giving up, someone else's change."""

from __future__ import annotations

import pytest

from builder.errors import PlanError
from builder.record.edit import edit_plan
from builder.record.record import record_edit
from tests.conftest import run_wellplan
from tests.history_fixtures import MINIMAL, day, git, make_workspace, scripted_editor, write_plan


@pytest.fixture
def ws(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo", MINIMAL)
    record_edit(root, "jo", name="Priya Shah", role="key-worker", when=day(2))
    return root


def edits_folder(ws):
    return ws / ".git" / "wellplan" / "edits"


def kept_copies(ws):
    return sorted(edits_folder(ws).glob("*.yaml"))


def edit(ws, actions, said=None):
    said = said if said is not None else []
    return edit_plan(ws, "jo", name="Sam Bloggs", role="carer",
                     editor=scripted_editor(ws, actions), say=said.append)


def test_a_valid_edit_is_recorded_and_the_copy_removed(ws):
    said: list[str] = []
    commit = edit(ws, [{"replace": ["Swim once a week", "Swim twice a week"]}], said)
    assert commit
    assert git(ws, "log", "-1", "--format=%an|%s", commit).strip() == (
        "Sam Bloggs|Changed the goal “Swim once a week” → “Swim twice a week”."
    )
    assert "Swim twice a week" in (ws / "plans" / "jo.yaml").read_text()
    assert kept_copies(ws) == []
    assert "your text is kept in" in said[0]


def test_no_change_records_nothing(ws):
    before = git(ws, "rev-parse", "HEAD")
    assert edit(ws, [{}]) is None
    assert git(ws, "rev-parse", "HEAD") == before
    assert kept_copies(ws) == []


def test_an_invalid_save_reopens_with_the_problems_at_the_top_then_records_the_fix(ws):
    commit = edit(ws, [
        {"replace": ["status: active", "status: whenever"]},
        {"replace": ["status: whenever", "status: on-hold"]},
    ])
    assert commit
    seen = next(edits_folder(ws).glob("*.seen")).read_text()  # what the editor was shown
    second_opening = seen.split("\n=====\n")[1]
    notes = [line for line in second_opening.splitlines() if line.startswith("# wellplan:")]
    assert len(notes) == 4 and "whenever" in notes[3]
    # The line number in the note is the line the editor shows.
    number = int(notes[3].split("line ")[1].split(":")[0])
    assert "status: whenever" in second_opening.splitlines()[number - 1]
    plan = (ws / "plans" / "jo.yaml").read_text()
    assert "# wellplan:" not in plan and "status: on-hold" in plan


def test_giving_up_keeps_the_typed_text_and_says_where(ws):
    before = (ws / "plans" / "jo.yaml").read_bytes()
    with pytest.raises(PlanError, match="still has problems") as e:
        edit(ws, [{"replace": ["Swim once a week", "Swim once a week\n  bad: [unclosed"]}, {}])
    [copy] = kept_copies(ws)
    assert str(copy) in str(e.value)
    assert "bad: [unclosed" in copy.read_text()
    assert (ws / "plans" / "jo.yaml").read_bytes() == before


def test_an_earlier_unrecorded_edit_is_mentioned_next_time(ws):
    with pytest.raises(PlanError):
        edit(ws, [{"replace": ["Swim once a week", "Swim every day"], "exit": 1}])
    [copy] = kept_copies(ws)
    said: list[str] = []
    edit(ws, [{}], said)
    assert said[0] == ("An earlier edit of this plan was not recorded; 'wellplan edit --recover' "
                       "lists what is kept.")
    assert copy.exists()


@pytest.mark.parametrize("action,words", [({"exit": 3}, "error"), ({"kill": True}, "stopped")])
def test_a_crashed_or_killed_editor_leaves_a_recovery_file(ws, action, words):
    typed = MINIMAL.replace("I like walking my dog", "I like walking my two dogs")
    with pytest.raises(PlanError, match=words) as e:
        edit(ws, [{"write": typed, **action}])
    [copy] = kept_copies(ws)
    assert str(copy) in str(e.value)
    assert copy.read_text() == typed


def test_someone_elses_change_meanwhile_is_never_overwritten(ws):
    plan = ws / "plans" / "jo.yaml"
    with pytest.raises(PlanError, match="changed by someone else") as e:
        edit(ws, [{"replace": ["Swim once a week", "Swim twice a week"],
                   "also_change_plan": [str(plan), "steady since the summer", "better lately"]}])
    assert "better lately" in plan.read_text()  # theirs is kept
    assert "Swim twice a week" not in plan.read_text()
    [copy] = kept_copies(ws)
    assert str(copy) in str(e.value) and "Swim twice a week" in copy.read_text()


def test_the_cli_records_an_edit_and_reports_it(ws):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ws),
           "EDITOR": scripted_editor(ws, [{"replace": ["Swim once a week", "Swim at the lido"]}])}
    done = run_wellplan("edit", "jo", "--as", "Sam Bloggs", "--role", "carer", cwd=ws, env=env)
    assert done.returncode == 0, done.stderr
    assert "Recorded plans/jo.yaml" in done.stdout
    assert "Swim at the lido" in done.stdout


def test_the_cli_refuses_an_unknown_role_in_one_line(ws):
    done = run_wellplan("edit", "jo", "--as", "Sam", "--role", "boss", cwd=ws)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr

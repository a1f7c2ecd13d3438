"""Kept copies of edits that were not recorded: said once, listed, reopened and cleared."""

from __future__ import annotations

import os
import stat

import pytest

from builder.commands.cli import main, make_parser
from builder.errors import PlanError
from builder.record.edit import edit_plan
from builder.record.kept_edits import kept_copies
from builder.record.record import record_edit
from tests.history_fixtures import MINIMAL, day, edit_text, git, make_workspace, scripted_editor, write_plan


@pytest.fixture
def ws(tmp_path, monkeypatch):
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo", MINIMAL)
    record_edit(root, "jo", name="Priya Shah", role="key-worker", when=day(2))
    monkeypatch.chdir(root)
    return root


def give_up(ws, typed: str) -> None:
    """An edit whose editor fails after typing: its text is kept."""
    with pytest.raises(PlanError, match="nothing was recorded"):
        edit_plan(ws, "jo", name="Sam Bloggs", role="carer", say=lambda _: None,
                  editor=scripted_editor(ws, [{"replace": ["Swim once a week", typed], "exit": 1}]))


def test_earlier_copies_are_mentioned_in_one_line_and_unchanged_ones_go_quietly(ws):
    give_up(ws, "Swim every day")
    give_up(ws, "Swim on Sundays")
    with pytest.raises(PlanError):  # killed before anything was typed: holds only the plan
        edit_plan(ws, "jo", name="Sam Bloggs", role="carer", say=lambda _: None,
                  editor=scripted_editor(ws, [{"kill": True}]))
    assert len(kept_copies(ws, "jo")) == 3
    said: list[str] = []
    edit_plan(ws, "jo", name="Sam Bloggs", role="carer", say=said.append, editor=scripted_editor(ws, [{}]))
    assert said[0] == ("2 earlier edits of this plan were not recorded; 'wellplan edit --recover' "
                       "lists what is kept.")
    earlier = kept_copies(ws, "jo")
    assert len(earlier) == 2
    assert not any(str(kept.path) in line for kept in earlier for line in said)  # not listed again


def test_recover_lists_reopens_the_newest_and_records_it(ws, capsys):
    give_up(ws, "Swim every day")
    code = main(["edit", "--recover"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == "Kept copies of edits that were not recorded, newest first (1):"
    assert out[1].startswith("- jo: edit started ") and out[1].endswith(
        f"{os.path.relpath(kept_copies(ws)[0].path, ws)}")
    assert out[2] == ('To carry on with the newest copy of a plan\'s edit: wellplan edit jo --recover '
                      '--as "Your Name" --role YOUR-ROLE')
    code = main(["edit", "jo", "--recover", "--as", "Sam Bloggs", "--role", "carer",
                 "--editor", scripted_editor(ws, [{}])])
    assert code == 0
    assert "Swim every day" in (ws / "plans" / "jo.yaml").read_text()
    assert git(ws, "log", "-1", "--format=%an").strip() == "Sam Bloggs"
    assert kept_copies(ws) == []


def test_a_copy_older_than_the_last_recorded_change_is_not_reopened_over_it(ws, capsys):
    give_up(ws, "Swim every day")
    edit_text(ws, "jo", "I like walking my dog", "I like walking my two dogs")
    record_edit(ws, "jo", name="Jo Bloggs", role="person")  # recorded now, after the copy
    code = main(["edit", "jo", "--recover", "--as", "Sam Bloggs", "--role", "carer",
                 "--editor", scripted_editor(ws, [{}])])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("wellplan edit: plans/jo.yaml was recorded by Jo Bloggs after this copy was "
                          "made, so reopening the copy could undo that change.")
    assert "two dogs" in (ws / "plans" / "jo.yaml").read_text()
    assert len(kept_copies(ws)) == 1


def test_clear_kept_deletes_the_copies_of_one_plan_or_all(ws, capsys):
    give_up(ws, "Swim every day")
    write_plan(ws, "other", MINIMAL)
    record_edit(ws, "other", name="Priya Shah", role="key-worker", when=day(3))
    with pytest.raises(PlanError):
        edit_plan(ws, "other", name="Sam Bloggs", role="carer", say=lambda _: None,
                  editor=scripted_editor(ws, [{"replace": ["Swim once a week", "Run"], "exit": 1}]))
    assert main(["edit", "--clear-kept", "jo"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Deleted 1 kept copy of edits that were not recorded.")
    assert [k.plan_id for k in kept_copies(ws)] == ["other"]
    assert main(["edit", "--clear-kept"]) == 0
    assert kept_copies(ws) == []
    assert main(["edit", "--recover"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "There are no kept copies of edits that were not recorded.")


def test_edit_help_names_the_editor_that_really_opens(tmp_path, monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("WELLPLAN_EDITOR", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tools))

    def edit_help() -> str:
        sub = next(a for a in make_parser()._actions if a.dest == "command").choices["edit"]
        return " ".join(sub.format_help().split())

    assert ("else nano or vi, whichever is installed; none of them is installed here)") in edit_help()
    fake = tools / "vi"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    assert "(default: the first of $WELLPLAN_EDITOR, $VISUAL, $EDITOR that is set, else nano or vi, " \
        "whichever is installed; here that is vi)" in edit_help()
    monkeypatch.setenv("EDITOR", "mousepad")
    assert "here that is mousepad)" in edit_help()

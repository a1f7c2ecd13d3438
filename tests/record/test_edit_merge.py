"""wellplan edit when someone else records a change meanwhile: merged by item, conflicts shown."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from builder.errors import PlanError
from builder.record.edit import edit_plan
from builder.record.record import record_edit
from tests.history_fixtures import MINIMAL, day, git, make_workspace, write_plan

ROOT = Path(__file__).resolve().parents[2]

# An editor that, on each run, does the next step. A step may record a change by Priya to the
# real plan first (someone else recording while this person is still editing), then change the
# copy being edited; "resolve" keeps this person's side of each conflict.
EDITOR = """
import json, re, subprocess, sys
steps = json.load(open(sys.argv[1]))
step = steps.pop(0)
json.dump(steps, open(sys.argv[1], "w"))
copy = sys.argv[2]
open(copy + ".seen", "a").write(open(copy).read() + "\\n=====\\n")
if "priya" in step:
    plan, old, new = step["priya"]
    text = open(plan).read(); open(plan, "w").write(text.replace(old, new, 1))
    subprocess.run([sys.executable, "-c", "import sys; from builder.record.record import record_edit; "
                    "record_edit(sys.argv[1], 'jo', name='Priya Shah', role='key-worker')",
                    step["workspace"]], check=True)
text = open(copy).read()
if "mine" in step:
    old, new = step["mine"]
    assert old in text, old
    text = text.replace(old, new, 1)
if step.get("resolve"):
    text = re.sub(r"<<<<<<< [^\\n]*\\n(.*?)=======\\n.*?>>>>>>> [^\\n]*\\n", r"\\1", text, flags=re.S)
open(copy, "w").write(text)
"""


@pytest.fixture
def ws(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo", MINIMAL)
    record_edit(root, "jo", name="Jo Bloggs", role="person", when=day(2))
    return root


def editor(root: Path, steps: list[dict]) -> str:
    script = root.parent / "editor.py"
    script.write_text(EDITOR)
    queue = root.parent / "steps.json"
    queue.write_text(json.dumps([{**s, "workspace": str(root)} for s in steps]))
    return f"{sys.executable} {script} {queue}"


def plan(root: Path) -> dict:
    return yaml.safe_load((root / "plans" / "jo.yaml").read_text())


def test_a_change_recorded_meanwhile_to_another_item_is_merged_and_both_are_kept(ws):
    said = []
    commit = edit_plan(ws, "jo", name="Sam Bloggs", role="carer", say=said.append, editor=editor(ws, [
        {"priya": [str(ws / "plans" / "jo.yaml"), "status: not-started", "status: in-progress"],
         "mine": ["Swim once a week", "Swim twice a week"]},
    ]))
    assert commit
    merged = plan(ws)
    assert merged["goals"][0]["what"] == "Swim twice a week"
    assert merged["actions"][0]["status"] == "in-progress"
    assert any("Priya Shah changed plans/jo.yaml while you were editing" in s for s in said)
    authors = git(ws, "log", "--format=%an").split("\n")
    assert authors[:3] == ["Sam Bloggs", "Priya Shah", "Jo Bloggs"]
    # Sam's commit holds only Sam's change: Priya's is hers.
    assert "Swim twice a week" in git(ws, "show", "HEAD", "--format=")
    assert "in-progress" not in git(ws, "show", "HEAD", "--format=")


def test_a_real_conflict_comes_back_to_the_editor_with_both_versions(ws):
    said = []
    commit = edit_plan(ws, "jo", name="Sam Bloggs", role="carer", say=said.append, editor=editor(ws, [
        {"priya": [str(ws / "plans" / "jo.yaml"), "Swim once a week", "Swim at the lido"],
         "mine": ["Swim once a week", "Swim twice a week"]},
        {"resolve": True},
    ]))
    assert commit
    seen = next(ws.parent.rglob("*.seen")).read_text().split("\n=====\n")[1]
    assert "<<<<<<< Sam Bloggs's version\n    what: Swim twice a week\n=======\n" \
           "    what: Swim at the lido\n>>>>>>> Priya Shah's version" in seen
    assert "# wellplan:" in seen and "Sam Bloggs's and Priya Shah's" in seen
    assert plan(ws)["goals"][0]["what"] == "Swim twice a week"
    assert any("in the same place as you" in s for s in said)


def test_giving_up_on_a_conflict_keeps_the_text_and_records_nothing(ws):
    before = git(ws, "rev-parse", "HEAD")
    with pytest.raises(PlanError, match="still has problems") as e:
        edit_plan(ws, "jo", name="Sam Bloggs", role="carer", say=lambda _: None, editor=editor(ws, [
            {"priya": [str(ws / "plans" / "jo.yaml"), "Swim once a week", "Swim at the lido"],
             "mine": ["Swim once a week", "Swim twice a week"]},
            {},
        ]))
    assert "Your text is kept in" in str(e.value)
    assert git(ws, "rev-parse", "HEAD") != before  # Priya's, not Sam's
    assert git(ws, "log", "-1", "--format=%an").strip() == "Priya Shah"
    assert plan(ws)["goals"][0]["what"] == "Swim at the lido"

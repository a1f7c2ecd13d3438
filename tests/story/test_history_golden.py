"""History and diffs of real git repositories, checked against golden files.

Regenerate the golden files with: WELLPLAN_UPDATE_GOLDEN=1 pytest tests/story/test_history_golden.py
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from builder.commands.history import history_json, history_text
from builder.record.record import record_edit, record_review
from builder.story.compare import compare_versions
from builder.story.timeline import plan_story
from tests.history_fixtures import (
    MINIMAL,
    day,
    edit_text,
    git,
    make_workspace,
    raw_commit,
    write_plan,
)

GOLDEN = Path(__file__).resolve().parent / "golden" / "history"
UPDATE = os.environ.get("WELLPLAN_UPDATE_GOLDEN") == "1"

WALK_GOAL = """  - id: walk
    area: physical_health
    what: Walk to the shops and back
    expressed_by: sam
    status: proposed
"""


def record(ws, plan_id, who, role, n, message=None):
    return record_edit(ws, plan_id, name=who, role=role, message=message, when=day(n))


def with_walk(text: str) -> str:
    return text.replace("actions:\n", WALK_GOAL + "actions:\n", 1)


def scenario_rename(ws):
    write_plan(ws, "jo-old", MINIMAL)
    record(ws, "jo-old", "Priya Shah", "key-worker", 1)
    edit_text(ws, "jo-old", "Swim once a week", "Swim twice a week")
    record(ws, "jo-old", "Jo Bloggs", "person", 2)
    git(ws, "mv", "plans/jo-old.yaml", "plans/jo.yaml")
    raw_commit(ws, "Use Jo's preferred id", day(3), "Priya Shah", "key-worker", "plans")
    edit_text(ws, "jo", "target_date: 2026-12-31", "target_date: 2026-06-30")
    record(ws, "jo", "Sam Bloggs", "carer", 4)
    return "jo", [None]


def scenario_reorder(ws):
    write_plan(ws, "jo", with_walk(MINIMAL))
    first = record(ws, "jo", "Priya Shah", "key-worker", 1)
    text = (ws / "plans" / "jo.yaml").read_text()
    swim = text[text.index("  - id: swim"): text.index("  - id: walk")]
    write_plan(ws, "jo", text.replace(swim, "").replace(WALK_GOAL, WALK_GOAL + swim))
    record(ws, "jo", "Jo Bloggs", "person", 2, "Walking matters more to me now")
    return "jo", [first]


def scenario_edit_and_move(ws):
    write_plan(ws, "jo", with_walk(MINIMAL))
    first = record(ws, "jo", "Priya Shah", "key-worker", 1)
    text = (ws / "plans" / "jo.yaml").read_text()
    swim = text[text.index("  - id: swim"): text.index("  - id: walk")]
    moved = swim.replace("status: active", "status: on-hold")
    write_plan(ws, "jo", text.replace(swim, "").replace(WALK_GOAL, WALK_GOAL + moved))
    record(ws, "jo", "Sam Bloggs", "carer", 2)
    return "jo", [first]


def scenario_removed_and_readded(ws):
    write_plan(ws, "jo", MINIMAL)
    first = record(ws, "jo", "Priya Shah", "key-worker", 1)
    text = (ws / "plans" / "jo.yaml").read_text()
    action = text[text.index("actions:\n"):]
    write_plan(ws, "jo", text.replace(action, ""))
    record(ws, "jo", "Jo Bloggs", "person", 2, "I found a pass myself")
    write_plan(ws, "jo", text.replace("owner: priya", "owner: sam"))
    record(ws, "jo", "Sam Bloggs", "carer", 3, "The pass ran out; I will look into it")
    return "jo", [first]


def scenario_reformatted(ws):
    write_plan(ws, "jo", MINIMAL)
    first = record(ws, "jo", "Priya Shah", "key-worker", 1)
    # The same plan written out again: keys sorted, other indentation and quoting, no comments.
    data = yaml.safe_load(MINIMAL)
    text = yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=True, indent=4)
    write_plan(ws, "jo", "# Tidied by hand.\n" + text)
    raw_commit(ws, "Tidy the layout", day(2), "Priya Shah", "key-worker", "plans")
    return "jo", [first]


def scenario_invalid_in_the_past(ws):
    write_plan(ws, "jo", MINIMAL)
    first = record(ws, "jo", "Priya Shah", "key-worker", 1)
    edit_text(ws, "jo", "status: active", "status: [active")
    raw_commit(ws, "Half-finished change", day(2), "Sam Bloggs", "carer", "plans")
    edit_text(ws, "jo", "status: [active", "status: achieved")
    record(ws, "jo", "Sam Bloggs", "carer", 3, "Fix the goal I broke")
    return "jo", [first]


def scenario_since_review(ws):
    write_plan(ws, "jo", MINIMAL)
    record(ws, "jo", "Priya Shah", "key-worker", 1)
    record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-05",
                  attended=["me", "priya", "sam"], next_review_due="2025-04-05",
                  comments="Good to talk about my breathing.", when=day(5))
    write_plan(ws, "jo", with_walk((ws / "plans" / "jo.yaml").read_text()))
    record(ws, "jo", "Sam Bloggs", "carer", 6)
    edit_text(ws, "jo", "status: proposed", "status: active")
    edit_text(ws, "jo", "due: 2026-12-15", "due: 2026-11-30")
    record(ws, "jo", "Priya Shah", "key-worker", 7)
    edit_text(ws, "jo", "I would like to get back to volunteering.",
              "I have started volunteering at the food bank.")
    return "jo", ["since-review"]


def scenario_branches_merged(ws):
    # Two people record on different clones (here: branches), then the work is merged.
    write_plan(ws, "jo", MINIMAL)
    first = record(ws, "jo", "Priya Shah", "key-worker", 1)
    git(ws, "branch", "other-clone")
    edit_text(ws, "jo", "status: active", "status: achieved")
    record(ws, "jo", "Sam Bloggs", "carer", 2)
    git(ws, "checkout", "-q", "other-clone")
    edit_text(ws, "jo", "due: 2026-12-15", "due: 2026-10-01")
    record(ws, "jo", "Priya Shah", "key-worker", 3)
    git(ws, "checkout", "-q", "main")
    git(ws, "merge", "-q", "--no-edit", "other-clone", when=day(4), name="Priya Shah")
    return "jo", [first]


SCENARIOS = {
    "branches-merged": scenario_branches_merged,
    "rename": scenario_rename,
    "reorder": scenario_reorder,
    "edit-and-move": scenario_edit_and_move,
    "removed-and-readded": scenario_removed_and_readded,
    "reformatted": scenario_reformatted,
    "invalid-in-the-past": scenario_invalid_in_the_past,
    "since-review": scenario_since_review,
}


def render(ws, plan_id, starts) -> str:
    story = plan_story(ws, plan_id, "team")
    out = ["## wellplan history", history_text(story), "", "## wellplan history --format json",
           history_json(story), ""]
    for start in starts:
        rev = None if start in (None, "since-review") else start
        comparison = compare_versions(ws, story, rev, None)
        out += [f"## wellplan diff (from {'the start' if start is None else start})",
                comparison.as_text(), "", "## as json", comparison.as_json(), ""]
    text = "\n".join(out)
    commits = git(ws, "rev-list", "--reverse", "HEAD").split()
    for n, commit in enumerate(commits, 1):
        text = text.replace(commit, f"<commit {n}>")
    return re.sub(r"[0-9a-f]{40}", "<unknown commit>", text)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_history_and_diff_match_golden_files(tmp_path, name):
    ws = make_workspace(tmp_path / name)
    plan_id, starts = SCENARIOS[name](ws)
    actual = render(ws, plan_id, starts)
    golden = GOLDEN / f"{name}.txt"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with WELLPLAN_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")

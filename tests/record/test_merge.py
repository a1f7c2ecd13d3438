"""Merging two versions of a plan by item id and field, in memory."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.plan.load import load_plan_text
from builder.record.merge import NotMergeable, merge_plans
from tests.history_fixtures import MINIMAL

ROOT = Path(__file__).resolve().parents[2]
POOL = """  - id: pool-pass
    what: Find out about a discounted pool pass
    owner: priya
    due: 2026-12-15
    status: not-started
    goal: swim
"""
BLOODS = """  - id: gp-bloods
    what: Ask the GP for bloods and an ECG
    owner: priya
    due: 2026-11-01
    status: not-started
"""
WALK = """  - id: walk
    what: Walk to the shops twice a week
    owner: sam
    status: in-progress
"""


def data(text: str):
    return yaml.safe_load(text)


def test_edits_to_different_fields_and_items_merge_keeping_both_and_all_comments():
    ours = MINIMAL.replace("Swim once a week", "Swim twice a week")
    theirs = MINIMAL.replace("status: not-started", "status: in-progress").replace(
        "I like walking", "I love walking")
    result = merge_plans(MINIMAL, ours, theirs)
    assert result.clean
    merged = data(result.text)
    assert merged["goals"][0]["what"] == "Swim twice a week"
    assert merged["actions"][0]["status"] == "in-progress"
    assert merged["about_me"]["in_my_own_words"].startswith("I love walking")
    # Only the three changed lines differ from the original: comments and layout are kept.
    changed = [(a, b) for a, b in zip(MINIMAL.splitlines(), result.text.splitlines(), strict=True)
               if a != b]
    assert len(changed) == 3
    assert result.text.startswith("# yaml-language-server: $schema=")
    assert '"999 000 0018"' in result.text and "key_worker: yes" in result.text


def test_items_added_on_both_sides_are_all_kept_in_a_stable_order():
    ours = MINIMAL + BLOODS
    theirs = MINIMAL + WALK
    once = merge_plans(MINIMAL, ours, theirs)
    again = merge_plans(MINIMAL, ours, theirs)
    assert once.clean and once.text == again.text
    assert [a["id"] for a in data(once.text)["actions"]] == ["pool-pass", "gp-bloods", "walk"]
    # The other way round, the other side's addition comes second: each side's order is kept.
    swapped = merge_plans(MINIMAL, theirs, ours)
    assert [a["id"] for a in data(swapped.text)["actions"]] == ["pool-pass", "walk", "gp-bloods"]


def test_reordering_on_one_side_and_an_edit_on_the_other_is_no_conflict():
    base = MINIMAL + BLOODS
    reordered = MINIMAL.replace(POOL, "") + BLOODS + POOL
    edited = base.replace("Ask the GP for bloods and an ECG", "Ask the GP for bloods")
    result = merge_plans(base, reordered, edited)
    assert result.clean
    actions = data(result.text)["actions"]
    assert [a["id"] for a in actions] == ["gp-bloods", "pool-pass"]
    assert actions[0]["what"] == "Ask the GP for bloods"
    other_way = merge_plans(base, edited, reordered)
    assert other_way.clean and data(other_way.text)["actions"] == actions


def test_removal_on_one_side_of_an_untouched_item_removes_it():
    base = MINIMAL + BLOODS
    ours = base.replace(BLOODS, "")
    theirs = base.replace("Swim once a week", "Swim at the lido")
    result = merge_plans(base, ours, theirs)
    assert result.clean
    merged = data(result.text)
    assert [a["id"] for a in merged["actions"]] == ["pool-pass"]
    assert merged["goals"][0]["what"] == "Swim at the lido"


def test_lists_of_plain_values_merge_as_sets():
    base = MINIMAL.replace("    goal: swim\n", "    goal: swim\n    visible_to: [person, team]\n")
    ours = base.replace("[person, team]", "[person, team, carer]")
    theirs = base.replace("[person, team]", "[person, team, gp]")
    result = merge_plans(base, ours, theirs)
    assert result.clean
    assert data(result.text)["actions"][0]["visible_to"] == ["person", "team", "carer", "gp"]


def test_the_same_field_changed_two_ways_is_marked_around_that_field_only():
    ours = MINIMAL.replace("Swim once a week", "Swim twice a week")
    theirs = MINIMAL.replace("Swim once a week", "Swim at the lido").replace(
        "status: not-started", "status: in-progress")
    result = merge_plans(MINIMAL, ours, theirs, ours_label="Sam Bloggs's version",
                         theirs_label="Priya Shah's version")
    assert not result.clean
    assert [c.where for c in result.conflicts] == ["goals[id=swim].what"]
    lines = result.text.splitlines()
    start = lines.index("<<<<<<< Sam Bloggs's version")
    assert lines[start:start + 5] == [
        "<<<<<<< Sam Bloggs's version",
        "    what: Swim twice a week",
        "=======",
        "    what: Swim at the lido",
        ">>>>>>> Priya Shah's version",
    ]
    assert result.conflicts[0].line == start + 1
    # The part that did not conflict is merged.
    assert "status: in-progress" in result.text
    # And check says so in plain English at that line, naming both people.
    loaded = load_plan_text(result.text, "plans/jo.yaml")
    assert loaded.data is None
    [finding] = loaded.findings
    assert finding.line == start + 1
    assert "Sam Bloggs's and Priya Shah's" in finding.message
    assert "'<<<<<<<'" in finding.hint and "wellplan check" in finding.hint


def test_removed_on_one_side_and_changed_on_the_other_is_a_conflict_around_the_item():
    base = MINIMAL + BLOODS
    ours = base.replace(BLOODS, "")
    theirs = base.replace("status: not-started\n", "status: scheduled\n").replace(
        "Ask the GP for bloods and an ECG", "Ask the GP for bloods")
    result = merge_plans(base, ours, theirs, ours_label="Sam Bloggs's version",
                         theirs_label="Priya Shah's version")
    assert [c.where for c in result.conflicts] == ["actions[id=gp-bloods]"]
    block = result.text.split("<<<<<<< Sam Bloggs's version\n", 1)[1].split(">>>>>>>", 1)[0]
    mine, theirs_block = block.split("=======\n")
    assert mine == "  # (Sam Bloggs removed this)\n"
    assert theirs_block.startswith("  - id: gp-bloods\n") and "what: Ask the GP for bloods\n" in theirs_block
    # The rest of the list is outside the markers.
    assert result.text.index("id: pool-pass") < result.text.index("<<<<<<<")


def test_keeping_either_side_of_a_conflict_gives_a_valid_plan():
    ours = MINIMAL.replace("Swim once a week", "Swim twice a week")
    theirs = MINIMAL.replace("Swim once a week", "Swim at the lido")
    text = merge_plans(MINIMAL, ours, theirs, ours_label="A's version",
                       theirs_label="B's version").text
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("<<<<<<<"))
    middle = next(i for i, line in enumerate(lines) if line.startswith("======="))
    end = next(i for i, line in enumerate(lines) if line.startswith(">>>>>>>"))
    keep_ours = "".join(lines[:start] + lines[start + 1:middle] + lines[end + 1:])
    keep_theirs = "".join(lines[:start] + lines[middle + 1:end] + lines[end + 1:])
    assert load_plan_text(keep_ours, "x").ok and load_plan_text(keep_theirs, "x").ok
    assert data(keep_ours)["goals"][0]["what"] == "Swim twice a week"


def test_the_example_plans_merge_with_themselves_unchanged():
    for path in sorted((ROOT / "plans").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert merge_plans(text, text, text).text == text, path.name


def test_crlf_and_byte_order_mark_are_kept():
    crlf = "\ufeff" + MINIMAL.replace("\n", "\r\n")
    ours = crlf.replace("Swim once a week", "Swim twice a week")
    result = merge_plans(crlf, ours, crlf.replace("not-started", "in-progress"))
    assert result.clean and result.text.startswith("\ufeff#") and "\r\n" in result.text
    assert "\n" not in result.text.replace("\r\n", "")


def test_a_version_that_is_not_yaml_cannot_be_merged_by_item():
    with pytest.raises(NotMergeable):
        merge_plans(MINIMAL, MINIMAL, "goals: [unclosed\n")


DAN = (ROOT / "plans" / "dan-okafor.yaml").read_text(encoding="utf-8")
GRACE = '''    phone: "07700 900 418"
    since: 2019-04-10
'''
NEW_MEMBER = GRACE + '''  - id: nurse-ali
    name: Ali Khan
    role: mental-health-nurse
    since: 2026-01-01
'''


def test_an_item_added_at_the_end_goes_before_the_next_sections_comment_once():
    ours = DAN.replace('    phone: "07700 900 418"\n    since: 2019-04-10\n',
                       '    phone: "07700 900 999"\n    since: 2019-04-10\n', 1)
    theirs = DAN.replace(GRACE, NEW_MEMBER, 1)
    for a, b in ((ours, theirs), (theirs, ours)):
        result = merge_plans(DAN, a, b)
        assert result.clean
        comment = "# About Dan, in his own words."
        assert result.text.count(comment) == 1
        before = result.text[: result.text.index(comment)]
        assert before.rstrip().endswith("since: 2026-01-01") and '"07700 900 999"' in before


def test_a_field_added_at_the_end_of_a_section_goes_before_the_next_sections_comment():
    last = "    the clozapine makes my mornings slow.\n"
    theirs = DAN.replace(last, last + "  gender: man\n", 1)
    ours = DAN.replace("pronouns: he/him", "pronouns: he/they")
    result = merge_plans(DAN, ours, theirs)
    assert result.clean
    comment = "# What Dan agrees to share."
    assert result.text.count(comment) == 1
    assert result.text[: result.text.index(comment)].rstrip().endswith("gender: man")
    assert "pronouns: he/they" in result.text

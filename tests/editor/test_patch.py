"""Answers written into the YAML in place: the rest of the file, comments included, is untouched."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

from builder.editor.patch import Edit, apply, key_order
from builder.editor.questions import plan_questions

TEXT = (Path(__file__).resolve().parents[2] / "plans" / "dan-okafor.yaml").read_text(encoding="utf-8")


def _changed(old: str, new: str) -> tuple[list[str], list[str]]:
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), n=0, lineterm=""))[2:]
    return ([line[1:] for line in lines if line.startswith("-")],
            [line[1:] for line in lines if line.startswith("+")])


def test_adding_an_item_keeps_the_next_parts_heading_comment_where_it_was() -> None:
    goals = plan_questions().child("goals")
    item = {"status": "active", "id": "new-goal", "what": "Swim", "area": "life", "expressed_by": "me",
            "visible_to": ["person", "team"], "target_date": date(2027, 1, 31)}
    new = apply(TEXT, Edit(("goals",), "add", item, key_order(goals)))
    removed, added = _changed(TEXT, new)
    assert removed == []
    assert added == ["  - id: new-goal", "    area: life", "    what: Swim", "    expressed_by: me",
                     "    target_date: 2027-01-31", "    status: active", "    visible_to: [person, team]"]
    # The new item goes before the blank line and the comment that heads the actions.
    at = new.index("  - id: new-goal")
    assert new.index("\n# Who will do what, by when.") > at


def test_setting_and_removing_change_only_their_own_lines() -> None:
    about = plan_questions().child("about_me")
    new = apply(TEXT, Edit(("about_me",), "set", {"a_good_day": "Two lines\nof words."}, key_order(about)))
    removed, added = _changed(TEXT, new)
    assert added == ["  a_good_day: |-", "    Two lines", "    of words."]
    assert len(removed) == 4 and removed[0] == "  a_good_day: >-"
    gone = apply(TEXT, Edit(("crisis", "early_warning_signs", "sign-phone"), "remove", {}))
    assert _changed(TEXT, gone) == (["    - id: sign-phone", "      text: I stop answering Grace's calls."],
                                    [])


def test_a_new_field_goes_where_the_schema_puts_it_and_an_unchanged_one_writes_nothing() -> None:
    person = plan_questions().child("person")
    new = apply(TEXT, Edit(("person",), "set", {"pronouns": None}, key_order(person)))
    assert _changed(TEXT, new) == (["  pronouns: he/him"], [])
    back = apply(new, Edit(("person",), "set", {"pronouns": "he/him"}, key_order(person)))
    assert back == TEXT
    assert apply(TEXT, Edit(("person",), "set", {"name": "Daniel Okafor"}, key_order(person))) is TEXT


def test_a_file_with_a_bom_and_windows_line_ends_keeps_them() -> None:
    raw = "\ufeff" + TEXT.replace("\n", "\r\n")
    order = key_order(plan_questions().child("person"))
    new = apply(raw, Edit(("person",), "set", {"pronouns": "they/them"}, order))
    assert new.startswith("\ufeff") and new.count("\r\n") == raw.count("\r\n")
    assert new.replace("they/them", "he/him") == raw

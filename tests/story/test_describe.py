"""Plain-English wording details: long texts, and roles."""

from __future__ import annotations

from builder.story.describe import quote, quote_change, role_label
from builder.story.diff import diff_plans

LONG = "I have put on nearly four stone since I started clozapine. I am always hungry, even after a meal."


def test_long_text_is_shortened_at_a_word() -> None:
    shown = quote(LONG)
    assert shown.endswith("hungry…”") and len(shown) <= 82


def test_a_change_near_the_end_of_a_long_text_is_visible() -> None:
    old, new = quote_change(LONG, LONG.replace("a meal", "a big meal"))
    assert old != new
    assert "a meal" in old and "a big meal" in new and old.startswith("“…")


def test_a_changed_long_text_reads_as_a_visible_change() -> None:
    before = {"about_me": {"in_my_own_words": LONG}}
    after = {"about_me": {"in_my_own_words": LONG.replace("a meal", "a big meal")}}
    (change,) = diff_plans(before, after)
    said = change.sentence()
    assert "after a meal.” → “…hungry, even after a big meal.”" in said


def test_roles_read_as_people_say_them() -> None:
    assert role_label("gp") == "GP" and role_label("key-worker") == "key worker"

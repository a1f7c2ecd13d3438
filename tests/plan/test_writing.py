"""Direction, script and language of plan text: the rules both the site and the printed copy follow."""

from __future__ import annotations

import pytest

from builder.plan.writing import direction, has_rtl, language_code, language_of, script


@pytest.mark.parametrize(("value", "expected"), [
    ("میں ٹھیک ہوں۔", "rtl"), ("שלום", "rtl"), ("Hello میں", "ltr"), ("«میں»", "rtl"),
    ("123 میں", "rtl"), ("আমি", "ltr"), ("我很好", "ltr"), ("123 !", None), ("", None),
])
def test_direction_follows_the_first_letter_that_has_one(value: str, expected: str | None) -> None:
    assert direction(value) == expected


def test_has_rtl_finds_a_right_to_left_letter_anywhere() -> None:
    assert has_rtl("I said: میں ٹھیک ہوں") and not has_rtl("Plain English, café, 我")


@pytest.mark.parametrize(("value", "expected"), [
    ("میں", "ARABIC"), ("আমি", "BENGALI"), ("ਮੈਂ", "GURMUKHI"), ("我", "CJK"), ("  Zażółć", "LATIN"),
    ("123", None),
])
def test_script_is_the_first_letters(value: str, expected: str | None) -> None:
    assert script(value) == expected


@pytest.mark.parametrize(("said", "code"), [
    ("Urdu", "ur"), ("urdu", "ur"), ("ur", "ur"), ("Punjabi (Gurmukhi)", "pa"), ("Bengali/Sylheti", "bn"),
    ("pa-Arab", "pa"), ("Mandarin Chinese", "zh"), ("Klingon", None), ("", None), (None, None),
    ("xx", None),
])
def test_a_language_as_people_write_it_becomes_a_code(said: object, code: str | None) -> None:
    assert language_code(said) == code


def test_the_persons_language_marks_only_text_in_its_own_script() -> None:
    assert language_of("میں ٹھیک ہوں۔", "Urdu") == "ur"
    assert language_of("I am well.", "Urdu") is None  # English words stay English
    assert language_of("ਮੈਂ ਠੀਕ ਹਾਂ", "Punjabi") == "pa"
    assert language_of("میں ٹھیک ہوں", "Punjabi") == "pa"  # Shahmukhi is Punjabi too
    assert language_of("আমি ভালো আছি", "Urdu") is None
    # A Latin-script language cannot be told from English by its letters.
    assert language_of("Rwy'n hoffi cerdded", "Welsh") is None


def test_ascii_text_is_judged_as_unicode_would_judge_it() -> None:
    # Plain ASCII takes a quick path; it must agree with the Unicode data for every character.
    import unicodedata

    for code in range(128):
        char = chr(code)
        kind = unicodedata.bidirectional(char)
        assert direction(f"1 {char}") == ("ltr" if kind == "L" else None)
        assert has_rtl(f"{char}x") is False
    assert direction("123 - 4") is None and direction("(Alex)") == "ltr"

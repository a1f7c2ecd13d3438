"""How a piece of plan text is written: its direction, its script, and the person's language as a code.

Shared by the site and the printed copy, so both lay out a person's words the same
way. Direction follows the rule of HTML's ``dir="auto"``: the first letter that has
a direction decides it.
"""

from __future__ import annotations

import re
import unicodedata

#: Languages people in the UK commonly write in: name -> (BCP 47 code, the scripts
#: its writing uses, by the first word of a letter's Unicode name). Latin-script
#: languages are listed for their code only: their letters cannot tell them from English.
LANGUAGES: dict[str, tuple[str, frozenset[str]]] = {
    name: (code, frozenset(scripts.split()))
    for name, code, scripts in (
        ("english", "en", "LATIN"), ("welsh", "cy", "LATIN"), ("cymraeg", "cy", "LATIN"),
        ("gaelic", "gd", "LATIN"), ("irish", "ga", "LATIN"), ("polish", "pl", "LATIN"),
        ("romanian", "ro", "LATIN"), ("portuguese", "pt", "LATIN"), ("spanish", "es", "LATIN"),
        ("french", "fr", "LATIN"), ("italian", "it", "LATIN"), ("german", "de", "LATIN"),
        ("lithuanian", "lt", "LATIN"), ("latvian", "lv", "LATIN"), ("turkish", "tr", "LATIN"),
        ("somali", "so", "LATIN"), ("albanian", "sq", "LATIN"), ("czech", "cs", "LATIN"),
        ("slovak", "sk", "LATIN"), ("hungarian", "hu", "LATIN"), ("vietnamese", "vi", "LATIN"),
        ("tagalog", "tl", "LATIN"), ("yoruba", "yo", "LATIN"), ("igbo", "ig", "LATIN"),
        ("swahili", "sw", "LATIN"), ("kurmanji", "kmr", "LATIN"),
        ("greek", "el", "GREEK"), ("russian", "ru", "CYRILLIC"), ("ukrainian", "uk", "CYRILLIC"),
        ("bulgarian", "bg", "CYRILLIC"),
        ("urdu", "ur", "ARABIC"), ("arabic", "ar", "ARABIC"), ("persian", "fa", "ARABIC"),
        ("farsi", "fa", "ARABIC"), ("dari", "fa", "ARABIC"), ("pashto", "ps", "ARABIC"),
        ("sorani", "ckb", "ARABIC"),
        ("bengali", "bn", "BENGALI"), ("bangla", "bn", "BENGALI"), ("sylheti", "syl", "BENGALI"),
        ("punjabi", "pa", "GURMUKHI ARABIC"), ("panjabi", "pa", "GURMUKHI ARABIC"),
        ("gujarati", "gu", "GUJARATI"), ("hindi", "hi", "DEVANAGARI"),
        ("nepali", "ne", "DEVANAGARI"), ("marathi", "mr", "DEVANAGARI"), ("tamil", "ta", "TAMIL"),
        ("chinese", "zh", "CJK"), ("mandarin", "zh", "CJK"), ("cantonese", "yue", "CJK"),
        ("hebrew", "he", "HEBREW"), ("yiddish", "yi", "HEBREW"), ("tigrinya", "ti", "ETHIOPIC"),
        ("amharic", "am", "ETHIOPIC"), ("korean", "ko", "HANGUL"), ("thai", "th", "THAI"),
    )
}
_CODES = {code: scripts for code, scripts in LANGUAGES.values()}
_WORD = re.compile(r"[a-z]+")
_CODE = re.compile(r"([a-z]{2,3})(?:-[a-z0-9]+)*")


def direction(value: str) -> str | None:
    """'rtl' or 'ltr' from the first letter that has a direction; None if none has."""
    if value.isascii():  # of ASCII, only the letters have a direction (left to right)
        return "ltr" if any(c.isalpha() for c in value) else None
    for char in value:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def has_rtl(value: str) -> bool:
    """Whether any letter in the text is written right to left."""
    if value.isascii():  # most text: checked at C speed, no letter of it is right to left
        return False
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in value)


def script(value: str) -> str | None:
    """The script of the first letter ('ARABIC', 'BENGALI', 'CJK', 'LATIN'…), or None."""
    for char in value:
        if unicodedata.category(char).startswith("L"):
            return unicodedata.name(char, "").split(" ", 1)[0] or None
    return None


def language_code(value: object) -> str | None:
    """The BCP 47 code for a language as a person wrote it ('Urdu', 'urdu', 'ur'); None if unknown."""
    said = str(value or "").strip().lower()
    match = _CODE.fullmatch(said)
    if match and match.group(1) in _CODES:
        return match.group(1)
    for word in _WORD.findall(said):
        if word in LANGUAGES:
            return LANGUAGES[word][0]
    return None


def language_of(value: str, language: object) -> str | None:
    """The person's language code for a text written in that language's own (non-Latin) script.

    A text in Bengali letters by a person whose language is Bengali is marked ``bn``;
    a text in English letters is left in the page's language, because the letters
    alone cannot say whether it is English or, say, Welsh.
    """
    code = language_code(language)
    if code is None:
        return None
    scripts = _CODES[code]
    if "LATIN" in scripts:
        return None
    return code if script(value) in scripts else None

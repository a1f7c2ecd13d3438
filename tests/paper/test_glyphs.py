"""The pass that fits plan text to the print fonts, on pandoc documents in memory."""

from __future__ import annotations

from builder.paper.blocks import T, paragraphs, table, text
from builder.paper.glyphs import fit_for_print


def fit(blocks: list, missing: set[str], language: object = None) -> list:
    asked: list[set[str]] = []

    def cannot_draw(chars: set[str]) -> set[str]:
        asked.append(chars)
        return missing & chars

    return fit_for_print(T.Pandoc(T.Meta({}), blocks), cannot_draw, language)[1]


def strings(blocks: list) -> str:
    import pandoc

    return "".join(e[0] if isinstance(e, T.Str) else " " for e in pandoc.iter(blocks)
                   if isinstance(e, (T.Str, T.Space)))


def test_plain_latin_is_left_alone_without_asking_the_fonts() -> None:
    blocks = paragraphs("Café, naïve, Zażółć.")

    def cannot_draw(chars: set[str]) -> set[str]:
        raise AssertionError("the fonts were asked about plain Latin")

    assert fit_for_print(T.Pandoc(T.Meta({}), blocks), cannot_draw)[1] == blocks


def test_emoji_the_fonts_lack_become_words_and_their_marks_go() -> None:
    missing = {"😀", "🏽", "👍", "🇬", "🇧", "\u200d", "\ufe0f"}
    [para] = fit(paragraphs("Good 😀, 👍🏽 and 🇬🇧!"), missing)
    assert strings([para]) == "Good [emoji: grinning face], [emoji: thumbs up sign] and [flag: GB]!"


def test_letters_the_fonts_lack_stay_and_a_note_follows_them() -> None:
    [para] = fit(paragraphs("Old 𐕰𐕱."), {"𐕰", "𐕱"})
    said = strings([para])
    assert said.startswith("Old 𐕰𐕱. (Note: this printed copy cannot show 2 characters just before")
    assert "they print as empty boxes" in said
    [one] = fit(paragraphs("Old 𐕰."), {"𐕰"})
    assert "cannot show 1 character just before this note, so it prints as an empty box" in strings([one])


def test_a_note_goes_inside_the_table_cell_it_is_about() -> None:
    [tbl] = fit([table(["What"], [[text("Old 𐕰")]], [1.0])], {"𐕰"})
    cell = tbl[4][0][3][0][1][0]
    assert "(Note:" in strings(cell[4])


def test_a_right_to_left_paragraph_is_set_right_to_left_in_the_persons_language() -> None:
    urdu, english = fit(paragraphs("میں ٹھیک ہوں۔\n\nI am well."), set(), "Urdu")
    [span] = urdu[0]
    assert isinstance(span, T.Span)
    assert span[0][2] == [("typst:text:dir", "rtl"), ("typst:text:lang", '"ur"')]
    assert not any(isinstance(i, T.Span) for i in english[0])


def test_bengali_in_a_bengali_speakers_plan_is_marked_bengali_but_stays_left_to_right() -> None:
    [para] = fit(paragraphs("আমি ভালো আছি।"), set(), "Bengali")
    assert para[0][0][0][2] == [("typst:text:lang", '"bn"')]

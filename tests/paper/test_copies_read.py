"""Dan Okafor's printed copies, read back as their readers read them: page one first.

Every audience's copy of the example plan, standard and large print, is made once
from a real demo workspace (a recorded year of edits) and read page by page.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from builder.demo import make as demo
from builder.paper.pdf import build_pdf, pdf_name
from builder.workspace import EXAMPLE_PLANS_DIR
from tests.paper.pdf_layout import layout_problems

PLAN_ID = "dan-okafor"
AUDIENCES = ("person", "carer", "carer:grace", "gp", "team")
COPIES = [(audience, large) for audience in AUDIENCES for large in (False, True)]
EXAMPLE = yaml.safe_load((EXAMPLE_PLANS_DIR / f"{PLAN_ID}.yaml").read_text(encoding="utf-8"))


def copy_id(copy: tuple[str, bool]) -> str:
    return f"{copy[0]}{'-large-print' if copy[1] else ''}"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = demo.make_demo(tmp_path_factory.mktemp("copies") / "demo", build=False,
                          today=demo.WRITTEN_AS_OF)
    return made.workspace


@pytest.fixture(scope="module")
def copies(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Path]:
    out = tmp_path_factory.mktemp("copies-out")
    today: date = demo.WRITTEN_AS_OF
    return {(audience, large): build_pdf(workspace, PLAN_ID, out / pdf_name(PLAN_ID, audience, large),
                                         audience, large, today=today)
            for audience, large in COPIES}


def pages(path: Path) -> list[str]:
    """Each page's text with line wrapping undone."""
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(path).pages]


# -- page one ------------------------------------------------------------------------------


@pytest.mark.parametrize("copy", COPIES, ids=copy_id)
def test_page_one_says_who_to_call_in_a_crisis_all_together(
        copy: tuple[str, bool], copies: dict[tuple[str, bool], Path]) -> None:
    read = pages(copies[copy])
    first = read[0]
    assert "call 999 now" in first
    contacts = EXAMPLE["crisis"]["contacts"]
    assert contacts, "the example plan has crisis contacts"
    for contact in contacts:
        # Every number on page one, beside its name: the contacts never split across pages.
        assert contact["phone"] in first, f"{contact['name']} is not on page 1"
        assert contact["name"] in first
    # Said once: the crisis plan's own page points back to page one instead of repeating.
    rest = " ".join(read[1:])
    assert "call 999" not in rest
    assert not any(contact["phone"] in rest for contact in contacts if contact["id"] == "contact-crisis")
    assert "Who to call, and their numbers, are on page 1." in rest


@pytest.mark.parametrize("copy", COPIES, ids=copy_id)
def test_page_one_starts_what_is_due_with_what_is_overdue(
        copy: tuple[str, bool], copies: dict[tuple[str, bool], Path]) -> None:
    first = pages(copies[copy])[0]
    assert "What is due or overdue" in first
    # The count says what the list holds, most pressing first ("1 thing is overdue and 2 are not
    # in the plan."), and the list starts with what is overdue.
    said = re.search(r"(\d+) things? (are|is) overdue[ ,.]", first)
    assert said, first
    assert "Overdue" in first[first.index("What Who When"):][:200]
    assert first.index("call 999 now") < first.index("What is due or overdue")


@pytest.mark.parametrize("audience", ["person", "carer", "carer:grace", "gp", "team"])
def test_page_one_says_when_the_next_review_is(
        audience: str, copies: dict[tuple[str, bool], Path]) -> None:
    latest = max(EXAMPLE["reviews"], key=lambda r: str(r["date"]))
    when = latest["next_review_due"]
    due = f"{when.day} {when.strftime('%B')} {when.year}"
    for large in (False, True):
        first = pages(copies[(audience, large)])[0]
        assert f"Next review due: {due}" in first or f"since {due}" in first
        assert "The next review of this plan" not in " ".join(pages(copies[(audience, large)]))


# -- laid out, not overflowing -------------------------------------------------------------


@pytest.mark.parametrize("copy", COPIES, ids=copy_id)
def test_no_text_overlaps_crosses_a_table_line_or_is_left_alone_on_a_page(
        copy: tuple[str, bool], copies: dict[tuple[str, bool], Path]) -> None:
    problems = layout_problems(copies[copy])
    assert not problems, "\n".join(problems)


def test_the_layout_check_finds_text_run_past_a_border_over_other_text_and_a_stray_page(
        tmp_path: Path) -> None:
    # A copy laid out badly on purpose, so the check above is seen to fail when it should.
    bad = tmp_path / "bad.typ"
    bad.write_text(
        '#set page(paper: "a4", footer: [#line(length: 100%) Footer])\n'
        "#table(columns: (2cm, 4cm), [Averyveryverylongwordindeed], [next cell])\n"
        "#place(top + left, dy: 3cm)[Overprinted words]\n"
        "#place(top + left, dy: 3cm, dx: 0.5mm)[Overprinted words]\n"
        "#pagebreak()\n"
        "• 25 March 2026\n", encoding="utf-8")
    import typst

    out = tmp_path / "bad.pdf"
    out.write_bytes(typst.compile(str(bad), format="pdf"))
    said = "\n".join(layout_problems(out))
    assert "runs across a table's line" in said
    assert "is printed over" in said
    assert "page 2: holds only" in said


# -- personal details follow sharing; what a reader signs, they can see ---------------------


@pytest.mark.parametrize("copy", COPIES, ids=copy_id)
def test_date_of_birth_and_nhs_number_reach_a_carer_only_when_shared(
        copy: tuple[str, bool], copies: dict[tuple[str, bool], Path]) -> None:
    # Dan's sharing for carers does not list personal_details; the GP and the team always see them.
    text = " ".join(pages(copies[copy]))
    number = EXAMPLE["person"]["nhs_number"]
    born = EXAMPLE["person"]["date_of_birth"]
    shown = copy[0] not in ("carer", "carer:grace")
    assert "personal_details" not in EXAMPLE["sharing"]["carer"]
    assert (number in text) is shown
    assert (f"{born.day} {born.strftime('%B')} {born.year}" in text) is shown
    assert ("Date of birth" in text) is shown


def signing_page(path: Path) -> str:
    [page] = [p for p in pages(path) if "Signing this plan" in p]
    return page[page.index("Signing this plan"):]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_signing_page_asks_only_those_who_may_see_all_of_it(
        audience: str, copies: dict[tuple[str, bool], Path]) -> None:
    page = signing_page(copies[(audience, False)])
    assert ("GP Dr Helen Lewis" in page) is (audience == "gp")
    assert ("Carer Grace Okafor" in page) is audience.startswith("carer")
    # Grace was at the last review, so she is told the next one's date and may write it in.
    assert "Date of the next review" in page


def test_a_carers_site_says_what_it_holds_and_when_the_next_review_is(
        workspace: Path, tmp_path: Path) -> None:
    from builder.site.build import build_site

    build_site(workspace, tmp_path / "site", audience="carer:grace", plan_ids=[PLAN_ID],
               today=demo.WRITTEN_AS_OF)
    home = re.sub(r"\s+", " ", (tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert "The site for Dan&#x27;s carer. It holds only what Dan has agreed to share." in home or \
        "The site for Dan's carer. It holds only what Dan has agreed to share." in home
    latest = max(EXAMPLE["reviews"], key=lambda r: str(r["date"]))["next_review_due"]
    said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", home))  # the date is marked up for the due model
    assert f"Next review due {latest.day} {latest.strftime('%B')} {latest.year}" in said
    assert EXAMPLE["person"]["nhs_number"] not in home


# -- plain words for the person and carer ----------------------------------------------------


@pytest.mark.parametrize("copy", COPIES, ids=copy_id)
def test_the_person_and_carer_read_plain_words_and_the_gp_and_team_the_terms(
        copy: tuple[str, bool], copies: dict[tuple[str, bool], Path]) -> None:
    text = " ".join(pages(copies[copy]))
    plain = copy[0] in ("person", "carer", "carer:grace")
    assert ("Early signs of becoming unwell, stage by stage" in text) is plain
    assert ("Relapse signature" in text) is not plain
    # The heart tracing and its reading, explained where it is read in plain words.
    assert ("Words used in this plan" in text) is plain
    assert ("QTc is one of the readings from a heart tracing" in text) is plain


def test_the_persons_crisis_page_on_the_site_uses_the_plain_words(workspace: Path, tmp_path: Path) -> None:
    from builder.site.build import build_site

    for audience, heading in (("person", "Early signs of becoming unwell, stage by stage"),
                              ("gp", "Relapse signature")):
        build_site(workspace, tmp_path / audience, audience=audience, plan_ids=[PLAN_ID],
                   today=demo.WRITTEN_AS_OF)
        page = (tmp_path / audience / "crisis.html").read_text(encoding="utf-8")
        assert heading in page

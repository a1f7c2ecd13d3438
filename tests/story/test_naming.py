"""Every line of an account names its item, one person in two lists reads as one person in two
roles, and someone outside the care team is placed: read from Dan Okafor's demo history."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.commands.cli import main
from builder.commands.history import history_text
from builder.demo import make as demo
from builder.story.compare import compare_versions
from builder.story.describe import who_in
from builder.story.timeline import plan_story
from tests.history_fixtures import MINIMAL, day, make_workspace, write_plan

PLAN = "dan-okafor"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.make_demo(tmp_path_factory.mktemp("naming") / "demo", build=False,
                          today=demo.WRITTEN_AS_OF).workspace


@pytest.fixture(scope="module")
def histories(workspace: Path) -> dict[str, str]:
    return {a: history_text(plan_story(workspace, PLAN, a))
            for a in ("person", "carer:grace", "gp", "team")}


@pytest.mark.parametrize("audience", ["person", "carer:grace", "gp", "team"])
def test_no_line_is_a_bare_field_or_a_whole_part(audience: str, histories: dict[str, str]) -> None:
    lines = [line.strip() for line in histories[audience].splitlines() if line.startswith("    - ")]
    assert lines
    for line in lines:
        assert not line.startswith("- Written on"), line
        assert not line.startswith("- Wellbeing areas —"), line
    assert "- Advance statement: written on — Added this" in histories[audience]


def test_a_part_shared_for_one_item_names_the_item(histories: dict[str, str]) -> None:
    # The GP sees one of Dan's physical health concerns, so 'wellbeing' appeared whole for them.
    assert "- Needs and concerns: “Clozapine has affected my sex life." in histories["gp"]


def test_one_person_in_two_lists_reads_as_one_person_in_two_roles(histories: dict[str, str]) -> None:
    grace = histories["carer:grace"]
    assert "- Who to contact, day and night: Grace Okafor, sister (also in the care team: carer) — " \
           "Added this." in grace
    assert "- Carers: Grace Okafor — Added this." in grace


def test_someone_outside_the_care_team_is_placed(workspace: Path) -> None:
    story = plan_story(workspace, PLAN, "person")
    said = compare_versions(workspace, story, None, None).as_text()
    assert "Jo Whitfield (pharmacist, not in Dan's care team list)" in said
    assert "Dr Helen Lewis (GP)" in said and "Dr Helen Lewis (GP, not" not in said


def test_who_in_says_nothing_it_cannot_know() -> None:
    plan = {"person": {"name": "Alex Morgan", "preferred_name": "Al"},
            "care_team": [{"id": "sam", "name": "Sam  Lee", "role": "carer"}]}
    assert who_in("sam lee", "carer", plan) == "sam lee (carer)"  # spacing and case aside
    assert who_in("Jo Reed", "pharmacist", plan) == "Jo Reed (pharmacist, not in Al's care team list)"
    assert who_in("Alex Morgan", "person", plan) == "Alex Morgan (person)"
    assert who_in("Jo Reed", "pharmacist", {"person": {"name": "A"}}) == "Jo Reed (pharmacist)"


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo-bloggs", MINIMAL)
    from builder.record.record import record_edit

    record_edit(root, "jo-bloggs", name="Priya Shah", role="key-worker", when=day(3))
    monkeypatch.chdir(root)
    return root


def test_record_warns_and_records_when_the_name_is_not_in_the_care_team(
        small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = small / "plans" / "jo-bloggs.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "I like walking my dog", "I like walking my old dog"), encoding="utf-8")
    code = main(["record", "jo-bloggs", "--as", "Jo Reed", "--role", "pharmacist"])
    out = capsys.readouterr()
    assert code == 0 and out.out.startswith("Recorded plans/jo-bloggs.yaml")
    assert "Note: Jo Reed is not in the care team list of plans/jo-bloggs.yaml" in out.err
    assert "  - id: jo-reed\n    name: Jo Reed\n    role: pharmacist" in out.err
    plan.write_text(plan.read_text(encoding="utf-8").replace("old dog", "old dog Biscuit"),
                    encoding="utf-8")
    assert main(["record", "jo-bloggs", "--as", "Sam Bloggs", "--role", "carer"]) == 0
    assert "Note:" not in capsys.readouterr().err


def test_a_change_names_a_field_in_the_readers_words_not_its_title_in_quotes(
        histories: dict[str, str]) -> None:
    text = histories["person"]
    assert "Changed the status for “Pulse, lying and standing” from requested to done" in text
    assert "added the date it was done for “Pulse, lying and standing”" in text
    assert "Added the checks this medicine needs:" in text
    for title in ("Status", "Done on", "Result", "Checks this medicine needs", "Their answer"):
        assert f"“{title}”" not in text


def test_field_words_follow_the_glossary_then_plain_rules() -> None:
    from builder.story.describe import field_words, node_of

    date = node_of({"type": "string", "format": "date"})
    text = node_of({"type": "string"})
    yes_no = node_of({"type": "boolean"})
    assert field_words("Done on", date) == "the date it was done"
    assert field_words("By when", date) == "the date it should be done by"  # from the glossary
    assert field_words("Next due", date) == "the next due date"
    assert field_words("Status", text) == "the status"
    assert field_words("What it found", text) == "what it found"
    assert field_words("Prescribed by", text) == "who it was prescribed by"
    assert field_words("Offered", yes_no) == "whether it was offered"
    assert field_words("Large print", yes_no) == "whether large print is needed"
    # A statement used as a title, or one starting with a preposition, stays as written.
    assert field_words("We worked on my plan together", text) == "“We worked on my plan together”"
    assert field_words("In my own words", text) == "“In my own words”"

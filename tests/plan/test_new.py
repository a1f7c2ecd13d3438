"""`wellplan new`: a commented template that validates once its blanks are filled."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from builder.errors import WorkspaceError
from builder.plan.load import load_plan_text
from builder.plan.new import TEMPLATE, new_plan, template_text, with_schema_link
from builder.plan.validate import check_plan

TODAY = date(2026, 11, 26)
#: Values for blanks whose text must mean something; any other blank gets plain words.
FILLS = {"member": "key-worker", "nhs_number": "943 476 5919"}
_BLANK = re.compile(r'^(\s*(?:- )?([a-z_]+): )""', re.MULTILINE)
_EXAMPLE_LINE = re.compile(r"^(\s*)# ((?:\s*)(?:[a-z_]+:|- ).*)$")


def fill_blanks(text: str) -> str:
    """Write something in every "" of the template, as a person would."""
    return _BLANK.sub(lambda m: m.group(1) + FILLS.get(m.group(2), '"Written together"'), text)


def uncomment_examples(text: str) -> str:
    """Turn on every optional example in the template (everything after schema_version)."""
    head, body = text.split("schema_version: 2\n", 1)
    lines = []
    for line in body.splitlines():
        match = _EXAMPLE_LINE.match(line)
        lines.append(match.group(1) + match.group(2) if match else line)
    return head + "schema_version: 2\n" + "\n".join(lines) + "\n"


def errors_in(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "plans" / "check-me.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _, findings = check_plan(path, today=TODAY)
    return [f.as_text() for f in findings]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    return tmp_path


def test_filled_template_is_a_valid_plan_with_nothing_to_warn_about(tmp_path):
    assert errors_in(tmp_path, fill_blanks(template_text("alex-morgan"))) == []


def test_filled_template_with_every_optional_part_turned_on_is_valid(tmp_path):
    text = fill_blanks(uncomment_examples(template_text("alex-morgan")))
    data = load_plan_text(text, "x").data
    # Every optional part really was turned on, so this test checks them all.
    for part in ("sharing", "goals", "actions", "health_checks", "medications", "requests", "carers"):
        assert part in data, part
    assert data["person"]["nhs_number"] and len(data["care_team"]) == 2
    assert errors_in(tmp_path, text) == []


def test_unfilled_template_points_at_every_blank(tmp_path):
    text = template_text("alex-morgan")
    blank_lines = [
        n for n, line in enumerate(text.splitlines(), 1) if '""' in line and not line.lstrip().startswith("#")
    ]
    findings = errors_in(tmp_path, text)
    assert len(blank_lines) >= 8
    assert sorted({int(f.split(":")[1]) for f in findings}) == blank_lines


def test_template_starts_with_the_schema_modeline_and_names_the_plan_id():
    text = template_text("alex-morgan")
    assert text.startswith("# yaml-language-server: $schema=../schema/wellbeing-plan.schema.json\n")
    assert "wellplan record alex-morgan --as" in text
    assert "<plan-id>" not in text
    assert "<plan-id>" in TEMPLATE.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["Alex Morgan", 'Alex "Al" Morgan: Jr', "Siân O'Neill #1"])
def test_name_is_filled_in_exactly_as_given(name):
    data = load_plan_text(template_text("alex-morgan", name), "x").data
    assert data["person"]["name"] == name
    # Only the person's name: the key worker's name is still for the team to fill in.
    assert data["care_team"][0]["name"] == ""


def test_new_plan_creates_the_file(workspace):
    path = new_plan(workspace, "alex-morgan", "Alex Morgan")
    # A new workspace keeps each plan in folders named by its id's first characters.
    assert path == workspace / "plans" / "al" / "ex" / "alex-morgan.yaml"
    # Its first line reaches the workspace's schema from there, for editors.
    assert path.read_text(encoding="utf-8") == with_schema_link(template_text("alex-morgan", "Alex Morgan"),
                                                                "plans/al/ex/alex-morgan.yaml")
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../../schema/")


def test_new_plan_never_overwrites(workspace):
    path = workspace / "plans" / "alex-morgan.yaml"
    path.write_text("person: precious\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="already exists"):
        new_plan(workspace, "alex-morgan")
    assert path.read_text(encoding="utf-8") == "person: precious\n"


def test_new_plan_refuses_an_existing_yml_file_with_the_same_id(workspace):
    (workspace / "plans" / "alex-morgan.yml").write_text("person: precious\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="already exists"):
        new_plan(workspace, "alex-morgan")
    assert not (workspace / "plans" / "alex-morgan.yaml").exists()


@pytest.mark.parametrize("bad", ["../escape", "Alex", "alex morgan", "-alex", ""])
def test_new_plan_refuses_a_bad_id(workspace, bad):
    with pytest.raises(WorkspaceError, match="not a plan id"):
        new_plan(workspace, bad)
    assert list((workspace / "plans").iterdir()) == []


def test_cli_new_says_where_the_file_is_and_what_to_do_next(workspace, wellplan):
    result = wellplan("new", "alex-morgan", "--name", "Alex Morgan", cwd=workspace)
    assert result.returncode == 0, result.stderr
    assert (workspace / "plans" / "al" / "ex" / "alex-morgan.yaml").exists()
    assert "Created plans/al/ex/alex-morgan.yaml" in result.stdout
    assert "wellplan check plans/al/ex/alex-morgan.yaml" in result.stdout
    assert 'wellplan record alex-morgan --as "Your Name" --role' in result.stdout


def test_cli_new_refuses_an_existing_plan_in_one_plain_line(workspace, wellplan):
    (workspace / "plans" / "alex-morgan.yaml").write_text("person: precious\n", encoding="utf-8")
    result = wellplan("new", "alex-morgan", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert (workspace / "plans" / "alex-morgan.yaml").read_text() == "person: precious\n"


def test_cli_new_outside_a_workspace_says_so(tmp_path, wellplan):
    result = wellplan("new", "alex-morgan", cwd=tmp_path)
    assert result.returncode == 1
    assert "No workspace found" in result.stderr
    assert not (tmp_path / "plans").exists()

"""`wellplan check`: the invalid-plan corpus through the real CLI, exit codes, formats."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from builder.plan.schema import plan_schema
from tests.conftest import CORPUS, ROOT, run_wellplan

TODAY = "2026-11-26"
INVALID = sorted((CORPUS / "invalid").glob("*.yaml"))
VALID = sorted((CORPUS / "valid").glob("*.yaml"))


def _expectation(path: Path) -> tuple[int, int, str]:
    raw = path.read_bytes()
    if raw.startswith(b"# expect: "):
        spec = raw.split(b"\n", 1)[0].decode().removeprefix("# expect: ")
    else:
        table = (CORPUS / "invalid" / "expectations.txt").read_text().splitlines()
        spec = next(line.split(" ", 1)[1] for line in table if line.startswith(path.name + " "))
    where, message = spec.split(" ", 1)
    line, column = (int(n) for n in where.split(":"))
    return line, column, message


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_invalid_plan_reports_its_one_problem_where_it_is(path: Path) -> None:
    line, column, message = _expectation(path)
    result = run_wellplan("check", str(path), "--format", "json", "--today", TODAY)
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert len(errors) == 1, errors
    (problem,) = errors
    assert (problem["line"], problem["column"]) == (line, column), problem
    assert message in problem["message"]
    assert problem["hint"], "every problem says how to fix it"
    assert problem["file"].endswith(path.name)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_plans_pass(path: Path) -> None:
    result = run_wellplan("check", str(path), "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems found" in result.stdout


def test_text_format_is_file_line_column_path_message_hint() -> None:
    path = CORPUS / "invalid" / "date-not-iso.yaml"
    result = run_wellplan("check", str(path), "--today", TODAY)
    first = result.stdout.splitlines()[0]
    assert first == (
        f'{path.relative_to(ROOT)}:32:18: goals[id=swim].target_date: "31/02/2026" is not a date. '
        "Write dates as YYYY-MM-DD, e.g. 2026-02-28."
    )


def test_reports_every_problem_in_every_plan_not_just_the_first(tmp_path: Path) -> None:
    text = (CORPUS / "valid" / "minimal.yaml").read_text()
    broken = (
        text.replace("target_date: 2026-12-31", "target_date: 31/12/2026")
        .replace("owner: priya", "owner: nobody")
        .replace("goals:", "goals:", 1)
        .replace('nhs_number: "999 000 0018"', 'nhs_number: "999 000 0019"')
    )
    (tmp_path / "one.yaml").write_text(broken)
    (tmp_path / "two.yaml").write_text(text.replace("status: active", "status: done"))
    result = run_wellplan("check", str(tmp_path), "--format", "json", "--today", TODAY)
    report = json.loads(result.stdout)
    assert report["files"] == 2
    messages = [(Path(p["file"]).name, p["path"]) for p in report["problems"]]
    assert ("one.yaml", "goals[id=swim].target_date") in messages
    assert ("one.yaml", "actions[id=pool-pass].owner") in messages
    assert ("one.yaml", "person.nhs_number") in messages
    assert ("two.yaml", "goals[id=swim].status") in messages
    assert result.returncode == 1


def test_warnings_do_not_fail_the_check(tmp_path: Path) -> None:
    text = (CORPUS / "valid" / "minimal.yaml").read_text() + (
        "health_checks:\n  - id: bp\n    kind: blood_pressure\n    next_due: 2026-01-10\n"
        "reviews:\n  - id: spring\n    date: 2025-03-01\n    attended: [me, priya]\n"
        "    next_review_due: 2026-06-01\n"
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    result = run_wellplan("check", str(plan), "--format", "json", "--today", TODAY)
    assert result.returncode == 0, result.stdout
    problems = json.loads(result.stdout)["problems"]
    assert {p["severity"] for p in problems} == {"warning"}
    said = " ".join(p["message"] for p in problems)
    assert "overdue" in said and "more than 12 months" in said
    assert {p["path"] for p in problems} >= {
        "health_checks[id=bp].next_due",
        "reviews[id=spring].next_review_due",
    }


def test_usage_errors_exit_2() -> None:
    missing = run_wellplan("check", "no/such/plan.yaml")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    bad_option = run_wellplan("check", "--format", "xml")
    assert bad_option.returncode == 2
    assert "Traceback" not in bad_option.stderr + missing.stderr


def test_default_checks_every_plan_in_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    shutil.copy(CORPUS / "valid" / "minimal.yaml", tmp_path / "plans" / "jo.yaml")
    shutil.copy(CORPUS / "invalid" / "enum-typo.yaml", tmp_path / "plans" / "kim.yaml")
    result = run_wellplan("check", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 1
    assert "plans/kim.yaml:33:13:" in result.stdout
    assert "Checked 2 plans: 1 error." in result.stdout


def test_a_link_in_plans_is_refused_not_followed(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    secret = tmp_path / "outside.yaml"
    secret.write_text("secret: this is outside the workspace\n")
    (tmp_path / "plans" / "sneaky.yaml").symlink_to(secret)
    result = run_wellplan("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert "link" in problem["message"] and "secret" not in result.stdout


def test_check_starts_without_the_site_or_pdf_machinery() -> None:
    code = (
        "import sys; from builder.commands.cli import main; "
        f"main(['check', {str(CORPUS / 'valid' / 'minimal.yaml')!r}, '--today', '{TODAY}']); "
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'mkdocs', 'material', 'pandoc', 'pypandoc', 'typst', 'git', 'jsonschema', 'jinja2'}); "
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_the_schema_is_a_valid_draft_07_schema() -> None:
    schema = plan_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


def test_physical_and_mental_health_have_the_same_shape() -> None:
    areas = plan_schema()["properties"]["wellbeing"]["properties"]
    refs = {name: area["$ref"] for name, area in areas.items()}
    assert refs["physical_health"] == refs["mental_health"] == refs["life"]
    assert set(plan_schema()["properties"]["wellbeing"]["required"]) == set(refs)


def test_every_property_has_a_plain_english_title_and_description() -> None:
    from builder.plan.schema import resolve

    missing = []

    def walk(node: dict, where: str) -> None:
        node = resolve(node)
        for name, child in node.get("properties", {}).items():
            if not {"title", "description"} <= set(resolve(child)):
                missing.append(f"{where}.{name}")
            walk(child, f"{where}.{name}")
        if "items" in node:
            walk(node["items"], f"{where}[]")

    walk(plan_schema(), "plan")
    assert not missing


def test_pre_commit_hook_runs_check() -> None:
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "wellplan check" and hook["id"] == "wellplan-check"


def test_many_plans_are_checked_on_both_cores_with_the_same_findings_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builder.plan import validate

    plans = tmp_path / "plans"
    plans.mkdir()
    sources = [CORPUS / "valid" / "minimal.yaml", *INVALID[:9]]
    for i in range(80):
        shutil.copy(sources[i % len(sources)], plans / f"p{i:03}.yaml")
    files = sorted(plans.glob("*.yaml"))
    monkeypatch.setattr(validate, "PARALLEL_FROM", 10**9)
    one_core = validate.check_paths(files, tmp_path)
    monkeypatch.setattr(validate, "PARALLEL_FROM", 2)
    both_cores = validate.check_paths(files, tmp_path)
    assert both_cores == one_core
    assert one_core[1] == 80 and len(one_core[0]) >= 70

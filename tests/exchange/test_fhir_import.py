"""Results sent by a GP system as FHIR Observations come into the plan as one recorded change."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from builder.exchange.fhir_export import export_plan
from builder.record.record import record_edit
from tests.conftest import ROOT, run_wellplan
from tests.history_fixtures import git, make_workspace

TODAY = "2026-11-30"
NHS = "9991002340"  # Dan's
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def _obs(code: str, display: str, when: str, *, value: float | None = None, unit: str | None = None,
         nhs: str = NHS, status: str = "final", **extra: object) -> dict:
    """An Observation as a GP system writes one: LOINC code, UCUM unit, the patient by NHS number."""
    obs: dict = {
        "resourceType": "Observation", "status": status,
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
        "subject": {"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs}},
        "effectiveDateTime": f"{when}T09:30:00+00:00",
    }
    if value is not None:
        obs["valueQuantity"] = {"value": value, "unit": unit, "system": UCUM, "code": unit}
    obs.update(extra)
    return obs


def _bundle(*observations: dict) -> str:
    return json.dumps({"resourceType": "Bundle", "type": "collection",
                       "entry": [{"resource": o} for o in observations]})


@pytest.fixture
def dan(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    shutil.copy(ROOT / "plans" / "dan-okafor.yaml", root / "plans")
    record_edit(root, "dan-okafor", name="Priya Sharma", role="care-coordinator")
    return root


def _import(root: Path, text: str, name: str = "gp.json"):
    sent = root.parent / name  # as a file saved from an email would be: outside the workspace
    sent.write_text(text, encoding="utf-8")
    return run_wellplan("import-results", "dan-okafor", str(sent), "--as", "Wendy Clarke",
                        "--role", "practice-nurse", "--today", TODAY, cwd=root)


def _checks(root: Path) -> dict[str, dict]:
    plan = yaml.safe_load((root / "plans" / "dan-okafor.yaml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in plan["health_checks"]}


def test_results_in_several_codes_and_units_are_added_and_one_unmatched_is_named(dan: Path) -> None:
    before = git(dan, "rev-parse", "HEAD").strip()
    done = _import(dan, _bundle(
        _obs("59261-8", "HbA1c (IFCC)", "2026-11-20", value=44, unit="mmol/mol"),
        _obs("2093-3", "Cholesterol", "2026-11-20", value=243.6, unit="mg/dL"),  # 6.3 mmol/L
        _obs("29463-7", "Body weight", "2026-11-21", value=105.2, unit="kg"),
        _obs("85354-9", "Blood pressure", "2026-11-21", component=[
            {"code": {"coding": [{"system": LOINC, "code": "8480-6"}]},
             "valueQuantity": {"value": 128, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}},
            {"code": {"coding": [{"system": LOINC, "code": "8462-4"}]},
             "valueQuantity": {"value": 82, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}},
        ]),
        _obs("1989-3", "Vitamin D", "2026-11-20", value=41, unit="nmol/L"),
    ))
    assert done.returncode == 0, done.stderr
    assert "Added 4 results:" in done.stdout
    assert "Total cholesterol 6.3 mmol/L on 20 November 2026" in done.stdout
    assert "Vitamin D (1989-3): this plan has no health check that takes this code." in done.stdout
    checks = _checks(dan)
    assert checks["hba1c"]["results"][-1] == {"id": "hba1c-2026-11-20", "date": date(2026, 11, 20),
                                              "value": 44}
    assert checks["cholesterol"]["results"][-1]["value"] == 6.3
    assert checks["weight"]["results"][-1]["value"] == 105.2
    assert {k: checks["blood-pressure"]["results"][-1][k] for k in ("systolic", "diastolic")} == \
        {"systolic": 128, "diastolic": 82}
    # One recorded change, by the person who brought the results in.
    assert git(dan, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    author = git(dan, "log", "-1", "--format=%an|%(trailers:key=Plan-Role,valueonly)").strip()
    assert author == "Wendy Clarke|practice-nurse"
    assert git(dan, "status", "--porcelain") == ""
    # ...which the account of change then tells like any typed result.
    history = run_wellplan("history", "dan-okafor", "--format", "json", cwd=dan)
    newest = json.loads(history.stdout)["revisions"][0]
    assert newest["author"] == "Wendy Clarke"
    assert {c["path"] for c in newest["changes"]} >= {
        "health_checks[id=hba1c].results[id=hba1c-2026-11-20]",
        "health_checks[id=cholesterol].results[id=cholesterol-2026-11-20]"}


def test_comments_and_layout_of_the_plan_are_kept(dan: Path) -> None:
    path = dan / "plans" / "dan-okafor.yaml"
    before = path.read_text(encoding="utf-8")
    assert _import(dan, _bundle(_obs("11524-6", "ECG", "2026-11-25",
                                     valueString="Normal. QTc 431 ms."))).returncode == 0
    after = path.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["      - id: ecg-2026-11-25", "        date: 2026-11-25",
                     "        reading: Normal. QTc 431 ms."], added
    lines = after.splitlines()
    medicines = next(i for i, line in enumerate(lines) if line.startswith("medications:"))
    assert lines[medicines - 2].startswith("# Medicines."), "the comment before medications stays with it"
    assert lines[medicines - 3].strip() == "", "and keeps its blank line"


@pytest.mark.parametrize(("text", "says"), [
    ("this is not json", "is not JSON (line 1, column 1"),
    (json.dumps({"resourceType": "Patient"}), "is a FHIR Patient"),
    (json.dumps({"hello": "world"}), "is not FHIR (it has no resourceType)"),
    (_bundle(_obs("59261-8", "HbA1c", "2026-11-20", value=44, unit="mmol/mol"),
             _obs("59261-8", "HbA1c", "2026-11-20", value=52, unit="mmol/mol", nhs="9434765919")),
     "is for another person (NHS number 943 476 5919, not 999 100 2340). Nothing was added."),
    (_bundle(_obs("14647-2", "Cholesterol", "2026-11-20", value=2.4, unit="g/L")),
     "is in 'g/L', which cannot be turned into this plan's unit ('mmol/L'). Nothing was added"),
    (_bundle({**_obs("59261-8", "HbA1c", "2026-11-20", value=44, unit="mmol/mol"), "subject": None}),
     "does not say whose it is (no NHS number). Nothing was added"),
    (_bundle({**_obs("59261-8", "HbA1c", "2026-11-20", value=44, unit="mmol/mol"),
              "effectiveDateTime": "last Tuesday"}),
     "is not valid FHIR R4 at 'effectiveDateTime'"),
])
def test_bad_input_gets_a_plain_message_and_changes_nothing(dan: Path, text: str, says: str) -> None:
    plan = (dan / "plans" / "dan-okafor.yaml").read_bytes()
    head = git(dan, "rev-parse", "HEAD")
    done = _import(dan, text)
    assert done.returncode != 0
    assert says in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert (dan / "plans" / "dan-okafor.yaml").read_bytes() == plan
    assert git(dan, "rev-parse", "HEAD") == head


def test_unrecorded_changes_are_not_swept_into_the_import(dan: Path) -> None:
    path = dan / "plans" / "dan-okafor.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("I'm Dan.", "I'm Danny."), encoding="utf-8")
    done = _import(dan, _bundle(_obs("59261-8", "HbA1c", "2026-11-20", value=44, unit="mmol/mol")))
    assert done.returncode != 0 and "has changes that are not recorded yet" in done.stderr
    assert "I'm Danny." in path.read_text(encoding="utf-8")


def test_a_result_already_there_or_not_final_is_left_out_and_said(dan: Path) -> None:
    done = _import(dan, _bundle(
        _obs("59261-8", "HbA1c", "2026-06-19", value=44, unit="mmol/mol"),
        _obs("59261-8", "HbA1c", "2026-11-20", value=47, unit="mmol/mol", status="preliminary"),
    ))
    assert "HbA1c on 19 June 2026: already in the plan." in done.stdout
    assert "HbA1c: its status is 'preliminary', not final, so it was not added." in done.stdout
    assert "No results were added." in done.stdout
    assert done.returncode == 1


@pytest.mark.parametrize("plan_id", sorted(p.stem for p in (ROOT / "plans").glob("*.yaml")))
def test_round_trip_export_then_import_gives_back_the_same_results(tmp_path: Path, plan_id: str) -> None:
    sender = make_workspace(tmp_path / "sender")
    shutil.copy(ROOT / "plans" / f"{plan_id}.yaml", sender / "plans")
    record_edit(sender, plan_id, name="Priya Sharma", role="care-coordinator")
    bundle = json.loads(export_plan(sender, plan_id, "team"))
    keep = {"Observation", "Patient"}
    sent = tmp_path / "results.json"
    sent.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [e for e in bundle["entry"]
                                          if e["resource"]["resourceType"] in keep]}), encoding="utf-8")
    # A copy of the plan that never had the results: they arrive for the first time.
    root = make_workspace(tmp_path / "ws")
    path = root / "plans" / f"{plan_id}.yaml"
    original_text = (ROOT / "plans" / f"{plan_id}.yaml").read_text(encoding="utf-8")
    path.write_text(_without_results(original_text), encoding="utf-8")
    record_edit(root, plan_id, name="Priya Sharma", role="care-coordinator")
    done = run_wellplan("import-results", plan_id, str(sent), "--as", "Wendy Clarke",
                        "--role", "practice-nurse", "--today", TODAY, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    original = yaml.safe_load(original_text)
    back = yaml.safe_load(path.read_text(encoding="utf-8"))
    coded = {"weight", "bmi", "waist", "blood_pressure", "pulse", "hba1c", "glucose", "cholesterol",
             "lithium_level", "kidney_function", "thyroid_function", "smoking", "ecg", "full_blood_count"}
    compared = 0
    for old, new in zip(original["health_checks"], back["health_checks"], strict=True):
        if old["kind"] in coded:
            assert new.get("results", []) == old.get("results", []), old["id"]
            compared += len(old.get("results", []))
    assert compared > 5, "the example has results to bring back"


def _without_results(text: str) -> str:
    """The plan's text with every health check's results removed (and nothing else)."""
    from ruamel.yaml import YAML

    loader = YAML()
    loader.width = 4096
    loader.indent(mapping=2, sequence=4, offset=2)
    data = loader.load(text)
    for check in data["health_checks"]:
        check.pop("results", None)
        for offer in check.get("offers") or []:
            offer.pop("result", None)  # the result it was about is gone for now
    out = io.StringIO()
    loader.dump(data, out)
    return out.getvalue()

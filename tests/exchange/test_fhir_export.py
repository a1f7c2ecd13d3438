"""A plan leaves as a FHIR R4 Bundle: every example plan, every audience, each resource valid R4."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from builder.exchange.fhir_export import export_plan
from builder.record.record import record_edit
from tests.conftest import ROOT, run_wellplan
from tests.history_fixtures import make_workspace
from tests.test_privacy_canaries import CANARIES, GONE, workspace  # noqa: F401 - workspace is a fixture

AUDIENCES = ("person", "carer", "gp", "team")
EXAMPLES = sorted(p.stem for p in (ROOT / "plans").glob("*.yaml"))


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plans in a workspace of their own, each recorded once."""
    root = make_workspace(tmp_path_factory.mktemp("fhir") / "ws")
    for plan_id in EXAMPLES:
        shutil.copy(ROOT / "plans" / f"{plan_id}.yaml", root / "plans")
        record_edit(root, plan_id, name="Priya Sharma", role="care-coordinator")
    return root


def _references(node: object) -> list[str]:
    """Every reference in a bundle's resources."""
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for v in node.values() for r in _references(v)]
    if isinstance(node, list):
        return [r for v in node for r in _references(v)]
    return []


def _resources(text: str) -> dict[str, list[dict]]:
    bundle = Bundle.model_validate_json(text)
    assert bundle.type == "collection"
    out: dict[str, list[dict]] = {}
    for entry in json.loads(text)["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)  # each valid on its own
        assert entry["fullUrl"].startswith("urn:uuid:")
        out.setdefault(resource["resourceType"], []).append(resource)
    return out


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("plan_id", EXAMPLES)
def test_every_example_exports_for_every_audience_as_valid_r4(examples: Path, plan_id: str,
                                                              audience: str) -> None:
    text = export_plan(examples, plan_id, audience)
    resources = _resources(text)
    # The wellbeing plan, and the crisis plan as a part of it where the audience may see one.
    [plan] = [p for p in resources["CarePlan"] if "partOf" not in p]
    assert len(resources["Patient"]) == 1 and len(resources["CarePlan"]) <= 2
    assert resources["Provenance"], "each recorded version has its provenance"
    assert plan["status"] == "active" and plan["intent"] == "plan"
    urls = {e["resource"]["resourceType"] + "/" + e["resource"]["id"]: e["fullUrl"]
            for e in json.loads(text)["entry"]}
    assert plan["subject"]["reference"] == urls["Patient/Patient-me"]
    known = set(urls.values())
    for ref in _references(json.loads(text)):
        assert ref in known, f"{ref} points at nothing in the bundle"
    assert export_plan(examples, plan_id, audience) == text, "the same plan exports the same bytes"


def test_the_person_is_named_by_nhs_number_and_results_carry_loinc_ucum_and_range(examples: Path) -> None:
    resources = _resources(export_plan(examples, "dan-okafor", "gp"))
    [patient] = resources["Patient"]
    assert patient["identifier"] == [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9991002340"}]
    assert patient["birthDate"] == "1985-03-14"
    by_code = {}
    for obs in resources["Observation"]:
        for coding in obs["code"].get("coding", []):
            by_code.setdefault(coding["code"], []).append(obs)
    weight = by_code["29463-7"][0]
    assert weight["valueQuantity"] | {} == {"value": 108.4, "unit": "kg",
                                           "system": "http://unitsofmeasure.org", "code": "kg"}
    hba1c = {o["effectiveDateTime"]: o for o in by_code["59261-8"]}
    high = hba1c["2026-01-14"]
    assert high["valueQuantity"]["code"] == "mmol/mol" and high["valueQuantity"]["value"] == 45
    assert high["referenceRange"][0]["high"]["value"] == 41
    assert high["interpretation"][0]["coding"][0]["code"] == "H", "above the agreed aim is flagged"
    bp = by_code["85354-9"][0]
    parts = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in bp["component"]}
    assert parts["8480-6"]["value"] == 138 and parts["8462-4"]["value"] == 88
    assert parts["8480-6"]["code"] == "mm[Hg]"
    assert by_code["72166-2"][0]["valueString"] == "About 25 roll-ups a day."


def test_care_plan_team_goals_medicines_requests_and_provenance(examples: Path) -> None:
    resources = _resources(export_plan(examples, "dan-okafor", "team"))
    [plan] = [p for p in resources["CarePlan"] if "partOf" not in p]
    assert plan["author"]["display"] == "Priya Sharma", "the key worker writes the plan"
    assert {c["display"] for c in plan["contributor"]} == {"Priya Sharma"}
    assert len(plan["goal"]) == len(resources["Goal"])
    [team] = resources["CareTeam"]
    roles = {p["member"]["display"]: p["role"][0]["text"] for p in team["participant"]}
    assert roles["Dr Helen Lewis"] == "GP" and roles["Grace Okafor"] == "Carer"
    assert any(r["resourceType"] == "RelatedPerson" for r in resources["RelatedPerson"])
    goal = next(g for g in resources["Goal"] if g["description"]["text"] == "Get back into my 36-inch jeans.")
    assert goal["lifecycleStatus"] == "active" and goal["expressedBy"]["display"] == "Daniel Okafor"
    med = next(m for m in resources["MedicationStatement"]
               if m["medicationCodeableConcept"]["text"].lower().startswith("clozapine"))
    assert med["status"] == "active" and med["dosage"][0]["text"]
    ecg = next(s for s in resources["ServiceRequest"] if s["code"]["text"].startswith("Yearly ECG"))
    assert ecg["status"] == "active" and ecg["requester"]["display"] == "Dr Omar Hassan"
    assert ecg["performer"][0]["display"] == "Dr Helen Lewis"
    [prov] = resources["Provenance"]
    assert prov["agent"][0]["who"]["display"] == "Priya Sharma"
    assert prov["agent"][0]["type"]["text"] == "Care coordinator"


def test_nothing_an_audience_may_not_see_reaches_its_bundle(workspace: Path) -> None:  # noqa: F811
    carried = {"CANARY-ABOUT", "CANARY-WEIGHT", "CANARY-SEXUAL", "CANARY-PRIVATEGOAL", "CANARY-GOAL",
               "CANARY-TABLETS", "CANARY-INHALER", "CANARY-REQUEST", "CANARY-CLINIC", "CANARY-RESULT"}
    for audience in AUDIENCES:
        text = export_plan(workspace, "jo", audience)
        for canary, allowed in CANARIES.items():
            if audience not in allowed:
                assert canary not in text, f"{canary} leaked into the {audience} FHIR bundle"
            elif canary in carried:
                assert canary in text, f"{canary} should be in the {audience} FHIR bundle"
        if audience in ("carer", "gp"):
            assert GONE not in text


def test_the_command_writes_a_file_or_the_screen_and_refuses_plans(examples: Path) -> None:
    done = run_wellplan("export", "ruth-ellison", "--fhir", "--audience", "carer", cwd=examples)
    assert done.returncode == 0, done.stderr
    written = examples / "build" / "fhir" / "ruth-ellison-carer.json"
    assert str(written.name) in done.stdout
    _resources(written.read_text(encoding="utf-8"))
    shown = run_wellplan("export", "ruth-ellison", "--fhir", "--out", "-", cwd=examples)
    assert json.loads(shown.stdout)["resourceType"] == "Bundle"
    inside = run_wellplan("export", "ruth-ellison", "--fhir", "--out", "plans/x.json", cwd=examples)
    assert inside.returncode != 0 and "Traceback" not in inside.stderr
    bare = run_wellplan("export", "ruth-ellison", cwd=examples)
    assert bare.returncode == 2 and "--fhir" in bare.stderr


@pytest.mark.parametrize("audience", ["gp", "team", "person", "carer"])
def test_the_crisis_plan_the_site_and_pdf_show_travels_in_the_bundle(examples: Path, audience: str) -> None:
    # Issue 32: the GP's site and PDF showed Dan's crisis plan, but the GP's bundle left it out.
    resources = _resources(export_plan(examples, "dan-okafor", audience))
    [plan] = [p for p in resources["CarePlan"] if "partOf" not in p]
    [crisis] = [p for p in resources["CarePlan"] if "partOf" in p]
    assert crisis["partOf"][0]["reference"] == _url_of(examples, audience, plan)
    notes = [n["text"] for n in crisis["note"]]
    assert "Who to contact: Riverside crisis line (24 hours), 0800 160 1234, any time. Evenings, " \
           "nights, weekends and bank holidays." in notes
    assert any(n.startswith("Early warning signs: I stop sleeping") for n in notes)
    assert any(n.startswith("Advance statement (written ") and "If I become very unwell" in n for n in notes)
    assert "999" in crisis["description"]


def test_no_crisis_plan_resource_for_an_audience_that_may_not_see_it(examples: Path, tmp_path: Path) -> None:
    from builder.exchange.fhir_export import plan_bundle

    plan = {"person": {"name": "Al"}, "care_team": [], "crisis": {"contacts": []}}
    resources = _resources(plan_bundle(plan, "al", "gp"))
    assert len(resources["CarePlan"]) == 1
    plan["crisis"] = {"what_helps": [{"id": "h", "text": "A walk."}]}
    assert len(_resources(plan_bundle(plan, "al", "gp"))["CarePlan"]) == 2


def _url_of(examples: Path, audience: str, plan: dict) -> str:
    """The fullUrl of the main plan in the bundle (partOf points there)."""
    bundle = json.loads(export_plan(examples, "dan-okafor", audience))
    return next(e["fullUrl"] for e in bundle["entry"] if e["resource"].get("id") == plan["id"])

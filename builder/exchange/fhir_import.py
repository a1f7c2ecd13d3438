"""Results from another system (FHIR Observations) added to a plan's health checks, as one recorded change.

A GP system sends a Bundle or a single Observation. Each is checked with fhir.resources
(R4B), matched to one of the plan's health checks by its LOINC code, its value brought
into the plan's unit, and added as a result. Anything that makes the whole file
doubtful — not JSON, not FHIR, about another person, a unit that cannot be converted —
stops the import with nothing changed. An Observation that simply has no place in the
plan is left out and said so. The plan's file is written back with its comments kept
(ruamel.yaml), checked, and recorded as one change by the person who brought it in.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from builder.errors import PlanError, UsageError
from builder.exchange.codes import (
    CARE_TEAM_ID,
    CHECKS,
    LOINC,
    NHS_NUMBER,
    QRISK,
    RESULT_ID,
    SNOMED,
    convert,
    kind_for,
    ucum,
)
from builder.plan.ids import all_ids, unused_id
from builder.plan.labels import check_name
from builder.plan.yaml_comments import append_keeping_tail
from builder.story.describe import date_text

FINAL = {"final", "amended", "corrected"}


@dataclass
class Incoming:
    """One Observation that found its health check, ready to add."""

    check_id: str
    result: dict[str, Any]
    words: str  # "HbA1c 44 mmol/mol on 6 July 2026"


@dataclass
class ImportReport:
    """What an import added, and what it left out and why."""

    added: list[Incoming] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    commit: str | None = None

    def lines(self) -> list[str]:
        out = [f"Added {len(self.added)} result{'s' if len(self.added) != 1 else ''}:"
               if self.added else "No results were added."]
        out += [f"  - {item.words}" for item in self.added]
        if self.left_out:
            out.append(f"Left out {len(self.left_out)}:")
            out += [f"  - {why}" for why in self.left_out]
        return out


def read_observations(text: str, source: str) -> tuple[list[Any], dict[str, Any]]:
    """The Observations in a FHIR file, and the Patients it holds by reference; plain errors otherwise."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise UsageError(f"{source} is not JSON (line {e.lineno}, column {e.colno}: {e.msg}), so it is "
                         "not a FHIR file. Ask for the results as FHIR JSON.") from e
    kind = raw.get("resourceType") if isinstance(raw, dict) else None
    if kind not in ("Bundle", "Observation"):
        what = f"a FHIR {kind}" if isinstance(kind, str) else "not FHIR (it has no resourceType)"
        raise UsageError(f"{source} is {what}. Give a FHIR Bundle of Observations, or one Observation.")
    items = [(None, raw)] if kind == "Observation" else [
        (entry.get("fullUrl"), entry.get("resource")) for entry in raw.get("entry") or []
        if isinstance(entry, dict)
    ]
    observations, patients = [], {}
    for number, (url, resource) in enumerate(items, start=1):
        rtype = resource.get("resourceType") if isinstance(resource, dict) else None
        if rtype not in ("Observation", "Patient"):
            continue
        try:
            model = get_fhir_model_class(rtype).model_validate(resource)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise UsageError(f"{source}: entry {number} ({rtype}) is not valid FHIR R4 at "
                             f"'{where}': {first.get('msg')}. Nothing was added.") from e
        if rtype == "Patient":
            for key in (url, f"Patient/{model.id}" if model.id else None):
                if key:
                    patients[key] = model
        else:
            observations.append(model)
    if not observations:
        raise UsageError(f"{source} holds no Observations, so there are no results to add.")
    return observations, patients


def match_results(plan: dict[str, Any], observations: list[Any], patients: dict[str, Any],
                  today: date) -> ImportReport:
    """Each Observation matched to a health check; raises (nothing added) for another person or a bad unit."""
    ours = _digits((plan.get("person") or {}).get("nhs_number"))
    checks = [c for c in plan.get("health_checks") or [] if isinstance(c, dict)]
    taken = all_ids(plan)
    report = ImportReport()
    scores = []
    for obs in observations:
        label = _label(obs)
        theirs = _nhs_number(obs, patients)
        if theirs is None:
            raise UsageError(f"The result '{label}' does not say whose it is (no NHS number). Nothing "
                             "was added: ask for results that carry the person's NHS number.")
        if not ours:
            raise UsageError("This plan has no NHS number, so results cannot be matched to the person. "
                             "Add person.nhs_number to the plan first. Nothing was added.")
        if theirs != ours:
            raise UsageError(f"The result '{label}' is for another person (NHS number {_spaced(theirs)}, "
                             f"not {_spaced(ours)}). Nothing was added.")
        if str(obs.status) not in FINAL:
            report.left_out.append(f"{label}: its status is '{obs.status}', not final, so it was not added.")
            continue
        if any(c.system == SNOMED and c.code == QRISK[0] for c in obs.code.coding or []):
            scores.append(obs)  # kept beside its cholesterol result, once that is placed
            continue
        codes = [c.code for c in (obs.code.coding or []) if c.system == LOINC and c.code]
        kinds = {kind_for(code) for code in codes} - {None}
        if not kinds:
            shown = ", ".join(codes) if codes else "no LOINC code"
            report.left_out.append(f"{label} ({shown}): this plan has no health check that takes this code.")
            continue
        kind = sorted(kinds)[0]
        candidates = [c for c in checks if c.get("kind") == kind]
        if not candidates:
            report.left_out.append(f"{label}: this plan has no {CHECKS[kind].code.display.split(' [')[0]} "
                                   "check to add it to. Add the check to the plan first.")
            continue
        if len(candidates) > 1:
            names = ", ".join(str(c["id"]) for c in candidates)
            report.left_out.append(f"{label}: this plan has more than one check it could belong to "
                                   f"({names}), so it was not guessed. Add it by hand.")
            continue
        check = candidates[0]
        when = _when(obs)
        if when is None:
            report.left_out.append(f"{label}: it has no date, so it was not added.")
            continue
        if when > today:
            report.left_out.append(f"{label}: its date {date_text(when.isoformat())} is in the future, "
                                   "so it was not added.")
            continue
        result = _result(obs, check, kind, next(c for c in codes if kind_for(c) == kind), label)
        if result is None:
            report.left_out.append(f"{label}: it has no value this plan can record.")
            continue
        result["date"] = when.isoformat()
        if _already_there(check, result):
            report.left_out.append(f"{label} on {date_text(result['date'])}: already in the plan.")
            continue
        by = _performer(obs, plan)
        if by:
            result["by"] = by
        result["id"] = unused_id(_sent_id(obs) or f"{check['id']}-{result['date']}", taken)
        taken.add(result["id"])
        ordered = {"id": result.pop("id"), "date": result.pop("date"), **result}
        report.added.append(Incoming(str(check["id"]), ordered, _words(check, ordered)))
    for obs in scores:
        _place_score(obs, report, checks)
    return report


def _place_score(obs: Any, report: ImportReport, checks: list[dict[str, Any]]) -> None:
    """A QRISK score goes beside the cholesterol result of the same day that this import adds."""
    when = _when(obs)
    value = obs.valueQuantity.value if obs.valueQuantity is not None else None
    kinds = {str(c.get("id")): c.get("kind") for c in checks}
    target = next((i for i in report.added if kinds.get(i.check_id) == "cholesterol"
                   and i.result["date"] == (when.isoformat() if when else None)), None)
    if value is None or target is None:
        day = f" on {date_text(when.isoformat())}" if when else ""
        report.left_out.append(f"QRISK score{day}: no cholesterol result of that day came with it, so it "
                               "was not added. Add it by hand beside the cholesterol result.")
        return
    number = float(value)
    target.result["qrisk"] = int(number) if number == int(number) else number
    target.words += f" (QRISK {target.result['qrisk']}%)"


def import_results(workspace: Path, plan_id: str, source: Path, *, name: str, role: str,
                   today: date | None = None) -> ImportReport:
    """Add the results in a FHIR file to a plan and record it as one change by this person."""
    from builder.plan.load import load_plan_bytes
    from builder.record.record import (
        check_person,
        problems_in_text,
        record_edit,
        recorded_bytes,
        replace_file,
    )
    from builder.workspace import PLANS_DIR, plan_file, plan_rel

    check_person(name, role)
    path = plan_file(workspace, plan_id)
    if not path.exists():
        raise PlanError(f"There is no plan called '{plan_id}' in {PLANS_DIR}/.")
    rel = plan_rel(workspace, plan_id)
    original = path.read_bytes()
    if recorded_bytes(workspace, rel) != original:
        raise PlanError(f"{rel} has changes that are not recorded yet. Record them first (wellplan record "
                        f"{plan_id} --as NAME --role ROLE), then bring in the results.")
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"{source} could not be read ({getattr(e, 'strerror', None) or e}).") from e
    observations, patients = read_observations(text, str(source))
    loaded = load_plan_bytes(original, rel)
    if loaded.data is None or problems_in_text(original, plan_id, rel):
        raise PlanError(f"{rel} has problems, so no results were added. Run 'wellplan check {rel}' first.")
    report = match_results(loaded.data, observations, patients, today or date.today())
    if not report.added:
        return report
    new_text = add_results(original.decode("utf-8-sig"), loaded.data, report.added)
    findings = problems_in_text(new_text, plan_id, rel)
    if findings:
        raise PlanError(f"The results were not added because the plan would then have a problem: "
                        f"{findings[0].message}")
    replace_file(path, original, new_text.encode("utf-8"))
    message = "Results brought in from another system: " + "; ".join(i.words for i in report.added) + "."
    try:
        report.commit = record_edit(workspace, plan_id, name=name, role=role, message=message)
    except Exception:
        replace_file(path, new_text.encode("utf-8"), original)  # recording failed: put the file back
        raise
    return report


def add_results(text: str, data: dict[str, Any], incoming: list[Incoming]) -> str:
    """The plan's text with the results appended to their checks; comments and layout kept."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from builder.plan.load import load_plan_bytes

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = yaml.load(text)
    for item in incoming:
        check = next(c for c in doc["health_checks"] if c.get("id") == item.check_id)
        if not check.get("results"):
            check["results"] = CommentedSeq()
        entry = CommentedMap(item.result)
        entry["date"] = date.fromisoformat(item.result["date"])  # written plain, as people write dates
        append_keeping_tail(check["results"], entry)
    out = io.StringIO()
    yaml.dump(doc, out)
    result = out.getvalue()
    expected = json.loads(json.dumps(data, default=str))
    for item in incoming:
        check = next(c for c in expected["health_checks"] if c.get("id") == item.check_id)
        check["results"] = [*(check.get("results") or []), item.result]
    if json.loads(json.dumps(load_plan_bytes(result.encode("utf-8"), "check").data, default=str)) != expected:
        raise PlanError("The results could not be added to this plan's file without changing something "
                        "else. Add them by hand with 'wellplan edit'.")
    return result


# -- reading one Observation ---------------------------------------------------------------------


def _label(obs: Any) -> str:
    code = obs.code
    if code.text:
        return str(code.text)
    for coding in code.coding or []:
        if coding.display:
            return str(coding.display)
    return "An observation"


def _nhs_number(obs: Any, patients: dict[str, Any]) -> str | None:
    subject = obs.subject
    if subject is None:
        return None
    if subject.identifier is not None and subject.identifier.system == NHS_NUMBER:
        return _digits(subject.identifier.value)
    patient = patients.get(subject.reference) if subject.reference else None
    for ident in (patient.identifier or []) if patient is not None else []:
        if ident.system == NHS_NUMBER:
            return _digits(ident.value)
    return None


def _when(obs: Any) -> date | None:
    for value in (obs.effectiveDateTime, getattr(obs.effectivePeriod, "start", None), obs.issued):
        if value is None:
            continue
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        match = re.match(r"(\d{4}-\d{2}-\d{2})", str(value))
        if match:
            return date.fromisoformat(match.group(1))
    return None


def _result(obs: Any, check: dict[str, Any], kind: str, code: str, label: str) -> dict[str, Any] | None:
    wanted = ucum(check.get("unit")) or CHECKS[kind].unit
    if kind == "blood_pressure":
        parts: dict[str, Any] = {}
        codes = CHECKS[kind]
        for component in obs.component or []:
            sent = {c.code for c in component.code.coding or [] if c.system == LOINC}
            for key, part in (("systolic", codes.systolic), ("diastolic", codes.diastolic)):
                if part and part.code in sent and component.valueQuantity is not None:
                    parts[key] = _number(component.valueQuantity, kind, part.code, wanted, label)
        return parts or None
    if obs.valueQuantity is not None:
        result: dict[str, Any] = {"value": _number(obs.valueQuantity, kind, code, wanted, label)}
        said = next((str(n.text) for n in obs.note or [] if n.text), None)
        if said:
            result["reading"] = said
        return result
    if obs.valueString:
        return {"reading": str(obs.valueString)}
    concept = obs.valueCodeableConcept
    if concept is not None:
        words = concept.text or next((c.display for c in concept.coding or [] if c.display), None)
        return {"reading": str(words)} if words else None
    return None


def _number(quantity: Any, kind: str, code: str, wanted: str | None, label: str) -> float | int:
    if quantity.value is None:
        raise UsageError(f"The result '{label}' has a unit but no value. Nothing was added.")
    value = float(quantity.value)
    sent = quantity.code or quantity.unit
    converted = convert(kind, code, value, sent, wanted)
    if converted is None:
        raise UsageError(f"The result '{label}' is in '{quantity.unit or quantity.code}', which cannot "
                         f"be turned into this plan's unit ('{wanted}'). Nothing was added; ask for it "
                         f"in {wanted}, or add it by hand.")
    rounded = round(converted, 2 if converted != value else 6)
    return int(rounded) if rounded == int(rounded) else rounded


def _performer(obs: Any, plan: dict[str, Any]) -> str | None:
    team = {m.get("id") for m in plan.get("care_team") or [] if isinstance(m, dict)}
    for ref in obs.performer or []:
        ident = ref.identifier
        if ident is not None and ident.system == CARE_TEAM_ID and ident.value in team:
            return str(ident.value)
    return None


def _sent_id(obs: Any) -> str | None:
    for ident in obs.identifier or []:
        if ident.system == RESULT_ID and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", ident.value or ""):
            return str(ident.value)
    return None


def _already_there(check: dict[str, Any], result: dict[str, Any]) -> bool:
    keys = ("value", "systolic", "diastolic", "reading")
    return any(str(old.get("date")) == result["date"] and all(old.get(k) == result.get(k) for k in keys)
               for old in check.get("results") or [] if isinstance(old, dict))


def _words(check: dict[str, Any], result: dict[str, Any]) -> str:
    unit = f" {check['unit']}" if check.get("unit") else ""
    if "systolic" in result or "diastolic" in result:
        value = f"{result.get('systolic', '?')}/{result.get('diastolic', '?')}{unit}"
    elif "value" in result:
        value = f"{result['value']}{unit}"
    else:
        value = f"\u201c{result.get('reading', '')}\u201d"
    return f"{check_name(check)} {value} on {date_text(result['date'])}"


def _digits(value: Any) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def _spaced(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits



"""A plan as one audience may see it, as a FHIR R4 Bundle built and validated with fhir.resources (R4B).

Every resource is made by its fhir.resources model, so a value FHIR would not accept
stops the export with a plain message instead of leaving as a file another system
rejects. Only the audience's view of the plan (builder.view) and its story for that
audience are read: what they may not see cannot reach the bundle. Plan text goes
into plain string fields only; no narrative (XHTML) is made from it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
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
    UCUM,
    ucum,
)
from builder.plan.due import DONE_REQUESTS, Obligation, obligations
from builder.plan.labels import check_name, long_date, sentence_case, words
from builder.plan.readings import judge, kinds_named, part_verdict, reference_table
from builder.story.describe import role_label
from builder.view import AUDIENCES, is_audience

#: Our statuses -> FHIR's.
GOAL_STATUS = {"proposed": "proposed", "active": "active", "on-hold": "on-hold",
               "achieved": "completed", "stopped": "cancelled"}
REQUEST_STATUS = {"requested": "active", "booked": "active", "done": "completed",
                  "result-received": "completed", "declined": "revoked", "cancelled": "revoked"}
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
#: Our own code systems: an obligation's stable key, and its state, from plan/due.py.
OBLIGATION = "https://wellbeing-plans.invalid/fhir/obligation"
OBLIGATION_STATE = "https://wellbeing-plans.invalid/fhir/obligation-state"


def plan_bundle(plan: dict[str, Any], plan_id: str, audience: str, story: Any | None = None,
                today: date | None = None) -> str:
    """The FHIR Bundle (JSON text) for a plan already filtered for the audience."""
    if not is_audience(audience):
        raise UsageError(f"'{audience}' is not an audience; use one of {', '.join(AUDIENCES)}, "
                         "or carer:ID for one carer.")
    return _Bundle(plan, plan_id, audience, story, today or date.today()).json()


class _Bundle:
    """Builds the resources of one bundle, each with a stable id made from the plan id."""

    def __init__(self, plan: dict[str, Any], plan_id: str, audience: str, story: Any | None,
                 today: date) -> None:
        self.plan, self.plan_id, self.audience, self.story = plan, plan_id, audience, story
        self.today = today
        #: What is due, from the one model every page and copy reads.
        self.found: list[Obligation] = obligations(plan, today)
        self.entries: list[Any] = []
        self.team = {m["id"]: m for m in plan.get("care_team") or [] if isinstance(m, dict) and "id" in m}

    # -- references ---------------------------------------------------------------------------

    def url(self, kind: str, key: str) -> str:
        """A stable urn:uuid for one resource of this plan (the same export gives the same ids)."""
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'wellplan:{self.plan_id}:{kind}:{key}')}"

    def patient_ref(self) -> dict[str, Any]:
        return {"reference": self.url("Patient", "me"), "display": self._person_name()}

    def person_ref(self, ref: Any) -> dict[str, Any] | None:
        """A reference for ``me`` or a care-team id; anyone else (hidden) is only words."""
        if ref == "me":
            return self.patient_ref()
        member = self.team.get(ref) if isinstance(ref, str) else None
        if member is None:
            return {"display": str(ref)} if ref else None
        kind = "RelatedPerson" if member.get("role") == "carer" else "Practitioner"
        return {"reference": self.url(kind, member["id"]), "display": member.get("name"),
                "identifier": {"system": CARE_TEAM_ID, "value": member["id"]}}

    # -- the bundle ---------------------------------------------------------------------------

    def json(self) -> str:
        from fhir.resources.R4B.bundle import Bundle

        self.add("Patient", "me", self.patient())
        for member in self.team.values():
            self.add(*self.member(member))
        self.add("CareTeam", "team", self.care_team())
        goals = [g for g in self.plan.get("goals") or [] if isinstance(g, dict)]
        for goal in goals:
            self.add("Goal", goal["id"], self.goal(goal))
        requests = [r for r in self.plan.get("requests") or [] if isinstance(r, dict)]
        for request in requests:
            self.add("ServiceRequest", request["id"], self.service_request(request))
        for med in self.plan.get("medications") or []:
            if isinstance(med, dict):
                self.add("MedicationStatement", med["id"], self.medication(med))
        for check in self.plan.get("health_checks") or []:
            dated = sorted((r for r in (check.get("results") or []) if isinstance(r, dict))
                           if isinstance(check, dict) else [], key=lambda r: str(r.get("date", "")))
            for index, result in enumerate(dated):
                key = f"{check['id']}/{result['id']}"
                previous = dated[index - 1] if index else None
                self.add("Observation", key, self.observation(check, result, previous))
                if "qrisk" in result:
                    self.add("Observation", f"{key}/qrisk", self.qrisk(key, result))
        for request in requests:
            for part in [p for p in request.get("parts") or [] if isinstance(p, dict)] or [request]:
                kinds = kinds_named(part.get("what"))
                if len(kinds) == 1 and part.get("status") in DONE_REQUESTS and part.get("done_on"):
                    self.add("Observation", f"{request['id']}/{part['id']}",
                             self.part_observation(request, part, kinds[0]))
        self.add("CarePlan", "plan", self.care_plan(goals, requests))
        crisis = self.crisis_plan()
        if crisis:
            self.add("CarePlan", "crisis", crisis)
        for number, entry in enumerate(self._entries(), start=1):
            self.add("Provenance", str(number), self.provenance(entry, number))
        bundle = _model(Bundle, {
            "resourceType": "Bundle",
            "id": _safe_id(f"{self.plan_id}-{self.audience.replace(':', '-')}"),
            "type": "collection",
            "timestamp": self._stamp(),
            "entry": [{"fullUrl": url, "resource": resource} for url, resource in self.entries],
        })
        return json.dumps(json.loads(bundle.model_dump_json(exclude_none=True)), indent=2,
                          ensure_ascii=False) + "\n"

    def add(self, kind: str, key: str, data: dict[str, Any]) -> None:
        from fhir.resources.R4B import get_fhir_model_class

        data = {"resourceType": kind, "id": _safe_id(f"{kind}-{key}"), **data}
        self.entries.append((self.url(kind, key), _model(get_fhir_model_class(kind), data)))

    # -- one function a resource ----------------------------------------------------------------

    def patient(self) -> dict[str, Any]:
        person = self.plan.get("person") or {}
        names = [{"use": "official", "text": person.get("name")}]
        if person.get("preferred_name"):
            names.append({"use": "usual", "text": person["preferred_name"]})
        data: dict[str, Any] = {"name": names}
        digits = "".join(ch for ch in str(person.get("nhs_number") or "") if ch.isdigit())
        if digits:
            data["identifier"] = [{"system": NHS_NUMBER, "value": digits}]
        if person.get("date_of_birth"):
            data["birthDate"] = str(person["date_of_birth"])
        language = (person.get("communication") or {}).get("language")
        if language:
            data["communication"] = [{"language": {"text": language}, "preferred": True}]
        return data

    def member(self, member: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
        telecom = [{"system": s, "value": str(member[k])} for k, s in (("phone", "phone"), ("email", "email"))
                   if member.get(k)]
        data: dict[str, Any] = {
            "identifier": [{"system": CARE_TEAM_ID, "value": member["id"]}],
            "name": [{"text": member.get("name")}],
        }
        if telecom:
            data["telecom"] = telecom
        if member.get("role") == "carer":
            data["patient"] = self.patient_ref()
            data["relationship"] = [{"text": "Carer"}]
            return "RelatedPerson", member["id"], data
        return "Practitioner", member["id"], data

    def care_team(self) -> dict[str, Any]:
        participants = []
        for member in self.team.values():
            role = sentence_case(role_label(str(member.get("role", "other"))))
            part: dict[str, Any] = {"role": [{"text": role}], "member": self.person_ref(member["id"])}
            if member.get("since"):
                part["period"] = {"start": str(member["since"])}
            participants.append(part)
        data: dict[str, Any] = {"status": "active", "name": "Care team", "subject": self.patient_ref()}
        if participants:
            data["participant"] = participants
        return data

    def goal(self, goal: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "lifecycleStatus": GOAL_STATUS.get(goal.get("status", ""), "proposed"),
            "description": {"text": goal.get("what") or "A goal"},
            "subject": self.patient_ref(),
        }
        if goal.get("status") == "achieved":
            data["achievementStatus"] = {"text": "Achieved"}
        if goal.get("area"):
            data["category"] = [{"text": words(goal["area"]).capitalize()}]
        if goal.get("expressed_by"):
            data["expressedBy"] = self.person_ref(goal["expressed_by"])
        if goal.get("target_date"):
            data["target"] = [{"dueDate": str(goal["target_date"])}]
        notes = [{"text": f"Why it matters: {goal['why_it_matters']}"}] if goal.get("why_it_matters") else []
        for note in goal.get("progress") or []:
            if isinstance(note, dict) and note.get("text"):
                annotation: dict[str, Any] = {"text": note["text"]}
                if note.get("date"):
                    annotation["time"] = f"{note['date']}T00:00:00Z"
                author = self.person_ref(note.get("by"))
                if author and "reference" in author:
                    annotation["authorReference"] = author
                elif author:
                    annotation["authorString"] = author["display"]
                notes.append(annotation)
        if notes:
            data["note"] = notes
        return data

    def service_request(self, request: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": REQUEST_STATUS.get(request.get("status", ""), "unknown"),
            "intent": "order",
            "code": {"text": request.get("what") or "A request"},
            "subject": self.patient_ref(),
        }
        if request.get("asked_on"):
            data["authoredOn"] = f"{request['asked_on']}T00:00:00Z"
        if request.get("from"):
            data["requester"] = self.person_ref(request["from"])
        if request.get("to"):
            data["performer"] = [self.person_ref(request["to"])]
        due = request.get("due_by")
        if due:
            data["occurrencePeriod"] = {"end": str(due)}
        notes = [f"Status: {words(request.get('status', ''))}"]
        if request.get("done_on"):
            notes.append(f"Done on {request['done_on']}")
        if request.get("result"):
            notes.append(f"Result: {request['result']}")
        data["note"] = [{"text": ". ".join(notes) + "."}]
        return data

    def medication(self, med: dict[str, Any]) -> dict[str, Any]:
        stopped = med.get("stopped") or med.get("stopped_on")
        data: dict[str, Any] = {
            "status": "stopped" if stopped else "active",
            "medicationCodeableConcept": {"text": med.get("name") or "A medicine"},
            "subject": self.patient_ref(),
            "dosage": [{"text": med.get("dose") or "As prescribed"}],
        }
        period = {k: str(v) for k, v in (("start", med.get("started")), ("end", stopped)) if v}
        if period:
            data["effectivePeriod"] = period
        reason = med.get("stopped_reason") or med.get("why_stopped")
        if stopped and reason:
            data["statusReason"] = [{"text": reason}]
        if med.get("purpose"):
            data["reasonCode"] = [{"text": med["purpose"]}]
        if med.get("prescriber"):
            data["informationSource"] = self.person_ref(med["prescriber"])
        notes = []
        if med.get("side_effects"):
            explained = med.get("side_effects_explained")
            tail = "" if explained is None else (" (explained)" if explained else " (not yet explained)")
            notes.append({"text": f"Side effects, in the person's words: {med['side_effects']}{tail}"})
        if med.get("monitoring"):
            notes.append({"text": f"Monitoring: {med['monitoring']}"})
        if notes:
            data["note"] = notes
        return data

    def part_observation(self, request: dict[str, Any], part: dict[str, Any], kind: str) -> dict[str, Any]:
        """A result recorded in a request (or a part of one): an Observation of its kind, in words."""
        codes = CHECKS.get(kind)
        code: dict[str, Any] = {"text": str(part.get("what") or words(kind))}
        if codes:
            code["coding"] = [{"system": LOINC, "code": codes.code.code, "display": codes.code.display}]
        data: dict[str, Any] = {
            "identifier": [{"system": RESULT_ID, "value": f"{request['id']}#{part['id']}"}],
            "status": "final",
            "code": code,
            "subject": self.patient_ref(),
            "effectiveDateTime": str(part["done_on"]),
            "basedOn": [{"reference": self.url("ServiceRequest", request["id"])}],
        }
        if codes:
            data["category"] = [{"coding": [{"system": CATEGORY, "code": codes.category}]}]
        if part.get("result"):
            data["valueString"] = str(part["result"])
        else:
            data["dataAbsentReason"] = {"text": "No result was recorded"}
        reference = reference_table().get(kind)
        if reference:
            data["referenceRange"] = [{"text": f"Usual range: {reference['text']} ({reference['source']})"}]
        verdict = part_verdict(part)
        if verdict:
            data["interpretation"] = [{"coding": [{"system": INTERPRETATION, "code": verdict.flag}],
                                       "text": verdict.words()}]
        return data

    def observation(self, check: dict[str, Any], result: dict[str, Any],
                    previous: dict[str, Any] | None = None) -> dict[str, Any]:
        codes = CHECKS.get(str(check.get("kind")))
        name = check_name(check)
        code: dict[str, Any] = {"text": name}
        if codes:
            code["coding"] = [{"system": LOINC, "code": codes.code.code, "display": codes.code.display}]
        data: dict[str, Any] = {
            "identifier": [{"system": RESULT_ID, "value": result["id"]}],
            "status": "final",
            "code": code,
            "subject": self.patient_ref(),
            "effectiveDateTime": str(result["date"]),
        }
        if codes:
            data["category"] = [{"coding": [{"system": CATEGORY, "code": codes.category}]}]
        unit = ucum(check.get("unit")) or (codes.unit if codes else None)
        shown = check.get("unit") or unit
        if "systolic" in result or "diastolic" in result:
            data["component"] = [
                {"code": _code(part, label), "valueQuantity": _quantity(result[key], shown, unit)}
                for key, part, label in (("systolic", codes and codes.systolic, "Systolic"),
                                         ("diastolic", codes and codes.diastolic, "Diastolic"))
                if key in result
            ]
        elif "value" in result:
            data["valueQuantity"] = _quantity(result["value"], shown, unit)
        elif result.get("reading"):
            data["valueString"] = str(result["reading"])
        if result.get("reading") and "valueString" not in data:
            data["note"] = [{"text": str(result["reading"])}]
        else:
            data["dataAbsentReason"] = {"text": "No value was recorded"}
        span = check.get("range") or {}
        reference = reference_table().get(str(check.get("kind")))
        if "value" in result and span:
            bounds = {k: _quantity(span[k], shown, unit) for k in ("low", "high") if k in span}
            data["referenceRange"] = [bounds | {"text": "The range agreed in this plan"}]
        elif reference and not span:
            data["referenceRange"] = [{"text": f"Usual range: {reference['text']} ({reference['source']})"}]
        verdict = judge(check, result, previous)
        if verdict:
            data["interpretation"] = [{"coding": [{"system": INTERPRETATION, "code": verdict.flag}],
                                       "text": verdict.words()}]
        performer = self.person_ref(result.get("by"))
        if performer:
            data["performer"] = [performer]
        return data

    def qrisk(self, key: str, result: dict[str, Any]) -> dict[str, Any]:
        """The QRISK score worked out with a result: an Observation of its own, derived from that result."""
        return {
            "identifier": [{"system": RESULT_ID, "value": f"{result['id']}#qrisk"}],
            "status": "final",
            "code": {"coding": [{"system": SNOMED, "code": QRISK[0], "display": QRISK[1]}],
                     "text": "QRISK score (chance of a heart attack or stroke in 10 years)"},
            "subject": self.patient_ref(),
            "effectiveDateTime": str(result["date"]),
            "valueQuantity": {"value": result["qrisk"], "unit": "%", "system": UCUM, "code": "%"},
            "derivedFrom": [{"reference": self.url("Observation", key)}],
        }

    def care_plan(self, goals: list[dict[str, Any]], requests: list[dict[str, Any]]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": "active",
            "intent": "plan",
            "title": f"Wellbeing plan: {self._person_name()}",
            "subject": self.patient_ref(),
            "careTeam": [{"reference": self.url("CareTeam", "team")}],
        }
        period = self._period()
        if period:
            data["period"] = period
        key = next((m for m in self.team.values() if m.get("key_worker")), None)
        if key:
            data["author"] = self.person_ref(key["id"])
        contributors = self._contributors()
        if contributors:
            data["contributor"] = contributors
        if goals:
            data["goal"] = [{"reference": self.url("Goal", g["id"])} for g in goals]
        activities: list[dict[str, Any]] = [
            {"reference": {"reference": self.url("ServiceRequest", r["id"])}} for r in requests
        ]
        for action in self.plan.get("actions") or []:
            if isinstance(action, dict):
                activities.append({"detail": self._activity(action, goals)})
        for ob in self.found:
            if ob.kind in ("check", "guidance", "request", "review") and (ob.due or ob.pressing):
                activities.append({"detail": self._obligation(ob)})
        if activities:
            data["activity"] = activities
        notes = self._own_words()
        if notes:
            data["note"] = notes
        return data

    def crisis_plan(self) -> dict[str, Any] | None:
        """The crisis and contingency plan, as the audience's site and PDF show it: a CarePlan of
        its own, part of the wellbeing plan, its parts said as notes (None if there is none)."""
        crisis = self.plan.get("crisis")
        if not isinstance(crisis, dict):
            return None
        listed = lambda key: [i for i in crisis.get(key) or [] if isinstance(i, dict)]  # noqa: E731
        notes = []
        for key, said in (("early_warning_signs", "Early warning signs"), ("what_helps", "What helps"),
                          ("what_does_not_help", "What does not help")):
            texts = [_clause(i["text"]) for i in listed(key) if i.get("text")]
            if texts:
                notes.append(f"{said}: " + "; ".join(texts) + ".")
        meds = {m.get("id"): m.get("name") for m in self.plan.get("medications") or [] if isinstance(m, dict)}
        for sign in listed("physical_warning_signs"):
            because = f" (because of {meds[sign['medicine']]})" if meds.get(sign.get("medicine")) else ""
            todo = f" What to do: {sign['what_to_do']}" if sign.get("what_to_do") else ""
            notes.append(f"Physical warning sign: {_clause(sign.get('text'))}{because}.{todo}")
        signs = {i.get("id"): i.get("text") for i in listed("early_warning_signs")}
        for stage in listed("relapse_signature"):
            seen = "; ".join(_clause(signs[i]) for i in stage.get("signs") or [] if signs.get(i))
            who = f" Who acts: {stage['who_acts']}" if stage.get("who_acts") else ""
            notes.append(f"Relapse signature, {stage.get('stage', '')}: {seen}.{who}")
        for contact in listed("contacts"):
            when = {"day": "in the day", "night": "at night", "any-time": "any time"}.get(
                str(contact.get("when")), words(contact.get("when") or ""))
            extra = f" {contact['notes']}" if contact.get("notes") else ""
            notes.append(f"Who to contact: {contact.get('name', '')}, {contact.get('phone', '')}, "
                         f"{when}.{extra}")
        statement = crisis.get("advance_statement")
        if isinstance(statement, dict) and statement.get("text"):
            written = f" (written {statement['date']})" if statement.get("date") else ""
            notes.append(f"Advance statement{written}: {statement['text']}")
        for decision in listed("advance_decisions"):
            notes.append(f"Advance decision to refuse treatment: {decision.get('refuses', '')}. "
                         f"{decision.get('circumstances', '')}".strip())
        if not notes:
            return None
        return {
            "status": "active",
            "intent": "plan",
            "title": f"Crisis and contingency plan: {self._person_name()}",
            "description": "In an emergency, if someone's life is at risk, call 999.",
            "subject": self.patient_ref(),
            "partOf": [{"reference": self.url("CarePlan", "plan")}],
            "note": [{"text": " ".join(note.split())} for note in notes],
        }

    def provenance(self, entry: Any, number: int) -> dict[str, Any]:
        revision = entry.revision
        agent: dict[str, Any] = {"who": {"display": revision.author}}
        if revision.role:
            agent["type"] = {"text": sentence_case(role_label(revision.role))}
        data: dict[str, Any] = {
            "target": [{"reference": self.url("CarePlan", "plan")}],
            "recorded": _instant(revision.when),
            "agent": [agent],
            "activity": {"text": "Review" if revision.is_review else f"Version {number} recorded"},
        }
        return data

    # -- helpers ------------------------------------------------------------------------------

    def _activity(self, action: dict[str, Any], goals: list[dict[str, Any]]) -> dict[str, Any]:
        detail: dict[str, Any] = {"status": action.get("status", "not-started"),
                                  "description": action.get("what") or "An action"}
        owner = self.person_ref(action.get("owner"))
        if owner:
            detail["performer"] = [owner]
        if action.get("due"):
            detail["scheduledPeriod"] = {"end": str(action["due"])}
        if action.get("goal") in {g["id"] for g in goals}:
            detail["goal"] = [{"reference": self.url("Goal", action["goal"])}]
        return detail

    def _obligation(self, ob: Obligation) -> dict[str, Any]:
        """Something due, as the one model of what is due says it: its key, state and date."""
        detail: dict[str, Any] = {
            "code": {"coding": [{"system": OBLIGATION, "code": ob.key}], "text": ob.what},
            "status": "scheduled" if ob.booking else "not-started",
            "statusReason": {"coding": [{"system": OBLIGATION_STATE, "code": ob.state}],
                             "text": ob.state_words(self.today)},
            "description": ob.sentence(self.today, self.audience),
        }
        if ob.due:
            detail["scheduledPeriod"] = {"end": ob.due.isoformat()}
        who = self.person_ref(ob.who)
        if who:
            detail["performer"] = [who]
        reasons = [r.words(self.audience) for r in ob.reasons]
        if reasons:
            detail["reasonCode"] = [{"text": r} for r in reasons]
        if ob.last:
            detail["reasonCode"] = [*detail.get("reasonCode", []),
                                    {"text": f"Last done on {long_date(ob.last)}"}]
        return detail

    def _own_words(self) -> list[dict[str, Any]]:
        notes = []
        about = self.plan.get("about_me") or {}
        if about.get("in_my_own_words"):
            notes.append({"authorReference": self.patient_ref(),
                          "text": f"About me, in my own words: {about['in_my_own_words']}"})
        for area, part in (self.plan.get("wellbeing") or {}).items():
            if not isinstance(part, dict):
                continue
            name = words(area).capitalize()
            if part.get("in_my_own_words"):
                notes.append({"authorReference": self.patient_ref(),
                              "text": f"{name}, in my own words: {part['in_my_own_words']}"})
            for concern in part.get("concerns") or []:
                if isinstance(concern, dict) and concern.get("text"):
                    notes.append({"text": f"{name}, a need or concern: {concern['text']}"})
        return notes

    def _entries(self) -> list[Any]:
        """The recorded versions this audience knows of, oldest first."""
        return sorted(getattr(self.story, "entries", None) or [], key=lambda e: e.revision.when)

    def _contributors(self) -> list[dict[str, Any]]:
        names: dict[str, dict[str, Any]] = {}
        for entry in self._entries():
            author = entry.revision.author
            if author and author not in names:
                names[author] = {"display": author}
        return list(names.values())

    def _period(self) -> dict[str, str] | None:
        entries = self._entries()
        period: dict[str, str] = {}
        if entries:
            period["start"] = entries[0].revision.when.date().isoformat()
        reviews = [r for r in self.plan.get("reviews") or [] if isinstance(r, dict)]
        if reviews and reviews[-1].get("next_review_due"):
            period["end"] = str(reviews[-1]["next_review_due"])
        return period or None

    def _stamp(self) -> str:
        entries = self._entries()
        when = entries[-1].revision.when if entries else datetime(1970, 1, 1, tzinfo=UTC)
        return _instant(when)

    def _person_name(self) -> str:
        person = self.plan.get("person") or {}
        return str(person.get("name") or "The person")


def _model(model: Callable[..., Any], data: dict[str, Any]) -> Any:
    """A validated fhir.resources model, or a plain PlanError naming the resource and field."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)  # type: ignore[attr-defined]
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise PlanError(
            f"This plan could not be written as FHIR: {data.get('resourceType', 'a resource')} "
            f"{where} — {first.get('msg', 'not valid')}. Check that field in the plan."
        ) from e


def _clause(text: Any) -> str:
    """A text to join with others: its own full stop left off."""
    return str(text or "").strip().rstrip(".")


def _safe_id(text: str) -> str:
    """A FHIR id: letters, digits, '-' and '.', at most 64 characters."""
    cleaned = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-.") else "-" for ch in text)
    if len(cleaned) > 64:
        cleaned = f"{cleaned[:51]}-{uuid.uuid5(uuid.NAMESPACE_URL, text).hex[:12]}"
    return cleaned


def _code(code: Any, label: str) -> dict[str, Any]:
    if code is None:
        return {"text": label}
    return {"coding": [{"system": LOINC, "code": code.code, "display": code.display}], "text": label}


def _quantity(value: Any, shown: str | None, unit: str | None) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": value}
    if shown:
        quantity["unit"] = shown
    if unit:
        quantity |= {"system": UCUM, "code": unit}
    return quantity


def _instant(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.isoformat(timespec="seconds")


def export_plan(workspace: Path, plan_id: str, audience: str, today: date | None = None) -> str:
    """The bundle for a plan's current valid file, as that audience may see it."""
    from builder.exchange.current import current_plan
    from builder.story.timeline import read_stories
    from builder.view import due_view

    plan = current_plan(workspace, plan_id, audience, "it was not exported")
    story = read_stories(workspace, audience, [plan_id])[plan_id]
    return plan_bundle(due_view(plan, audience), plan_id, audience, story, today)

"""The codes a plan's health checks go by in FHIR: LOINC for what was measured, UCUM for its unit.

One table, kept as data. Only the checks with a well-known LOINC code are here; any
other check still leaves as an Observation named in words, but cannot be matched by
code when results come back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
#: QRISK3 10-year cardiovascular risk score (SNOMED CT UK), kept beside a cholesterol result.
QRISK = ("1085871000000105", "QRISK3 cardiovascular disease 10 year risk calculator score")
UCUM = "http://unitsofmeasure.org"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
#: Where a result's own id is kept, so that a result that goes out and comes back is the same one.
RESULT_ID = "https://wellbeing-plans.example/result-id"
CARE_TEAM_ID = "https://wellbeing-plans.example/care-team-id"
VITAL_SIGNS = "vital-signs"
LABORATORY = "laboratory"
SOCIAL_HISTORY = "social-history"


@dataclass(frozen=True)
class Code:
    """A LOINC code and the words it is known by."""

    code: str
    display: str


@dataclass(frozen=True)
class CheckCodes:
    """How one kind of health check is written in FHIR, and which codes bring results back to it."""

    kind: str
    code: Code
    category: str
    unit: str | None = None  # the UCUM code results are sent in
    #: Other LOINC codes for the same thing in another unit: code -> (UCUM unit, to ours)
    also: dict[str, tuple[str, Callable[[float], float]]] = field(default_factory=dict)
    #: For blood pressure: the two parts.
    systolic: Code | None = None
    diastolic: Code | None = None


def _per(factor: float) -> Callable[[float], float]:
    return lambda value: value / factor


def _dcct_to_ifcc(percent: float) -> float:
    """HbA1c in % (DCCT) to mmol/mol (IFCC): the published master equation, IFCC = (DCCT − 2.15) × 10.929."""
    return (percent - 2.15) * 10.929


CHECKS: dict[str, CheckCodes] = {c.kind: c for c in (
    CheckCodes("weight", Code("29463-7", "Body weight"), VITAL_SIGNS, "kg",
               also={"29463-7": ("[lb_av]", lambda lb: lb * 0.45359237), }),
    CheckCodes("bmi", Code("39156-5", "Body mass index (BMI) [Ratio]"), VITAL_SIGNS, "kg/m2"),
    CheckCodes("waist", Code("8280-0", "Waist Circumference at umbilicus by Tape measure"), VITAL_SIGNS,
               "cm", also={"8280-0": ("[in_i]", lambda inches: inches * 2.54)}),
    CheckCodes("blood_pressure", Code("85354-9", "Blood pressure panel with all children optional"),
               VITAL_SIGNS, "mm[Hg]", systolic=Code("8480-6", "Systolic blood pressure"),
               diastolic=Code("8462-4", "Diastolic blood pressure")),
    CheckCodes("pulse", Code("8867-4", "Heart rate"), VITAL_SIGNS, "/min"),
    CheckCodes("hba1c", Code("59261-8", "Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol"),
               LABORATORY, "mmol/mol", also={"4548-4": ("%", _dcct_to_ifcc)}),
    CheckCodes("glucose", Code("14749-6", "Glucose [Moles/volume] in Serum or Plasma"), LABORATORY,
               "mmol/L", also={"2345-7": ("mg/dL", _per(18.016))}),
    CheckCodes("cholesterol", Code("14647-2", "Cholesterol [Moles/volume] in Serum or Plasma"), LABORATORY,
               "mmol/L", also={"2093-3": ("mg/dL", _per(38.67))}),
    CheckCodes("lithium_level", Code("14334-7", "Lithium [Moles/volume] in Serum or Plasma"), LABORATORY,
               "mmol/L"),
    CheckCodes("kidney_function", Code("62238-1", "Glomerular filtration rate/1.73 sq M.predicted "
                                       "[Volume Rate/Area] in Serum or Plasma by Creatinine-based "
                                       "formula (CKD-EPI)"), LABORATORY, "mL/min/{1.73_m2}",
               also={other: ("mL/min/{1.73_m2}", lambda v: v) for other in ("33914-3", "98979-8")}),
    CheckCodes("thyroid_function", Code("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma"),
               LABORATORY, "m[IU]/L"),
    CheckCodes("smoking", Code("72166-2", "Tobacco smoking status"), SOCIAL_HISTORY),
    CheckCodes("ecg", Code("11524-6", "EKG study"), "procedure"),
    CheckCodes("full_blood_count", Code("58410-2", "CBC panel - Blood by Automated count"), LABORATORY),
)}

#: The units people write in a plan, and the UCUM code each one is.
UNITS: dict[str, str] = {
    "kg": "kg", "kg/m²": "kg/m2", "kg/m2": "kg/m2", "cm": "cm", "mmhg": "mm[Hg]", "mm[hg]": "mm[Hg]",
    "bpm": "/min", "beats per minute": "/min", "/min": "/min", "mmol/mol": "mmol/mol",
    "mmol/l": "mmol/L", "mg/dl": "mg/dL", "%": "%", "ml/min/1.73m²": "mL/min/{1.73_m2}",
    "ml/min/1.73m2": "mL/min/{1.73_m2}", "ml/min/{1.73_m2}": "mL/min/{1.73_m2}",
    "mu/l": "m[IU]/L", "miu/l": "m[IU]/L", "m[iu]/l": "m[IU]/L", "lb": "[lb_av]", "[lb_av]": "[lb_av]",
    "in": "[in_i]", "[in_i]": "[in_i]",
}


def ucum(unit: str | None) -> str | None:
    """The UCUM code for a unit as people write it ("mmHg" → "mm[Hg]"), or None if it is not known."""
    if not unit:
        return None
    return UNITS.get(unit.strip().lower())


def kind_for(code: str) -> str | None:
    """The kind of health check a LOINC code brings results to."""
    for check in CHECKS.values():
        if code == check.code.code or code in check.also:
            return check.kind
    return None


def convert(kind: str, code: str, value: float, unit: str | None, wanted: str | None) -> float | None:
    """A value sent under a code and unit, in the unit the plan records (None: it cannot be converted)."""
    check = CHECKS[kind]
    sent = ucum(unit) or unit
    if wanted is None or sent == wanted:
        return value
    for other_code, (other_unit, to_ours) in check.also.items():
        if code == other_code and sent == other_unit and wanted == check.unit:
            return to_ours(value)
    return None

"""What a result says: which kind of check it is, its numbers, and whether it is outside its aim.

A check's own agreed range (its ``range``) is its aim; where the plan records none, the usual
range for adults from ``reference-ranges.json`` is used, each with its published source. A
result written in words (a request part's "Pulse 92 lying down and 104 standing") is read for
its numbers too, so a reading is judged the same wherever the plan records it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from builder.workspace import REFERENCE_RANGES_FILE

#: The words that name each kind of check in free text (a request part, an appointment).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "weight": ("weight", "weigh", "weighed"),
    "bmi": ("bmi", "body mass index"),
    "waist": ("waist",),
    "blood_pressure": ("blood pressure",),
    "pulse": ("pulse", "heart rate"),
    "hba1c": ("hba1c", "blood sugar"),
    "glucose": ("glucose",),
    "cholesterol": ("cholesterol", "lipids", "lipid", "blood fats"),
    "smoking": ("smoking",),
    "alcohol": ("alcohol",),
    "substance_use": ("substance use", "drug use"),
    "ecg": ("ecg", "ekg", "heart tracing"),
    "sexual_health": ("sexual health",),
    "dental": ("dental", "dentist"),
    "eyes": ("eye test", "eyesight", "optician"),
    "screening": ("screening",),
    "lithium_level": ("lithium level", "lithium levels"),
    "clozapine_level": ("clozapine level",),
    "full_blood_count": ("full blood count", "fbc", "clozapine blood test"),
    "liver_function": ("liver",),
    "kidney_function": ("kidney", "egfr", "renal"),
    "thyroid_function": ("thyroid", "tsh"),
}

_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)(?![\d.])")
_PRESSURE = re.compile(r"(?<!\d)(\d{2,3})\s*/\s*(\d{2,3})(?!\d)")
_QTC = re.compile(r"qtc\D{0,6}(\d{3})", re.IGNORECASE)


def kinds_named(words: object) -> tuple[str, ...]:
    """The kinds of check a text names ("ECG and pulse check." → ecg, pulse), in schema order."""
    lowered = str(words or "").lower()
    return tuple(kind for kind, names in KIND_WORDS.items()
                 if any(re.search(rf"\b{re.escape(name)}\b", lowered) for name in names))


@cache
def reference_table() -> dict[str, dict[str, Any]]:
    """The usual ranges, by kind of check, read once per process."""
    data = json.loads(REFERENCE_RANGES_FILE.read_text(encoding="utf-8"))
    return {entry["kind"]: entry for entry in data["ranges"]}


@dataclass(frozen=True)
class Verdict:
    """A result outside its aim (the plan's own) or the usual range (a published one)."""

    side: str  # "above" or "below"
    own_aim: bool
    limit: str  # the aim or range in words: "95 kg or less", "under 25"
    source: str | None  # the published source of a usual range; None for the plan's own aim
    moving: str | None = None  # "coming down", "going up", … since the result before

    @property
    def flag(self) -> str:
        """The FHIR interpretation code: H or L."""
        return "H" if self.side == "above" else "L"

    @property
    def toward(self) -> bool:
        """True when the result is moving back towards its aim."""
        return self.moving in (("coming down",) if self.side == "above" else ("coming up",))

    def words(self, cite: bool = False) -> str:
        """'Above the aim of 95 kg or less, and coming down'; 'Above the usual range (under 25)'."""
        if self.own_aim:
            said = f"{self.side.capitalize()} the aim of {self.limit}"
        else:
            said = f"{self.side.capitalize()} the usual range ({self.limit})"
        if self.moving:
            said += f", and {self.moving}"
        if cite and self.source:
            said += f". Usual range from: {self.source}"
        return said


def numbers(check: dict[str, Any], result: dict[str, Any]) -> list[float]:
    """The numbers a result holds for its kind: its value, the top blood pressure, a QTc, or
    the plausible numbers in the words of a reading."""
    for key in ("value", "systolic"):
        value = _number(result.get(key))
        if value is not None:
            return [value]
    return numbers_in_text(str(check.get("kind", "")), result.get("reading") or result.get("result"))


def numbers_in_text(kind: str, words: object) -> list[float]:
    """The numbers a text gives for one kind of check (a QTc for an ECG, top pressures for BP)."""
    said = str(words or "")
    if kind == "ecg":
        return [float(n) for n in _QTC.findall(said)]
    if kind == "blood_pressure":
        return [float(top) for top, _ in _PRESSURE.findall(said)]
    reference = reference_table().get(kind)
    if reference is None:
        return []
    low, high = reference.get("plausible", [0, 10_000])
    return [n for n in (float(x) for x in _NUMBER.findall(said)) if low <= n <= high]


def judge(check: dict[str, Any], result: dict[str, Any] | None,
          previous: dict[str, Any] | None = None) -> Verdict | None:
    """Whether a result is outside the check's aim (or the usual range), and which way it moves."""
    if result is None:
        return None
    found = numbers(check, result)
    if not found:
        return None
    verdict = _outside(check, max(found), min(found), result)
    if verdict is None or previous is None:
        return verdict
    before = numbers(check, previous)
    if not before:
        return verdict
    now, then = max(found), max(before)
    moving = None if now == then else (
        ("coming down" if now < then else "going up") if verdict.side == "above"
        else ("coming up" if now > then else "going down"))
    return Verdict(verdict.side, verdict.own_aim, verdict.limit, verdict.source, moving)


def judge_text(kind: str, words: object) -> Verdict | None:
    """The same for a result written in words, of a known kind (a request part's result)."""
    return judge({"kind": kind}, {"reading": str(words or "")})


def part_verdict(part: dict[str, Any]) -> Verdict | None:
    """The reading in a done request part (or request) outside the usual range for what it
    measured, when its words name one kind of check: "Pulse ... 104 standing"."""
    kinds = kinds_named(part.get("what"))
    if len(kinds) != 1 or not part.get("result"):
        return None
    return judge_text(kinds[0], part.get("result"))


def _outside(check: dict[str, Any], highest: float, lowest: float,
             result: dict[str, Any]) -> Verdict | None:
    own = check.get("range") if isinstance(check.get("range"), dict) else {}
    low, high = _number(own.get("low")), _number(own.get("high"))
    if low is not None or high is not None:
        limit = aim_words(check)
        if high is not None and highest > high:
            return Verdict("above", True, limit, None)
        if low is not None and lowest < low:
            return Verdict("below", True, limit, None)
        return None
    reference = reference_table().get(str(check.get("kind")))
    if reference is None:
        return None
    over = reference.get("above")
    at_least = reference.get("at_least")
    diastolic = _number(result.get("diastolic"))
    outside = ((over is not None and highest > over) or (at_least is not None and highest >= at_least)
               or (diastolic is not None and "above_diastolic" in reference
                   and diastolic > reference["above_diastolic"]))
    if not outside:
        return None
    limit = reference["text"] + (f"; {reference['note']}" if reference.get("note") else "")
    return Verdict("above", False, limit, reference["source"])


def aim_words(check: dict[str, Any]) -> str:
    """The range a plan agrees for a check, in words: '95 kg or less', '4 to 7 mmol/mol'."""
    limits = check.get("range") if isinstance(check.get("range"), dict) else {}
    unit = f" {check['unit']}" if check.get("unit") else ""
    low, high = (_plain(limits.get(k)) for k in ("low", "high"))
    if low and high:
        return f"{low} to {high}{unit}"
    if high:
        return f"{high}{unit} or less"
    if low:
        return f"at least {low}{unit}"
    return ""


def _plain(value: Any) -> str:
    number = _number(value)
    if number is None:
        return ""
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)

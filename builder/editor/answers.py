"""A page's questions as form fields, and the answers typed into them read back as plan values."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from builder.editor.questions import Question
from builder.plan.labels import sentence_case, words
from builder.plan.schema import shared_schema
from builder.view import HIDDEN_PERSON

#: The kinds answered on a part's own page.
ASKED = ("text", "line", "number", "integer", "yes-no", "choice", "date", "person", "choices",
         "people", "ids")
DATE_HINT = "For example, 28 2 2026"
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class Field:
    """One question on a page, with what is in the plan now (as this reader sees it)."""

    question: Question
    key: str           # the key in the plan
    label: str
    hint: str
    current: Any       # the value now, as the reader sees it (None: not given)
    options: tuple[tuple[str, str], ...] = ()
    error: str = ""
    typed: dict[str, Any] = field(default_factory=dict)  # what was typed, shown again with an error
    as_kind: str = ""  # how it is asked, when not as its question's kind (an id chosen from a list)

    @property
    def kind(self) -> str:
        return self.as_kind or self.question.kind

    @property
    def name(self) -> str:
        return f"f-{self.key}"

    @property
    def html_id(self) -> str:
        """The element an error summary links to (the day box of a date)."""
        return f"{self.name}-day" if self.kind == "date" else self.name

    def shown(self) -> Any:
        """The value to put in the form: what was typed if there was an error, else the plan's."""
        if self.typed:
            return self.typed.get("value")
        if self.kind == "date":
            day = _as_date(self.current)
            return {"day": day.day, "month": day.month, "year": day.year} if day else {}
        if self.kind in ("choices", "people"):
            return [str(v) for v in self.current or []]
        if self.kind == "ids":
            return ", ".join(str(v) for v in self.current or [])
        if self.kind == "yes-no":
            return {True: "yes", False: "no"}.get(self.current, "")
        return "" if self.current is None else str(self.current)


def fields_for(question: Question, viewed: Any, real: Any, people: list[tuple[str, str]],
               carers: list[tuple[str, str]], new: bool = False,
               items: Callable[[tuple[str, ...]], list[tuple[str, str]]] | None = None) -> list[Field]:
    """The fields of one part's page: each question this reader may answer there.

    A field is asked when the reader sees its value, or when the plan has none yet (so
    writing it hides nothing). What the reader cannot see is never asked, so never changed.
    """
    viewed = viewed if isinstance(viewed, dict) else {}
    real = real if isinstance(real, dict) else {}
    fields = []
    for child in question.children:
        if child.kind not in ASKED or child.key == "*":
            continue
        if not new and child.key not in viewed and child.key in real:
            continue
        if _names_hidden_person(viewed.get(child.key)):
            continue  # someone this reader may not see: their id must stay as it is
        hint = _plain_hint(child)
        asked = Field(child, child.key, child.title, hint, viewed.get(child.key), _options(child, people))
        if child.refers_to and items is not None:
            _choose_from(asked, items(child.refers_to))
        fields.append(asked)
    if question.kind == "map":
        extra = question.child("*")
        for carer_id, carer_name in carers:
            if extra is None or (carer_id not in viewed and carer_id in real):
                continue
            fields.append(Field(extra, carer_id, f"What {carer_name} sees, instead of what carers see",
                                extra.hint + " Leave all unticked to use what carers see.",
                                viewed.get(carer_id), extra.options))
    return fields


def _choose_from(f: Field, items: list[tuple[str, str]]) -> None:
    """An id of another item asked as a choice of those items (by their names), when there are any."""
    if not items:
        return
    now = f.current if isinstance(f.current, list) else [f.current] if f.current else []
    known = {value for value, _ in items}
    f.options = tuple(items) + tuple((str(v), str(v)) for v in now if str(v) not in known)
    f.as_kind = "choices" if f.question.kind == "ids" else "choice"
    f.hint = ""  # the schema's hint explains how to write the id, which choosing makes unneeded


def _plain_hint(question: Question) -> str:
    """The schema's hint, but not where it explains how the YAML is written (the form does that)."""
    if question.kind == "date" and question.hint.startswith("A date written as"):
        return DATE_HINT
    if question.kind == "person" and question.hint.startswith("The id of someone in the care team"):
        return ""
    if question.kind == "choice" and all(value in question.hint for value, _ in question.options):
        return ""  # only the choices' codes, which the radios show in words
    return question.hint


def _audiences() -> tuple[tuple[str, str], ...]:
    """The audiences with the schema's own words for them ("Their GP practice")."""
    spec = shared_schema()["definitions"]["audience"]
    return tuple(zip(spec["enum"], spec.get("enumDescriptions") or [words(a) for a in spec["enum"]],
                     strict=True))


def _names_hidden_person(value: Any) -> bool:
    return value == HIDDEN_PERSON or isinstance(value, list) and HIDDEN_PERSON in value


def _options(question: Question, people: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    if question.kind == "person":
        return tuple(people)
    if question.kind == "people":
        if question.key in ("visible_to", "shared_with"):
            audiences = tuple((a, label) for a, label in _audiences()
                              if a != "person" or question.key == "visible_to")
            return audiences + tuple(p for p in people if p[0] != "me")
        return tuple(people)
    return question.options


def read_answers(fields: list[Field], form: Any) -> dict[str, Any]:
    """The new value of every field (None: leave it out); errors are set on the fields."""
    values: dict[str, Any] = {}
    asked = set(form.getlist("asked"))
    for f in fields:
        if f.key not in asked:
            continue  # not on the page that was sent: left as it is
        value = _read(f, form)
        if f.error:
            continue
        if value is None and f.question.required:
            f.error = _missing(f)
            continue
        if _same(value, f.current):
            continue
        values[f.key] = value
    return values


def _read(f: Field, form: Any) -> Any:
    kind, name = f.kind, f.name
    if kind == "date":
        return _read_date(f, form)
    if kind in ("choices", "people"):
        chosen = form.getlist(name)
        allowed = [v for v, _ in f.options]
        if any(v not in allowed for v in chosen):
            f.error = f"Choose {f.label.lower()} from the list"
            return None
        picked = [v for v in allowed if v in chosen]
        return picked or None
    raw = str(form.get(name, ""))
    f.typed = {"value": raw}
    text = raw.replace("\r\n", "\n").strip()
    if kind in ("text", "line"):
        return text or None
    if kind == "ids":
        parts = [p for p in re.split(r"[\s,]+", text) if p]
        return parts or None
    if not text:
        return None
    if kind in ("number", "integer"):
        if not NUMBER.match(text) or (kind == "integer" and "." in text):
            f.error = (f"{sentence_case(f.label)} must be a whole number, like 3" if kind == "integer"
                       else f"{sentence_case(f.label)} must be a number, like 82.5")
            return None
        number = float(text)
        return int(number) if kind == "integer" or number.is_integer() and "." not in text else number
    if kind == "yes-no":
        if text not in ("yes", "no"):
            f.error = f"Select yes or no for {f.label.lower()}"
            return None
        return text == "yes"
    allowed = [v for v, _ in f.options]
    if text not in allowed:
        f.error = f"Select {f.label.lower()} from the list"
        return None
    return text


def _read_date(f: Field, form: Any) -> date | None:
    parts = {p: str(form.get(f"{f.name}[{p}]", "")).strip() for p in ("day", "month", "year")}
    f.typed = {"value": parts}
    if not any(parts.values()):
        return None
    missing = [p for p in ("day", "month", "year") if not parts[p]]
    label = sentence_case(f.label)
    if missing:
        f.error = f"{label} must include a {missing[0]}"
        return None
    if not all(v.isdigit() for v in parts.values()) or len(parts["year"]) != 4:
        f.error = f"{label} must be a real date, like 28 2 2026"
        return None
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        f.error = f"{label} must be a real date, like 28 2 2026"
        return None


def _missing(f: Field) -> str:
    if f.kind in ("choice", "person", "yes-no", "choices", "people"):
        return f"Select {f.label.lower()}"
    if f.kind == "date":
        return f"Enter {f.label.lower()}"
    return f"Enter {f.label[:1].lower() + f.label[1:]}"


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _same(new: Any, old: Any) -> bool:
    if isinstance(new, date):
        return _as_date(old) == new
    if isinstance(new, bool) or isinstance(old, bool):
        return new is old
    if isinstance(new, (int, float)) and isinstance(old, (int, float)):
        return float(new) == float(old)
    if isinstance(new, list) and isinstance(old, list):
        return [str(v) for v in new] == [str(v) for v in old]
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new
    return new == old

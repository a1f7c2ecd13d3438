"""The schema walked into questions: each property of a plan becomes one kind of question.

Nothing here is written by hand for one field: the kind of question follows from the
draft-07 schema (its ``type``, ``enum``, ``format`` and ``$ref``), the question is its
``title`` and the hint its ``description``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from builder.plan.labels import sentence_case, words
from builder.plan.schema import PERSON_FIELDS, PERSON_LIST_FIELDS, shared_schema

#: Every kind of question the editor can ask. A property of another kind cannot be edited,
#: and tests/editor/test_questions.py fails if the schema ever has one.
KINDS = (
    "text",      # long text, in any language: a textarea with dir="auto"
    "line",      # a short line of text
    "number",    # a number such as 82.5
    "integer",   # a whole number
    "yes-no",    # true or false: two radios
    "choice",    # one of the schema's enum: radios
    "date",      # format: date: the three-field date input
    "person",    # me or someone in the care team: radios of their names
    "choices",   # a list of enum values: checkboxes
    "people",    # a list of people (and, for shared_with and visible_to, audiences): checkboxes
    "ids",       # a list of ids of other items: one text box, separated by commas
    "fixed",     # a const: shown, never changed (there is only one possible value)
    "id",        # an item's own id: made by the editor from its words, never typed
    "group",     # an object: a page of its own
    "list",      # a list of objects: an add-another page
    "map",       # an object whose keys are care-team ids (sharing per carer): one question each
)

LONG_TEXT = 200  # strings allowed to be longer than this are asked in a textarea


@dataclass(frozen=True)
class Question:
    """One property of the plan, as the editor asks it."""

    key: str
    kind: str
    title: str
    hint: str
    required: bool
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for choice and choices
    children: tuple[Question, ...] = ()        # for group and list (the item's questions)
    value: Any = None                          # for fixed
    item_title: str = ""                       # for list: what one item is called
    refers_to: tuple[str, ...] = ()            # for an id of another item: where those items are

    def child(self, key: str) -> Question | None:
        return next((c for c in self.children if c.key == key), None)

    @property
    def scalar(self) -> bool:
        """Answered on the page of the part it belongs to (not a page of its own)."""
        return self.kind not in ("group", "list", "map")


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow $refs, keeping the title and description given beside each one."""
    merged: dict[str, Any] = {}
    refs: list[str] = []
    while True:
        for k, v in node.items():
            if k != "$ref":
                merged.setdefault(k, v)
        if "$ref" not in node:
            break
        refs.append(node["$ref"].rsplit("/", 1)[1])
        target: Any = shared_schema()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    merged["_refs"] = tuple(refs)
    return merged


@cache
def plan_questions() -> Question:
    """The whole plan as one group of questions."""
    return question("plan", shared_schema(), required=True)


#: Ids that point at other items of the plan, and where those items are: a path from the top,
#: or from the item the question belongs to ("..": the item around it). The schema says only
#: that these are ids; rules.py checks the same references.
REFERENCES: dict[str, tuple[str, ...]] = {
    "actions[].goal": ("goals",),
    "medications[].replaced_by": ("medications",),
    "medications[].monitoring_checks": ("health_checks",),
    "health_checks[].for_medicines": ("medications",),
    "health_checks[].offers[].result": ("..", "results"),
    "crisis.physical_warning_signs[].medicine": ("medications",),
    "crisis.relapse_signature[].signs": ("crisis", "early_warning_signs"),
    "crisis.relapse_signature[].helps": ("crisis", "what_helps"),
}


def question(key: str, node: dict[str, Any], required: bool, place: str = "") -> Question:
    """The question for one property, from its schema."""
    spec = resolve(node)
    refs = spec["_refs"]
    title = spec.get("title") or sentence_case(words(key))
    hint = spec.get("description", "")
    kind = _kind(key, spec, refs)
    inner = "" if key == "plan" and not place else place
    if kind == "group":
        needed = set(spec.get("required", ()))
        children = tuple(question(k, v, k in needed, _at(inner, k))
                         for k, v in spec.get("properties", {}).items())
        return Question(key, kind, title, hint, required, children=children)
    if kind == "list":
        item = resolve(spec["items"])
        needed = set(item.get("required", ()))
        children = tuple(question(k, v, k in needed, _at(inner + "[]", k))
                         for k, v in item.get("properties", {}).items())
        return Question(key, kind, title, hint, required, children=children,
                        item_title=item.get("title") or "item")
    if kind == "map":
        needed = set(spec.get("required", ()))
        children = tuple(question(k, v, k in needed, _at(inner, k))
                         for k, v in spec.get("properties", {}).items())
        extra = question("*", spec["additionalProperties"], False, _at(inner, "*"))
        return Question(key, kind, title, hint, required, children=(*children, extra))
    options: tuple[tuple[str, str], ...] = ()
    if kind == "choice":
        options = _options(spec)
    elif kind == "choices":
        options = _options(resolve(spec["items"]))
    return Question(key, kind, title, hint, required, options=options, value=spec.get("const"),
                    refers_to=REFERENCES.get(place, ()))


def _at(place: str, key: str) -> str:
    return f"{place}.{key}" if place else key


def _kind(key: str, spec: dict[str, Any], refs: tuple[str, ...]) -> str:
    if "const" in spec:
        return "fixed"
    kind = spec.get("type")
    if kind == "object":
        return "map" if isinstance(spec.get("additionalProperties"), dict) else "group"
    if kind == "array":
        item = resolve(spec["items"])
        if item.get("type") == "object":
            return "list"
        if "enum" in item:
            return "choices"
        if key == "visible_to" or key in PERSON_LIST_FIELDS or "person_ref" in item["_refs"]:
            return "people"
        return "ids"
    if kind == "boolean":
        return "yes-no"
    if kind in ("number", "integer"):
        return kind
    if kind == "string":
        if "enum" in spec:
            return "choice"
        if spec.get("format") == "date":
            return "date"
        if key in PERSON_FIELDS or "person_ref" in refs:
            return "person"
        if key == "id":
            return "id"
        if "text" in refs or spec.get("maxLength", LONG_TEXT + 1) > LONG_TEXT:
            return "text"
        return "line"
    return "unknown"


def _options(spec: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    values = spec.get("enum", [])
    described = spec.get("enumDescriptions") or []
    labels = described if len(described) == len(values) else [sentence_case(words(v)) for v in values]
    return tuple(zip((str(v) for v in values), labels, strict=True))


def every_question(root: Question | None = None, path: str = "") -> list[tuple[str, Question]]:
    """Every question in the plan with its place ('goals[].what'), parts included."""
    root = root or plan_questions()
    found = []
    for child in root.children:
        place = f"{path}.{child.key}" if path else child.key
        found.append((place, child))
        if child.kind in ("group", "map"):
            found += every_question(child, place)
        elif child.kind == "list":
            found += every_question(child, place + "[]")
    return found


@dataclass
class Place:
    """Where a page is in the plan: its steps (keys and list item ids) and the question there."""

    steps: tuple[str, ...]
    question: Question
    is_item: bool = False  # an item of a list (steps[-1] is its id)
    trail: list[Question] = field(default_factory=list)  # the questions from the top down


def find_place(steps: tuple[str, ...]) -> Place | None:
    """The place a URL's steps name, following the schema: a key, or an id inside a list."""
    here = plan_questions()
    is_item = False
    trail = [here]
    for step in steps:
        if here.kind == "list" and not is_item:
            is_item = True  # the step is an item's id: the questions stay the item's
            continue
        child = here.child(step)
        if child is None or child.scalar:
            return None
        here, is_item = child, False
        trail.append(here)
    return Place(steps, here, is_item, trail)

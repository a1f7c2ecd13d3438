"""Every property of the schema can be edited: the walk gives each one a question, and each
question is rendered as a form field that the answers are read back from."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from werkzeug.datastructures import MultiDict

from builder.editor.answers import ASKED, fields_for, read_answers
from builder.editor.questions import KINDS, Question, every_question, find_place, plan_questions
from builder.plan.schema import shared_schema
from builder.workspace import EDITOR_TEMPLATES_DIR

PEOPLE = [("me", "Dan (the person this plan is about)"), ("priya", "Priya Sharma (care coordinator)")]
CARERS = [("grace", "Grace Okafor")]
#: Kinds that are not typed: an item's id is made by the editor; a const has one value only.
MADE_BY_THE_EDITOR = ("id", "fixed")


def _schema_properties(node: dict[str, Any], place: str = "") -> set[str]:
    """Every property place in the schema, found independently of the editor's own walk."""
    from builder.plan.schema import resolve

    node = resolve(node)
    found: set[str] = set()
    for key, child in node.get("properties", {}).items():
        here = f"{place}.{key}" if place else key
        found.add(here)
        spec = resolve(child)
        if spec.get("type") == "object":
            found |= _schema_properties(spec, here)
            if isinstance(spec.get("additionalProperties"), dict):
                found.add(f"{here}.*")
        elif spec.get("type") == "array" and resolve(spec["items"]).get("type") == "object":
            found |= _schema_properties(resolve(spec["items"]), here + "[]")
    return found


def test_every_property_of_the_schema_is_a_question_of_a_known_kind() -> None:
    questions = dict(every_question())
    assert set(questions) == _schema_properties(shared_schema())
    unknown = [place for place, q in questions.items() if q.kind not in KINDS]
    assert not unknown, f"properties the editor cannot ask: {unknown}"
    for place, q in questions.items():
        assert q.title and q.title.strip(), place
        assert q.scalar == (q.kind in (*ASKED, *MADE_BY_THE_EDITOR)), place


def test_every_reference_between_items_names_a_question_of_the_schema() -> None:
    from builder.editor.questions import REFERENCES

    questions = dict(every_question())
    for place, where in REFERENCES.items():
        assert place in questions and questions[place].kind in ("line", "ids"), place
        # '..' is the item around the one the question belongs to: health_checks[] for an offer's result.
        target = ".".join(where) if where[0] != ".." else f"{place.rsplit('.', 2)[0]}.{'.'.join(where[1:])}"
        assert questions.get(target) is not None and questions[target].kind == "list", place


def _parts(root: Question, steps: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Question]]:
    found = []
    for child in root.children:
        if child.kind in ("group", "map", "list"):
            here = (*steps, child.key) if child.key != "*" else steps
            found.append((here, child))
            found += _parts(child, (*here, "x") if child.kind == "list" else here)
    return found


@cache
def _environment() -> Any:
    app = Flask(__name__)
    app.jinja_options = {**app.jinja_options, "undefined": ChainableUndefined}
    app.jinja_loader = ChoiceLoader([FileSystemLoader(EDITOR_TEMPLATES_DIR),
                                     PackageLoader("nhsuk_frontend_jinja", "templates")])
    return app.jinja_env


@pytest.mark.parametrize("steps,part", _parts(plan_questions()), ids=lambda v: "/".join(v) if
                         isinstance(v, tuple) else None)
def test_every_question_of_every_part_is_a_form_field_that_is_read_back(steps: tuple[str, ...],
                                                                        part: Question) -> None:
    place = find_place(steps)
    assert place is not None and place.question is part
    fields = fields_for(part, {}, {}, PEOPLE, CARERS, new=True)
    asked = {c.key for c in part.children if c.kind in ASKED and c.key != "*"}
    if part.child("*"):  # a map's other keys: one question for each carer in the care team
        asked |= {carer_id for carer_id, _ in CARERS}
    assert {f.key for f in fields} >= asked
    field_macro = _environment().get_template("fields.html").module.field
    form = MultiDict([("asked", f.key) for f in fields])
    for f in fields:
        html = str(field_macro(f, False))
        names = set(re.findall(r'name="([^"]+)"', html))
        wanted = {f"{f.name}[day]", f"{f.name}[month]", f"{f.name}[year]"} if f.kind == "date" else {f.name}
        assert wanted <= names, f"{'/'.join(steps)}.{f.key} ({f.kind}) has no input"
        assert f.label in html.replace("&#39;", "'")
        if f.kind == "text":
            flat = html.replace("\n", " ")
            assert re.search(rf'<textarea[^>]*name="{re.escape(f.name)}"[^>]*dir="auto"', flat)
        form.setlist(f.name, [_answer(f)]) if f.kind != "date" else \
            form.update({f"{f.name}[day]": "2", f"{f.name}[month]": "3", f"{f.name}[year]": "2026"})
    values = read_answers(fields, form)
    assert not [f.error for f in fields if f.error]
    assert set(values) == {f.key for f in fields}


def _answer(f: Any) -> str:
    if f.kind in ("number", "integer"):
        return "3"
    if f.kind == "yes-no":
        return "yes"
    if f.options:
        return f.options[0][0]
    return "words in any language: اردو"

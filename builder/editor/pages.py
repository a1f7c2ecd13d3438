"""What each page shows, as plain values for the templates: the task list, a part's questions,
a list's check-your-answers summary, and the pages to add or remove an item."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from builder.editor.answers import Field, fields_for
from builder.editor.parts import part_hint, part_order, part_title
from builder.editor.people import carers, people
from builder.editor.questions import Place, Question, find_place, plan_questions
from builder.plan.labels import check_name, long_date, sentence_case, words

STEP = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: The keys that name an item in a list, most telling first.
NAMING_KEYS = ("name", "what", "text", "stage", "refuses", "what_for", "member", "date", "by")


class NotFound(Exception):
    """No part of this plan that this reader may see is at that address."""


@dataclass
class Row:
    """One line of a summary list: what, its value, and where to change or remove it."""

    key: str
    value: str
    change: str = ""
    remove: str = ""
    status: str = ""


@dataclass
class Page:
    """One page: its heading, back link, fields, and the summaries of what it holds."""

    title: str
    back: str
    caption: str = ""
    hint: str = ""
    fields: list[Field] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)      # parts inside it, or a list's items
    answers: list[Row] = field(default_factory=list)   # its own answers, each with a Change link
    add: str = ""                                      # a list: where to add another
    add_label: str = ""
    back_label: str = "the plan"                       # what the Back link goes back to
    item_title: str = ""


def url(kind: str, steps: tuple[str, ...]) -> str:
    return f"/{kind}/" + "/".join(steps) if steps else "/"


def node_at(data: Any, steps: tuple[str, ...]) -> tuple[bool, Any]:
    """(found, value) at these steps: keys, or an item's id inside a list."""
    node = data
    for step in steps:
        if isinstance(node, list):
            match = [i for i in node if isinstance(i, dict) and str(i.get("id")) == step]
            if not match:
                return False, None
            node = match[0]
        elif isinstance(node, dict) and step in node:
            node = node[step]
        else:
            return False, None
    return True, node


def may_open(place: Place, viewed: dict[str, Any], real: dict[str, Any], adds: bool) -> bool:
    """Whether this reader may open the page: they see that part, or it is not there yet and
    they may add to the plan's parts (the person and the team)."""
    seen, _ = node_at(viewed, place.steps)
    if seen:
        return True
    exists, _ = node_at(real, place.steps)
    if exists or place.is_item:
        return False
    parent_seen, _ = node_at(viewed, place.steps[:-1])
    return parent_seen and (adds or len(place.steps) > 1)


def task_list(viewed: dict[str, Any], real: dict[str, Any], adds: bool, kind: str = "team",
              name: str = "") -> list[Row]:
    """The plan's parts this reader may open, in their words and order, with whether each has
    been filled in."""
    questions = {q.key: q for q in plan_questions().children if q.kind not in ("fixed",)}
    rows = []
    for key in part_order(list(questions), kind):
        q = questions[key]
        if q.key not in viewed and (q.key in real or not adds):
            continue
        value = viewed.get(q.key)
        rows.append(Row(part_title(q.key, q.title, kind, name), part_hint(q.key, q.hint, kind),
                        change=url("part", (q.key,)), status=_status(q, value)))
    return rows


def _status(q: Question, value: Any) -> str:
    if value in (None, [], {}):
        return "Not started"
    if q.kind == "list" and isinstance(value, list):
        return f"{len(value)} {'item' if len(value) == 1 else 'items'}"
    return "Filled in"


def part_page(place: Place, viewed: dict[str, Any], real: dict[str, Any], kind: str = "team",
              name: str = "") -> Page:
    """A part (or one item of a list): its questions, and links to the parts inside it; a whole
    part of the plan is headed as the reader's task list calls it."""
    q = place.question
    _, seen = node_at(viewed, place.steps)
    _, there = node_at(real, place.steps)
    if q.kind == "list" and not place.is_item:
        page = list_page(place, viewed, seen)
        if len(place.steps) == 1:
            page.title = part_title(q.key, page.title, kind, name)
        return page
    title = item_name(q, seen, people(viewed)) if place.is_item else \
        part_title(q.key, q.title, kind, name) if len(place.steps) == 1 else q.title
    page = Page(title=title, back=back_of(place), caption=q.item_title if place.is_item else "",
                hint="" if place.is_item else part_hint(q.key, q.hint, kind) if len(place.steps) == 1
                else q.hint)
    page.fields = fields_for(q, seen, there, people(viewed), carers(viewed),
                             items=lambda where: _items_at(where, place, viewed))
    for child in q.children:
        if child.scalar:
            continue
        value = seen.get(child.key) if isinstance(seen, dict) else None
        if value is None and isinstance(there, dict) and child.key in there:
            continue  # there, but not for this reader
        page.rows.append(Row(child.title, summary(child, value),
                             change=url("part", (*place.steps, child.key))))
    return page


def summary_page(page: Page, place: Place, viewed: dict[str, Any]) -> Page:
    """A part as check-your-answers: each answer with a Change link to its own question page."""
    named = people(viewed)
    answers = [Row(f.label, _answer(f, named), change=url("part", place.steps) + f"?q={f.key}")
               for f in page.fields]
    return Page(title=page.title, back=page.back, caption=page.caption, hint=page.hint,
                rows=page.rows, answers=answers)


def _answer(f: Field, named: list[tuple[str, str]]) -> str:
    if f.current is None:
        # Not set for this part: who sees it follows the plan's sharing settings, not nobody.
        return "As the plan's sharing settings say" if f.key == "visible_to" else "Not given"
    if f.as_kind:  # ids of other items: by their names
        names = dict(f.options)
        chosen = f.current if isinstance(f.current, list) else [f.current]
        return "; ".join(names.get(str(v), str(v)) for v in chosen)
    return summary(f.question, f.current, named)


def one_question(page: Page, key: str, place: Place) -> Page | None:
    """One question of a part on a page of its own (one thing per page); None if it has no such question."""
    chosen = [f for f in page.fields if f.key == key]
    if not chosen:
        return None
    return Page(title=chosen[0].label, back=url("part", place.steps), caption=page.title, fields=chosen)


def list_page(place: Place, viewed: dict[str, Any], seen: Any) -> Page:
    """A list as check-your-answers: each item with Change and Remove, and Add another."""
    q = place.question
    page = Page(title=q.title, back=back_of(place), hint=q.hint, add=url("add", place.steps),
                add_label=f"Add {'another' if seen else 'a'} {q.item_title.lower()}",
                item_title=q.item_title, back_label=_name_of(place.steps[:-1], viewed))
    for item in seen if isinstance(seen, list) else []:
        if not isinstance(item, dict) or "id" not in item:
            continue
        steps = (*place.steps, str(item["id"]))
        page.rows.append(Row(item_name(q, item, people(viewed)), _item_summary(q, item, people(viewed)),
                             change=url("part", steps), remove=url("remove", steps)))
    return page


def new_item_page(place: Place, viewed: dict[str, Any]) -> Page:
    q = place.question
    page = Page(title=f"Add {'a' if q.item_title[:1].lower() not in 'aeiou' else 'an'} "
                f"{q.item_title.lower()}", back=url("part", place.steps), caption=q.title)
    page.fields = fields_for(q, {}, {}, people(viewed), carers(viewed), new=True,
                             items=lambda where: _items_at(where, place, viewed))
    return page


def remove_page(place: Place, viewed: dict[str, Any]) -> Page:
    _, item = node_at(viewed, place.steps)
    return Page(title=f"Remove “{item_name(place.question, item, people(viewed))}”?",
                back=url("part", place.steps[:-1]), caption=place.question.item_title,
                hint="It goes from the plan, but stays in the plan's history.")


def _name_of(steps: tuple[str, ...], viewed: dict[str, Any]) -> str:
    """What the part at these steps is called: 'the plan', a part's title, or an item's name."""
    place = find_place(steps) if steps else None
    if place is None:
        return "the plan"
    if place.is_item:
        return f"“{item_name(place.question, node_at(viewed, steps)[1], people(viewed))}”"
    return place.question.title


def _items_at(where: tuple[str, ...], place: Place, viewed: dict[str, Any]) -> list[tuple[str, str]]:
    """The items an id may name, as (id, name): a list from the top, or ('..', key) beside the
    item the page belongs to (a check's own results for one of its offers)."""
    if where[:1] == ("..",):
        around = place.steps[:-2] if place.is_item else place.steps[:-1]
        where = (*around, *where[1:])
    target = find_place(where)
    found, items = node_at(viewed, where)
    if target is None or not found or not isinstance(items, list):
        return []
    named = people(viewed)
    return [(str(i["id"]), item_name(target.question, i, named)) for i in items
            if isinstance(i, dict) and "id" in i]


def back_of(place: Place) -> str:
    """The page a Back link goes to: the part this one sits in (a list for an item)."""
    steps = place.steps[:-1]
    return url("part", steps) if steps else "/"


def item_name(q: Question, item: Any, named: list[tuple[str, str]] | None = None) -> str:
    """What a list item is called on a page: its name, its words, or its kind and date."""
    if not isinstance(item, dict):
        return q.item_title
    if "kind" in item:
        return check_name(item)
    for key in NAMING_KEYS:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            text = long_date(value) if key == "date" else value.strip()
            if key in ("member", "by"):
                text = dict(named or []).get(text, text)
            return text if len(text) <= 80 else text[:77].rstrip() + "…"
    return sentence_case(words(item.get("id", q.item_title)))


def _naming_key(item: dict[str, Any]) -> str:
    return next((k for k in NAMING_KEYS if isinstance(item.get(k), str) and item[k].strip()), "")


def _item_summary(q: Question, item: dict[str, Any], named: list[tuple[str, str]]) -> str:
    parts = []
    for child in q.children:
        if child.key in ("id", "visible_to") or not child.scalar or child.key not in item:
            continue
        if child.key == _naming_key(item):
            continue
        parts.append(f"{child.title}: {summary(child, item[child.key], named)}")
    return "; ".join(parts[:3])


def summary(q: Question, value: Any, named: list[tuple[str, str]] | None = None) -> str:
    """A value in a few plain words, for a summary list (people by their names)."""
    if value in (None, "", [], {}):
        return "Not given"
    if q.kind == "list" and isinstance(value, list):
        return f"{len(value)} {'item' if len(value) == 1 else 'items'}"
    if q.kind in ("group", "map") and isinstance(value, dict):
        filled = [c.title for c in q.children if c.key in value and c.key != "visible_to"]
        return ", ".join(filled[:4]) if filled else "Not given"
    if q.kind == "date":
        return long_date(value)
    if q.kind == "yes-no":
        return "Yes" if value is True else "No"
    if q.kind == "choice":
        return dict(q.options).get(str(value), str(value))
    if q.kind in ("person", "people"):
        names = dict(named or [])
        return ", ".join(names.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value]))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 160 else text[:157].rstrip() + "…"

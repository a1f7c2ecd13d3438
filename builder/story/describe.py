"""Plain-English words for parts of a plan, taken from the schema's titles.

The schema is the one place that names a field ("Target date", "Who does it"), so
labels and sentences read those titles rather than repeating them. This module
also knows how to name one list item (a goal by what it says, a medicine by its
name and dose) and how to show a value to a reader (dates as "1 March 2026",
care-team ids as people's names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from builder.plan import glossary
from builder.plan.labels import check_name
from builder.plan.readings import aim_words
from builder.plan.schema import shared_schema

#: Which fields name an item of each kind (the schema definition's name).
ITEM_NAMES: dict[str, tuple[str, ...]] = {
    "goal": ("what",),
    "action": ("what",),
    "request": ("what",),
    "medication": ("name", "dose"),
    "team_member": ("name",),
    "contact": ("name",),
    "text_item": ("text",),
    "view": ("text",),
    "note": ("text",),
    "result": ("date",),
    "health_check": ("label", "kind"),
    "review": ("date",),
    "involvement": ("by",),
    "carer": ("member",),
    "appointment": ("what_for", "date"),
    "relapse_stage": ("stage",),
    "advance_decision": ("refuses",),
    "physical_sign": ("text",),
    "request_part": ("what",),
    "offer": ("what",),
    "consent_record": ("what",),
}
#: Parts of the plan that only group others; labels skip them ("Physical health", not
#: "Wellbeing areas: Physical health").
GROUPING_KEYS = ("wellbeing",)
#: Item kinds too general to say ("Item"): the list's own title is said instead.
GENERIC_KINDS = ("Item",)
#: How long a quoted piece of plan text may be in a sentence.
QUOTE_LENGTH = 80

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def schema() -> dict[str, Any]:
    """The plan schema, read once per process (for reading only)."""
    return shared_schema()


def role_vocabulary() -> list[str]:
    """The roles a person may record an edit as, from the schema."""
    return list(schema()["definitions"]["role"]["enum"])


_UNKNOWN = object()


@dataclass(frozen=True)
class Node:
    """The schema of one value: the raw node (to see its ``$ref``) and the resolved one."""

    raw: dict[str, Any]
    resolved: dict[str, Any]

    @cached_property
    def definition(self) -> str | None:
        """The name of the definition this node refers to, if any (e.g. ``goal``)."""
        ref = self.raw.get("$ref", "")
        return ref.rsplit("/", 1)[-1] if ref.startswith("#/definitions/") else None

    @property
    def title(self) -> str | None:
        return self.resolved.get("title")

    def child(self, key: str | int) -> Node | None:
        """The node for a key of this mapping, or for an item of this list."""
        key = "[]" if isinstance(key, int) else key
        found = self._children.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._children[key] = self._child(key)
        return found  # type: ignore[return-value]

    @cached_property
    def _children(self) -> dict[str | int, Node | None]:
        return {}

    def _child(self, key: str | int) -> Node | None:
        if isinstance(key, int) or key == "[]":
            raw = self.resolved.get("items")
        else:
            raw = self.resolved.get("properties", {}).get(key)
        return node_of(raw) if isinstance(raw, dict) else None

    def is_person_ref(self) -> bool:
        return self._person_ref

    @cached_property
    def _person_ref(self) -> bool:
        if self.definition == "person_ref":
            return True
        items = self.resolved.get("items")
        return isinstance(items, dict) and items.get("$ref", "").endswith("/person_ref")

    def is_date(self) -> bool:
        return self.resolved.get("format") == "date"

    def has_enum(self) -> bool:
        return "enum" in self.resolved


_NODES: dict[int, Node] = {}


def node_of(raw: dict[str, Any]) -> Node:
    """The node for a part of the schema (the schema is read once, so its parts live on)."""
    node = _NODES.get(id(raw))
    if node is None or node.raw is not raw:
        node = _NODES[id(raw)] = Node(raw, _resolve(raw))
    return node


def root() -> Node:
    return node_of(schema())


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" not in node:
        return node
    target: Any = schema()
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    merged = dict(_resolve(target))
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    return merged


#: A field's title starting with these is said as it is, without "the": "what it found".
_SAID_AS_IS = ("what ", "who ", "how ", "when ", "why ", "where ", "whether ", "which ", "the ",
               "their ", "my ", "his ", "her ", "your ", "our ")


def field_words(title: str, node: Node | None) -> str:
    """A field named as a reader says it, never in quotes: 'the status', 'the date it was done',
    'what it found', 'who it was prescribed by' (data/glossary.json names the awkward ones). A
    statement used as a title (the involvement questions) stays quoted."""
    if not title:
        return "“”"
    said = glossary.field_words(title)
    if said:
        return said
    lowered = lower_first(title)
    first = lowered.split(" ", 1)[0].casefold()
    if node is not None and node.is_date():
        if title.endswith(" on") and " " in title:
            return f"the date it was {lowered[:-3]}"
        return f"the {lowered}" if "date" in lowered.casefold() else f"the {lowered} date"
    if node is not None and node.resolved.get("type") == "boolean":
        return f"“{title}”"
    if len(title.split()) > 5 and first in ("i", "we", "my", "the", "our"):
        return f"“{title}”"
    if lowered.casefold().startswith(_SAID_AS_IS):
        return lowered
    if first in ("in", "on", "at", "for", "to", "of", "by", "with", "because"):
        return f"“{title}”"
    for ending in (" by", " with", " of"):
        if title.endswith(ending) and " " in title:
            return f"who it was {lowered}" if not title.startswith("Shared") else f"who it is {lowered}"
    return f"the {lowered}"


def lower_first(text: str) -> str:
    """'Target date' -> 'target date', but 'NHS number' and 'I trust…' stay as they are."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def title_for(key: str, node: Node | None) -> str:
    """The schema's title for a field, or the key made readable if it has none."""
    if node and node.title:
        return node.title
    return key.replace("_", " ").capitalize()


@dataclass(frozen=True)
class People:
    """Names for person references, from what one audience may see of a plan."""

    names: dict[str, str]
    me: str

    def name(self, ref: Any) -> str:
        if ref == "me":
            return self.me
        if isinstance(ref, str) and ref in self.names:
            return self.names[ref]
        # The reference may point at someone this audience may not see: say no more.
        return "someone in the care team"


def people_of(*plans: Any) -> People:
    """Who the plan's person references name, in the given views (later ones win)."""
    names: dict[str, str] = {}
    me = "the person"
    for plan in plans:
        if not isinstance(plan, dict):
            continue
        person = plan.get("person")
        if isinstance(person, dict):
            chosen = person.get("preferred_name") or person.get("name")
            if isinstance(chosen, str) and chosen.strip():
                me = chosen.strip()
        team = plan.get("care_team")
        for member in team if isinstance(team, list) else []:
            if isinstance(member, dict) and isinstance(member.get("id"), str):
                name = member.get("name")
                if isinstance(name, str) and name.strip():
                    names[member["id"]] = name.strip()
    return People(names, me)


def role_label(role: str) -> str:
    """'key-worker' -> 'key worker', 'gp' -> 'GP'."""
    return " ".join("GP" if word == "gp" else word for word in role.split("-"))


def who(name: str | None, role: str | None) -> str:
    """'Sam Lee (carer)'."""
    if not name:
        return ""
    return f"{name} ({role_label(role)})" if role else name


def who_in(name: str | None, role: str | None, plan: dict[str, Any] | None) -> str:
    """'Jo Whitfield (pharmacist, not in Dan's care team list)' for someone the care team does not
    list, so a reader can place them; 'Sam Lee (carer)' for everyone else (and when the reader
    may not see the care team)."""
    said = who(name, role)
    if not name or not role or role == "person" or not isinstance(plan, dict) or \
            outside_care_team(name, plan) is not True:
        return said
    person = plan.get("person") if isinstance(plan.get("person"), dict) else {}
    called = person.get("preferred_name") or person.get("name") or "the person"
    return f"{name} ({role_label(role)}, not in {called}'s care team list)"


def outside_care_team(name: str, plan: dict[str, Any]) -> bool | None:
    """Whether the plan's care team lists nobody of this name (None: no care team to look in)."""
    team = plan.get("care_team")
    if not isinstance(team, list):
        return None
    listed = {" ".join(str(m.get("name", "")).split()).casefold() for m in team if isinstance(m, dict)}
    return " ".join(name.split()).casefold() not in listed


def quote(text: str) -> str:
    """Text in curly quotes, shortened at a word boundary if it is long."""
    flat = " ".join(text.split())
    if len(flat) > QUOTE_LENGTH:
        cut = flat[: QUOTE_LENGTH - 1]
        space = cut.rfind(" ")
        if space > QUOTE_LENGTH // 2:
            cut = cut[:space]
        flat = cut.rstrip(" ,;:.") + "…"
    return f"“{flat}”"


def quote_change(old: str, new: str) -> tuple[str, str]:
    """Both texts quoted; where shortening would hide what changed, from just before it."""
    before, after = " ".join(old.split()), " ".join(new.split())
    quoted = quote(before), quote(after)
    if quoted[0] != quoted[1] or before == after:
        return quoted
    pairs = enumerate(zip(before, after, strict=False))
    first = next((i for i, (a, b) in pairs if a != b), min(len(before), len(after)))
    start = before.rfind(" ", 0, max(0, first - 20)) + 1
    return quote("…" + before[start:]), quote("…" + after[start:])


def range_words(check: dict[str, Any]) -> str:
    """The range a plan agrees for a check, in words: '95 kg or less', '4 to 7 mmol/mol'.

    One wording for the site, the printed copy and the account (plan/readings.py)."""
    return aim_words(check)


def date_text(value: str) -> str:
    """'2026-03-01' -> '1 March 2026' (anything else as written)."""
    if _DATE.match(value):
        year, month, day = (int(p) for p in value.split("-"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{day} {_MONTHS[month - 1]} {year}"
    return value


def value_text(value: Any, node: Node | None, people: People) -> str:
    """A value as a reader should see it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        if node and node.is_person_ref():
            return people.name(value)
        if node and node.is_date():
            return date_text(value)
        if node and node.has_enum():
            return value.replace("-", " ").replace("_", " ")
        return quote(value)
    if isinstance(value, list):
        item_node = node.child("[]") if node else None
        if all(not isinstance(v, (dict, list)) for v in value):
            shown = [value_text(v, item_node, people).strip("“”") for v in value]
            return ", ".join(shown) if shown else "nothing"
        names = [item_name(v, item_node, people) for v in value if isinstance(v, dict)]
        named = [n for n in names if n]
        if named:
            return ", ".join(quote(n) for n in named)
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        name = item_name(value, node, people)
        return quote(name) if name else ""  # a part with parts of its own: said by its title
    return quote(str(value))


def item_kind(node: Node | None) -> str | None:
    """'Goal', 'Medication'… or None for a kind too general to say."""
    if node is None or not node.title or node.title in GENERIC_KINDS:
        return None
    return node.title


def item_name(item: Any, node: Node | None, people: People) -> str:
    """What a list item is called: a goal by what it says, a medicine by name and dose."""
    if not isinstance(item, dict):
        return ""
    if node is not None and node.definition == "health_check":
        return check_name(item)  # the plan's own label, or the one table of check names
    fields = ITEM_NAMES.get(node.definition or "", ()) if node else ()
    for key in fields:
        value = item.get(key)
        if value is None or value == "":
            continue
        child = node.child(key) if node else None
        if key == "name" and "dose" in fields and isinstance(item.get("dose"), str):
            return " ".join(f"{value} {item['dose']}".split())
        text = value_text(value, child, people)
        if child and child.has_enum():
            return upper_first(text)
        return text.strip("“”") if text.startswith("“") else text
    for key in ("name", "what", "text", "label", "date"):
        if isinstance(item.get(key), str) and item[key].strip():
            return " ".join(item[key].split())
    return str(item.get("id", "")) if item.get("id") is not None else ""


def naming_fields(node: Node | None) -> tuple[str, ...]:
    return ITEM_NAMES.get(node.definition or "", ()) if node else ()

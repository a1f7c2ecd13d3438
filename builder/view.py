"""What one audience may see of a plan: the single place where privacy is decided.

Every renderer (site pages, search index, PDF, diffs, history summaries) is given
the result of :func:`view_plan` and nothing else, so nothing a person has not
shared can reach a page made for someone else.

The rule is "nearest says": an item's own ``visible_to`` decides for it; an item
without one follows the part of the plan it sits in; a part without one follows
the plan's ``sharing`` settings. The person and the team see every part by
default; the carer and the GP see the parts listed under ``sharing``.

Sharing can name people. An audience may be one carer, ``carer:<care-team id>``, so
two carers can see different things: ``visible_to`` may list that carer's id, and
``sharing`` may have settings under it (used instead of the carers' ones). Naming any
care-team member makes an item visible to the output made for them: a carer's own
output, the GP practice's for its GP and practice nurse, the team's for the others.
A carer's own needs and assessment are seen by that carer and the team. The plain
``carer`` audience is every carer at once: it sees what is shared with carers, and
what names a carer only when the plan has just one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from builder.plan.due import NEXT_REVIEW  # noqa: F401 - where the view passes the date on
from builder.plan.schema import PERSON_FIELDS, PERSON_LIST_FIELDS

AUDIENCES = ("person", "carer", "gp", "team")
#: One carer's own audience: ``carer:`` and their care-team id.
NAMED_CARER = re.compile(r"^carer:([a-z0-9][a-z0-9-]{0,63})$")
#: Care-team roles whose outputs are the GP practice's.
GP_ROLES = ("gp", "practice-nurse")

#: What the carer and the GP see when a plan has no ``sharing`` settings: little
#: for the carer (the person decides the rest), what coordination needs for the GP.
DEFAULT_SHARING: dict[str, tuple[str, ...]] = {
    "carer": ("care_team", "crisis", "carers"),
    "gp": ("care_team", "goals", "actions", "health_checks", "medications", "requests", "reviews"),
}

#: Parts that every audience sees: who the plan is about, and the plan's format.
ALWAYS_SHOWN = ("schema_version", "person")
#: The person's identifying details. The team and the GP practice always see them (they are
#: how a record is matched); a carer only when ``sharing`` lists ``personal_details`` for them.
PERSONAL_DETAILS = ("date_of_birth", "nhs_number")
#: Settings about sharing are for the person and the team only.
TEAM_AND_PERSON_ONLY = ("sharing",)
#: A carer's own needs and assessment: seen by the carers and the team, whatever the
#: person shares of the rest, unless the field says otherwise with its own ``visible_to``.
CARERS_OWN = ("their_needs", "assessment")
#: What a reference to a care-team member hidden from the audience becomes. Ids are
#: often names ("dr-okafor"), so a hidden member's id must not reach the audience either.
HIDDEN_PERSON = "someone in the care team"


def view_plan(
    plan: dict[str, Any], audience: str, memo: dict[Any, Any] | None = None
) -> dict[str, Any]:
    """A copy of the plan holding only what this audience may see.

    ``memo`` (optional, any dict kept between calls) lets many versions of a plan that
    share unchanged parts (as history's loader makes them) filter each part once.
    """
    kind = audience_kind(audience)
    who = _who(plan, audience, kind)
    sharing = plan.get("sharing") if isinstance(plan.get("sharing"), dict) else {}
    result: dict[str, Any] = {}
    for section, value in plan.items():
        if section in ALWAYS_SHOWN:
            result[section] = _filter_once(value, who, True, memo)
            if section == "person" and kind == "carer" and isinstance(result[section], dict) and \
                    not _section_default("personal_details", kind, who, sharing):
                result[section] = {k: v for k, v in result[section].items() if k not in PERSONAL_DETAILS}
            continue
        if section in TEAM_AND_PERSON_ONLY:
            if kind in ("person", "team"):
                result[section] = value
            continue
        shown = _section_default(section, kind, who, sharing)
        if section == "carers":
            kept = _carers(value, kind, who, shown)
        else:
            kept = _filter_once(value, who, shown, memo)
        if kept is not _HIDDEN:
            result[section] = kept
    hidden = _team_ids(plan) - _team_ids(result)
    return _mask_people(result, hidden) if hidden else result


def audience_kind(audience: str) -> str:
    """person, carer, gp or team: what kind of audience this is (``carer:sam`` is a carer)."""
    if audience in AUDIENCES:
        return audience
    if NAMED_CARER.match(audience):
        return "carer"
    raise ValueError(f"unknown audience {audience!r}")


def is_audience(audience: str) -> bool:
    return audience in AUDIENCES or bool(NAMED_CARER.match(audience))


def plan_carers(plan: dict[str, Any]) -> dict[str, str]:
    """The plan's carers, care-team id -> name: its care team's carers and its carers' members."""
    team = {m["id"]: m for m in plan.get("care_team") or [] if isinstance(m, dict)
            and isinstance(m.get("id"), str)}
    ids = [i for i, m in team.items() if m.get("role") == "carer"]
    ids += [c["member"] for c in plan.get("carers") or [] if isinstance(c, dict)
            and isinstance(c.get("member"), str) and c["member"] in team and c["member"] not in ids]
    return {i: str(team[i].get("name") or i) for i in ids}


def unknown_carer(plan: dict[str, Any], audience: str, plan_id: str = "") -> str | None:
    """Why ``carer:ID`` would make a copy for nobody (ID is no carer of this plan), or None.

    A typo in a carer's id must never quietly make a copy that nobody may read."""
    import difflib

    named = NAMED_CARER.match(audience)
    if not named or not isinstance(plan, dict):
        return None
    carers = plan_carers(plan)
    if named.group(1) in carers:
        return None
    whose = f"plans/{plan_id}.yaml" if plan_id else "this plan"
    if not carers:
        return (f"'{audience}' names no carer of {whose}: its care team has no carer. "
                "Use another audience, or add the carer to the care team with role: carer.")
    listed = ", ".join(f"carer:{i} ({name})" for i, name in carers.items())
    close = difflib.get_close_matches(named.group(1), list(carers), n=1, cutoff=0.5)
    guess = f" Did you mean carer:{close[0]}?" if close else ""
    return f"'{audience}' names no carer of {whose}. Its carers are {listed}.{guess}"


def unknown_carer_in_files(paths: list[Path], audience: str, keep_none: bool = False) -> list[Any]:
    """:func:`unknown_carer` for plan files (none read unless the audience names a carer).

    ``keep_none``: one answer per file, None where the carer is theirs. A file that cannot
    be read is left to the check that reports its problems."""
    if not NAMED_CARER.match(audience):
        return [None] * len(paths) if keep_none else []
    from builder.plan.load import load_plan

    said = [unknown_carer(load_plan(path).data, audience, path.stem) if path.is_file() else None
            for path in paths]
    return said if keep_none else [why for why in said if why]


def _who(plan: dict[str, Any], audience: str, kind: str) -> frozenset[str]:
    """The words in a ``visible_to`` that mean this audience: its kind, and the people it is for."""
    team = [m for m in plan.get("care_team") or [] if isinstance(m, dict) and isinstance(m.get("id"), str)]
    named = NAMED_CARER.match(audience)
    if named:
        names = {named.group(1)}
    elif kind == "carer":
        carers = [m["id"] for m in team if m.get("role") == "carer"]
        names = set(carers) if len(carers) == 1 else set()
    elif kind == "gp":
        names = {m["id"] for m in team if m.get("role") in GP_ROLES}
    elif kind == "team":
        names = {m["id"] for m in team if m.get("role") not in (*GP_ROLES, "carer", "person")}
    else:
        names = {"me"}  # the person, as plans name them elsewhere
    return frozenset({kind, *names})


def _carers(value: Any, kind: str, who: frozenset[str], shown: bool) -> Any:
    """The carers part: each carer's own needs are for that carer and the team; the rest as usual."""
    if not isinstance(value, list):
        return _filter(value, who, shown)
    kept_items = []
    for item in value:
        if not isinstance(item, dict):
            child = _filter(item, who, shown)
            if child is not _HIDDEN:
                kept_items.append(child)
            continue
        item_shown = may_see(item, who, shown)
        own_default = kind == "team" or (kind == "carer" and item.get("member") in who)
        kept: dict[str, Any] = {}
        for key, child in item.items():
            child_kept = _filter(child, who, own_default if key in CARERS_OWN else item_shown)
            if child_kept is not _HIDDEN:
                kept[key] = child_kept
        if any(key in kept for key in CARERS_OWN):
            # Whose needs they are, so the page can say so.
            kept.setdefault("id", item.get("id"))
            if "member" in item:
                kept.setdefault("member", item["member"])
        if _has_content(kept):
            kept_items.append(kept)
    if not shown and not kept_items:
        return _HIDDEN
    return kept_items


def _team_ids(plan: dict[str, Any]) -> set[str]:
    team = plan.get("care_team")
    if not isinstance(team, list):
        return set()
    return {m["id"] for m in team if isinstance(m, dict) and isinstance(m.get("id"), str)}


def _mask_people(node: Any, hidden: set[str], key: str = "") -> Any:
    """References to hidden people replaced; parts with none are returned as they are."""
    if isinstance(node, str):
        return HIDDEN_PERSON if key in PERSON_FIELDS and node in hidden else node
    if isinstance(node, list):
        if key in PERSON_LIST_FIELDS:
            items = [HIDDEN_PERSON if isinstance(v, str) and v in hidden else v for v in node]
        else:
            items = [_mask_people(v, hidden) for v in node]
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    if isinstance(node, dict):
        masked = {k: _mask_people(v, hidden, k) for k, v in node.items()}
        return node if all(masked[k] is node[k] for k in node) else masked
    return node


def _filter_once(value: Any, who: frozenset[str], inherited: bool, memo: dict[Any, Any] | None) -> Any:
    """_filter, remembered for this very object (kept in the memo so its id stays its own)."""
    if memo is None:
        return _filter(value, who, inherited)
    key = (id(value), who, inherited)
    hit = memo.get(key)
    if hit is None or hit[0] is not value:
        hit = memo[key] = (value, _filter(value, who, inherited))
    return hit[1]


def may_see(item: Any, who: frozenset[str], inherited: bool) -> bool:
    """Whether an item is shown, given what its enclosing part decided."""
    if isinstance(item, dict) and isinstance(item.get("visible_to"), list):
        return any(isinstance(w, str) and w in who for w in item["visible_to"])
    return inherited


def _section_default(section: str, kind: str, who: frozenset[str], sharing: dict[str, Any]) -> bool:
    if kind in ("person", "team"):
        return True
    chosen = None
    if kind == "carer":
        # A carer's own settings, if the plan has them, instead of the carers' ones.
        named = [sharing[w] for w in sorted(who - {kind}) if isinstance(sharing.get(w), list)]
        chosen = named[0] if len(named) == 1 else None
    if chosen is None:
        chosen = sharing.get(kind)
    allowed = chosen if isinstance(chosen, list) else DEFAULT_SHARING[kind]
    return section in allowed


class _Hidden:
    pass


_HIDDEN = _Hidden()


def _filter(value: Any, who: frozenset[str], inherited: bool) -> Any:
    """Keep what may be seen; _HIDDEN when nothing of value may be."""
    shown = may_see(value, who, inherited)
    if isinstance(value, dict):
        kept = {}
        for key, child in value.items():
            child_kept = _filter(child, who, shown)
            if child_kept is not _HIDDEN:
                kept[key] = child_kept
        # A part that is hidden may still hold an item explicitly shared with this audience.
        if not shown and not _has_content(kept):
            return _HIDDEN
        return kept
    if isinstance(value, list):
        items = [_filter(child, who, shown) for child in value]
        kept_items = [child for child in items if child is not _HIDDEN]
        if not shown and not kept_items:
            return _HIDDEN
        return kept_items
    return value if shown else _HIDDEN


def _has_content(kept: dict[str, Any]) -> bool:
    return any(key not in ("id", "visible_to") for key in kept)


# --- what the others may not see: marked on the person's and the team's copies ----------

#: On an item or part of a marked view: a sentence saying who else may not see it (or
#: may, where an item is shared though the part around it is not).
NOTE = "_privacy_note"
#: On a marked view: {top-level part: its sentence}, for parts that are lists.
PART_NOTES = "_privacy_parts"
#: On a marked view: the other audiences that may see everything in it (who may sign it).
SEEN_IN_FULL_BY = "_seen_in_full_by"
#: On a carer's or GP's marked view: {top-level part: a sentence} for a part they see only
#: because something in it is shared with them (context, not a mark of anything hidden).
SHARED_FROM = "_shared_from"
#: On a marked view: the kind of audience it is for (person, carer, gp or team), so a page
#: can say whose it is and what it holds.
COPY_FOR = "_copy_for"
#: On a marked view that may not see the reviews: the next review's date, when someone this
#: audience is for was at the last review (invited to them, so they are told when the next is).
#: The audiences whose pages say what the others may not see.
MARKED_FOR = ("person", "team")

_YOUR = {"team": "your care team", "carer": "your carer", "gp": "your GP", "person": "you"}
_THE = {"team": "the care team", "carer": "the carer", "gp": "the GP", "person": "the person"}


def marked_view(plan: dict[str, Any], audience: str) -> dict[str, Any]:
    """view_plan, plus who else may see it: notes on what the carer, the GP (or the person,
    or the team) may not see, for the person's and the team's pages; and, for every
    audience, the others who may see all of it."""
    viewed = view_plan(plan, audience)
    others = [a for a in AUDIENCES if a != audience]
    sharing = plan.get("sharing") if isinstance(plan.get("sharing"), dict) else {}
    whos = {b: _who(plan, b, b) for b in others}
    marker = _Marker(audience, others, whos)
    for section in list(viewed):
        inherited = {b: _part_shown(section, b, whos[b], sharing) for b in others}
        note = marker.walk(viewed, section, plan.get(section), inherited, frozenset())
        if note:
            viewed.setdefault(PART_NOTES, {})[section] = note
    person = viewed.get("person") if isinstance(viewed.get("person"), dict) else {}
    if audience in MARKED_FOR and any(k in person for k in PERSONAL_DETAILS) and \
            "carer" in others and not _section_default("personal_details", "carer", whos["carer"], sharing):
        # Who may not see the details that say who the person is, said where they are shown.
        marker.missing.add("carer")
        said = "Your date of birth and NHS number are" if audience == "person" else \
            "The date of birth and NHS number are"
        the = "your" if audience == "person" else "the"
        viewed.setdefault(PART_NOTES, {})["person"] = f"{said} not shared with {the} carer"
    kind = audience_kind(audience)
    if kind in ("carer", "gp"):
        # A part this reader sees only because an item in it is shared with them: say so, so a
        # lone card is not read as the whole part (it never says whether anything else exists).
        who = _who(plan, audience, kind)
        called = person.get("preferred_name") or person.get("name") or "The person"
        for section in [s for s in viewed if s not in (*ALWAYS_SHOWN, *TEAM_AND_PERSON_ONLY)
                        and not s.startswith("_")]:
            if not _section_default(section, kind, who, sharing):
                viewed.setdefault(SHARED_FROM, {})[section] = \
                    f"From this part of the plan, {called} shares only what is shown here"
    viewed[SEEN_IN_FULL_BY] = [b for b in others if b not in marker.missing]
    viewed[COPY_FOR] = kind
    return _with_next_review(viewed, plan, audience)


def due_view(plan: dict[str, Any], audience: str) -> dict[str, Any]:
    """What one audience may see, plus the next review's date for a reader who was at the last
    review but may not read the reviews: what the model of what is due is made from, for the
    calendar, the export and 'wellplan due' as for the pages and copies (marked_view)."""
    return _with_next_review(view_plan(plan, audience), plan, audience)


def _with_next_review(viewed: dict[str, Any], plan: dict[str, Any], audience: str) -> dict[str, Any]:
    if not viewed.get("reviews"):
        invited = _next_review_for(plan, _who(plan, audience, audience_kind(audience)))
        if invited:
            viewed[NEXT_REVIEW] = invited
    return viewed


def _next_review_for(plan: dict[str, Any], who: frozenset[str]) -> Any:
    """The next review's date, if anyone this audience is for attended the latest review."""
    reviews = [r for r in plan.get("reviews") or [] if isinstance(r, dict) and r.get("date")]
    if not reviews:
        return None
    latest = max(reviews, key=lambda r: str(r["date"]))
    attended = latest.get("attended") if isinstance(latest.get("attended"), list) else []
    return latest.get("next_review_due") if who & set(attended) else None


def _part_shown(section: str, audience: str, who: frozenset[str], sharing: dict[str, Any]) -> bool:
    if section in ALWAYS_SHOWN:
        return True
    if section in TEAM_AND_PERSON_ONLY:
        return audience in ("person", "team")
    return _section_default(section, audience, who, sharing)


class _Marker:
    """Walks a view beside the plan it came from, working out who else sees each part."""

    def __init__(self, audience: str, others: list[str], whos: dict[str, frozenset[str]]) -> None:
        self.audience, self.others, self.whos = audience, others, whos
        self.missing: set[str] = set()  # others that may not see something in the view

    def walk(self, parent: Any, key: Any, source: Any, inherited: dict[str, bool],
             outer: frozenset[str]) -> str:
        """Mark parent[key] and what it holds; returns the part's own note, if it needs one."""
        return self._walk(parent, key, source, inherited, outer)[0]

    def _walk(self, parent: Any, key: Any, source: Any, inherited: dict[str, bool],
              outer: frozenset[str]) -> tuple[str, frozenset[str]]:
        """The note for parent[key], and the others who may see anything in it."""
        node = parent[key]
        if key in CARERS_OWN and isinstance(parent, dict) and "member" in parent:
            # A carer's own needs: the carers' and the team's, whatever the part around says.
            inherited = {b: b == "team" or (b == "carer" and parent["member"] in self.whos[b])
                         for b in self.others}
        shown = {b: may_see(source, self.whos[b], inherited[b]) for b in self.others}
        hidden = frozenset(b for b, yes in shown.items() if not yes)
        self.missing |= hidden
        reach = frozenset(b for b, yes in shown.items() if yes)
        if isinstance(node, dict) and isinstance(source, dict):
            for child in list(node):
                if child in source and child not in (NOTE, "visible_to"):
                    reach |= self._walk(node, child, source[child], shown, hidden)[1]
        elif isinstance(node, list) and isinstance(source, list):
            by_id = {s.get("id"): s for s in source if isinstance(s, dict) and "id" in s}
            for index, item in enumerate(node):
                if isinstance(item, dict) and item.get("id") in by_id:
                    reach |= self._walk(node, index, by_id[item["id"]], shown, hidden)[1]
        note = self.note(hidden, outer) if self.audience in MARKED_FOR else ""
        wider = [b for b in self.others if b in hidden & reach]
        if note and wider and not isinstance(key, int):
            # Something inside is shared more widely than the part: the part's label says so,
            # so it never contradicts the label on that item.
            names = _YOUR if self.audience == "person" else _THE
            note += f", except what is marked as shared with {_joined([names[b] for b in wider])}"
        if note and isinstance(node, dict):
            parent[key] = {**node, NOTE: note}
        return note, reach

    def note(self, hidden: frozenset[str], outer: frozenset[str]) -> str:
        """The sentence for a part whose readers differ from the part around it, else ""."""
        if hidden == outer:
            return ""
        names = _YOUR if self.audience == "person" else _THE
        shared = _joined([names[b] for b in self.others if b in outer - hidden])
        if not hidden - outer:
            return f"Shared with {shared}"
        note = _not_seen_by(hidden, self.audience)
        return f"{note}, but shared with {shared}" if shared else note


def _not_seen_by(hidden: frozenset[str], audience: str) -> str:
    if audience == "person":
        if {"team", "carer", "gp"} <= hidden:
            return "Only you see this"
        if hidden == {"carer", "gp"}:
            return "Only you and your care team see this"
        return "Not shared with " + _joined([_YOUR[b] for b in ("team", "carer", "gp") if b in hidden])
    if {"person", "carer", "gp"} <= hidden:
        return "Only the care team sees this"
    if hidden == {"carer", "gp"}:
        return "Only the person and the care team see this"
    return "Not shared with " + _joined([_THE[b] for b in ("person", "carer", "gp") if b in hidden])


def _joined(names: list[str]) -> str:
    return " or ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " or " + names[-1]

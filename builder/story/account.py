"""The account of change: what changed between two versions of a plan, told once.

``wellplan diff``, ``wellplan history``, the site's "What changed", "Compare two
reviews" and History pages and the printed copy all tell change from an
:class:`Account`, so they say the same thing in the same words.

An account is made from the recorded edits in the period, each already seen by
one audience (``timeline``), not from the net difference alone: everyone whose
edit changed something the audience may see is named, with what they did, even
when someone else changed the same thing later. Each thing that changed (a goal,
a check, a field) is one :class:`Line`, under the plan's own section headings, its
steps in date order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from builder.plan import labels
from builder.story import describe as d
from builder.story import phrases
from builder.story.diff import Change
from builder.story.history import Revision
from builder.story.worddiff import Piece, plain_text

_THING = re.compile(r"^(.*?\[id=[^\]]*\])")
#: What the summary counts, in the order it says them: (key, one, many).
_TALLY = (
    ("result", "new result", "new results"),
    ("check", "new check", "new checks"),
    ("check-changed", "check changed", "checks changed"),
    ("medicine-added", "medicine started", "medicines started"),
    ("medicine-changed", "medicine changed", "medicines changed"),
    ("medicine-removed", "medicine stopped", "medicines stopped"),
    ("goal-added", "new goal", "new goals"),
    ("goal-changed", "goal updated", "goals updated"),
    ("goal-removed", "goal removed", "goals removed"),
    ("request-added", "new request", "new requests"),
    ("request-done", "request done", "requests done"),
    ("request-changed", "request updated", "requests updated"),
    ("request-removed", "request removed", "requests removed"),
    ("action-added", "new action", "new actions"),
    ("action-done", "action done", "actions done"),
    ("action-changed", "action updated", "actions updated"),
    ("action-removed", "action removed", "actions removed"),
    ("review", "review recorded", "reviews recorded"),
    ("other", "other change", "other changes"),
)
NOT_RECORDED = "not recorded yet"
NOTES_HEADING = "Notes given with edits that changed several things"


@dataclass(frozen=True)
class Step:
    """What one recorded edit did to one thing."""

    by: str | None
    role: str | None
    when: datetime | None
    commit: str | None
    note: str | None
    said: phrases.Said
    #: Settled by the person merging two lines of edits (a conflict, or what they typed then).
    merging: bool = False

    def who(self) -> str:
        return d.who(self.by, self.role) if self.by else "Someone"

    def pieces(self, with_who: bool = True, then: bool = False) -> list[Piece]:
        """The step as a clause; ``then``: the same person as the step before, not named again.

        Details follow the verb they belong to; when they all belong to the last verb, the
        date comes before them ("recorded a result on 7 July 2025: 44 mmol/mol…")."""
        verbs, details = list(self.said.verbs), list(self.said.details)
        who = ("then" if then else self.who()) if with_who else ""
        when = (f"on {_day(self.when)}" if self.when else f"({NOT_RECORDED})") if with_who else ""
        if self.merging:
            when = f"when merging the edits{' ' + when if when else ''}"
        out: list[Piece] = []
        if all(index == len(verbs) - 1 for index, _ in details):
            head = " ".join(p for p in (who, _and(verbs), when) if p)
            out.append(Piece("text", head if with_who else d.upper_first(head)))
            for n, (_, detail) in enumerate(details):
                out.append(Piece("text", ": " if n == 0 else "; "))
                out += list(detail)
        else:
            head = " ".join(p for p in (who, when) if p)
            if head:
                out.append(Piece("text", f"{head}, "))
            for i, verb in enumerate(verbs):
                sep = "" if i == 0 else ("; and " if i == len(verbs) - 1 else "; ")
                out.append(Piece("text", sep + (verb if with_who or i else d.upper_first(verb))))
                for n, (_, detail) in enumerate(x for x in details if x[0] == i):
                    out.append(Piece("text", ": " if n == 0 else ", "))
                    out += list(detail)
        if self.note and with_who:  # the history says an edit's note once, with the edit
            out.append(Piece("text", f" (note: “{' '.join(self.note.split())}”)"))
        return out


@dataclass
class Line:
    """One thing that changed (a goal, a check, a field), with every edit that changed it."""

    key: str
    section: str
    order: tuple[int, int]
    lead: str
    definition: str
    steps: list[Step] = field(default_factory=list)
    after: Any = None  # the thing as the last step left it (None: removed)
    extra: str = ""  # a closing fact, such as "Still waiting since 6 April 2026."

    @property
    def first(self) -> datetime | None:
        return next((s.when for s in self.steps if s.when), None)

    def pieces(self, with_who: bool = True) -> list[Piece]:
        out = [Piece("lead", self.lead)]
        for n, step in enumerate(self.steps):
            out.append(Piece("text", " — " if n == 0 else "; "))
            then = n > 0 and step.by is not None and (step.by, step.role) == \
                (self.steps[n - 1].by, self.steps[n - 1].role)
            out += step.pieces(with_who, then)
        if not out[-1].text.endswith((".", ".”", "!”", "?”", "…”", "?", "!")):
            out.append(Piece("text", "."))
        if self.extra and with_who:  # a state now, not at the time of one edit
            out.append(Piece("text", f" {self.extra}"))
        return _tidy(out)

    def step_pieces(self, with_who: bool = True) -> list[list[Piece]]:
        """Each step on its own (for a list under the thing's name), each a sentence."""
        out = []
        for step in self.steps:
            pieces = _tidy(step.pieces(with_who))
            if not pieces[-1].text.endswith((".", ".”", "!”", "?”", "…”", "?", "!")):
                pieces.append(Piece("text", "."))
            out.append(_tidy(pieces))
        return out

    def text(self, with_who: bool = True) -> str:
        return plain_text([Piece("text", p.text) if p.kind == "lead" else p
                           for p in self.pieces(with_who)])

    def tally(self) -> list[str]:
        said = [s.said for s in self.steps]
        results = sum(s.results for s in said)
        kind = self.definition
        added = any(s.added for s in said)
        removed = any(s.removed for s in said) and self.after is None
        if kind == "health_check":
            if results:
                return (["check"] if added else []) + ["result"] * results
            return ["check" if added else "check-changed"]
        if kind == "medication":
            if any(s.replaced for s in said):
                return ["medicine-changed"]
            return ["medicine-added" if added and not removed else
                    "medicine-removed" if removed else "medicine-changed"]
        if kind in ("goal", "request", "action"):
            if removed:
                return [f"{kind}-removed"]
            if kind == "request":
                # A result written into a request (or one of its parts, "Pulse 92 and 104") is a
                # new result too, counted as the account lists it beside the request's change.
                got = sum(1 for s in said for c in s.changes
                          if c.op == "added" and c.path.rsplit(".", 1)[-1] == "result")
                head = ["request-done"] if any(s.done for s in said) else \
                    ["request-added" if added else "request-changed"]
                return head + ["result"] * got
            if any(s.done for s in said):
                return [f"{kind}-done"] if kind != "goal" else ["goal-changed"]
            return [f"{kind}-added" if added else f"{kind}-changed"]
        if kind == "review":
            return ["review"]
        return ["other"]


@dataclass
class Account:
    """What changed in a plan over a period, for one audience."""

    plan_id: str
    audience: str
    lines: list[Line]
    unreadable: list[Revision] = field(default_factory=list)
    #: Names ("Sam Lee (carer)") of everyone whose edit is in the account, in order.
    people: list[str] = field(default_factory=list)
    pending: bool = False  # some changes are in the file but not recorded yet
    #: Notes given with edits that changed several things: (who, when, note), oldest first.
    notes: list[tuple[str, datetime, str]] = field(default_factory=list)

    def notes_said(self) -> list[str]:
        """'15 June 2026, Ruth Ellison (person): “Updated my own words.”', one per edit."""
        return [f"{_day(when)}, {who}: “{' '.join(note.split())}”" for who, when, note in self.notes]

    def sections(self) -> list[tuple[str, list[Line]]]:
        """The lines under the plan's own section headings, each section's in date order."""
        by_section: dict[str, list[Line]] = {}
        for line in sorted(self.lines, key=lambda line: line.order):
            by_section.setdefault(line.section, []).append(line)
        return [(heading, sorted(lines, key=_date_order)) for heading, lines in by_section.items()]

    def summary(self) -> str:
        """One line first: '3 new results, 1 medicine changed and 1 request done.'"""
        if not self.lines:
            return ""
        counts: dict[str, int] = {}
        for line in self.lines:
            for key in line.tally():
                counts[key] = counts.get(key, 0) + 1
        parts = [f"{counts[key]} {one if counts[key] == 1 else many}"
                 for key, one, many in _TALLY if counts.get(key)]
        return d.upper_first(_and(parts)) + "."

    def who_took_part(self) -> str:
        unrecorded = "Some changes are in the plan but not recorded yet, so nobody's name is on them."
        if not self.people:
            return unrecorded if self.pending else ""
        said = f"Who made these changes: {_and(self.people)}."
        return f"{said} {unrecorded}" if self.pending else said

    def as_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "people": list(self.people),
            "notes": [{"by": who, "when": when.isoformat(), "note": note}
                      for who, when, note in self.notes],
            "sections": [
                {"heading": heading, "lines": [_line_json(line) for line in lines]}
                for heading, lines in self.sections()
            ],
        }

    def as_text(self, marks: tuple[str, str, str, str] = ("[+", "+]", "[-", "-]")) -> list[str]:
        """The account as lines of plain text: summary, who, then each section's changes."""
        if not self.lines:
            return []
        out = [self.summary()]
        if self.who_took_part():
            out.append(self.who_took_part())
        for heading, lines in self.sections():
            out += ["", heading]
            for line in lines:
                if len(line.steps) == 1:
                    out.append(f"- {plain_text(_plain_lead(line.pieces()), marks)}")
                    continue
                # Several edits to one thing: its name, then each edit on a line of its own.
                out.append(f"- {line.lead}:")
                out += [f"    - {plain_text(step, marks)}" for step in line.step_pieces()]
                if line.extra:
                    out.append(f"    {line.extra}")
        if self.notes:
            out += ["", NOTES_HEADING]
            out += [f"- {said}" for said in self.notes_said()]
        if any(p.kind in ("ins", "del") for line in self.lines for p in line.pieces()):
            out += ["", f"Words added are shown {marks[0]}like this{marks[1]}; words taken out "
                    f"{marks[2]}like this{marks[3]}."]
        return out


def _date_order(line: Line) -> tuple[bool, float]:
    first = line.first
    return (first is None, first.timestamp() if first else 0.0)


def _plain_lead(pieces: list[Piece]) -> list[Piece]:
    return [Piece("text", p.text) if p.kind == "lead" else p for p in pieces]


def _line_json(line: Line) -> dict[str, Any]:
    return {
        "thing": line.key,
        "name": line.lead,
        "text": line.text(),
        "steps": [{
            "by": s.by, "role": s.role, "when": s.when.isoformat() if s.when else None,
            "commit": s.commit, "note": s.note, "text": plain_text(s.pieces(with_who=False)),
            "paths": [c.path for c in s.said.changes],
        } for s in line.steps],
    }


def account_between(story: Any, old_commit: str | None, new_commit: str | None) -> Account:
    """The account of what changed from one recorded version to another (None: now)."""
    made, pending, now = story.edits_between(old_commit, new_commit)
    steps: list[tuple[Revision | None, list[Change], dict[str, Any] | None]] = [
        (entry.revision, entry.changes, data) for entry, data in made if entry.readable]
    if pending:
        steps.append((None, pending, now))
    unreadable = [entry.revision for entry, _ in made if not entry.readable]
    return tell(story.plan_id, story.audience, steps, unreadable)


def account_of_entry(story: Any, entry: Any) -> Account:
    """The account of one recorded edit (for the history)."""
    data = story._seen[story._index(entry.revision.commit)].data
    return tell(story.plan_id, story.audience, [(entry.revision, entry.changes, data)], [])


def tell(plan_id: str, audience: str,
         edits: list[tuple[Revision | None, list[Change], dict[str, Any] | None]],
         unreadable: list[Revision]) -> Account:
    """An account from edits, oldest first: each edit's changes, and the plan as it left it."""
    lines: dict[str, Line] = {}
    people: list[str] = []
    for revision, changes, data in edits:
        groups: dict[str, list[Change]] = {}
        for change in changes:
            groups.setdefault(thing_key(change.path), []).append(change)
        said_any = False
        for key, group in phrases.pair_replacements(groups, data).items():
            said = phrases.say(key, group, data or {})
            if said is None:
                continue
            line = lines.get(key)
            if line is None:
                line = lines[key] = _new_line(key, group, data)
            line.after = said.after
            if said.lead:
                line.lead = said.lead
            line.steps.append(Step(
                revision.author if revision else None, revision.role if revision else None,
                revision.when if revision else None, revision.commit if revision else None,
                revision.note if revision else None, said, bool(revision and revision.merge)))
            said_any = True
        if said_any and revision is not None:
            name = d.who_in(revision.author, revision.role, data)
            if name not in people:
                people.append(name)
    for line in lines.values():
        line.extra = phrases.still_open(line.definition, line.after)
    # A note is said with the edit's one change; an edit that changed several things has its
    # note said once, below them all, rather than beside each.
    touched: dict[str, int] = {}
    for line in lines.values():
        for step in line.steps:
            if step.commit:
                touched[step.commit] = touched.get(step.commit, 0) + 1
    notes: list[tuple[str, datetime, str]] = []
    for revision, _, _ in edits:
        if revision is not None and revision.note and touched.get(revision.commit, 0) > 1:
            notes.append((d.who(revision.author, revision.role), revision.when, revision.note))
    for line in lines.values():
        line.steps = [replace(step, note=None) if touched.get(step.commit or "", 0) > 1 else step
                      for step in line.steps]
    pending = any(revision is None for revision, changes, _ in edits if changes)
    return Account(plan_id, audience, list(lines.values()), unreadable, people, pending, notes)


def thing_key(path: str) -> str:
    """The thing a change is part of: its outermost list item, or else the field itself."""
    found = _THING.match(path)
    return found.group(1) if found else path


def _new_line(key: str, changes: list[Change], data: dict[str, Any] | None) -> Line:
    top = key.split(".")[0].split("[")[0]
    names = list(labels.schema()["properties"])
    order = names.index(top) if top in names else len(names)
    sub = 0
    if top in d.GROUPING_KEYS:
        area = key.split(".")[1].split("[")[0] if "." in key else ""
        areas = list(labels.schema()["properties"][top].get("properties", {}))
        sub = areas.index(area) if area in areas else len(areas)
        section = labels.title_of_wellbeing(area) if area else labels.title(None, top)
    else:
        section = labels.title(None, top)
    definition = phrases.definition_at(key)
    return Line(key, section, (order, sub), phrases.lead(key, changes, data), definition)


def _and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _day(when: datetime) -> str:
    return d.date_text(when.date().isoformat())


def _tidy(pieces: list[Piece]) -> list[Piece]:
    """Merge neighbouring plain pieces."""
    out: list[Piece] = []
    for piece in pieces:
        if out and out[-1].kind == piece.kind == "text":
            out[-1] = Piece("text", out[-1].text + piece.text)
        else:
            out.append(piece)
    return [p for p in out if p.text]

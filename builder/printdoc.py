"""The printed review copy as a pandoc document: what one audience may see, in reading order.

This module only builds a pandoc document *model* (the ``pandoc`` package's types).
Plan text only ever becomes ``Str`` and ``Space`` elements, so pandoc's Typst writer
escapes every character of it: ``#read("/etc/passwd")`` in a plan prints as itself.
The only markup here is fixed text of our own (a page-break label, a colour).

It renders what it is given: :func:`print_copy` takes the plan *after*
:func:`builder.view.view_plan` and the story already filtered for the same audience.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import printtext as words
from .pdf import pandoc_types

T = pandoc_types()

_NO_ATTR: tuple[str, list[str], list[tuple[str, str]]] = ("", [], [])
#: Past these many changes the copy points to the full history instead.
MAX_CHANGES = 60

_CLOSED_ACTION = {"completed", "cancelled", "stopped"}
_CLOSED_REQUEST = {"done", "result-received", "declined", "cancelled"}
_CLOSED_GOAL = {"achieved", "stopped"}
_AREAS = ("mental_health", "physical_health", "life")


@dataclass(frozen=True)
class PrintCopy:
    """A review copy ready for pandoc: the document, its title and its footer line."""

    document: Any  # pandoc.types.Pandoc
    title: str
    footer: str


def print_copy(
    seen: dict[str, Any],
    story: Any | None,
    audience: str,
    today: date,
) -> PrintCopy:
    """The review copy of one plan, as this audience sees it (``story`` None: no history)."""
    doc = _Writer(seen, audience, today)
    version = _version_text(story)
    doc.first_block(version)
    if story is not None:
        doc.changes(story)
    doc.due()
    doc.about_me()
    doc.wellbeing()
    doc.health_checks()
    doc.medications()
    doc.requests()
    doc.carers()
    doc.care_team()
    doc.reviews()
    doc.crisis()
    doc.sign_off()
    name = doc.people.full_name
    title = f"Wellbeing plan for {name}"
    footer = f"{name} · wellbeing plan · version {version} · printed {words.long_date(today)}"
    return PrintCopy(T.Pandoc(T.Meta({}), doc.blocks), title, footer)


def _version_text(story: Any | None) -> str:
    last = getattr(story, "last_updated", None)
    if last is None:
        return "not yet recorded"
    version = f"{last.commit[:7]} of {words.long_date(last.when)}"
    return version + ", with changes not yet recorded" if _has_unrecorded(story) else version


# -- small builders: plan text only ever passes through text() --------------------------


def text(value: Any) -> list[Any]:
    """Inline elements for a value, word by word; a line break stays a line break."""
    out: list[Any] = []
    for token in re.split(r"(\s+)", words.plain(value)):
        if not token:
            continue
        if token.isspace():
            out.append(T.LineBreak() if "\n" in token else T.Space())
        else:
            out.append(T.Str(token))
    return out


def paragraphs(value: Any) -> list[Any]:
    """One paragraph per blank-line-separated part of a text."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", words.plain(value)) if p.strip()]
    return [T.Para(text(p)) for p in parts]


def strong(value: Any) -> Any:
    return T.Strong(text(value))


def shout(value: str) -> Any:
    """Bold dark red, for what is overdue; the words say it too, not only the colour."""
    return T.Strong([T.Span(("", [], [("typst:text:fill", 'rgb("#9b1111")')]), text(value))])


def heading(level: int, value: str) -> Any:
    return T.Header(level, _NO_ATTR, text(value))


def terms(rows: Iterable[tuple[str, list[Any] | None]]) -> list[Any]:
    """'Label: value' lines in one paragraph, one line each; rows without a value are left out."""
    inlines: list[Any] = []
    for label, value in rows:
        if not value:
            continue
        if inlines:
            inlines.append(T.LineBreak())
        inlines += [T.Strong(text(f"{label}:")), T.Space(), *value]
    return [T.Para(inlines)] if inlines else []


def bullets(items: Iterable[list[Any]]) -> list[Any]:
    rows = [[T.Plain(item)] for item in items if item]
    return [T.BulletList(rows)] if rows else []


def table(headers: list[str], rows: list[list[list[Any]]], widths: list[float],
          extra: list[tuple[str, str]] | None = None) -> Any:
    """A full-width table with a header row; each cell is a list of inlines."""

    def cell(inlines: list[Any]) -> Any:
        return T.Cell(_NO_ATTR, T.AlignDefault(), 1, 1, [T.Plain(inlines)] if inlines else [])

    head = T.TableHead(_NO_ATTR, [T.Row(_NO_ATTR, [cell(text(h)) for h in headers])])
    body = T.TableBody(_NO_ATTR, 0, [], [T.Row(_NO_ATTR, [cell(c) for c in row]) for row in rows])
    specs = [(T.AlignLeft(), T.ColWidth_(w)) for w in widths]
    attr = ("", ["typst:no-figure"], extra or [])
    return T.Table(attr, T.Caption(None, []), specs, head, [body], T.TableFoot(_NO_ATTR, []))


def join(parts: Iterable[list[Any]], sep: str = ", ") -> list[Any]:
    out: list[Any] = []
    for part in parts:
        if not part:
            continue
        if out:
            out += text(sep.rstrip()) + [T.Space()] if sep.endswith(" ") else text(sep)
        out += part
    return out


# -- the document ------------------------------------------------------------------------


class _People:
    """Names for person references, from what this audience may see of the care team."""

    def __init__(self, seen: dict[str, Any]) -> None:
        person = seen.get("person") or {}
        self.full_name = words.plain(person.get("name") or "this person")
        self.called = words.plain(person.get("preferred_name") or self.full_name)
        self.team = {
            m["id"]: m for m in seen.get("care_team") or [] if isinstance(m, dict) and "id" in m
        }

    def name(self, ref: Any) -> str:
        if ref == "me":
            return self.called
        member = self.team.get(ref)
        if member is None:
            return "someone in the care team"
        return words.plain(member.get("name") or "someone in the care team")

    def name_and_role(self, ref: Any) -> str:
        member = self.team.get(ref)
        if ref == "me" or member is None:
            return self.name(ref)
        return f"{self.name(ref)} ({words.role(member.get('role'))})"

    def key_worker(self) -> dict[str, Any] | None:
        marked = [m for m in self.team.values() if m.get("key_worker") is True]
        if marked:
            return marked[0]
        coordinators = [m for m in self.team.values() if m.get("role") in ("key-worker", "care-coordinator")]
        return coordinators[0] if coordinators else None


class _Writer:
    def __init__(self, seen: dict[str, Any], audience: str, today: date) -> None:
        self.seen = seen
        self.audience = audience
        self.today = today
        self.people = _People(seen)
        self.blocks: list[Any] = []

    def add(self, *blocks: Any) -> None:
        self.blocks.extend(blocks)

    def label(self, *path: str | int) -> str:
        return words.label(path)

    # -- first block: who, how to reach the key worker, which version ------------------

    def first_block(self, version: str) -> None:
        person = self.seen.get("person") or {}
        people = self.people
        self.add(heading(1, f"Wellbeing plan for {people.full_name}"))
        self.add(T.Para([T.Emph(text(words.copy_for(self.audience, people.called)))]))
        rows: list[tuple[str, list[Any] | None]] = [
            (self.label("person", "name"), text(people.full_name)),
            (self.label("person", "preferred_name"), text(person.get("preferred_name") or "")),
            (self.label("person", "pronouns"), text(person.get("pronouns") or "")),
            (self.label("person", "date_of_birth"), text(words.long_date(person.get("date_of_birth")))),
            (self.label("person", "nhs_number"), text(words.nhs_number(person.get("nhs_number")))),
        ]
        worker = people.key_worker()
        if worker is not None:
            rows.append(("Key worker", self._member_line(worker)))
        rows.append(("Printed on", text(words.long_date(self.today))))
        rows.append(("Recorded version", text(version)))
        review = _latest_review(self.seen)
        if review is not None:
            rows.append(("Last review", text(words.long_date(review.get("date")))))
            rows.append((self.label("reviews", 0, "next_review_due"),
                         self._when_due(review.get("next_review_due"))))
        self.add(*terms(rows))
        self.add(*self._communication(person.get("communication"), person.get("contact_preferences")))

    def _member_line(self, member: dict[str, Any]) -> list[Any]:
        who = ", ".join(words.plain(v) for v in (
            member.get("name"), words.role(member.get("role")), member.get("organisation")) if v)
        reach = " or ".join(f"{how} {words.plain(member[key])}" for key, how in
                            (("phone", "phone"), ("email", "email")) if member.get(key))
        return text(f"{who}. {words.upper_first(reach)}" if reach else who)

    def _communication(self, needs: Any, contact: Any) -> list[Any]:
        if not isinstance(needs, dict):
            needs = {}
        said = []
        for key in ("easy_read", "large_print", "interpreter"):
            if needs.get(key) is True:
                said.append(self.label("person", "communication", key))
        rows = [
            (self.label("person", "communication"), text(", ".join(said)) if said else None),
            (self.label("person", "communication", "language"), text(needs.get("language") or "")),
            (self.label("person", "communication", "notes"), text(needs.get("notes") or "")),
            (self.label("person", "contact_preferences"), text(contact or "")),
        ]
        return terms(rows)

    # -- what changed since the last review --------------------------------------------

    def changes(self, story: Any) -> None:
        self.add(heading(2, "What changed since the last review"))
        changes = list(getattr(story, "since_last_review", None) or [])
        last = _last_review_when(story)
        if last is not None:
            intro = f"The last review was on {words.long_date(last)}."
        else:
            intro = "No review has been recorded yet, so this lists every change so far."
        if not changes:
            self.add(T.Para(text(f"{intro} Nothing has changed since then." if last else
                                 "No changes have been recorded yet.")))
            return
        count = len(changes)
        self.add(T.Para(text(f"{intro} {count} change{'s' if count != 1 else ''}, "
                             "grouped by who made them and when:")))
        for (when, by, role), group in _grouped(changes[:MAX_CHANGES]):
            if by is None and when is None:
                line = "Changed in the plan but not yet recorded (nobody's name is on these yet)"
            else:
                line = f"{words.long_date(when)}, by {words.plain(by) or 'someone'}" if when else \
                    f"By {words.plain(by)}"
                if role:
                    line += f" ({words.role(role).lower()})"
            self.add(T.Para([strong(line)]))
            self.add(*bullets(text(words.upper_first(c.what())) for c in group))
        if count > MAX_CHANGES:
            self.add(T.Para(text(f"…and {count - MAX_CHANGES} more. Every change is listed in "
                                 "the plan's history on the website.")))

    # -- what is due or overdue --------------------------------------------------------

    def due(self) -> None:
        items = sorted(self._due_items(), key=lambda item: (item[0], item[1]))
        if not items and not any(k in self.seen for k in ("actions", "health_checks", "requests")):
            return
        self.add(heading(2, "What is due or overdue"))
        if not items:
            self.add(T.Para(text("Nothing has a date set yet.")))
            return
        overdue = sum(1 for when, _, _, waiting in items if when < self.today and not waiting)
        if overdue:
            self.add(T.Para([shout(f"{overdue} thing{'s are' if overdue != 1 else ' is'} overdue.")]))
        rows = [[text(what), text(who), self._waiting(when) if waiting else self._when_due(when)]
                for when, what, who, waiting in items]
        self.add(table(["What", "Who", "When"], rows, [0.44, 0.22, 0.34]))

    def _due_items(self) -> Iterable[tuple[date, str, str, bool]]:
        """(date, what, who, still waiting on another service) for everything with a date."""
        seen, people = self.seen, self.people
        review = _latest_review(seen)
        when = words.parse_date(review.get("next_review_due")) if review else None
        if when:
            yield when, "The next review of this plan", "Everyone", False
        for check in _items(seen.get("health_checks")):
            when = words.parse_date(check.get("next_due"))
            if when:
                who = people.name(check["responsible"]) if check.get("responsible") else ""
                yield when, words.check_name(check), who, False
        for action in _items(seen.get("actions")):
            when = words.parse_date(action.get("due"))
            if when and action.get("status") not in _CLOSED_ACTION:
                yield when, words.plain(action.get("what")), people.name(action.get("owner")), False
        for request in _items(seen.get("requests")):
            when = words.parse_date(request.get("asked_on"))
            if when and request.get("status") not in _CLOSED_REQUEST:
                what = f"Asked for: {words.plain(request.get('what'))}"
                yield when, what, people.name(request.get("to")), True
        for goal in _items(seen.get("goals")):
            when = words.parse_date(goal.get("target_date"))
            if when and goal.get("status") not in _CLOSED_GOAL:
                yield when, f"Goal: {words.plain(goal.get('what'))}", \
                    people.name(goal.get("expressed_by")), False

    def _waiting(self, asked: date) -> list[Any]:
        days = (self.today - asked).days
        since = f"Asked on {words.long_date(asked)}"
        return text(f"{since}, still waiting ({words.span(days)})" if days > 0 else since)

    def _when_due(self, value: Any) -> list[Any]:
        when = words.parse_date(value)
        if when is None:
            return text(words.plain(value or ""))
        days = (when - self.today).days
        if days < 0:
            return [shout("Overdue"), T.Space()] + text(
                f"since {words.long_date(when)} ({words.span(-days)} ago)")
        if days == 0:
            return [T.Strong(text("Due today"))]
        if days <= 28:
            return [T.Strong(text("Due soon:"))] + [T.Space()] + text(
                f"{words.long_date(when)} (in {words.span(days)})")
        return text(words.long_date(when))

    # -- the plan itself ---------------------------------------------------------------

    def about_me(self) -> None:
        about = self.seen.get("about_me")
        if not isinstance(about, dict):
            return
        self.add(heading(2, self.label("about_me")))
        for key in ("in_my_own_words", "what_matters_to_me", "a_good_day"):
            if about.get(key):
                self.add(heading(3, self.label("about_me", key)), *paragraphs(about[key]))
        strengths = _items(about.get("strengths"))
        if strengths:
            self.add(heading(3, self.label("about_me", "strengths")),
                     *bullets(text(s.get("text")) for s in strengths))

    def wellbeing(self) -> None:
        areas = self.seen.get("wellbeing")
        goals = _items(self.seen.get("goals"))
        actions = _items(self.seen.get("actions"))
        if not isinstance(areas, dict) and not goals and not actions:
            return
        areas = areas if isinstance(areas, dict) else {}
        self.add(heading(2, "My wellbeing"))
        self.add(T.Para(text("Mental health, physical health and the rest of life are set out the "
                             "same way, because each matters as much as the others.")))
        goal_area = {g.get("id"): g.get("area") for g in goals}
        for area in _AREAS:
            self._area(area, areas.get(area), [g for g in goals if g.get("area") == area],
                       [a for a in actions if (a.get("area") or goal_area.get(a.get("goal"))) == area])
        loose = [a for a in actions if (a.get("area") or goal_area.get(a.get("goal"))) not in _AREAS]
        if loose:
            self.add(heading(3, "Other actions"), self._actions_table(loose))

    def _area(self, area: str, value: Any, goals: list[dict], actions: list[dict]) -> None:
        if not isinstance(value, dict) and not goals and not actions:
            return
        value = value if isinstance(value, dict) else {}
        self.add(heading(3, self.label("wellbeing", area)))
        if value.get("in_my_own_words"):
            self.add(heading(4, self.label("wellbeing", area, "in_my_own_words")),
                     T.BlockQuote(paragraphs(value["in_my_own_words"])))
        if value.get("going_well"):
            self.add(heading(4, self.label("wellbeing", area, "going_well")),
                     *paragraphs(value["going_well"]))
        concerns = _items(value.get("concerns"))
        if concerns:
            self.add(heading(4, self.label("wellbeing", area, "concerns")),
                     *bullets(text(c.get("text")) for c in concerns))
        views = _items(value.get("other_views"))
        if views:
            self.add(heading(4, self.label("wellbeing", area, "other_views")),
                     *bullets(text(f"{self.people.name_and_role(v.get('by'))}: ") + text(v.get("text"))
                              for v in views))
        if goals:
            self.add(heading(4, "Goals"), *self._goals(goals))
        if actions:
            self.add(heading(4, "Actions"), self._actions_table(actions))

    def _goals(self, goals: list[dict]) -> list[Any]:
        blocks = []
        for goal in goals:
            whose = goal.get("expressed_by")
            owner = f"{self.people.called}'s own goal" if whose == "me" else \
                f"Suggested by {self.people.name_and_role(whose)}"
            notes = _items(goal.get("progress"))
            latest = notes[-1] if notes else None
            item = [T.Para([strong(goal.get("what"))])] + terms([
                (self.label("goals", 0, "why_it_matters"), text(goal.get("why_it_matters") or "")),
                (self.label("goals", 0, "expressed_by"), text(owner)),
                (self.label("goals", 0, "target_date"),
                 text(words.long_date(goal.get("target_date"))) if goal.get("target_date") else None),
                (self.label("goals", 0, "status"), text(words.status(goal.get("status")))),
                ("Latest progress", text(f"{words.long_date(latest.get('date'))}: ") +
                 text(latest.get("text")) if latest else None),
            ])
            blocks.append(item)
        return [T.BulletList(blocks)]

    def _actions_table(self, actions: list[dict]) -> Any:
        rows = []
        for action in actions:
            due = action.get("due")
            closed = action.get("status") in _CLOSED_ACTION
            rows.append([
                text(action.get("what")),
                text(self.people.name(action.get("owner"))),
                (text(words.long_date(due)) if closed else self._when_due(due)) if due else [],
                text(words.status(action.get("status"))),
            ])
        return table([self.label("actions", 0, "what"), self.label("actions", 0, "owner"),
                      self.label("actions", 0, "due"), self.label("actions", 0, "status")],
                     rows, [0.4, 0.2, 0.24, 0.16])

    def health_checks(self) -> None:
        if "health_checks" not in self.seen:
            return
        checks = _items(self.seen.get("health_checks"))
        self.add(heading(2, self.label("health_checks")))
        if not checks:
            self.add(T.Para(text("No checks recorded yet.")))
            return
        rows = []
        for check in checks:
            results = _items(check.get("results"))
            latest = results[-1] if results else None
            result = text(words.result(latest, check)) if latest else text("No result yet")
            if latest and latest.get("date"):
                result += [T.LineBreak()] + text(f"on {words.long_date(latest.get('date'))}")
            rows.append([
                [T.Strong(text(words.check_name(check)))],
                result,
                text(words.plain_range(check)),
                self._when_due(check.get("next_due")) if check.get("next_due") else [],
            ])
        self.add(table(["Check", "Latest result", self.label("health_checks", 0, "range"),
                        self.label("health_checks", 0, "next_due")], rows, [0.25, 0.27, 0.2, 0.28]))
        for check in checks:
            if check.get("in_my_own_words"):
                self.add(heading(3, f"{words.check_name(check)}, in my own words"),
                         T.BlockQuote(paragraphs(check["in_my_own_words"])))

    def medications(self) -> None:
        if "medications" not in self.seen:
            return
        meds = _items(self.seen.get("medications"))
        self.add(heading(2, self.label("medications")))
        if not meds:
            self.add(T.Para(text("No medicines recorded.")))
            return
        for med in meds:
            label = lambda key: self.label("medications", 0, key)  # noqa: E731
            explained = med.get("side_effects_explained")
            self.add(heading(3, f"{words.plain(med.get('name'))}, {words.plain(med.get('dose'))}"))
            self.add(*terms([
                (label("purpose"), text(med.get("purpose") or "")),
                (label("prescriber"),
                 text(self.people.name_and_role(med["prescriber"])) if med.get("prescriber") else None),
                (label("started"), text(words.long_date(med.get("started")))),
                (label("monitoring"), text(med.get("monitoring") or "")),
                (label("side_effects"), text(med.get("side_effects") or "")),
                (label("side_effects_explained"),
                 text(words.yes_no(explained)) if isinstance(explained, bool) else None),
            ]))

    def requests(self) -> None:
        if "requests" not in self.seen:
            return
        requests = _items(self.seen.get("requests"))
        self.add(heading(2, self.label("requests")))
        if not requests:
            self.add(T.Para(text("No requests recorded.")))
            return
        rows = []
        for req in requests:
            status = text(words.status(req.get("status")))
            if req.get("done_on"):
                status += text(f" on {words.long_date(req['done_on'])}")
            if req.get("result"):
                status += [T.LineBreak()] + text("Result: ") + text(req["result"])
            rows.append([
                text(req.get("what")),
                text(f"{self.people.name(req.get('from'))} asked {self.people.name(req.get('to'))}"),
                text(words.long_date(req.get("asked_on"))),
                status,
            ])
        self.add(table([self.label("requests", 0, "what"), "Who asked whom",
                        self.label("requests", 0, "asked_on"), "What happened"],
                       rows, [0.34, 0.24, 0.16, 0.26]))

    def carers(self) -> None:
        carers = _items(self.seen.get("carers"))
        if not carers:
            return
        self.add(heading(2, self.label("carers")))
        for carer in carers:
            label = lambda key: self.label("carers", 0, key)  # noqa: E731
            offered = carer.get("carer_assessment_offered")
            self.add(heading(3, self.people.name(carer.get("member"))))
            self.add(*terms([
                (label("their_role"), text(carer.get("their_role") or "")),
                (label("agreed_to_share"), text(carer.get("agreed_to_share") or "")),
                (label("their_needs"), text(carer.get("their_needs") or "")),
                (label("carer_assessment_offered"),
                 text(words.yes_no(offered)) if isinstance(offered, bool) else None),
            ]))

    def care_team(self) -> None:
        team = list(self.people.team.values())
        if not team:
            return
        self.add(heading(2, self.label("care_team")))
        rows = []
        for member in team:
            role = text(words.role(member.get("role")))
            if member.get("key_worker") is True:
                role += [T.LineBreak(), T.Strong(text("Named key worker"))]
            reach = join([text(member.get("phone") or ""), text(member.get("email") or "")], "; ")
            rows.append([
                [T.Strong(text(member.get("name")))] + (
                    [T.LineBreak()] + text(member["organisation"]) if member.get("organisation") else []),
                role,
                reach,
                text(words.long_date(member.get("since"))),
            ])
        self.add(table(["Name", self.label("care_team", 0, "role"), "How to reach them",
                        self.label("care_team", 0, "since")], rows, [0.3, 0.22, 0.3, 0.18]))

    def reviews(self) -> None:
        reviews = _items(self.seen.get("reviews"))
        if not reviews:
            return
        self.add(heading(2, self.label("reviews")))
        latest = _latest_review(self.seen) or reviews[-1]
        label = lambda key: self.label("reviews", 0, key)  # noqa: E731
        self.add(heading(3, f"Last review: {words.long_date(latest.get('date'))}"))
        self.add(*terms([
            (label("attended"), text(", ".join(self.people.name(r) for r in latest.get("attended") or []))),
            (label("next_review_due"), self._when_due(latest.get("next_review_due"))),
        ]))
        if latest.get("my_comments"):
            self.add(heading(4, label("my_comments")), T.BlockQuote(paragraphs(latest["my_comments"])))
        feedback = _items(latest.get("involvement"))
        if feedback:
            self.add(*self._involvement(feedback))
        earlier = [r for r in reviews if r is not latest]
        if earlier:
            self.add(heading(4, "Earlier reviews"),
                     *bullets(text(words.long_date(r.get("date"))) for r in earlier))

    def _involvement(self, feedback: list[dict]) -> list[Any]:
        questions = ("working_together", "trust", "living_plan", "body_and_mind", "joined_up", "about_me")
        headers = ["How involved people felt (1 = not at all, 5 = completely)"]
        headers += [self.people.name(f.get("by")) for f in feedback]
        rows = []
        for q in questions:
            if not any(isinstance(f.get(q), int) for f in feedback):
                continue
            rows.append([text(self.label("reviews", 0, "involvement", 0, q))] +
                        [text(f"{f[q]} out of 5") if isinstance(f.get(q), int) else [] for f in feedback])
        blocks = []
        if rows:
            rest = 0.4 / len(feedback)
            blocks.append(table(headers, rows, [0.6] + [rest] * len(feedback)))
        for f in feedback:
            if f.get("comment"):
                blocks += [T.Para([strong(f"{self.people.name(f.get('by'))} said:")]),
                           T.BlockQuote(paragraphs(f["comment"]))]
        return blocks

    # -- crisis plan (a page of its own) and signing ------------------------------------

    def crisis(self) -> None:
        crisis = self.seen.get("crisis")
        if not isinstance(crisis, dict):
            return
        label = lambda *key: self.label("crisis", *key)  # noqa: E731
        # The label is the template's cue to start a new page.
        inner = [T.Header(2, ("crisis-plan", [], []), text("Crisis plan: if things get difficult"))]
        for key in ("early_warning_signs", "what_helps", "what_does_not_help"):
            items = _items(crisis.get(key))
            if items:
                inner += [heading(3, label(key))] + bullets(text(i.get("text")) for i in items)
        contacts = _items(crisis.get("contacts"))
        if contacts:
            rows = [[[T.Strong(text(c.get("name")))] + (
                        [T.LineBreak()] + text(c["notes"]) if c.get("notes") else []),
                     [T.Strong(text(c.get("phone")))], text(words.when_to_call(c.get("when")))]
                    for c in contacts]
            inner += [heading(3, label("contacts")),
                      table([label("contacts", 0, "name"), label("contacts", 0, "phone"),
                             label("contacts", 0, "when")], rows, [0.5, 0.28, 0.22])]
        if crisis.get("advance_statement"):
            inner += [heading(3, label("advance_statement"))] + paragraphs(crisis["advance_statement"])
        inner.append(T.Para([strong("In an emergency, if someone's life is at risk, call 999.")]))
        self.add(*inner)

    def sign_off(self) -> None:
        people = self.people
        carers = [people.name(c.get("member")) for c in _items(self.seen.get("carers"))]
        if not carers:
            carers = [words.plain(m.get("name")) for m in people.team.values() if m.get("role") == "carer"]
        worker = people.key_worker()
        rows = [[text(people.called), text(people.full_name), [], []]]
        rows += [[text("Carer"), text(name), [], []] for name in carers or [""]]
        rows.append([text("Key worker"), text(words.plain(worker.get("name"))) if worker else [], [], []])
        inner = [
            T.Header(2, ("sign-off", [], []), text("Signing this plan")),
            T.Para(text("We went through this plan together at the review. Signing says you have "
                        "seen it; you can still ask for changes at any time.")),
            table(["Who", "Name", "Signature", "Date"], rows, [0.2, 0.3, 0.32, 0.18],
                  [("typst:inset", "(x: 0.6em, y: 1.1em)")]),
            T.Para(text("Date of this review: ____________________")),
            T.Para(text("Date of the next review: ____________________")),
        ]
        self.add(*inner)


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _latest_review(seen: dict[str, Any]) -> dict[str, Any] | None:
    reviews = _items(seen.get("reviews"))
    dated = [r for r in reviews if words.parse_date(r.get("date"))]
    if not dated:
        return reviews[-1] if reviews else None
    return max(dated, key=lambda r: words.parse_date(r.get("date")))


def _grouped(changes: list[Any]) -> list[tuple[tuple[Any, Any, Any], list[Any]]]:
    """Changes made on the same day by the same person, together; oldest first, unrecorded last."""
    groups: dict[tuple[Any, Any, Any], list[Any]] = {}
    for change in changes:
        when = change.when.date() if isinstance(change.when, datetime) else change.when
        groups.setdefault((when, change.by, change.role), []).append(change)
    return sorted(groups.items(), key=lambda g: (g[0][0] is None, g[0][0] or date.min))


def _last_review_when(story: Any) -> datetime | None:
    """When the last review was recorded, even one this audience may not see the notes of."""
    entries = getattr(story, "entries", None) or []
    for entry in entries:  # newest first
        if entry.revision.is_review:
            return entry.revision.when
    reviews = getattr(story, "reviews", None) or []
    return reviews[-1].revision.when if reviews else None


def _has_unrecorded(story: Any) -> bool:
    """Whether the file holds changes (this audience may see) not yet recorded in git."""
    changes = getattr(story, "since_last_review", None) or []
    return any(c.commit is None and c.by is None for c in changes)

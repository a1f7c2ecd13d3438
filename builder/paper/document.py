"""The printed review copy as a pandoc document: what one audience may see, in reading order.

This module only builds a pandoc document *model* (the ``pandoc`` package's types).
Plan text only ever becomes ``Str`` and ``Space`` elements, so pandoc's Typst writer
escapes every character of it: ``#read("/etc/passwd")`` in a plan prints as itself.
The only markup here is fixed text of our own (a page-break label, a colour).

It renders what it is given: :func:`print_copy` takes the plan *after*
:func:`builder.view.view_plan` and the story already filtered for the same audience.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from builder.errors import HistoryError
from builder.paper import words
from builder.paper.blocks import (
    T,
    bullets,
    heading,
    items,
    shout,
    small,
    strong,
    table,
    terms,
    text,
)
from builder.paper.plan_sections import PlanSections, latest_review
from builder.plan.due import listed
from builder.story.account import NOTES_HEADING
from builder.view import AUDIENCES, NEXT_REVIEW, SEEN_IN_FULL_BY

#: Past these many changes the copy points to the full history instead.
MAX_CHANGES = 60



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
    notice: str | None = None,
    shown_version: Any | None = None,
) -> PrintCopy:
    """The review copy of one plan, as this audience sees it (``story`` None: no history).

    ``notice`` (the plan's file has problems) is printed under the title, and
    ``shown_version`` (the earlier recorded version printed instead) names the version.
    """
    doc = _Writer(seen, audience, today)
    version = _version_text(story) if shown_version is None else \
        _shown_version_text(story, shown_version)
    commit = _commit_text(story) if audience == "team" else ""
    if shown_version is not None and commit:
        commit = f"commit {shown_version.commit[:7]}"
    doc.first_page(notice)
    doc.details(version, commit)
    if story is not None:
        doc.changes(story)
    doc.about_me()
    doc.wellbeing()
    doc.appointments()
    doc.health_checks()
    doc.medications()
    doc.requests()
    doc.carers()
    doc.care_team()
    doc.consent()
    doc.reviews()
    doc.crisis()
    doc.words_used()
    doc.sign_off()
    name = doc.people.full_name
    title = f"Wellbeing plan for {name}"
    footer = f"{name} · wellbeing plan · {version} · printed {words.long_date(today)}"
    if commit:
        footer += f" · {commit}"
    return PrintCopy(T.Pandoc(T.Meta({}), doc.blocks), title, footer)


def _version_text(story: Any | None) -> str:
    """Which recorded version this is, in words a person can say: "version 14, recorded 20 November 2026".

    It is the plan's last recorded version, whoever may see that edit: every copy printed from
    the same recorded plan says the same version (what changed in it stays each audience's own)."""
    last = getattr(story, "version", None)
    if last is None:
        return "not yet recorded"
    version = f"version {story.version_number(last.commit)}, recorded {words.long_date(last.when)}"
    return version + ", with changes not yet recorded" if _has_unrecorded(story) else version


def _shown_version_text(story: Any | None, shown: Any) -> str:
    """The earlier recorded version printed instead of a plan file with problems."""
    try:
        named = f"version {story.version_number(shown.commit)}, " if story is not None else ""
    except HistoryError:
        named = ""
    return f"{named}recorded {words.long_date(shown.when)} (the last one without problems)"


def _commit_text(story: Any | None) -> str:
    """The recorded version's commit id, which only the team has a use for."""
    last = getattr(story, "version", None)
    return f"commit {last.commit[:7]}" if last is not None else ""


class _Writer(PlanSections):
    """The review parts around the plan: who and which version, what changed, what is due."""

    # -- page one: who to call in a crisis, the next review, what is due ----------------

    def first_page(self, notice: str | None = None) -> None:
        """What a reader needs first, on page one: who to call, when the review is, what is due."""
        people = self.people
        self.add(heading(1, f"Wellbeing plan for {people.full_name}"))
        if notice:
            self.add(T.Para([strong(notice)]))
        self.add(T.Para([T.Emph(text(words.copy_for(self.audience, people.called)))]))
        self.crisis_contacts()
        self.next_review()
        self.due()

    def crisis_contacts(self) -> None:
        """Who to call in a crisis, with 999 first: one block that never splits across pages."""
        crisis = self.seen.get("crisis") if isinstance(self.seen.get("crisis"), dict) else {}
        contacts = items(crisis.get("contacts"))
        you = self.audience == "person"
        inner = [T.Header(2, ("crisis-contacts", [], []), text(words.crisis_heading(you))),
                 T.Para([strong(words.EMERGENCY)])]
        if contacts:
            # A list, not a table: in large print a table's narrow columns wrap every name.
            inner += [T.Para(text(words.crisis_first_step(you, self.people.called))),
                      T.BulletList([[T.Plain(self._crisis_contact(c))] for c in contacts])]
        else:
            worker = self.people.key_worker()
            if worker is not None and (worker.get("phone") or worker.get("email")):
                inner.append(T.Para([strong("Otherwise, contact the key worker:"), T.Space(),
                                     *self._member_line(worker)]))
        self.add(T.Div(("", [], [("typst:breakable", "false"), ("typst:width", "100%"),
                                 ("typst:inset", "(x: 0.8em, y: 0.6em)"),
                                 ("typst:stroke", '1.5pt + rgb("#14524e")')]), inner))

    def _crisis_contact(self, contact: dict[str, Any]) -> list[Any]:
        """'Name: phone', then when to call and the notes on a line of their own."""
        when = " ".join(w for w in (words.when_to_call(contact.get("when")) + ".",
                                    words.plain(contact.get("notes"))) if w != ".")
        return [T.Strong(text(f"{words.plain(contact.get('name'))}:")), T.Space(),
                T.Strong(text(contact.get("phone"))), T.LineBreak(), *text(when)]

    def next_review(self) -> None:
        """The next review, as the one model of what is due says it (a reader who was at the
        last review but may not read the reviews is told its date too)."""
        review = next((o for o in self.found if o.kind == "review"), None)
        if review is None:
            return
        self.add(T.Para([T.Strong(text(f"{self.label('reviews', 0, 'next_review_due')}:")),
                         T.Space(), *self.obligation_when(review)]))

    # -- who this is, how to reach the key worker, which version ----------------------

    def details(self, version: str, commit: str = "") -> None:
        person = self.seen.get("person") or {}
        people = self.people
        self.add(heading(2, "About this copy"), *self.part_note("person"))
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
        shown = text(version)
        if commit:
            shown += [T.Space(), small(f"({commit})")]
        rows.append(("Recorded version", shown))
        review = latest_review(self.seen)
        if review is not None:
            rows.append(("Last review", text(words.long_date(review.get("date")))))
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
        """What changed since the last review: the same account as the site and ``wellplan diff``."""
        self.add(heading(2, "What changed since the last review"))
        if getattr(story, "last_updated", None) is None:
            self.add(T.Para(text("No changes have been recorded yet.")))
            return
        account = story.account_since()
        since = f"{story.since}." if story.since_commit else ""
        if not account.lines:
            self.add(T.Para(text(f"{since} Nothing has changed since then." if story.reviews or
                                 "review" in story.since else "There are no changes to show.")))
            return
        self.add(T.Para(text(since)))
        self.add(T.Para([strong(account.summary())]))
        if account.who_took_part():
            self.add(T.Para(text(account.who_took_part())))
        shown = 0
        for section, lines in account.sections():
            if shown >= MAX_CHANGES:
                break
            lines = lines[: MAX_CHANGES - shown]
            shown += len(lines)
            self.add(heading(3, section))
            self.add(T.BulletList([_line_blocks(line) for line in lines]))
        if account.notes:
            self.add(heading(3, NOTES_HEADING))
            self.add(*bullets(text(note) for note in account.notes_said()))
        if len(account.lines) > MAX_CHANGES:
            self.add(T.Para(text(f"…and {len(account.lines) - MAX_CHANGES} more. Every change is "
                                 "listed in the plan's history on the website.")))
        if any(p.kind in ("ins", "del") for line in account.lines for p in line.pieces()):
            self.add(T.Para([T.Emph(text("In long texts, words added are "))]
                            + [T.Underline(text("underlined"))]
                            + [T.Emph(text(" and words taken out are "))]
                            + [T.Strikeout(text("struck through"))] + text(".")))

    # -- what is due or overdue --------------------------------------------------------

    def due(self) -> None:
        """Everything due, from the one model of what is due; the count says what the list holds."""
        # The next review is said on its own line above, on page one: not again in the list.
        found = [o for o in listed(self.found) if o.kind != "review"]
        if not found and not any(k in self.seen for k in ("actions", "health_checks", "requests")):
            return
        self.add(heading(2, "What is due or overdue"))
        if not found:
            self.add(T.Para(text("Nothing has a date set yet.")))
            return
        said = pressing_words(found)
        if said:
            overdue = any(o.state == "overdue" for o in found)
            para = T.Para([T.Strong(text(said)) if self.calm and not overdue else shout(said)])
            # Kept with the table below it, so the count never ends a page on its own.
            self.add(T.Div(("", [], [("typst:sticky", "true")]), [para]))
        rows = [[text(o.what), text(self.people.name(o.who) if o.who else ""), self.obligation_when(o)]
                for o in sorted(found, key=lambda o: (not o.pressing, o.state != "overdue",
                                                      o.due or date.min, o.what))]
        self.add(table(["What", "Who", "When"], rows, [0.44, 0.22, 0.34]))

    # -- crisis plan (a page of its own) and signing ------------------------------------

    def crisis(self) -> None:
        crisis = self.seen.get("crisis")
        if not isinstance(crisis, dict):
            return
        label = lambda *key: self.label("crisis", *key)  # noqa: E731
        # The label is the template's cue to start a new page.
        inner = [T.Header(2, ("crisis-plan", [], []), text("Crisis plan: if things get difficult")),
                 *self.part_note("crisis")]
        for key in ("early_warning_signs", "what_helps", "what_does_not_help"):
            listed = items(crisis.get(key))
            if listed:
                inner += [heading(3, label(key))] + bullets(text(i.get("text")) for i in listed)
        if items(crisis.get("contacts")):
            inner.append(T.Para([strong(words.CONTACTS_ON_PAGE_ONE)]))
        inner += self._crisis_extras(crisis)
        self.add(*inner)

    def sign_off(self) -> None:
        people = self.people
        carers = [people.name(c.get("member")) for c in items(self.seen.get("carers"))]
        if not carers:
            carers = [words.plain(m.get("name")) for m in people.team.values() if m.get("role") == "carer"]
        gps = [words.plain(m.get("name")) for m in people.team.values() if m.get("role") == "gp"]
        worker = people.key_worker()
        # Only those who may see everything in this copy are asked to sign it (the view says who).
        full = self.seen.get(SEEN_IN_FULL_BY)
        may_sign = {self.audience.split(":", 1)[0], *full} if isinstance(full, list) else set(AUDIENCES)
        rows = [[text(people.called), text(people.full_name), [], []]] if "person" in may_sign else []
        if "carer" in may_sign:
            rows += [[text("Carer"), text(name), [], []] for name in carers or [""]]
        if "gp" in may_sign:
            rows += [[text("GP"), text(name), [], []] for name in gps or [""]]
        if "team" in may_sign:
            rows.append([text("Key worker"), text(words.plain(worker.get("name"))) if worker else [], [], []])
        the = "your" if self.audience == "person" else "the"
        left_out = [who for who, there in ((f"{the} carer", bool(carers) and "carer" not in may_sign),
                                           (f"{the} GP", bool(gps) and "gp" not in may_sign),
                                           (f"{the} care team", "team" not in may_sign)) if there]
        inner = [
            T.Header(2, ("sign-off", [], []), text("Signing this plan")),
            T.Para(text("We went through this plan together at the review. Signing says you have "
                        "seen it; you can still ask for changes at any time.")),
        ]
        if left_out:
            them = ", ".join(left_out[:-1]) + " and " + left_out[-1] if len(left_out) > 1 else left_out[0]
            inner.append(T.Para(text(f"This copy holds things that {them} may not see, so only "
                                     "those who may see all of it sign here.")))
        inner += [
            table(["Who", "Name", "Signature", "Date"], rows, [0.24, 0.3, 0.28, 0.18],
                  [("typst:inset", "(x: 0.6em, y: 1.1em)")]),
            T.Para(text("Date of this review: ____________________")),
        ]
        if "reviews" in self.seen or self.seen.get(NEXT_REVIEW):
            # Only a reader who may know when the next review is is asked to write it in.
            inner.append(T.Para(text("Date of the next review: ____________________")))
        self.add(*inner)


def pressing_words(found: list[Any]) -> str:
    """'3 things are overdue, 1 has not been done yet and 5 are not in the plan.' ('' for none):
    each number counts the rows of the list below it."""
    counts = [(sum(1 for o in found if o.state == state), one, many) for state, one, many in (
        ("overdue", "thing is overdue", "things are overdue"),
        ("never_done", "has not been done yet", "have not been done yet"),
        ("not_in_plan", "is not in the plan", "are not in the plan"))]
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    if not parts:
        return ""
    if counts[0][0] == 0:  # no overdue: the first part needs its subject
        parts[0] = parts[0].replace(" has ", " thing has ").replace(" have ", " things have ") \
            .replace(" is not", " thing is not").replace(" are not", " things are not")
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return said + "."


def _line_blocks(line: Any) -> list[Any]:
    """One thing that changed; several edits to it each get a bullet of their own."""
    if len(line.steps) == 1:
        return [T.Plain(_inlines(line.pieces()))]
    steps = [[T.Plain(_inlines(step))] for step in line.step_pieces()]
    extra = [T.Plain(text(line.extra))] if line.extra else []
    return [T.Plain([T.Strong(text(line.lead))]), T.BulletList(steps), *extra]


def _inlines(pieces: list[Any]) -> list[Any]:
    """An account's words as pandoc inlines: its name in bold, added words underlined and taken
    out words struck through, which both survive printing in black and white."""
    out: list[Any] = []
    for piece in pieces:
        if not piece.text.strip():
            out += [T.Space()] if piece.text else []
        elif piece.kind == "lead":
            out.append(T.Strong(text(piece.text)))
        elif piece.kind == "ins":
            out.append(T.Underline(text(piece.text)))
        elif piece.kind == "del":
            out.append(T.Strikeout(text(piece.text)))
        else:
            out += text(piece.text)
    return out


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

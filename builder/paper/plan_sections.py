"""The plan itself, section by section, for the printed copy: the same shape for every area.

Mental health, physical health and the rest of life are rendered by one function, so
they always get the same headings, order and weight.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from builder.paper import words
from builder.paper.blocks import (
    People,
    T,
    bullets,
    heading,
    items,
    paragraphs,
    shout,
    strong,
    table,
    terms,
    text,
)
from builder.plan import glossary
from builder.plan.clinical import (
    is_stopped,
    offer_words,
    offers_about,
    support_for,
    upcoming_appointments,
)
from builder.plan.due import STATE_WORDS, Obligation, obligations
from builder.plan.labels import duration_words
from builder.plan.readings import judge, part_verdict
from builder.view import NOTE, PART_NOTES, SHARED_FROM

#: How many results before the latest a check shows, so a trend can be read on paper.
EARLIER_RESULTS = 3
_AREAS = ("mental_health", "physical_health", "life")


class PlanSections:
    """Adds the plan's own sections to a list of pandoc blocks."""

    def __init__(self, seen: dict[str, Any], audience: str, today: date) -> None:
        self.seen = seen
        self.audience = audience
        self.today = today
        self.people = People(seen)
        self.blocks: list[Any] = []
        #: What is due, worked out once (plan/due.py): every part of the copy reads this.
        self.found: list[Obligation] = obligations(seen, today)

    @property
    def calm(self) -> bool:
        """The person's and carer's copies say what is missing as a fact, not an alarm."""
        return self.audience.split(":")[0] in ("person", "carer")

    def obligation_when(self, ob: Obligation) -> list[Any]:
        """When something is due and where it stands, in words, with what answers it."""
        due = words.long_date(ob.due) if ob.due else ""
        if ob.state == "overdue" and ob.due:
            out = [shout("Overdue"), T.Space()] + text(
                f"since {due} ({duration_words((self.today - ob.due).days)} ago)")
        elif ob.state in ("never_done", "not_in_plan"):
            label = STATE_WORDS[ob.state]
            # Due when its medicine started, maybe years ago: the state says it all.
            out = [T.Strong(text(label)) if self.calm else shout(label)]
        elif ob.state == "due_soon" and ob.due:
            out = [T.Strong(text("Due today" if ob.due == self.today else "Due soon:"))]
            if ob.due != self.today:
                out += [T.Space()] + text(due)
        elif ob.due:
            out = text(due)
        else:
            out = text("No date set")
        booking = ob.booking
        if booking:
            out += [T.LineBreak()] + text(booking.words[:1].upper() + booking.words[1:])
        return out

    def add(self, *blocks: Any) -> None:
        self.blocks.extend(blocks)

    def label(self, *path: str | int) -> str:
        """A field's name, in plain words for a person or carer where the glossary has them."""
        return glossary.plain(words.label(path), self.audience)

    def check_name(self, check: dict[str, Any]) -> str:
        return glossary.check_name(check, words.check_name(check), self.audience)

    def words_used(self) -> None:
        """'Words used in this plan': what the person's or carer's copy says that needs explaining."""
        used = glossary.explained(_texts(self.seen), self.audience)
        if not used:
            return
        self.add(heading(2, "Words used in this plan"))
        self.add(*bullets([T.Strong(text(f"{t.plain}:")), T.Space(), *text(t.explain)] for t in used))

    # -- who else may not see a part or an item (decided by the view; said in words) -----

    def part_note(self, *parts: str) -> list[Any]:
        """A paragraph under a part's heading saying who else may not see it, if the view says so."""
        notes = self.seen.get(PART_NOTES) if isinstance(self.seen.get(PART_NOTES), dict) else {}
        note = next((notes[p] for p in parts if notes.get(p)), "")
        if note:
            return [T.Para(_note(note))]
        # For a carer or GP: that they see only what is shared with them from this part.
        shared = self.seen.get(SHARED_FROM) if isinstance(self.seen.get(SHARED_FROM), dict) else {}
        said = next((shared[p] for p in parts[:1] if shared.get(p)), "")
        return [T.Para([T.Emph(text(f"{said}."))])] if said else []

    def note(self, node: Any, inline: bool = False) -> list[Any]:
        """The same for one item: a paragraph, or (inline) a line of its own in a cell."""
        note = node.get(NOTE) if isinstance(node, dict) else None
        if not note:
            return []
        return [T.LineBreak(), *_note(note)] if inline else [T.Para(_note(note))]

    def _review_when(self, review: dict[str, Any]) -> list[Any]:
        """When the next review is due, from the one model of what is due."""
        ob = next((o for o in self.found if o.kind == "review"), None)
        if ob is None:
            when = review.get("next_review_due")
            return text(words.long_date(when)) if when else []
        return self.obligation_when(ob)

    # -- the plan itself ---------------------------------------------------------------

    def about_me(self) -> None:
        about = self.seen.get("about_me")
        if not isinstance(about, dict):
            return
        self.add(heading(2, self.label("about_me")), *self.part_note("about_me"))
        for key in ("in_my_own_words", "what_matters_to_me", "a_good_day"):
            if about.get(key):
                self.add(heading(3, self.label("about_me", key)), *paragraphs(about[key]))
        strengths = items(about.get("strengths"))
        if strengths:
            self.add(heading(3, self.label("about_me", "strengths")),
                     *bullets(text(s.get("text")) for s in strengths))

    def wellbeing(self) -> None:
        areas = self.seen.get("wellbeing")
        goals = items(self.seen.get("goals"))
        actions = items(self.seen.get("actions"))
        if not isinstance(areas, dict) and not goals and not actions:
            return
        areas = areas if isinstance(areas, dict) else {}
        self.add(heading(2, "My wellbeing"), *self.part_note("wellbeing", "goals", "actions"))
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
        self.add(heading(3, self.label("wellbeing", area)), *self.note(value))
        if value.get("in_my_own_words"):
            self.add(heading(4, self.label("wellbeing", area, "in_my_own_words")),
                     T.BlockQuote(paragraphs(value["in_my_own_words"])))
        if value.get("going_well"):
            self.add(heading(4, self.label("wellbeing", area, "going_well")),
                     *paragraphs(value["going_well"]))
        concerns = items(value.get("concerns"))
        if concerns:
            self.add(heading(4, self.label("wellbeing", area, "concerns")),
                     *bullets(text(c.get("text")) + self.note(c, True) for c in concerns))
        views = items(value.get("other_views"))
        if views:
            self.add(heading(4, self.label("wellbeing", area, "other_views")),
                     *bullets(text(f"{self.people.name_and_role(v.get('by'))}: ") + text(v.get("text"))
                              for v in views))
        if goals:
            self.add(heading(4, "Goals"), *self.part_note("goals"), *self._goals(goals))
        if actions:
            self.add(heading(4, "Actions"), self._actions_table(actions))

    def _goals(self, goals: list[dict]) -> list[Any]:
        blocks = []
        for goal in goals:
            whose = goal.get("expressed_by")
            owner = f"{self.people.called}'s own goal" if whose == "me" else \
                f"Suggested by {self.people.name_and_role(whose)}"
            notes = items(goal.get("progress"))
            latest = notes[-1] if notes else None
            item = [T.Para([strong(goal.get("what"))]), *self.note(goal)] + terms([
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
        due_by = {o.key: o for o in self.found}
        for action in actions:
            due = action.get("due")
            ob = due_by.get(f"action:{action.get('id')}")  # an open action with a date
            rows.append([
                text(action.get("what")) + self.note(action, True),
                text(self.people.name(action.get("owner"))),
                self.obligation_when(ob) if ob else text(words.long_date(due)) if due else [],
                text(words.status(action.get("status"))),
            ])
        return table([self.label("actions", 0, "what"), self.label("actions", 0, "owner"),
                      self.label("actions", 0, "due"), self.label("actions", 0, "status")],
                     rows, [0.36, 0.2, 0.22, 0.22])

    def health_checks(self) -> None:
        if "health_checks" not in self.seen:
            return
        checks = items(self.seen.get("health_checks"))
        self.add(heading(2, self.label("health_checks")), *self.part_note("health_checks"))
        if not checks:
            self.add(T.Para(text("No checks recorded yet.")))
            return
        rows = []
        due = {cid: ob for ob in self.found for cid in ob.check_ids}
        for check in checks:
            results = sorted(items(check.get("results")), key=lambda r: str(r.get("date", "")))
            latest = results[-1] if results else None
            result = text(words.result(latest, check)) if latest else text("No result yet")
            if latest and latest.get("date"):
                result += [T.LineBreak()] + text(f"on {words.long_date(latest.get('date'))}")
            result += self._outside(check, latest, results[-2] if len(results) > 1 else None)
            if check.get("interval"):
                result += [T.LineBreak()] + text(f"Every {check['interval']}")
            earlier = results[-1 - EARLIER_RESULTS:-1][::-1]
            if earlier:
                # The trend, in words: the few results before the latest, newest first.
                before = "; ".join(f"{words.result(r, check)} ({words.long_date(r.get('date'))})"
                                   for r in earlier)
                result += [T.LineBreak(), T.Emph(text(f"Before: {before}"))]
            rows.append([
                [T.Strong(text(self.check_name(check)))] + self.note(check, True),
                result,
                text(words.plain_range(check)),
                self.obligation_when(due[str(check.get("id"))]) if str(check.get("id")) in due else [],
            ])
        self.add(table(["Check", "Latest result", self.label("health_checks", 0, "range"),
                        self.label("health_checks", 0, "next_due")], rows, [0.22, 0.36, 0.17, 0.25]))
        self.monitoring()
        for check in checks:
            if check.get("in_my_own_words"):
                self.add(heading(3, f"{self.check_name(check)}, in my own words"),
                         T.BlockQuote(paragraphs(check["in_my_own_words"])))

    def monitoring(self) -> None:
        """What the published guidance expects: what needs attention, then what is in date."""
        if "health_checks" not in self.seen:
            return
        found = [o for o in self.found if any(r.source for r in o.reasons)]
        if not found:
            return
        attention = [o for o in found if o.state not in ("in_date", "no_date")]
        in_date = [o for o in found if o.state in ("in_date", "no_date")]
        self.add(heading(3, "Checks the guidance expects"))
        said = ("The checks that the published guidance says are needed for this plan's medicines, "
                "and in the yearly physical health check." if self.calm else
                "The checks that this plan's medicines, and the yearly physical health check, need "
                "according to the published guidance.")
        n = len(attention)
        said += f" {n} need{'s' if n == 1 else ''} attention now." if n else " Nothing is missing or overdue."
        self.add(T.Para(text(said)))
        if attention:
            self.add(*bullets([T.Strong(text(o.what)), T.Str(":"), T.Space()] + self.obligation_when(o)
                              + [T.LineBreak()] + text(o.details(self.audience)) for o in attention))
        if in_date:
            named = ", ".join(o.what + (f" (next {words.long_date(o.due)})" if o.due else "")
                              for o in in_date)
            self.add(T.Para(text(f"{len(in_date)} {'is' if len(in_date) == 1 else 'are'} in date: {named}.")))

    def _outside(self, check: dict, result: dict | None, previous: dict | None = None) -> list[Any]:
        """A result outside its aim or the usual range, said in words, and what was offered about it."""
        verdict = judge(check, result, previous) if result else None
        offers = [f"Offered: {offer_words(o)}" for o in offers_about(check, None)]
        if verdict:  # what else the plan holds about it: a referral, a request, an action, a goal
            offers += support_for(self.seen, check)
        out: list[Any] = []
        if verdict:
            said = verdict.words()
            out = [T.LineBreak(), T.Strong(text(said)) if verdict.toward else shout(said)]
        for offer in offers:
            out += [T.LineBreak()] + text(offer)
        if verdict and not offers:
            out += [T.LineBreak()] + text("Nothing offered about it is recorded yet.")
        return out

    def appointments(self) -> None:
        if "appointments" not in self.seen:
            return
        coming = upcoming_appointments(self.seen, self.today)
        self.add(heading(2, self.label("appointments")))
        if not coming:
            self.add(T.Para(text("No appointments coming up.")))
            return
        rows = [[text(words.long_date(a.get("date")) + (f", {a['time']}" if a.get("time") else "")),
                 text(a.get("place") or ""),
                 text(", ".join(self.people.name(w) for w in a.get("with") or [])),
                 text(a.get("what_for"))] for a in coming]
        self.add(table(["When", "Where", "With whom", "What it is for"], rows, [0.22, 0.28, 0.22, 0.28]))

    def consent(self) -> None:
        """Each agreement to share, as a sentence: a five-column table overflowed in large print."""
        records = items(self.seen.get("consent"))
        if not records:
            return
        self.add(heading(2, self.label("consent")))
        audiences = {"carer": "carers", "gp": "the GP practice", "team": "the mental health team"}
        entries = []
        for c in records:
            shared = " and ".join(audiences.get(w) or self.people.name(w) for w in c.get("shared_with") or [])
            said = f"{self.people.name(c.get('given_by'))} agreed"
            if c.get("given_on"):
                said += f" on {words.long_date(c['given_on'])}"
            said += f" that {shared or 'others'} may see: "
            entry = [T.Strong(text(said))] + text(c.get("what"))
            if c.get("withdrawn_on"):
                entry += [T.LineBreak(), shout(f"Withdrawn on {words.long_date(c['withdrawn_on'])}.")]
            if c.get("recorded_by"):
                entry += [T.LineBreak()] + text(f"Recorded by {self.people.name(c['recorded_by'])}.")
            entries.append(entry)
        self.add(*bullets(entries))

    def _crisis_extras(self, crisis: dict) -> list[Any]:
        """Physical warning signs, the relapse signature, the advance statement and decisions."""
        label = lambda *key: self.label("crisis", *key)  # noqa: E731
        out: list[Any] = []
        meds = {m.get("id"): words.plain(m.get("name")) for m in items(self.seen.get("medications"))}
        signs = items(crisis.get("physical_warning_signs"))
        if signs:
            out += [heading(3, label("physical_warning_signs"))] + bullets(
                [T.Strong(text(s.get("text")))]
                + (text(f" (because of {meds[s['medicine']]})") if meds.get(s.get("medicine")) else [])
                + ([T.LineBreak()] + text(f"What to do: {words.plain(s['what_to_do'])}")
                   if s.get("what_to_do") else [])
                for s in signs)
        stages = items(crisis.get("relapse_signature"))
        if stages:
            early = {i.get("id"): i.get("text") for i in items(crisis.get("early_warning_signs"))}
            helps = {i.get("id"): i.get("text") for i in items(crisis.get("what_helps"))}
            rows = []
            for s in stages:
                seen = [words.plain(early[i]) for i in s.get("signs") or [] if early.get(i)]
                helping = [words.plain(helps[i]) for i in s.get("helps") or [] if helps.get(i)]
                if s.get("who_acts"):
                    helping.append(words.plain(s["who_acts"]))
                rows.append([[T.Strong(text(s.get("stage")))], text("\n".join(seen)),
                             text("\n".join(helping))])
            out += [heading(3, label("relapse_signature")),
                    table(["Stage", "Signs", "What helps"], rows, [0.2, 0.4, 0.4])]
        statement = crisis.get("advance_statement")
        if isinstance(statement, dict) and statement.get("text"):
            out.append(heading(3, label("advance_statement")))
            if statement.get("date"):
                # Kept with the statement, so the date never ends a page on its own.
                written = T.Para([T.Emph(text(f"Written on {words.long_date(statement['date'])}."))])
                out.append(T.Div(("", [], [("typst:sticky", "true")]), [written]))
            out += paragraphs(statement["text"])
        for d in items(crisis.get("advance_decisions")):
            dl = lambda key: self.label("crisis", "advance_decisions", 0, key)  # noqa: E731
            out += [heading(3, f"{label('advance_decisions')}: {words.plain(d.get('refuses'))}"),
                    *terms([(dl("circumstances"), text(d.get("circumstances") or "")),
                            (dl("made_on"), text(words.long_date(d.get("made_on")))),
                            (dl("signed_copy_kept"), text(d.get("signed_copy_kept") or "")),
                            (dl("witness"), text(d.get("witness") or ""))])]
        return out

    def medications(self) -> None:
        if "medications" not in self.seen:
            return
        meds = items(self.seen.get("medications"))
        self.add(heading(2, self.label("medications")), *self.part_note("medications"))
        if not meds:
            self.add(T.Para(text("No medicines recorded.")))
            return
        checks = {c.get("id"): self.check_name(c) for c in items(self.seen.get("health_checks"))}
        names = {m.get("id"): words.plain(m.get("name")) for m in meds}
        for med in sorted(meds, key=lambda m: is_stopped(m, self.today)):
            label = lambda key: self.label("medications", 0, key)  # noqa: E731
            explained = med.get("side_effects_explained")
            stopped = " (stopped)" if is_stopped(med, self.today) else ""
            self.add(heading(3, f"{words.plain(med.get('name'))}, {words.plain(med.get('dose'))}{stopped}"),
                     *self.note(med))
            needs = [checks[c] for c in med.get("monitoring_checks") or [] if c in checks]
            self.add(*terms([
                (label("purpose"), text(med.get("purpose") or "")),
                (label("prescriber"),
                 text(self.people.name_and_role(med["prescriber"])) if med.get("prescriber") else None),
                (label("started"), text(words.long_date(med.get("started")))),
                (label("monitoring"), text(med.get("monitoring") or "")),
                (label("side_effects"), text(med.get("side_effects") or "")),
                (label("side_effects_explained"),
                 text(words.yes_no(explained)) if isinstance(explained, bool) else None),
                (label("monitoring_checks"), text(", ".join(needs)) if needs else None),
                (label("stopped"), text(words.long_date(med["stopped"])) if med.get("stopped") else None),
                (label("stopped_reason"), text(med.get("stopped_reason") or "")),
                (label("replaced_by"), text(names.get(med.get("replaced_by")) or "")),
            ]))

    def requests(self) -> None:
        if "requests" not in self.seen:
            return
        requests = items(self.seen.get("requests"))
        self.add(heading(2, self.label("requests")), *self.part_note("requests"))
        if not requests:
            self.add(T.Para(text("No requests recorded.")))
            return
        rows = []
        for req in requests:
            status = text(words.status(req.get("status")))
            if req.get("done_on"):
                status += text(f" on {words.long_date(req['done_on'])}")
            if req.get("due_by"):
                status += [T.LineBreak()] + text(f"Needed by {words.long_date(req['due_by'])}")
            if req.get("status") in ("requested", "booked"):
                for ob in (o for o in self.found if req.get("id") in o.request_ids):
                    label = text(f"{ob.what}: ") if ob.kind != "request" else []
                    status += [T.LineBreak()] + label + self.obligation_when(ob)
            for part in items(req.get("parts")):
                status += [T.LineBreak()] + text(
                    f"{words.plain(part.get('what'))}: {words.status(part.get('status'))}"
                    + (f" on {words.long_date(part['done_on'])}" if part.get("done_on") else "")
                    + (f". {words.plain(part['result'])}" if part.get("result") else ""))
                verdict = part_verdict(part)
                if verdict:
                    status += [T.Space(), shout(verdict.words())]
            if req.get("result"):
                status += [T.LineBreak()] + text("Result: ") + text(req["result"])
            rows.append([
                text(req.get("what")) + self.note(req, True),
                text(f"{self.people.name(req.get('from'))} asked {self.people.name(req.get('to'))}"),
                text(words.long_date(req.get("asked_on"))),
                status,
            ])
        self.add(table([self.label("requests", 0, "what"), "Who asked whom",
                        self.label("requests", 0, "asked_on"), "What happened"],
                       rows, [0.34, 0.24, 0.16, 0.26]))

    def carers(self) -> None:
        carers = items(self.seen.get("carers"))
        if not carers:
            return
        self.add(heading(2, self.label("carers")), *self.part_note("carers"))
        for carer in carers:
            label = lambda key: self.label("carers", 0, key)  # noqa: E731
            assessment = carer.get("assessment") if isinstance(carer.get("assessment"), dict) else {}
            self.add(heading(3, self.people.name(carer.get("member"))))
            self.add(*terms([
                (label("their_role"), text(carer.get("their_role") or "")),
                (label("agreed_to_share"), text(carer.get("agreed_to_share") or "")),
                (label("their_needs"), text(carer.get("their_needs") or "")),
                ("Carer's assessment", text(_assessment_words(assessment)) if assessment else None),
            ]))

    def care_team(self) -> None:
        """Who is in the care team: one entry each, full width, so an email address fits a line."""
        team = list(self.people.team.values())
        if not team:
            return
        self.add(heading(2, self.label("care_team")), *self.part_note("care_team"))
        entries = []
        for member in team:
            about = ", ".join(words.plain(v) for v in (words.role(member.get("role")),
                                                       member.get("organisation")) if v)
            entry = [T.Strong(text(member.get("name"))), *text(f" — {about}")]
            if member.get("key_worker") is True:
                entry += text(". ") + [T.Strong(text("Named key worker"))]
            reach = [f"{how} {words.plain(member[key])}" for key, how in
                     (("phone", "Phone"), ("email", "Email")) if member.get(key)]
            if member.get("since"):
                reach.append(f"In the team since {words.long_date(member['since'])}")
            if reach:
                entry += [T.LineBreak()] + text(". ".join(reach) + ".")
            entries.append(entry + self.note(member, True))
        self.add(*bullets(entries))

    def reviews(self) -> None:
        reviews = items(self.seen.get("reviews"))
        if not reviews:
            return
        self.add(heading(2, self.label("reviews")), *self.part_note("reviews"))
        latest = latest_review(self.seen) or reviews[-1]
        label = lambda key: self.label("reviews", 0, key)  # noqa: E731
        self.add(heading(3, f"Last review: {words.long_date(latest.get('date'))}"))
        # The next review is on page one, not said again here.
        # The earlier reviews' dates with the last one's facts, not left alone on a page at the end.
        earlier = [r for r in reviews if r is not latest]
        self.add(*terms([
            (label("attended"), text(", ".join(self.people.name(r) for r in latest.get("attended") or []))),
            ("Earlier reviews", text(", ".join(words.long_date(r.get("date")) for r in earlier))
             if earlier else None),
        ]))
        if latest.get("my_comments"):
            self.add(heading(4, label("my_comments")), T.BlockQuote(paragraphs(latest["my_comments"])))
        feedback = items(latest.get("involvement"))
        if feedback:
            self.add(*self._involvement(feedback))

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


def _assessment_words(assessment: dict[str, Any]) -> str:
    bits = []
    if assessment.get("offered") is True:
        when = f" on {words.long_date(assessment['offered_on'])}" if assessment.get("offered_on") else ""
        bits.append(f"Offered{when}.")
    elif assessment.get("offered") is False:
        bits.append("Not offered yet.")
    if assessment.get("response"):
        bits.append(f"{words.status(assessment['response'])}.")
    if assessment.get("date"):
        bits.append(f"Assessed on {words.long_date(assessment['date'])}.")
    if assessment.get("outcome"):
        bits.append(words.plain(assessment["outcome"]))
    return " ".join(bits)


def latest_review(seen: dict[str, Any]) -> dict[str, Any] | None:
    reviews = items(seen.get("reviews"))
    dated = [r for r in reviews if words.parse_date(r.get("date"))]
    if not dated:
        return reviews[-1] if reviews else None
    return max(dated, key=lambda r: words.parse_date(r.get("date")))


def _texts(value: Any) -> list[str]:
    """Every text in a plan view, and the check names the copy prints."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v)] + (
            [words.check_name(value)] if "kind" in value and "results" in value else [])
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _note(note: str) -> list[Any]:
    """A note on who may not see something: bold italic words, so they stand out without colour."""
    return [T.Strong([T.Emph(text(f"{note}."))])]

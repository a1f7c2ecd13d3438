"""What is due: one model of everything a plan asks someone to do, worked out once.

Each :class:`Obligation` is one thing to be done — a check's next result, a check the
published guidance expects, a request to another service (or the parts of one nothing
else covers), the next review, an action with a date — with why (the plan's own interval
or the guidance, with its source), who, the last result, the due date, its state, and what
already answers it (a booked appointment, a request in progress). A check, the guidance
for the same kind of check and a request part asking for it are ONE obligation naming all
three. Made from a plan as one audience sees it (``view.view_plan`` first), so every page,
copy, calendar and export that reads it says the same, and nothing the audience may not
see.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from builder.plan.labels import People, add_interval, check_name, duration_words, long_date, parse_date
from builder.plan.monitoring import Expected, expected_checks, next_by_schedule, steady_weeks, weeks_words
from builder.plan.readings import kinds_named

#: Within this many days something is "due soon".
SOON_DAYS = 30
#: Where the view passes on the next review's date to a reader who was at the last review but
#: may not read the reviews (view.py puts it there; the model reads it as the review's date).
NEXT_REVIEW = "_next_review_due"
#: The states, most pressing first, and how they are said.
STATE_WORDS = {
    "overdue": "Overdue",
    "never_done": "Never done",
    "not_in_plan": "Not in the plan",
    "due_soon": "Due soon",
    "in_date": "In date",
    "no_date": "No date set",
}
#: States that need someone to act now.
PRESSING = ("overdue", "never_done", "not_in_plan")
OPEN_REQUESTS = ("requested", "booked")
DONE_REQUESTS = ("done", "result-received")
OPEN_ACTIONS = ("not-started", "scheduled", "in-progress", "on-hold")
#: Audiences that read the guidance's names and sources; the others read plain words.
CITING = ("team", "gp")


@dataclass(frozen=True)
class Reason:
    """Why something is due: the plan's own interval, or a rule of the guidance."""

    how_often: str  # what applies now: "every 4 weeks"
    source: str | None = None  # the guidance's source; None for the plan's own interval
    rule: str | None = None
    schedule: str | None = None  # the guidance's whole schedule in words
    needed_for: str | None = None  # the medicine, or None for the yearly check
    check: str | None = None  # the guidance's name for the check

    def words(self, audience: str) -> str:
        """The reason in words: cited for the team and GP, plain for the person and carer."""
        if self.source is None:
            return f"The plan says {self.how_often}."
        if audience.split(":")[0] in CITING:
            who = self.needed_for or "The yearly physical health check"
            return f"{who} needs {self.check} {self.schedule} ({self.source})."
        about = (f"the guidance for {self.needed_for}" if self.needed_for
                 else "the guidance for the yearly physical health check")
        return f"{about[:1].upper()}{about[1:]} says this check is needed {self.how_often}."


@dataclass(frozen=True)
class Answer:
    """Something already under way that answers an obligation."""

    kind: str  # "appointment" or "request"
    id: str
    when: date | None
    words: str  # "booked for 8 December at Northgate Surgery"


@dataclass
class Obligation:
    """One thing the plan asks someone to do, and where it stands."""

    key: str  # stable: "check:ecg", "guidance:pulse", "request:req-x", "review", "action:x"
    kind: str  # check, guidance, request, review or action
    what: str
    kinds: tuple[str, ...] = ()
    reasons: list[Reason] = field(default_factory=list)
    who: str | None = None  # a care-team id, or "me"
    last: date | None = None
    last_result: str | None = None
    due: date | None = None
    state: str = "no_date"
    check_ids: list[str] = field(default_factory=list)
    request_ids: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)

    @property
    def pressing(self) -> bool:
        return self.state in PRESSING

    @property
    def booking(self) -> Answer | None:
        """The soonest booked appointment that answers this, if any."""
        booked = [a for a in self.answers if a.kind == "appointment"]
        return min(booked, key=lambda a: a.when or date.max) if booked else None

    def state_words(self, today: date) -> str:
        """'Overdue by 2 months — booked for 8 December at Northgate Surgery', 'Due 17 December 2026'."""
        due = self.due
        if self.state == "overdue" and due:
            said = f"Overdue by {duration_words((today - due).days)}"
        elif self.state == "due_soon" and due:
            said = "Due today" if due == today else f"Due soon: {long_date(due)}"
        elif self.state == "in_date" and due:
            said = f"Due {long_date(due)}"
        else:
            said = STATE_WORDS[self.state]
        booking = self.booking
        if booking:
            said += f" — {booking.words}"
        elif self.pressing:
            asked = next((a for a in self.answers if a.kind == "request"), None)
            if asked:
                said += f" — {asked.words}"
        return said

    def sentence(self, today: date, audience: str) -> str:
        """The obligation and where it stands, in one or two sentences, then why."""
        what = self.what.strip().rstrip(".")
        due = long_date(self.due) if self.due else None
        booking = self.booking
        answered = f" — {booking.words}" if booking else ""
        if not booking and self.pressing:
            asked = next((a for a in self.answers if a.kind == "request"), None)
            answered = f" — {asked.words}" if asked else ""
        if self.state == "overdue" and self.due:
            said = (f"{what} was due on {due}: overdue by "
                    f"{duration_words((today - self.due).days)}{answered}.")
        elif self.state == "never_done":
            said = f"{what} has not been done yet" + (f"; it was due on {due}" if due else "") \
                + f"{answered}."
        elif self.state == "not_in_plan":
            said = f"{what}: the plan has no check of this kind and no result of one{answered}."
        elif self.due:
            last = f"The last was on {long_date(self.last)}; " if self.last else ""
            said = f"{last}{what} is next due on {due}{answered}." if not last else \
                f"{what}: the last was on {long_date(self.last)}; the next is due on {due}{answered}."
        else:
            said = f"{what}: no date is set{answered}."
        return " ".join([said, *self.why(audience)])

    def details(self, audience: str) -> str:
        """What stands beside the date and state in a list: the last result, then why."""
        if self.state == "not_in_plan":
            first = "The plan has no check of this kind and no result of one."
        elif self.last:
            result = (self.last_result or "").strip().rstrip(".")
            first = f"Last done on {long_date(self.last)}" + (
                f": {result}" if result and result != "Done" else "") + "."
        elif self.kind in ("check", "guidance"):
            first = "Not done yet."
        else:
            first = ""
        return " ".join(x for x in (first, *self.why(audience)) if x)

    def why(self, audience: str) -> list[str]:
        """Why it is due, in words for this audience: the plan's interval, the guidance, the request."""
        said = list(dict.fromkeys(r.words(audience) for r in self.reasons))
        if audience.split(":")[0] not in CITING:
            said = _joined_guidance(self.reasons, audience)
        if not said and self.kind == "check" and self.due:
            said.append("The plan sets this date.")
        return said

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("last", "due"):
            data[key] = data[key].isoformat() if data[key] else None
        for answer in data["answers"]:
            answer["when"] = answer["when"].isoformat() if answer["when"] else None
        return data


def obligations(seen: dict[str, Any], today: date) -> list[Obligation]:
    """Everything a (viewed) plan asks someone to do, each once, soonest due first."""
    people = People(seen)
    found: dict[str, Obligation] = {}
    results = _results_by_kind(seen, today)
    for check in _items(seen.get("health_checks")):
        ob = _from_check(check, results, today)
        found[ob.key] = ob
    for expected in expected_checks(seen, today):
        _add_guidance(found, seen, expected, results)
    for request in _items(seen.get("requests")):
        _add_request(found, request, people)
    _add_review(found, seen)
    for action in _items(seen.get("actions")):
        when = parse_date(action.get("due"))
        if when and action.get("status") in OPEN_ACTIONS:
            found[f"action:{action.get('id')}"] = Obligation(
                f"action:{action.get('id')}", "action", str(action.get("what", "")), who=action.get("owner"),
                due=when)
    _add_appointments(found, seen, people, today)
    out = list(found.values())
    for ob in out:
        ob.state = _state(ob, today)
    return sorted(out, key=lambda o: (o.due or date.max, o.what))


def needs_attention(seen: dict[str, Any], today: date) -> list[Obligation]:
    """What is overdue, never done, missing or due soon for this audience, most pressing first:
    the list for the first page of a printed copy."""
    order = list(STATE_WORDS)
    return sorted((o for o in obligations(seen, today) if o.state in (*PRESSING, "due_soon")),
                  key=lambda o: (order.index(o.state), o.due or date.min, o.what))


def listed(found: list[Obligation]) -> list[Obligation]:
    """What a list of what is due shows: everything with a date, and anything never done or missing."""
    return [o for o in found if o.due or o.pressing]


def counts(found: list[Obligation]) -> dict[str, int]:
    """How many obligations are in each state."""
    return {state: sum(1 for o in found if o.state == state) for state in STATE_WORDS}


# -- how each obligation is made -------------------------------------------------------------


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value or [] if isinstance(v, dict)]


def _results_by_kind(seen: dict[str, Any], today: date) -> dict[str, list[tuple[date, str]]]:
    """Every dated result of each kind, wherever the plan records it: a check's results, or a
    request (or part of one) that was done and says what was measured."""
    out: dict[str, list[tuple[date, str]]] = {}
    for check in _items(seen.get("health_checks")):
        kind = str(check.get("kind", ""))
        if kind == "other":
            continue
        for result in _items(check.get("results")):
            when = parse_date(result.get("date"))
            if when and when <= today:
                out.setdefault(kind, []).append((when, _result_words(check, result)))
    for request in _items(seen.get("requests")):
        for part in _items(request.get("parts")) or [request]:
            when = parse_date(part.get("done_on"))
            if part.get("status") in DONE_REQUESTS and when and when <= today:
                for kind in kinds_named(part.get("what")):
                    out.setdefault(kind, []).append((when, str(part.get("result") or "Done")))
    return out


def _result_words(check: dict[str, Any], result: dict[str, Any]) -> str:
    unit = f" {check['unit']}" if check.get("unit") else ""
    if "systolic" in result:
        return f"{_plain(result.get('systolic'))}/{_plain(result.get('diastolic'))}{unit or ' mmHg'}"
    if "value" in result:
        return f"{_plain(result.get('value'))}{unit}"
    return str(result.get("reading") or "Recorded")


def _plain(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _latest(results: dict[str, list[tuple[date, str]]], kinds: tuple[str, ...]
            ) -> tuple[date | None, str | None]:
    found = [r for kind in kinds for r in results.get(kind, [])]
    if not found:
        return None, None
    return max(found, key=lambda r: r[0])


def _from_check(check: dict[str, Any], results: dict[str, list[tuple[date, str]]],
                today: date) -> Obligation:
    kind = str(check.get("kind", ""))
    own = [(d, w) for r in _items(check.get("results"))
           for d in [parse_date(r.get("date"))] if d and d <= today for w in [_result_words(check, r)]]
    pooled = own + ([] if kind == "other" else [r for r in results.get(kind, []) if r not in own])
    last, said = max(pooled, key=lambda r: r[0]) if pooled else (None, None)
    ob = Obligation(f"check:{check.get('id')}", "check", check_name(check), kinds=(kind,),
                    who=check.get("responsible"), last=last, last_result=said,
                    check_ids=[str(check.get("id"))])
    recorded = parse_date(check.get("next_due"))
    if recorded and (last is None or recorded > last):
        ob.due = recorded  # a date the plan sets is kept until a result meets it
    interval = str(check.get("interval") or "")
    if interval:
        number, unit = interval.split()
        ob.reasons.append(Reason(f"every {unit.rstrip('s')}" if number == "1" else f"every {interval}"))
        if last:
            ob.due = _earlier(ob.due, add_interval(last, interval))
    return ob


def _add_guidance(found: dict[str, Obligation], seen: dict[str, Any], expected: Expected,
                  results: dict[str, list[tuple[date, str]]]) -> None:
    kinds = expected.kinds
    medicine = expected.medicine
    dates = [d for kind in kinds for d, _ in results.get(kind, [])]
    schedule = expected.spec["schedule"]
    due, weeks = next_by_schedule(schedule, expected.started, dates)
    how_often = (weeks_words(weeks) if "stages" in schedule or weeks == steady_weeks(schedule)
                 else expected.spec["how_often"])
    target = _check_for(found, seen, kinds, medicine)
    if target is None:
        key = "guidance:" + "-".join(kinds)
        target = found.get(key)
        if target is None:
            who = medicine.get("prescriber") if medicine else None
            target = found[key] = Obligation(key, "guidance", _capital(expected.spec["name"]),
                                             kinds=kinds, who=who)
    last, said = _latest(results, kinds)
    if last and (target.last is None or last > target.last):
        target.last, target.last_result = last, said
    target.kinds = tuple(dict.fromkeys((*target.kinds, *kinds)))
    target.reasons.append(Reason(
        how_often, expected.rule["source"], expected.rule["id"], expected.spec["how_often"],
        str(medicine.get("name")) if medicine else None, expected.spec["name"]))
    target.due = _earlier(target.due, due)


def _check_for(found: dict[str, Obligation], seen: dict[str, Any], kinds: tuple[str, ...],
               medicine: dict[str, Any] | None) -> Obligation | None:
    """The plan's check that meets a rule: one for this medicine first, else the first of its kind."""
    checks = [c for c in _items(seen.get("health_checks")) if c.get("kind") in kinds]
    mine = [c for c in checks if medicine and medicine.get("id") in (c.get("for_medicines") or [])]
    check = (mine or checks or [None])[0]
    return found.get(f"check:{check.get('id')}") if check else None


def _add_request(found: dict[str, Obligation], request: dict[str, Any], people: People) -> None:
    """An open request joins the obligations for what it asks for; what nothing else covers is
    an obligation of its own."""
    if request.get("status") not in OPEN_REQUESTS:
        return
    parts = _items(request.get("parts"))
    waiting = [p for p in parts if p.get("status") in OPEN_REQUESTS] if parts else [request]
    deadline = parse_date(request.get("due_by"))
    rid = str(request.get("id"))
    asked = parse_date(request.get("asked_on"))
    status = "booked" if request.get("status") == "booked" else "asked"
    words = f"{status} of {people.name(request.get('to'))}" + (
        f" on {long_date(asked)}" if asked else "")
    answer = Answer("request", rid, asked, words)
    uncovered = []
    for part in waiting:
        # A request for advice or help about a check ("Advice on keeping lithium levels
        # checked while abroad") is not the check itself: it stays an obligation of its own.
        kinds = () if _asks_for_advice(part.get("what")) else kinds_named(part.get("what"))
        targets = [o for o in found.values() if o.kind in ("check", "guidance") and set(kinds) & set(o.kinds)]
        if not targets:
            uncovered.append(part)
        for ob in targets:
            if rid not in ob.request_ids:
                ob.request_ids.append(rid)
                ob.answers.append(answer)
                ob.due = _earlier(ob.due, deadline)
    if uncovered:
        kinds = tuple(dict.fromkeys(k for p in uncovered for k in kinds_named(p.get("what"))))
        found[f"request:{rid}"] = Obligation(
            f"request:{rid}", "request", str(request.get("what", "")), kinds=kinds, who=request.get("to"),
            due=deadline, request_ids=[rid], answers=[answer] if status == "booked" else [])


#: First words of a request that asks for advice or help rather than for a check to be done.
ADVICE_WORDS = ("advice", "advise", "help", "information", "support", "talk", "discuss", "explain")


def _asks_for_advice(what: object) -> bool:
    words = str(what or "").strip().lower().split()
    return bool(words) and words[0].strip(",.:") in ADVICE_WORDS


def _add_review(found: dict[str, Obligation], seen: dict[str, Any]) -> None:
    keyworker = next((m.get("id") for m in _items(seen.get("care_team")) if m.get("key_worker")), None)
    reviews = [r for r in _items(seen.get("reviews")) if parse_date(r.get("date"))]
    if not reviews:
        # A reader who was at the last review but may not read the reviews is still told when
        # the next one is (the view passes the date on, and nothing else of the reviews).
        due = parse_date(seen.get(NEXT_REVIEW))
        if due:
            found["review"] = Obligation("review", "review", "The next review of this plan",
                                         who=keyworker, due=due)
        return
    latest = max(reviews, key=lambda r: str(r["date"]))
    due = parse_date(latest.get("next_review_due"))
    if due:
        found["review"] = Obligation("review", "review", "The next review of this plan", who=keyworker,
                                     last=parse_date(latest.get("date")), due=due)


def _add_appointments(found: dict[str, Obligation], seen: dict[str, Any], people: People,
                      today: date) -> None:
    """A booked appointment answers what it is for (named by the kinds of check it mentions)."""
    for appointment in _items(seen.get("appointments")):
        when = parse_date(appointment.get("date"))
        if when is None or when < today or appointment.get("status") in ("cancelled", "missed", "attended"):
            continue
        what_for = appointment.get("what_for")
        kinds = set(kinds_named(what_for))
        is_review = "review" in str(what_for or "").lower()
        place = str(appointment.get("place") or "").split(",")[0].strip()
        where = f"at {place[3:]}" if place.lower().startswith("at ") else f"at {place}"
        words = f"booked for {_day_month(when, today)}" + (f" {where}" if place else "")
        answer = Answer("appointment", str(appointment.get("id")), when, words)
        for ob in found.values():
            if (kinds & set(ob.kinds) and ob.kind != "action") or (is_review and ob.kind == "review"):
                ob.answers.append(answer)


def _state(ob: Obligation, today: date) -> str:
    if ob.kind in ("check", "guidance") and ob.last is None and (ob.due is None or ob.due < today):
        return "not_in_plan" if ob.kind == "guidance" and not ob.request_ids else "never_done"
    if ob.due is None:
        return "no_date"
    if ob.due < today:
        return "overdue"
    return "due_soon" if (ob.due - today).days <= SOON_DAYS else "in_date"


def _joined_guidance(reasons: list[Reason], audience: str) -> list[str]:
    """Plain reasons, the guidance that asks the same thing said once: 'The guidance for
    Clozapine and for the yearly physical health check says this check is needed every year.'"""
    said: list[str] = []
    by_often: dict[str, list[Reason]] = {}
    for reason in reasons:
        if reason.source is None:
            said.append(reason.words(audience))
        else:
            by_often.setdefault(reason.how_often, []).append(reason)
    for how_often, group in by_often.items():
        names = list(dict.fromkeys(r.needed_for or "the yearly physical health check" for r in group))
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and for " + names[-1]
        said.append(f"The guidance for {joined} says this check is needed {how_often}.")
    return said


def _earlier(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _day_month(when: date, today: date) -> str:
    """'8 December', with the year only when it is not this year."""
    year = f" {when.year}" if when.year != today.year else ""
    return f"{when.day} {calendar.month_name[when.month]}{year}"


def audience_words(audience: str) -> str:
    """'the person', 'the GP', 'carer grace'."""
    if audience.startswith("carer:"):
        return f"carer {audience.split(':', 1)[1]}"
    return {"gp": "the GP"}.get(audience, f"the {audience}")


"""The team home page: every plan, what is overdue, open requests, actions by owner.

A pure function of the plans as the team sees them. Only built for the ``team``
audience: a person's or carer's site never lists anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from builder.plan.clinical import upcoming_appointments
from builder.plan.due import Obligation, obligations
from builder.plan.labels import People, duration_words, long_date, parse_date, sentence_case, words
from builder.site.html_text import attr, block, table, text
from builder.site.pages import PageSet
from builder.site.render_common import (
    OPEN_ACTIONS,
    OPEN_REQUESTS,
    full_name,
    obligation_html,
)

#: "This week" on the team home: today and the next six days.
WEEK_DAYS = 6


@dataclass
class PlanRow:
    """What the dashboard needs to know about one plan."""

    plan_id: str
    plan: dict[str, Any]
    last_updated: date | None = None
    last_updated_by: str = ""


#: The parts of a plan the team home uses; only these are kept between builds.
DASHBOARD_PARTS = ("person", "care_team", "reviews", "health_checks", "requests", "actions",
                   "medications", "appointments")
#: Kinds of obligation the team home lists as checks (the review and actions have tables of their own).
_CHECKS = ("check", "guidance")
#: What the monitoring rules need of a medicine.
_MEDICINE_FACTS = ("id", "name", "started", "stopped", "prescriber")


def dashboard_facts(plan: dict[str, Any]) -> dict[str, Any]:
    """The parts of a (team-viewed) plan the team home needs, without results or long text."""
    facts = {key: plan[key] for key in DASHBOARD_PARTS if key in plan}
    if isinstance(facts.get("health_checks"), list):
        # Only the results' dates: what is due counts from them (in a medicine's first weeks,
        # whether a step was already met depends on more than the latest).
        facts["health_checks"] = [
            {**{k: v for k, v in check.items() if k != "results"}, "results": _result_dates(check)}
            if isinstance(check, dict) else check
            for check in facts["health_checks"]
        ]
    if isinstance(facts.get("medications"), list):
        facts["medications"] = [
            {k: m[k] for k in _MEDICINE_FACTS if k in m} if isinstance(m, dict) else m
            for m in facts["medications"]
        ]
    if isinstance(facts.get("reviews"), list):
        facts["reviews"] = [
            {k: r[k] for k in ("id", "date", "next_review_due") if k in r} if isinstance(r, dict) else r
            for r in facts["reviews"]
        ]
    return facts


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def _result_dates(check: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"date": r["date"]} for r in check.get("results") or [] if isinstance(r, dict) and r.get("date")]


def dashboard_pages(rows: list[PlanRow], failed: list[str], today: date) -> PageSet:
    """The team site: one home page."""
    pages = PageSet(title="Wellbeing plans")
    pages.files["index.md"] = dashboard_page(rows, failed, today)
    pages.nav.append(("All plans", "index.md"))
    return pages


def _link(row: PlanRow) -> str:
    return f'<a href="plans/{attr(row.plan_id)}/index.html">{text(full_name(row.plan))}</a>'


def dashboard_page(rows: list[PlanRow], failed: list[str], today: date) -> str:
    # Out of the search index: the page is one long table, which the search plugin would
    # parse on every build and each team member's browser would load (megabytes at a
    # thousand plans); its rows are all on the page itself.
    out = ["---\nhide:\n  - navigation\nsearch:\n  exclude: true\n---\n\n# Wellbeing plans\n"]
    due = {r.plan_id: obligations(r.plan, today) for r in rows}
    overdue_reviews = [r for r in rows
                       if any(o.kind == "review" and o.state == "overdue" for o in due[r.plan_id])]
    # Each check once: its own date, the guidance and any request for it are one obligation.
    pressing_checks = [(r, o) for r in rows for o in due[r.plan_id] if o.kind in _CHECKS and o.pressing]
    open_requests = [
        (r, q)
        for r in rows
        for q in r.plan.get("requests") or []
        if isinstance(q, dict) and q.get("status") in OPEN_REQUESTS
    ]
    late = {(r.plan_id, rid) for r in rows for o in due[r.plan_id] if o.state == "overdue"
            for rid in o.request_ids}
    late_requests = [(r, q) for r, q in open_requests if (r.plan_id, q.get("id")) in late]
    this_week = [(r, a) for r in rows for a in upcoming_appointments(r.plan, today, WEEK_DAYS)]
    plural = "plan" if len(rows) == 1 else "plans"
    summary = (
        f"<p>{len(rows)} {plural}. {len(overdue_reviews)} overdue for review, "
        f"{_count(len(pressing_checks), 'health check')} overdue, never done or missing, "
        f"{_count(len(open_requests), 'request')} "
        f"to other services still open ({len(late_requests)} past the date they were needed by), "
        f"{_count(len(this_week), 'appointment')} this week. "
        f"Today is {text(long_date(today))}.</p>"
    )
    parts = [summary]
    if failed:
        items = "".join(f"<li>{text(message)}</li>" for message in failed)
        parts.append(
            '<div class="wp-banner" role="note"><h2 id="needs-fixing">Needs fixing</h2><p>These '
            "plans have problems. Where a plan has an earlier valid version, that is shown and "
            "counted below. Run <code>wellplan check</code> for details.</p>"
            f"<ul>{items}</ul></div>"
        )
    out.append(block(*parts))
    out.append("## Plans and their next review\n")
    out.append(block(_plans_table(rows, due, today)))
    out.append("## Appointments this week\n")
    out.append(block(_appointments_table(this_week)))
    out.append("## Health checks overdue, never done or missing\n")
    out.append(block(_checks_table(pressing_checks, today)))
    out.append("## Open requests to other services\n")
    out.append(block(_requests_table(open_requests, due, today)))
    out.append("## Actions by who does them\n")
    out.append(block(_actions_by_owner(rows, due, today)))
    return "".join(out)


def _plans_table(rows: list[PlanRow], due: dict[str, list[Obligation]], today: date) -> str:
    if not rows:
        return "<p>There are no plans to show.</p>"
    reviews = {r.plan_id: next((o for o in due[r.plan_id] if o.kind == "review"), None) for r in rows}

    def urgency(row: PlanRow) -> tuple[date, str]:
        review = reviews[row.plan_id]
        return ((review.due if review else None) or date.max, full_name(row.plan))

    body = []
    for row in sorted(rows, key=urgency):
        people = People(row.plan)
        key = people.key_worker()
        review = reviews[row.plan_id]
        updated = (
            (
                f'{text(long_date(row.last_updated))}<br><span class="wp-muted">'
                f"{text(row.last_updated_by)}</span>"
            )
            if row.last_updated
            else "Not recorded"
        )
        body.append(
            [
                _link(row),
                text(people.name(key["id"])) if key else "None named",
                updated,
                obligation_html(review, today) if review else "No review yet",
            ]
        )
    return table(
        "Plans, soonest review first",
        ["Person", "Named key worker", "Last updated", "Next review due"], body,
        shown="Soonest review first",
    )


def _checks_table(found: list[tuple[PlanRow, Obligation]], today: date) -> str:
    if not found:
        return "<p>No health checks are overdue, never done or missing.</p>"
    body = []
    for row, ob in sorted(found, key=lambda f: (f[1].due or date.min, full_name(f[0].plan))):
        people = People(row.plan)
        who = people.name(ob.who) if ob.who else "Nobody named"
        why = " ".join(ob.why("team"))
        body.append([_link(row), text(ob.what), obligation_html(ob, today), text(who), text(why)])
    return table(
        "Health checks overdue, never done or missing, longest overdue first",
        ["Person", "Check", "When it was due", "Who does this check", "Why it is needed"],
        body,
        shown="Longest overdue first",
    )


def _appointments_table(found: list[tuple[PlanRow, dict[str, Any]]]) -> str:
    if not found:
        return "<p>No appointments in the next 7 days.</p>"
    body = []
    for row, a in sorted(found, key=lambda f: (str(f[1].get("date")), str(f[1].get("time", "")))):
        people = People(row.plan)
        when = long_date(a.get("date", "")) + (f", {a['time']}" if a.get("time") else "")
        who = ", ".join(people.name(w) for w in a.get("with") or [])
        body.append([_link(row), text(when), text(a.get("place", "")), text(who),
                     text(a.get("what_for", ""))])
    return table("Appointments in the next 7 days, soonest first",
                 ["Person", "When", "Where", "With whom", "What it is for"], body, shown="Soonest first")


def _requests_table(found: list[tuple[PlanRow, dict[str, Any]]], due: dict[str, list[Obligation]],
                    today: date) -> str:
    if not found:
        return "<p>No requests are waiting.</p>"
    body = []
    for row, req in sorted(found, key=lambda f: str(f[1].get("asked_on", ""))):
        people = People(row.plan)
        asked = parse_date(req.get("asked_on"))
        waiting = f" ({duration_words((today - asked).days)} ago)" if asked and asked <= today else ""
        deadline = parse_date(req.get("due_by"))
        late = f"<br>Needed by {text(long_date(deadline))}" if deadline else ""
        for ob in (o for o in due[row.plan_id] if req.get("id") in o.request_ids):
            late += f"<br>{text(ob.what)}: {obligation_html(ob, today, asked=False)}"
        body.append(
            [
                _link(row),
                text(req.get("what", "")),
                f"{text(people.name(req.get('from')))} asked {text(people.name(req.get('to')))}",
                text(long_date(req.get("asked_on", ""))) + text(waiting) + late,
                text(sentence_case(words(req.get("status", "")))),
            ]
        )
    return table(
        "Requests still waiting, oldest first",
        ["Person", "What was asked", "Who asked whom", "Asked on", "Status"],
        body,
        shown="Oldest first",
    )


def _actions_by_owner(rows: list[PlanRow], due: dict[str, list[Obligation]], today: date) -> str:
    groups: dict[str, list[tuple[PlanRow, dict[str, Any]]]] = {}
    for row in rows:
        people = People(row.plan)
        for action in row.plan.get("actions") or []:
            if not isinstance(action, dict) or action.get("status") not in OPEN_ACTIONS:
                continue
            owner = action.get("owner")
            name = f"{full_name(row.plan)} (their own actions)" if owner == "me" else people.name(owner)
            groups.setdefault(name, []).append((row, action))
    if not groups:
        return "<p>No open actions.</p>"
    parts = []
    for owner in sorted(groups):
        body = []
        for row, action in sorted(groups[owner], key=lambda f: str(f[1].get("due") or "9999")):
            ob = next((o for o in due[row.plan_id] if o.key == f"action:{action.get('id')}"), None)
            body.append(
                [
                    _link(row),
                    text(action.get("what", "")),
                    obligation_html(ob, today) if ob else "Not set",
                    text(sentence_case(words(action.get("status", "")))),
                ]
            )
        parts.append(f"<h3>{text(owner)}</h3>")
        parts.append(
            table(f"Open actions for {owner}", ["Person", "What will be done", "By when", "Status"], body,
                  shown="")
        )
    return "".join(parts)

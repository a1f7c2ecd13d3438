"""The plan page and the crisis page, as Markdown text: pure functions of a viewed plan.

Each function is given the plan *as one audience may see it* (``view.view_plan``)
and renders what is there; a part that is absent is simply not shown. Everything
a person typed goes through :mod:`html_text`, so it stays text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .html_text import badge as _badge
from .html_text import block, facts, heading_md, paras, table, text
from .labels import (
    People,
    check_name,
    days_phrase,
    long_date,
    parse_date,
    sentence_case,
    title,
    title_of_wellbeing,
    words,
)

AREAS = ("mental_health", "physical_health", "life")
OPEN_ACTIONS = ("not-started", "scheduled", "in-progress", "on-hold")
OPEN_REQUESTS = ("requested", "booked")
SOON_DAYS = 30


@dataclass(frozen=True)
class Updated:
    """Who last changed the plan, and when (from the recorded history)."""

    when: date
    name: str
    role: str | None


def full_name(plan: dict[str, Any]) -> str:
    person = plan.get("person") or {}
    return str(person.get("name") or "This person")


def latest_review(plan: dict[str, Any]) -> dict[str, Any] | None:
    reviews = [r for r in plan.get("reviews") or [] if isinstance(r, dict) and r.get("date")]
    return max(reviews, key=lambda r: str(r["date"])) if reviews else None


def next_review_due(plan: dict[str, Any]) -> date | None:
    review = latest_review(plan)
    return parse_date(review.get("next_review_due")) if review else None


def due_state(due: date | None, today: date) -> str | None:
    """overdue, soon (within 30 days) or ok; None when there is no date."""
    if due is None:
        return None
    if due < today:
        return "overdue"
    return "soon" if (due - today).days <= SOON_DAYS else "ok"


def due_badge(due: date | None, today: date) -> str:
    state = due_state(due, today)
    if state == "overdue":
        return _badge(f"Overdue by {days_phrase((today - due).days)}", "overdue")
    if state == "soon":
        return _badge("Due soon", "soon")
    return ""


def plan_page(plan: dict[str, Any], updated: Updated | None, today: date, team_link: str = "") -> str:
    """The whole plan: about me first, then health, life, goals and everything else."""
    people = People(plan)
    out = [f"# {heading_md(full_name(plan))}: wellbeing plan\n"]
    out.append(_status(plan, updated, today, team_link))
    for section in (
        _about_me,
        _health,
        _life,
        _goals_and_actions,
        _medications,
        _checks,
        _requests,
        _crisis_summary,
        _care_team,
        _carers,
        _reviews,
    ):
        out.append(section(plan, people, today))
    return "".join(out)


def _status(plan: dict[str, Any], updated: Updated | None, today: date, team_link: str) -> str:
    people = People(plan)
    if updated:
        who = updated.name + (f" ({words(updated.role)})" if updated.role else "")
        last = f"Last updated {long_date(updated.when)} by {who}"
    else:
        last = "No recorded changes yet"
    due = next_review_due(plan)
    lines = [f"<p>{text(last)}</p>"]
    if due:
        lines.append(f"<p>Next review due {text(long_date(due))} {due_badge(due, today)}</p>")
    elif "reviews" in plan:
        lines.append("<p>No review has been recorded yet</p>")
    parts = [f'<div class="wp-meta">{"".join(lines)}</div>']
    if due and due < today:
        key = people.key_worker()
        ask = f" Ask {text(people.name(key['id']))} to arrange it." if key else ""
        parts.append(
            '<div class="wp-banner" role="note"><p><strong>The review of this plan is overdue.</strong> '
            f"It was due on {text(long_date(due))}, {days_phrase((today - due).days)} ago.{ask}</p></div>"
        )
    links = []
    if "crisis" in plan:
        links.append(
            '<a class="wp-crisis-link" href="crisis.html">In a crisis: who to contact, day and night</a>'
        )
    if team_link:
        links.append(f' <a class="wp-no-print" href="{team_link}">Back to all plans</a>')
    if links:
        parts.append(f"<p>{''.join(links)}</p>")
    return block(*parts)


def _about_me(plan: dict[str, Any], people: People, today: date) -> str:
    about = plan.get("about_me")
    person = plan.get("person") or {}
    out = [f"## {heading_md(title('about_me', 'in_my_own_words').split(',')[0])}\n"]
    parts = []
    if isinstance(about, dict):
        if about.get("in_my_own_words"):
            parts.append(f'<blockquote class="wp-own-words">{paras(about["in_my_own_words"])}</blockquote>')
        for key in ("what_matters_to_me", "a_good_day"):
            if about.get(key):
                parts.append(f"<h3>{text(title('about_me', key))}</h3>{paras(about[key])}")
        strengths = [s for s in about.get("strengths") or [] if isinstance(s, dict) and s.get("text")]
        if strengths:
            items = "".join(f"<li>{text(s['text'])}</li>" for s in strengths)
            parts.append(f"<h3>{text(title('about_me', 'strengths'))}</h3><ul>{items}</ul>")
    comm = person.get("communication") if isinstance(person.get("communication"), dict) else {}
    needs = [_COMMUNICATION[k] for k in _COMMUNICATION if comm.get(k) is True]
    pairs = [
        (title("person", "name"), text(person["name"]) if person.get("name") else None),
        (title("person", "preferred_name"), text(person.get("preferred_name", "")) or None),
        (title("person", "pronouns"), text(person.get("pronouns", "")) or None),
        (
            title("person", "date_of_birth"),
            text(long_date(person["date_of_birth"])) if person.get("date_of_birth") else None,
        ),
        (title("person", "nhs_number"), text(person.get("nhs_number", "")) or None),
        ("Language", text(comm.get("language", "")) or None),
        (title("person", "communication"), text(", ".join(needs)) if needs else None),
        ("Other communication needs", paras(comm["notes"]) if comm.get("notes") else None),
        (
            title("person", "contact_preferences"),
            paras(person["contact_preferences"]) if person.get("contact_preferences") else None,
        ),
    ]
    details = facts(pairs)
    if details:
        parts.append(f"<h3>My details</h3>{details}")
    out.append(block(*parts))
    return "".join(out)


#: The yes/no communication needs, with the schema's titles.
_COMMUNICATION = {"easy_read": "Easy read", "large_print": "Large print", "interpreter": "Interpreter needed"}


def _area_card(area_key: str, area: dict[str, Any], people: People, heading: bool = True) -> str:
    parts = [f'<section class="wp-card" aria-label="{text(title_of_wellbeing(area_key))}">']
    if heading:
        parts.append(f"<h3>{text(title_of_wellbeing(area_key))}</h3>")
    if area.get("in_my_own_words"):
        parts.append(
            f'<p class="wp-label">{text(title("wellbeing_area", "in_my_own_words"))}</p>'
            f'<blockquote class="wp-own-words">{paras(area["in_my_own_words"])}</blockquote>'
        )
    if area.get("going_well"):
        parts.append(f'<p class="wp-label">{text(title("wellbeing_area", "going_well"))}</p>')
        parts.append(paras(area["going_well"]))
    concerns = [c for c in area.get("concerns") or [] if isinstance(c, dict) and c.get("text")]
    if concerns:
        parts.append(f'<p class="wp-label">{text(title("wellbeing_area", "concerns"))}</p>')
        parts.append("<ul>" + "".join(f"<li>{text(c['text'])}</li>" for c in concerns) + "</ul>")
    views = [v for v in area.get("other_views") or [] if isinstance(v, dict) and v.get("text")]
    if views:
        parts.append(f'<p class="wp-label">{text(title("wellbeing_area", "other_views"))}</p><ul>')
        for v in views:
            parts.append(f"<li><strong>{text(people.name(v.get('by')))}:</strong> {text(v['text'])}</li>")
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def _health(plan: dict[str, Any], people: People, today: date) -> str:
    wellbeing = plan.get("wellbeing") if isinstance(plan.get("wellbeing"), dict) else {}
    cards = [
        _area_card(key, wellbeing[key], people)
        for key in ("mental_health", "physical_health")
        if isinstance(wellbeing.get(key), dict)
    ]
    if not cards:
        return ""
    return "## My mind and my body\n" + block(f'<div class="wp-pair">{"".join(cards)}</div>')


def _life(plan: dict[str, Any], people: People, today: date) -> str:
    wellbeing = plan.get("wellbeing") if isinstance(plan.get("wellbeing"), dict) else {}
    if not isinstance(wellbeing.get("life"), dict):
        return ""
    return f"## {heading_md(title_of_wellbeing('life'))}\n" + block(
        _area_card("life", wellbeing["life"], people, heading=False)
    )


def _action_rows(actions: list[dict[str, Any]], people: People, today: date) -> list[list[str]]:
    rows = []
    for a in actions:
        due = parse_date(a.get("due"))
        status = str(a.get("status", ""))
        due_html = text(long_date(due)) if due else "Not set"
        if due and status in OPEN_ACTIONS:
            due_html += " " + due_badge(due, today)
        rows.append(
            [
                text(a.get("what", "")),
                text(people.name(a.get("owner"))),
                due_html,
                text(sentence_case(words(status))),
            ]
        )
    return rows


ACTION_HEADERS = ["What will be done", "Who does it", "By when", "Status"]


def _goals_and_actions(plan: dict[str, Any], people: People, today: date) -> str:
    goals = [g for g in plan.get("goals") or [] if isinstance(g, dict)]
    actions = [a for a in plan.get("actions") or [] if isinstance(a, dict)]
    if not goals and not actions:
        return ""
    goal_ids = {g.get("id") for g in goals}
    parts = []
    for area in AREAS:
        in_area = [g for g in goals if g.get("area") == area]
        loose = [a for a in actions if a.get("goal") not in goal_ids and a.get("area") == area]
        if not in_area and not loose:
            continue
        parts.append(f"<h3>{text(title_of_wellbeing(area))}</h3>")
        for g in in_area:
            parts.append(_goal_card(g, [a for a in actions if a.get("goal") == g.get("id")], people, today))
        if loose:
            parts.append(
                table(
                    f"Other actions for {title_of_wellbeing(area).lower()}",
                    ACTION_HEADERS,
                    _action_rows(loose, people, today),
                )
            )
    rest = [a for a in actions if a.get("goal") not in goal_ids and a.get("area") not in AREAS]
    if rest:
        parts.append("<h3>Other actions</h3>")
        parts.append(table("Other actions", ACTION_HEADERS, _action_rows(rest, people, today)))
    return f"## {heading_md(title(None, 'goals'))} and actions\n" + block(*parts)


def _goal_card(goal: dict[str, Any], actions: list[dict[str, Any]], people: People, today: date) -> str:
    target = parse_date(goal.get("target_date"))
    pairs = [
        (title("goal", "expressed_by"), text(people.name(goal.get("expressed_by")))),
        (title("goal", "status"), text(sentence_case(words(goal.get("status", "")))) or None),
        (title("goal", "target_date"), text(long_date(target)) if target else None),
        (
            title("goal", "why_it_matters"),
            paras(goal["why_it_matters"]) if goal.get("why_it_matters") else None,
        ),
    ]
    parts = [f'<div class="wp-card"><h4>{text(goal.get("what", ""))}</h4>', facts(pairs)]
    if actions:
        parts.append(table("Actions for this goal", ACTION_HEADERS, _action_rows(actions, people, today)))
    notes = [n for n in goal.get("progress") or [] if isinstance(n, dict) and n.get("text")]
    if notes:
        parts.append(f'<p class="wp-label">{text(title("goal", "progress"))}</p><ul>')
        for n in sorted(notes, key=lambda n: str(n.get("date", ""))):
            by = f", {text(people.name(n['by']))}" if n.get("by") else ""
            parts.append(f"<li>{text(long_date(n.get('date', '')))}{by}: {text(n['text'])}</li>")
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _yes_no(value: object) -> str | None:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return None


def _medications(plan: dict[str, Any], people: People, today: date) -> str:
    meds = [m for m in plan.get("medications") or [] if isinstance(m, dict)]
    if not meds:
        return ""
    parts = []
    for m in meds:
        started = parse_date(m.get("started"))
        explained = _yes_no(m.get("side_effects_explained"))
        pairs = [
            (title("medication", "dose"), text(m.get("dose", "")) or None),
            (title("medication", "purpose"), paras(m["purpose"]) if m.get("purpose") else None),
            (
                title("medication", "prescriber"),
                text(people.name(m["prescriber"])) if m.get("prescriber") else None,
            ),
            (title("medication", "started"), text(long_date(started)) if started else None),
            (title("medication", "monitoring"), paras(m["monitoring"]) if m.get("monitoring") else None),
            (
                title("medication", "side_effects"),
                f'<div class="wp-own-words">{paras(m["side_effects"])}</div>'
                if m.get("side_effects")
                else None,
            ),
            (title("medication", "side_effects_explained"), text(explained) if explained else None),
        ]
        parts.append(f'<div class="wp-card"><h3>{text(m.get("name", ""))}</h3>{facts(pairs)}</div>')
    return f"## {heading_md(title(None, 'medications'))}\n" + block(*parts)


def latest_result(check: dict[str, Any]) -> dict[str, Any] | None:
    results = [r for r in check.get("results") or [] if isinstance(r, dict) and r.get("date")]
    return max(results, key=lambda r: str(r["date"])) if results else None


def result_words(check: dict[str, Any], result: dict[str, Any]) -> str:
    unit = str(check.get("unit") or "")
    if "systolic" in result or "diastolic" in result:
        bp = f"{_num(result.get('systolic', '?'))}/{_num(result.get('diastolic', '?'))}"
        return f"{bp} {unit or 'mmHg'}"
    bits = []
    if isinstance(result.get("value"), int | float) and not isinstance(result.get("value"), bool):
        bits.append(f"{_num(result['value'])} {unit}".strip())
    if result.get("reading"):
        bits.append(str(result["reading"]))
    return "; ".join(bits) or "Recorded"


def aim_words(check: dict[str, Any]) -> str:
    """The range agreed in the plan, in words: "Aim: 95 kg or less"."""
    rng = check.get("range") if isinstance(check.get("range"), dict) else {}
    unit = f" {check['unit']}" if check.get("unit") else ""
    low, high = rng.get("low"), rng.get("high")
    if low is not None and high is not None:
        return f"Aim: {_num(low)} to {_num(high)}{unit}"
    if high is not None:
        return f"Aim: {_num(high)}{unit} or less"
    if low is not None:
        return f"Aim: at least {_num(low)}{unit}"
    return ""


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _checks(plan: dict[str, Any], people: People, today: date) -> str:
    checks = [c for c in plan.get("health_checks") or [] if isinstance(c, dict)]
    if not checks:
        return ""
    rows = []
    words_rows = []
    for c in checks:
        latest = latest_result(c)
        latest_html = (
            f"{text(result_words(c, latest))}<br>"
            f'<span class="wp-muted">{text(long_date(latest["date"]))}</span>'
            if latest
            else "No result yet"
        )
        aim = aim_words(c)
        if aim:
            latest_html += f'<br><span class="wp-muted">{text(aim)}</span>'
        due = parse_date(c.get("next_due"))
        due_html = f"{text(long_date(due))} {due_badge(due, today)}" if due else "Not set"
        who = text(people.name(c["responsible"])) if c.get("responsible") else ""
        rows.append([text(check_name(c)), latest_html, due_html, who])
        if c.get("in_my_own_words"):
            words_rows.append(
                f"<li><strong>{text(check_name(c))}:</strong> {text(c['in_my_own_words'])}</li>"
            )
    parts = []
    if words_rows:
        parts.append(
            f'<p class="wp-label">In my own words</p><ul class="wp-own-words">{"".join(words_rows)}</ul>'
        )
    parts.append(
        table(
            "Checks, latest results and when they are next due",
            [
                "Check",
                "Latest result",
                title("health_check", "next_due"),
                title("health_check", "responsible"),
            ],
            rows,
        )
    )
    parts.append('<p><a href="charts.html">See charts of results over time</a></p>')
    return f"## {heading_md(title(None, 'health_checks'))}\n" + block(*parts)


def _requests(plan: dict[str, Any], people: People, today: date) -> str:
    requests = [r for r in plan.get("requests") or [] if isinstance(r, dict)]
    if not requests:
        return ""
    rows = []
    for r in sorted(requests, key=lambda r: str(r.get("asked_on", "")), reverse=True):
        status = str(r.get("status", ""))
        done = parse_date(r.get("done_on"))
        if status in ("done", "result-received"):
            done_html = _badge("Done", "ok") + (f" {text(long_date(done))}" if done else "")
        elif status in OPEN_REQUESTS:
            asked = parse_date(r.get("asked_on"))
            waiting = f", asked {days_phrase((today - asked).days)} ago" if asked and asked <= today else ""
            done_html = _badge("Not yet", "soon") + f" {text(sentence_case(words(status)))}{text(waiting)}"
        else:
            done_html = text(sentence_case(words(status)))
        rows.append(
            [
                text(r.get("what", "")),
                f"{text(people.name(r.get('from')))} asked {text(people.name(r.get('to')))}",
                text(long_date(r.get("asked_on", ""))),
                done_html,
                text(r.get("result", "")),
            ]
        )
    headers = [
        title("request", "what"),
        "Who asked whom",
        title("request", "asked_on"),
        "Done?",
        title("request", "result"),
    ]
    return f"## {heading_md(title(None, 'requests'))}\n" + block(
        table("Requests, and whether they have happened", headers, rows)
    )


def contacts_table(crisis: dict[str, Any]) -> str:
    rows = []
    for c in crisis.get("contacts") or []:
        if not isinstance(c, dict):
            continue
        phone = str(c.get("phone", ""))
        dial = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
        phone_html = f'<a class="wp-nowrap" href="tel:{dial}">{text(phone)}</a>' if dial else text(phone)
        rows.append(
            [text(c.get("name", "")), phone_html, text(_when(c.get("when"))), text(c.get("notes", ""))]
        )
    return table("Phone numbers, and when to call", ["Who", "Phone", "When to call", "Notes"], rows)


def _when(value: object) -> str:
    return {"day": "In the day", "night": "At night", "any-time": "Any time, day or night"}.get(
        str(value), str(value)
    )


def _crisis_summary(plan: dict[str, Any], people: People, today: date) -> str:
    crisis = plan.get("crisis")
    if not isinstance(crisis, dict):
        return ""
    return f"## {heading_md(title(None, 'crisis').split(' and ')[0] + ' plan')}\n" + block(
        contacts_table(crisis),
        '<p><a href="crisis.html">The full crisis plan: early warning signs, '
        "what helps, what does not</a></p>",
    )


def _care_team(plan: dict[str, Any], people: People, today: date) -> str:
    team = [m for m in plan.get("care_team") or [] if isinstance(m, dict)]
    if not team:
        return ""
    parts = []
    key = people.key_worker()
    if key:
        since = f", since {long_date(key['since'])}" if key.get("since") else ""
        phone = f" Phone {key['phone']}." if key.get("phone") else ""
        parts.append(
            '<div class="wp-meta"><p><strong>Named key worker:</strong> '
            f"{text(people.name(key['id']))}{text(since)}.{text(phone)}</p></div>"
        )
    rows = []
    for m in team:
        contact = []
        if m.get("phone"):
            contact.append(f'<span class="wp-nowrap">{text(m["phone"])}</span>')
        if m.get("email"):
            contact.append(text(m["email"]))
        rows.append(
            [
                text(m.get("name", "")) + (" (named key worker)" if m.get("key_worker") is True else ""),
                text(sentence_case(words(m.get("role", "")))),
                text(m.get("organisation", "")),
                "<br>".join(contact),
                text(long_date(m["since"])) if m.get("since") else "",
            ]
        )
    headers = ["Name", "Role", "Organisation", "Phone and email", title("team_member", "since")]
    parts.append(table("Everyone in the care team", headers, rows))
    return f"## {heading_md(title(None, 'care_team'))}\n" + block(*parts)


def _carers(plan: dict[str, Any], people: People, today: date) -> str:
    carers = [c for c in plan.get("carers") or [] if isinstance(c, dict)]
    if not carers:
        return ""
    parts = []
    for c in carers:
        offered = _yes_no(c.get("carer_assessment_offered"))
        pairs = [
            (title("carer", key), paras(c[key]) if c.get(key) else None)
            for key in ("their_role", "agreed_to_share", "their_needs")
        ]
        pairs.append((title("carer", "carer_assessment_offered"), text(offered) if offered else None))
        parts.append(
            f'<div class="wp-card"><h3>{text(people.name(c.get("member")))}</h3>{facts(pairs)}</div>'
        )
    return f"## {heading_md(title(None, 'carers'))}\n" + block(*parts)


def _reviews(plan: dict[str, Any], people: People, today: date) -> str:
    reviews = [r for r in plan.get("reviews") or [] if isinstance(r, dict)]
    if not reviews:
        return ""
    parts = []
    for r in sorted(reviews, key=lambda r: str(r.get("date", "")), reverse=True):
        attended = ", ".join(people.name(p) for p in r.get("attended") or [])
        pairs = [
            (title("review", "attended"), text(attended) or None),
            (title("review", "my_comments"), paras(r["my_comments"]) if r.get("my_comments") else None),
            (title("review", "next_review_due"), text(long_date(r.get("next_review_due", ""))) or None),
        ]
        parts.append(
            f'<div class="wp-card"><h3>Review on {text(long_date(r.get("date", "")))}</h3>'
            f"{facts(pairs)}</div>"
        )
    parts.append('<p><a href="involvement.html">How involved people felt, review by review</a></p>')
    return f"## {heading_md(title(None, 'reviews'))}\n" + block(*parts)


def crisis_page(plan: dict[str, Any]) -> str:
    """The crisis plan on its own page, one click from everywhere."""
    crisis = plan.get("crisis") if isinstance(plan.get("crisis"), dict) else {}
    out = [f"# Crisis plan for {heading_md(full_name(plan))}\n"]
    out.append(
        "## Who to contact\n"
        + block(
            '<div class="wp-banner" role="note"><p><strong>If someone\'s life is in danger now, '
            'call <a href="tel:999">999</a>.</strong></p></div>',
            contacts_table(crisis),
        )
    )
    for key in ("early_warning_signs", "what_helps", "what_does_not_help"):
        items = [i for i in crisis.get(key) or [] if isinstance(i, dict) and i.get("text")]
        if items:
            out.append(f"## {heading_md(title('crisis', key))}\n")
            out.append(block("<ul>" + "".join(f"<li>{text(i['text'])}</li>" for i in items) + "</ul>"))
    if crisis.get("advance_statement"):
        out.append(f"## {heading_md(title('crisis', 'advance_statement'))}\n")
        out.append(
            block(f'<blockquote class="wp-own-words">{paras(crisis["advance_statement"])}</blockquote>')
        )
    return "".join(out)

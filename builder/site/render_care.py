"""The parts of the plan page about care, and the crisis page: pure functions of a viewed plan.

Medicines (with side effects in the person's words), physical health checks (latest
result, next due, overdue flagged), requests between services (asked → done?), the
crisis plan, the care team with the named key worker, carers and reviews.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from builder.plan import glossary
from builder.plan.clinical import (
    is_stopped,
    offer_words,
    offers_about,
    support_for,
    upcoming_appointments,
)
from builder.plan.due import Obligation, obligations
from builder.plan.labels import (
    People,
    check_name,
    duration_words,
    long_date,
    parse_date,
    sentence_case,
    title,
    words,
)
from builder.plan.readings import Verdict, judge, part_verdict
from builder.plan.readings import aim_words as range_words
from builder.site.html_text import attr, block, facts, heading_md, paras, table, text
from builder.site.html_text import badge as _badge
from builder.site.render_common import (
    CALM,
    OPEN_REQUESTS,
    full_name,
    obligation_html,
    private_note,
)
from builder.site.render_common import num as _num
from builder.site.render_common import yes_no as _yes_no
from builder.view import COPY_FOR


def _inline_note(item: dict[str, Any]) -> str:
    note = private_note(item, inline=True)
    return f" {note}" if note else ""


def medications_section(plan: dict[str, Any], people: People, today: date) -> str:
    meds = [m for m in plan.get("medications") or [] if isinstance(m, dict)]
    if not meds:
        return ""
    names = {m.get("id"): str(m.get("name", "")) for m in meds}
    check_names = {c.get("id"): check_name(c) for c in plan.get("health_checks") or [] if isinstance(c, dict)}
    parts = []
    for m in sorted(meds, key=lambda m: is_stopped(m, today)):
        started = parse_date(m.get("started"))
        stopped = parse_date(m.get("stopped"))
        checks = [check_names[c] for c in m.get("monitoring_checks") or [] if c in check_names]
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
                f'<div class="wp-own-words">{paras(m["side_effects"], language=people.language)}</div>'
                if m.get("side_effects")
                else None,
            ),
            (title("medication", "side_effects_explained"), text(explained) if explained else None),
            (title("medication", "monitoring_checks"), text(", ".join(checks)) if checks else None),
            (title("medication", "stopped"), text(long_date(stopped)) if stopped else None),
            (title("medication", "stopped_reason"),
             paras(m["stopped_reason"]) if m.get("stopped_reason") else None),
            (title("medication", "replaced_by"),
             text(names[m["replaced_by"]]) if names.get(m.get("replaced_by")) else None),
        ]
        flag = " " + _badge("Stopped", "ok") if is_stopped(m, today) else ""
        parts.append(
            f'<div class="wp-card"><h3>{text(m.get("name", ""))}{flag}</h3>'
            f'{private_note(m)}{facts(pairs)}</div>'
        )
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
    if isinstance(result.get("qrisk"), int | float) and not isinstance(result.get("qrisk"), bool):
        bits.append(f"QRISK {_num(result['qrisk'])}%")
    return "; ".join(bits) or "Recorded"


def verdict_html(verdict: Verdict | None) -> str:
    """A result outside its aim or the usual range, said in words beside the value."""
    if verdict is None:
        return ""
    return "<br>" + _badge(verdict.words(), "soon" if verdict.toward else "overdue")


def part_verdict_html(part: dict[str, Any]) -> str:
    """A reading in a request part's result outside the usual range for what it measured."""
    verdict = part_verdict(part)
    return " " + _badge(verdict.words(), "overdue") if verdict else ""


def outside_html(plan: dict[str, Any], check: dict[str, Any], result: dict[str, Any] | None,
                 previous: dict[str, Any] | None = None) -> str:
    """A flag, in words, for a result outside its aim, and what was offered about the check."""
    verdict = judge(check, result, previous) if result else None
    offers = [f"Offered: {offer_words(o)}" for o in offers_about(check, None)]
    if verdict:  # what else the plan holds about it: a referral, a request, an action, a goal
        offers += support_for(plan, check)
    html = verdict_html(verdict)
    if offers:
        html += "<br>" + "<br>".join(text(o) for o in offers)
    elif verdict:
        html += '<br><span class="wp-muted">Nothing offered about it is recorded yet.</span>'
    return html


def aim_words(check: dict[str, Any]) -> str:
    """The range agreed in the plan, in words: "Aim: 95 kg or less"."""
    words = range_words(check)
    return f"Aim: {words}" if words else ""


def by_check(found: list[Obligation]) -> dict[str, Obligation]:
    """The obligation each check belongs to."""
    return {cid: ob for ob in found for cid in ob.check_ids}


def checks_section(plan: dict[str, Any], people: People, today: date, audience: str = "team",
                   found: list[Obligation] | None = None) -> str:
    checks = [c for c in plan.get("health_checks") or [] if isinstance(c, dict)]
    if not checks:
        return ""
    due = by_check(obligations(plan, today) if found is None else found)
    med_names = {m.get("id"): str(m.get("name", "")) for m in plan.get("medications") or []
                 if isinstance(m, dict)}
    rows = []
    words_rows = []
    for c in checks:
        dated = sorted((r for r in c.get("results") or [] if isinstance(r, dict) and r.get("date")),
                       key=lambda r: str(r["date"]))
        latest = dated[-1] if dated else None
        previous = dated[-2] if len(dated) > 1 else None
        latest_html = (
            f"{text(result_words(c, latest))}<br>"
            f'<span class="wp-muted">{text(long_date(latest["date"]))}</span>'
            if latest
            else "No result yet"
        )
        aim = aim_words(c)
        if aim:
            latest_html += f'<br><span class="wp-muted">{text(aim)}</span>'
        latest_html += outside_html(plan, c, latest, previous)
        how_often = []
        if c.get("interval"):
            how_often.append(f"Every {c['interval']}")
        meds = [med_names[m] for m in c.get("for_medicines") or [] if m in med_names]
        if meds:
            how_often.append("for " + ", ".join(meds))
        if how_often:
            latest_html += f'<br><span class="wp-muted">{text(" ".join(how_often))}</span>'
        ob = due.get(str(c.get("id")))
        due_html = obligation_html(ob, today, audience) if ob else "Not set"
        who = text(people.name(c["responsible"])) if c.get("responsible") else ""
        rows.append([text(check_name(c)) + _inline_note(c), latest_html, due_html, who])
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


def monitoring_section(plan: dict[str, Any], people: People, today: date, audience: str = "team",
                       found: list[Obligation] | None = None) -> str:
    """What the published guidance expects of this plan: what needs attention, then what is in date."""
    if "health_checks" not in plan:
        return ""  # an audience that cannot see the checks is not told they are missing
    found = [o for o in (obligations(plan, today) if found is None else found)
             if any(r.source for r in o.reasons)]
    if not found:
        return ""
    calm = audience.split(":")[0] in CALM
    attention = [o for o in found if o.state not in ("in_date", "no_date")]
    in_date = [o for o in found if o.state in ("in_date", "no_date")]
    items = []
    for ob in attention:
        items.append(f"<li><strong>{text(ob.what)}</strong>: {obligation_html(ob, today, audience)}"
                     f'<br><span class="wp-muted">{text(ob.details(audience))}</span></li>')
    if calm:
        intro = ("<p>The checks that the published guidance says are needed for this plan's medicines, "
                 "and in the yearly physical health check.")
    else:
        intro = ("<p>The checks that this plan's medicines, and the yearly physical health check, need "
                 "according to the published guidance.")
    intro += f" {_count(len(attention), 'needs', 'need')} attention now.</p>" if attention else \
        " Nothing is missing or overdue.</p>"
    body = f"<ul>{''.join(items)}</ul>" if items else ""
    if in_date:
        named = ", ".join(f'<span class="wp-due" data-obligation="{attr(o.key)}" '
                          f'data-due="{o.due.isoformat() if o.due else ""}" data-state="{o.state}">'
                          f"{text(o.what)}{text(' (next ' + long_date(o.due) + ')') if o.due else ''}</span>"
                          for o in in_date)
        body += f"<p>{_count(len(in_date), 'is', 'are')} in date: {named}.</p>"
    return "## Checks the guidance expects\n" + block(intro + body)


def _count(n: int, one: str, many: str) -> str:
    """'1 is', '6 are': a number and its verb, agreeing."""
    return f"{n} {one if n == 1 else many}"


def requests_section(plan: dict[str, Any], people: People, today: date,
                     found: list[Obligation] | None = None) -> str:
    requests = [r for r in plan.get("requests") or [] if isinstance(r, dict)]
    if not requests:
        return ""
    asked: dict[str, list[Obligation]] = {}
    for ob in obligations(plan, today) if found is None else found:
        for rid in ob.request_ids:
            asked.setdefault(rid, []).append(ob)
    rows = []
    for r in sorted(requests, key=lambda r: str(r.get("asked_on", "")), reverse=True):
        status = str(r.get("status", ""))
        done = parse_date(r.get("done_on"))
        if status in ("done", "result-received"):
            done_html = _badge("Done", "ok") + (f" {text(long_date(done))}" if done else "")
        elif status in OPEN_REQUESTS:
            asked_on = parse_date(r.get("asked_on"))
            waiting = f", asked {duration_words((today - asked_on).days)} ago" \
                if asked_on and asked_on <= today else ""
            done_html = _badge("Not yet", "soon") + f" {text(sentence_case(words(status)))}{text(waiting)}"
        else:
            done_html = text(sentence_case(words(status)))
        deadline = parse_date(r.get("due_by"))
        if deadline:
            done_html += f"<br>Needed by {text(long_date(deadline))}"
        for ob in asked.get(str(r.get("id")), []) if status in OPEN_REQUESTS else []:
            label = f"{text(ob.what)}: " if ob.kind != "request" else ""
            done_html += f"<br>{label}{obligation_html(ob, today, asked=False)}"
        parts_list = [p for p in r.get("parts") or [] if isinstance(p, dict)]
        if parts_list:
            done_html += "<ul>" + "".join(
                f"<li>{text(p.get('what', ''))}: {text(sentence_case(words(p.get('status', ''))))}"
                + (f" {text(long_date(p['done_on']))}" if p.get("done_on") else "")
                + (f". {text(p['result'])}" if p.get("result") else "")
                + part_verdict_html(p) + "</li>"
                for p in parts_list) + "</ul>"
        rows.append(
            [
                text(r.get("what", "")) + _inline_note(r),
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


def crisis_section(plan: dict[str, Any], people: People, today: date) -> str:
    crisis = plan.get("crisis")
    if not isinstance(crisis, dict):
        return ""
    return f"## {heading_md(title(None, 'crisis').split(' and ')[0] + ' plan')}\n" + block(
        contacts_table(crisis),
        '<p><a href="crisis.html">The full crisis plan: early warning signs, '
        "what helps, what does not</a></p>",
    )


def care_team_section(plan: dict[str, Any], people: People, today: date) -> str:
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
                text(m.get("name", ""))
                + (" (named key worker)" if m.get("key_worker") is True else "")
                + _inline_note(m),
                text(sentence_case(words(m.get("role", "")))),
                text(m.get("organisation", "")),
                "<br>".join(contact),
                text(long_date(m["since"])) if m.get("since") else "",
            ]
        )
    headers = ["Name", "Role", "Organisation", "Phone and email", title("team_member", "since")]
    parts.append(table("Everyone in the care team", headers, rows))
    return f"## {heading_md(title(None, 'care_team'))}\n" + block(*parts)


def carers_section(plan: dict[str, Any], people: People, today: date) -> str:
    carers = [c for c in plan.get("carers") or [] if isinstance(c, dict)]
    if not carers:
        return ""
    parts = []
    for c in carers:
        pairs = [
            (title("carer", key), paras(c[key]) if c.get(key) else None)
            for key in ("their_role", "agreed_to_share", "their_needs")
        ]
        pairs.append(("Carer's assessment", assessment_words(c.get("assessment"))))
        parts.append(
            f'<div class="wp-card"><h3>{text(people.name(c.get("member")))}</h3>{facts(pairs)}</div>'
        )
    return f"## {heading_md(title(None, 'carers'))}\n" + block(*parts)


def assessment_words(assessment: Any) -> str | None:
    """The carer's assessment in a sentence or two, or None when nothing is recorded."""
    if not isinstance(assessment, dict):
        return None
    bits = []
    offered = assessment.get("offered")
    if offered is True:
        when = f" on {long_date(assessment['offered_on'])}" if assessment.get("offered_on") else ""
        bits.append(f"Offered{when}.")
    elif offered is False:
        bits.append("Not offered yet.")
    if assessment.get("response"):
        bits.append(f"{sentence_case(str(assessment['response']))}.")
    if assessment.get("date"):
        bits.append(f"Assessed on {long_date(assessment['date'])}.")
    html = text(" ".join(bits))
    if assessment.get("outcome"):
        html += paras(assessment["outcome"])
    return html or None


def appointments_section(plan: dict[str, Any], people: People, today: date) -> str:
    booked = upcoming_appointments(plan, today)
    if "appointments" not in plan:
        return ""
    rows = [appointment_row(a, people) for a in booked]
    body = table("Appointments coming up", ["When", "Where", "With whom", "What it is for"], rows) \
        if rows else "<p>No appointments coming up.</p>"
    return f"## {heading_md(title(None, 'appointments'))}\n" + block(body)


def appointment_row(a: dict[str, Any], people: People) -> list[str]:
    when = long_date(a.get("date", "")) + (f", {a['time']}" if a.get("time") else "")
    who = ", ".join(people.name(w) for w in a.get("with") or [])
    return [text(when), text(a.get("place", "")), text(who), text(a.get("what_for", ""))]


def consent_section(plan: dict[str, Any], people: People, today: date) -> str:
    records = [c for c in plan.get("consent") or [] if isinstance(c, dict)]
    if not records:
        return ""
    rows = []
    for c in sorted(records, key=lambda c: str(c.get("given_on", ""))):
        shared = ", ".join(_audience_or_person(w, people) for w in c.get("shared_with") or [])
        when = long_date(c.get("given_on", ""))
        if c.get("withdrawn_on"):
            when += f"; withdrawn {long_date(c['withdrawn_on'])}"
        rows.append([text(people.name(c.get("given_by"))), text(shared), text(c.get("what", "")),
                     text(when), text(people.name(c.get("recorded_by")))])
    headers = [title("consent_record", k) for k in ("given_by", "shared_with", "what", "given_on",
                                                     "recorded_by")]
    return f"## {heading_md(title(None, 'consent'))}\n" + block(
        table("Consent to share, and who recorded it", headers, rows))


_AUDIENCE_WORDS = {"carer": "Carers", "gp": "The GP practice", "team": "The mental health team",
                   "person": "The person"}


def _audience_or_person(who: object, people: People) -> str:
    return _AUDIENCE_WORDS.get(str(who)) or people.name(who)


def reviews_section(plan: dict[str, Any], people: People, today: date) -> str:
    reviews = [r for r in plan.get("reviews") or [] if isinstance(r, dict)]
    if not reviews:
        return ""
    parts = []
    for r in sorted(reviews, key=lambda r: str(r.get("date", "")), reverse=True):
        attended = ", ".join(people.name(p) for p in r.get("attended") or [])
        pairs = [
            (title("review", "attended"), text(attended) or None),
            (title("review", "my_comments"),
             paras(r["my_comments"], language=people.language) if r.get("my_comments") else None),
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
    reader = str(plan.get(COPY_FOR) or "team")

    def said(words: str) -> str:
        """A heading in the reader's words (the glossary's plain words for a person or carer)."""
        return glossary.plain(words, reader)

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
            out.append(f"## {heading_md(said(title('crisis', key)))}\n")
            out.append(block("<ul>" + "".join(f"<li>{text(i['text'])}</li>" for i in items) + "</ul>"))
    out.append(_physical_signs(crisis, plan))
    out.append(_relapse_signature(crisis, said))
    statement = crisis.get("advance_statement")
    if isinstance(statement, dict) and statement.get("text"):
        out.append(f"## {heading_md(said(title('crisis', 'advance_statement')))}\n")
        dated = f"<p>Written on {text(long_date(statement['date']))}.</p>" if statement.get("date") else ""
        out.append(block(f'<blockquote class="wp-own-words">{paras(statement["text"])}</blockquote>{dated}'))
    decisions = [d for d in crisis.get("advance_decisions") or [] if isinstance(d, dict)]
    if decisions:
        out.append(f"## {heading_md(title('crisis', 'advance_decisions'))}\n")
        cards = []
        for d in decisions:
            pairs = [(title("advance_decision", k), paras(d[k]) if d.get(k) else None)
                     for k in ("circumstances", "signed_copy_kept")]
            pairs.insert(0, (title("advance_decision", "made_on"),
                             text(long_date(d["made_on"])) if d.get("made_on") else None))
            pairs.append((title("advance_decision", "witness"), text(d.get("witness", "")) or None))
            cards.append(f'<div class="wp-card"><h3>{text(title("advance_decision", "refuses"))}: '
                         f'{text(d.get("refuses", ""))}</h3>{facts(pairs)}</div>')
        out.append(block(*cards))
    return "".join(out)


def _physical_signs(crisis: dict[str, Any], plan: dict[str, Any]) -> str:
    signs = [s for s in crisis.get("physical_warning_signs") or [] if isinstance(s, dict) and s.get("text")]
    if not signs:
        return ""
    names = {m.get("id"): str(m.get("name", ""))
             for m in plan.get("medications") or [] if isinstance(m, dict)}
    rows = [[text(s["text"]), text(names.get(s.get("medicine"), "")), text(s.get("what_to_do", ""))]
            for s in signs]
    return f"## {heading_md(title('crisis', 'physical_warning_signs'))}\n" + block(
        table("Signs in the body that need action quickly", ["The sign", "Because of the medicine",
                                                              "What to do"], rows))


def _relapse_signature(crisis: dict[str, Any], said: Any = str) -> str:
    stages = [s for s in crisis.get("relapse_signature") or [] if isinstance(s, dict)]
    if not stages:
        return ""
    signs = {i.get("id"): i.get("text")
             for i in crisis.get("early_warning_signs") or [] if isinstance(i, dict)}
    helps = {i.get("id"): i.get("text") for i in crisis.get("what_helps") or [] if isinstance(i, dict)}
    rows = []
    for s in stages:
        seen = [signs[i] for i in s.get("signs") or [] if signs.get(i)]
        helping = [helps[i] for i in s.get("helps") or [] if helps.get(i)]
        rows.append([
            text(s.get("stage", "")),
            "<ul>" + "".join(f"<li>{text(x)}</li>" for x in seen) + "</ul>" if seen else "",
            ("<ul>" + "".join(f"<li>{text(x)}</li>" for x in helping) + "</ul>" if helping else "")
            + (paras(s["who_acts"]) if s.get("who_acts") else ""),
        ])
    return f"## {heading_md(said(title('crisis', 'relapse_signature')))}\n" + block(
        table("Stage by stage: the signs, and what helps then", ["Stage", "Signs", "What helps"], rows))

"""The plan page, as Markdown text: a pure function of a viewed plan.

Each function is given the plan *as one audience may see it* (``view.view_plan``)
and renders what is there; a part that is absent is simply not shown. Everything
a person typed goes through :mod:`html_text`, so it stays text. The parts about
care (medicines, checks, requests, crisis, team, reviews) are in :mod:`render_care`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from builder.plan.due import Obligation, obligations
from builder.plan.labels import (
    People,
    copy_for,
    duration_words,
    long_date,
    parse_date,
    sentence_case,
    title,
    title_of_wellbeing,
    words,
)
from builder.site.html_text import attr, block, facts, heading_md, paras, table, text
from builder.site.render_care import (
    appointments_section,
    care_team_section,
    carers_section,
    checks_section,
    consent_section,
    crisis_section,
    medications_section,
    monitoring_section,
    requests_section,
    reviews_section,
)
from builder.site.render_common import (
    AREAS,
    Updated,
    full_name,
    obligation_html,
    part_note,
    private_note,
)
from builder.view import COPY_FOR, NOTE


def plan_page(plan: dict[str, Any], updated: Updated | None, today: date, team_link: str = "",
              audience: str = "team") -> str:
    """The whole plan: about me first, then health, life, goals and everything else."""
    people = People(plan)
    found = obligations(plan, today)  # what is due, worked out once for every part of the page

    def checks(plan: dict[str, Any], people: People, today: date) -> str:
        return checks_section(plan, people, today, audience, found)

    def guidance(plan: dict[str, Any], people: People, today: date) -> str:
        return monitoring_section(plan, people, today, audience, found)

    def requests(plan: dict[str, Any], people: People, today: date) -> str:
        return requests_section(plan, people, today, found)

    def goals_and_actions(plan: dict[str, Any], people: People, today: date) -> str:
        return _goals_and_actions(plan, people, today, found)

    out = [f"# {heading_md(full_name(plan))}: wellbeing plan\n"]
    out.append(_status(plan, updated, today, team_link, found))
    for section, parts in (
        (_about_me, ("about_me",)),
        (_health, ("wellbeing",)),
        (_life, ("wellbeing",)),
        (goals_and_actions, ("goals", "actions")),
        (appointments_section, ("appointments",)),
        (medications_section, ("medications",)),
        (checks, ("health_checks",)),
        (guidance, ()),
        (requests, ("requests",)),
        (crisis_section, ("crisis",)),
        (care_team_section, ("care_team",)),
        (carers_section, ("carers",)),
        (consent_section, ("consent",)),
        (reviews_section, ("reviews",)),
    ):
        out.append(_with_note(section(plan, people, today), part_note(plan, *parts)))
    return "".join(out)


def _with_note(section: str, note: str) -> str:
    """A section with the note on who else sees it just under its heading."""
    if not section or not note:
        return section
    heading, _, rest = section.partition("\n")
    return f"{heading}\n{block(note)}{rest}"


def _status(plan: dict[str, Any], updated: Updated | None, today: date, team_link: str,
            found: list[Obligation]) -> str:
    people = People(plan)
    if updated:
        who = updated.name + (f" ({words(updated.role)})" if updated.role else "")
        last = f"Last updated {long_date(updated.when)} by {who}"
        if updated.version and updated.recorded:
            # The same version as every printed copy made now; the last change this reader
            # may see is older than that, and is said as such.
            last = (f"Version {updated.version}, recorded {long_date(updated.recorded)}. The last "
                    f"change you can see was made on {long_date(updated.when)} by {who}")
        elif updated.version:
            # The printed copy's words, so a page and a copy can be matched.
            last = f"Version {updated.version}, last updated {long_date(updated.when)} by {who}"
    else:
        last = "No recorded changes yet"
    review = next((o for o in found if o.kind == "review"), None)
    due = review.due if review else None
    lines = [f"<p>{text(last)}</p>"]
    if plan.get(COPY_FOR) in ("carer", "gp"):
        # Whose site this is and what it holds, as their printed copy says.
        lines.insert(0, f"<p><strong>{text(copy_for(plan[COPY_FOR], people.me, 'site'))}</strong></p>")
    if review:
        lines.append(f"<p>Next review due {obligation_html(review, today)}</p>")
    elif "reviews" in plan:
        lines.append("<p>No review has been recorded yet</p>")
    # Back to the team's list comes first, on its own line, well away from the crisis link.
    parts = [f'<p class="wp-back wp-no-print"><a href="{team_link}">Back to all plans</a></p>'] \
        if team_link else []
    parts.append(f'<div class="wp-meta">{"".join(lines)}</div>')
    if review and review.state == "overdue" and due:
        key = people.key_worker()
        ask = f" Ask {text(people.name(key['id']))} to arrange it." if key else ""
        parts.append(
            '<div class="wp-banner" role="note"><p><strong>The review of this plan is overdue.</strong> '
            f"It was due on {text(long_date(due))}, {duration_words((today - due).days)} ago.{ask}</p></div>"
        )
    if "crisis" in plan:
        parts.append(
            '<p><a class="wp-crisis-link" href="crisis.html">In a crisis: who to contact, day and '
            "night</a></p>"
        )
    return block(*parts)


def _about_me(plan: dict[str, Any], people: People, today: date) -> str:
    about = plan.get("about_me")
    person = plan.get("person") or {}
    out = [f"## {heading_md(title('about_me', 'in_my_own_words').split(',')[0])}\n"]
    parts = []
    if isinstance(about, dict):
        if about.get("in_my_own_words"):
            own = paras(about["in_my_own_words"], language=people.language)
            parts.append(f'<blockquote class="wp-own-words">{own}</blockquote>')
        for key in ("what_matters_to_me", "a_good_day"):
            if about.get(key):
                parts.append(f"<h3>{text(title('about_me', key))}</h3>"
                             f"{paras(about[key], language=people.language)}")
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
        parts.append(f"<h3>My details</h3>{part_note(plan, 'person')}{details}")
    out.append(block(*parts))
    return "".join(out)


#: The yes/no communication needs, with the schema's titles.
_COMMUNICATION = {"easy_read": "Easy read", "large_print": "Large print", "interpreter": "Interpreter needed"}


def _area_card(area_key: str, area: dict[str, Any], people: People, heading: bool = True) -> str:
    parts = [f'<section class="wp-card" aria-label="{attr(title_of_wellbeing(area_key))}">']
    if heading:
        parts.append(f"<h3>{text(title_of_wellbeing(area_key))}</h3>")
    parts.append(private_note(area))
    if area.get("in_my_own_words"):
        parts.append(
            f'<p class="wp-label">{text(title("wellbeing_area", "in_my_own_words"))}</p>'
            '<blockquote class="wp-own-words">'
            f'{paras(area["in_my_own_words"], language=people.language)}</blockquote>'
        )
    if area.get("going_well"):
        parts.append(f'<p class="wp-label">{text(title("wellbeing_area", "going_well"))}</p>')
        parts.append(paras(area["going_well"], language=people.language))
    concerns = [c for c in area.get("concerns") or [] if isinstance(c, dict) and c.get("text")]
    if concerns:
        parts.append(f'<p class="wp-label">{text(title("wellbeing_area", "concerns"))}</p>')
        parts.append(
            "<ul>" + "".join(f"<li>{text(c['text'])} {private_note(c, True)}</li>" for c in concerns)
            + "</ul>"
        )
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


def _action_rows(actions: list[dict[str, Any]], people: People, today: date,
                 found: list[Obligation]) -> list[list[str]]:
    rows = []
    due_by = {o.key: o for o in found}
    for a in actions:
        due = parse_date(a.get("due"))
        status = str(a.get("status", ""))
        ob = due_by.get(f"action:{a.get('id')}")
        due_html = obligation_html(ob, today) if ob else text(long_date(due)) if due else "Not set"
        rows.append(
            [
                text(a.get("what", "")) + (f" {private_note(a, True)}" if a.get(NOTE) else ""),
                text(people.name(a.get("owner"))),
                due_html,
                text(sentence_case(words(status))),
            ]
        )
    return rows


ACTION_HEADERS = ["What will be done", "Who does it", "By when", "Status"]


def _goals_and_actions(plan: dict[str, Any], people: People, today: date,
                       found: list[Obligation] | None = None) -> str:
    found = obligations(plan, today) if found is None else found
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
            parts.append(_goal_card(g, [a for a in actions if a.get("goal") == g.get("id")], people, today,
                                    found))
        if loose:
            parts.append(
                table(
                    f"Other actions for {title_of_wellbeing(area).lower()}",
                    ACTION_HEADERS,
                    _action_rows(loose, people, today, found),
                )
            )
    rest = [a for a in actions if a.get("goal") not in goal_ids and a.get("area") not in AREAS]
    if rest:
        parts.append("<h3>Other actions</h3>")
        parts.append(table("Other actions", ACTION_HEADERS, _action_rows(rest, people, today, found)))
    return f"## {heading_md(title(None, 'goals'))} and actions\n" + block(*parts)


def _goal_card(goal: dict[str, Any], actions: list[dict[str, Any]], people: People, today: date,
               found: list[Obligation]) -> str:
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
    parts = [f'<div class="wp-card"><h4>{text(goal.get("what", ""))}</h4>', private_note(goal), facts(pairs)]
    if actions:
        rows = _action_rows(actions, people, today, found)
        label = f"Actions for the goal: {goal.get('what', '')}"
        parts.append(table("Actions for this goal", ACTION_HEADERS, rows, label=label))
    notes = [n for n in goal.get("progress") or [] if isinstance(n, dict) and n.get("text")]
    if notes:
        parts.append(f'<p class="wp-label">{text(title("goal", "progress"))}</p><ul>')
        for n in sorted(notes, key=lambda n: str(n.get("date", ""))):
            by = f", {text(people.name(n['by']))}" if n.get("by") else ""
            parts.append(f"<li>{text(long_date(n.get('date', '')))}{by}: {text(n['text'])}</li>")
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)

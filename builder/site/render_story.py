"""Pages about how a plan has changed: what changed, history, involvement, charts.

Pure functions. The story (``timeline.PlanStory``) is already filtered for the
audience, and so is the plan, so these functions only decide how things look.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from builder.plan.labels import People, check_name, long_date, schema, words
from builder.record.dating import differs
from builder.site.charts import chart_html, chartable
from builder.site.html_text import block, heading_md, table, text
from builder.story.account import NOTES_HEADING
from builder.story.timeline import STARTED

INVOLVEMENT_QUESTIONS = (
    "working_together",
    "trust",
    "living_plan",
    "body_and_mind",
    "joined_up",
    "about_me",
)


def _day(when: datetime | date | None) -> str:
    if when is None:
        return ""
    return long_date(when.date() if isinstance(when, datetime) else when)


def pieces_html(pieces: list[Any]) -> str:
    """An account's words as HTML: the thing's name in bold, words added and taken out marked."""
    out = []
    for piece in pieces:
        if piece.kind == "lead":
            out.append(f"<strong>{text(piece.text)}</strong>")
        elif piece.kind == "ins":
            out.append(f'<ins><span class="wp-sr">added: </span>{text(piece.text)}</ins>')
        elif piece.kind == "del":
            out.append(f'<del><span class="wp-sr">taken out: </span>{text(piece.text)}</del>')
        else:
            out.append(text(piece.text))
    return "".join(out)


def line_html(line: Any) -> str:
    """One thing that changed; several edits to it each get an item of their own."""
    if len(line.steps) == 1:
        return pieces_html(line.pieces())
    steps = "".join(f"<li>{pieces_html(step)}</li>" for step in line.step_pieces())
    extra = f'<p class="wp-muted">{text(line.extra)}</p>' if line.extra else ""
    return f'<strong>{text(line.lead)}</strong><ul class="wp-steps">{steps}</ul>{extra}'


def account_html(account: Any, empty: str, level: int = 3) -> str:
    """An account of change: a one-line summary, who took part, then each section's changes."""
    if not account.lines and not account.unreadable:
        return f"<p>{text(empty)}</p>"
    parts = []
    if account.lines:
        parts.append(f'<p class="wp-summary"><strong>{text(account.summary())}</strong></p>')
    if account.who_took_part():
        parts.append(f'<p class="wp-muted">{text(account.who_took_part())}</p>')
    for heading, lines in account.sections():
        items = "".join(f"<li>{line_html(line)}</li>" for line in lines)
        parts.append(f'<h{level}>{text(heading)}</h{level}><ul class="wp-changes">{items}</ul>')
    if account.notes:
        said = "".join(f"<li>{text(note)}</li>" for note in account.notes_said())
        parts.append(f"<h{level}>{text(NOTES_HEADING)}</h{level}><ul>{said}</ul>")
    for revision in account.unreadable:
        parts.append(f"<p>{text(UNREADABLE_VERSION.format(day=_day(revision.when)))}</p>")
    if any(p.kind in ("ins", "del") for line in account.lines for p in line.pieces()):
        parts.append('<p class="wp-muted">In long texts, words added are '
                     '<ins>underlined</ins> and words taken out are <del>struck through</del>.</p>')
    return "".join(parts)


UNREADABLE_VERSION = "The version recorded on {day} could not be read, so what changed in it is not shown."


def review_label(point: Any) -> str:
    review = point.review if isinstance(point.review, dict) else {}
    day = review.get("date") or point.revision.when.date()
    return f"the review on {long_date(day)}"


def compare_file(old: int, new: int) -> str:
    return f"compare-{old + 1}-to-{new + 1}.md"


def changes_page(name: str, story: Any) -> str:
    """Since the last review by default, with links to compare any two reviews."""
    out = [f"# What changed in {heading_md(name)}'s plan\n"]
    if story is None:
        out.append(
            block("<p>The recorded history of this plan could not be read, so changes cannot be shown.</p>")
        )
        return "".join(out)
    empty = "Nothing has changed since then." if story.since_commit else \
        "No changes have been recorded yet."
    out.append(f"## {heading_md(story.since)}\n")
    out.append(block(account_html(story.account_since(), empty)))
    if len(story.reviews) < story.reviews_recorded:
        # Reviews this audience may not read cannot be compared, now or later: no promise.
        return "".join(out)
    out.append("## Compare two reviews\n")
    if len(story.reviews) < 2:
        out.append(block("<p>Once two reviews have been recorded, you can compare them here.</p>"))
        return "".join(out)
    links = []
    for new in range(len(story.reviews) - 1, 0, -1):
        for old in range(new - 1, -1, -1):
            label = f"From {review_label(story.reviews[old])} to {review_label(story.reviews[new])}"
            links.append(f'<li><a href="{compare_file(old, new)[:-3]}.html">{text(label)}</a></li>')
    out.append(block(f"<ul>{''.join(links)}</ul>"))
    return "".join(out)


def compare_page(name: str, story: Any, old: int, new: int) -> str:
    a, b = story.reviews[old], story.reviews[new]
    out = [f"# What changed in {heading_md(name)}'s plan between two reviews\n"]
    intro = f"From {review_label(a)} to {review_label(b)}."
    account = story.account(a.revision.commit, b.revision.commit)
    out.append(
        block(
            f"<p>{text(intro)}</p>",
            account_html(account, "Nothing changed between these reviews.", level=2),
            '<p><a href="changes.html">Back to what changed</a></p>',
        )
    )
    return "".join(out)


def history_page(name: str, story: Any) -> str:
    """Every recorded edit, newest first: when, who, their role, what changed, and their note.

    Edits since the last review are listed under the same heading as on "What changed", so the
    two pages name the same edits for the same period."""
    out = [f"# History of {heading_md(name)}'s plan\n"]
    if story is None or not story.entries:
        out.append(block("<p>No changes to this plan have been recorded yet.</p>"))
        return "".join(out)
    recent, earlier = [], []
    for entry in story.entries:
        (recent if story.is_since_review(entry) else earlier).append(entry)
    if story.since_commit:
        said = _entries_html(story, recent) if recent else ["<p>Nothing has changed since then.</p>"]
        out.append(f"## {heading_md(story.since)}\n{block(*said)}")
    if earlier:
        title = "Before that" if story.since_commit else "Every recorded change, newest first"
        out.append(f"## {heading_md(title)}\n{block(*_entries_html(story, earlier))}")
    return "".join(out)


def _entries_html(story: Any, entries: list[Any]) -> list[str]:
    parts = []
    for entry in entries:
        rev = entry.revision
        who = rev.author + (f" ({words(rev.role)})" if rev.role else "")
        kind = "Recorded a review" if rev.is_review else "Changed the plan"
        parts.append(f'<div class="wp-entry"><h3>{text(_day(rev.when))}: {text(who)}</h3>')
        if differs(rev.when, rev.recorded_on):
            said = f"Made on the date above; recorded here on {_day(rev.recorded_on)}."
            parts.append(f'<p class="wp-muted">{text(said)}</p>')
        if rev.note:
            parts.append(f'<p class="wp-note"><span class="wp-label">Their note:</span> '
                         f"{text(rev.note)}</p>")
        # The first version is said in a word ("Started this plan"), not item by item.
        first = entry.summary == STARTED
        account = story.account_of(entry) if entry.readable and not first else None
        if account is not None and account.lines:
            parts.append(f'<p class="wp-muted">{text(kind)}:</p>')
            items = "".join(f"<li>{pieces_html(line.pieces(with_who=False))}</li>"
                            for line in account.lines)
            parts.append(f'<ul class="wp-changes">{items}</ul>')
        else:
            parts.append(f'<p class="wp-muted">{text(kind)}. {text(entry.summary)}</p>')
        parts.append("</div>")
    return parts


def _question_titles() -> dict[str, str]:
    props = schema()["definitions"]["involvement"]["properties"]
    return {key: props[key].get("title", words(key)) for key in INVOLVEMENT_QUESTIONS}


def involvement_page(plan: dict[str, Any]) -> str:
    """The involvement ratings recorded at each review, per person, oldest first."""
    people = People(plan)
    name = str((plan.get("person") or {}).get("name") or "this person")
    out = [f"# How involved people felt in {heading_md(name)}'s plan\n"]
    reviews = sorted(
        (r for r in plan.get("reviews") or [] if isinstance(r, dict)), key=lambda r: str(r.get("date", ""))
    )
    out.append(
        block(
            "<p>At each review, the person (and their carer, if they wish) say how involved they "
            "felt, from 1 (not at all) to 5 (completely).</p>"
        )
    )
    by_person: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for review in reviews:
        for item in review.get("involvement") or []:
            if isinstance(item, dict):
                by_person.setdefault(str(item.get("by", "")), []).append((review, item))
    if not by_person:
        out.append(block("<p>No involvement feedback has been recorded yet.</p>"))
        return "".join(out)
    questions = _question_titles()
    for ref, rows in by_person.items():
        who = people.name(ref)
        headers = ["Question", *[f"Review on {long_date(r.get('date', ''))}" for r, _ in rows]]
        body = []
        for key, question in questions.items():
            body.append([text(question), *[_rating(item.get(key)) for _, item in rows]])
        parts = [table(f"Ratings given by {who}", headers, body)]
        comments = [(r, i["comment"]) for r, i in rows if i.get("comment")]
        if comments:
            parts.append('<p class="wp-label">Comments</p><ul>')
            for r, comment in comments:
                parts.append(f"<li>{text(long_date(r.get('date', '')))}: {text(comment)}</li>")
            parts.append("</ul>")
        out.append(f"## {heading_md(who)}\n{block(*parts)}")
    return "".join(out)


def _rating(value: object) -> str:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        return "Not answered"
    dots = "●" * value + "○" * (5 - value)
    return f'{value} of 5 <span aria-hidden="true" class="wp-muted">{dots}</span>'


def charts_page(plan: dict[str, Any]) -> str:
    """Charts of physical health measures over time, each with its numbers."""
    people = People(plan)
    name = str((plan.get("person") or {}).get("name") or "this person")
    out = [f"# Health charts for {heading_md(name)}\n"]
    checks = chartable([c for c in plan.get("health_checks") or [] if isinstance(c, dict)])
    if not checks:
        out.append(block("<p>No results with numbers have been recorded yet.</p>"))
        return "".join(out)
    out.append(
        block(
            "<p>Each chart shows results over time. The same numbers are in the table "
            "below it. A green dashed line, with its words, shows the aim agreed in this "
            "plan; the shaded side is where the plan aims to be.</p>"
        )
    )
    for check in checks:
        out.append(f"## {heading_md(check_name(check))}\n{block(chart_html(check, people))}")
    return "".join(out)

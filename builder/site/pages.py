"""One person's pages: which Markdown files their site has, and its navigation.

A pure function of the plan as the audience sees it, the plan's story for that
audience, and today's date. Nothing here touches the disk or MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from builder.site.html_text import block, text
from builder.site.render_care import crisis_page
from builder.site.render_common import Updated, full_name
from builder.site.render_plan import plan_page
from builder.site.render_story import (
    changes_page,
    charts_page,
    compare_file,
    compare_page,
    history_page,
    involvement_page,
)


@dataclass
class PageSet:
    """A small site's pages (path → Markdown text) and its navigation (title, path)."""

    title: str
    label: str = ""
    files: dict[str, str] = field(default_factory=dict)
    nav: list[tuple[str, str]] = field(default_factory=list)


def person_pages(
    plan: dict[str, Any],
    story: Any,
    today: date,
    team_link: str = "",
    notice: str | None = None,
    audience: str = "team",
) -> PageSet:
    """The pages of one person's site, for the audience the plan was viewed for.

    A notice (the plan's file has problems, so an earlier version is shown) heads every page.
    """
    name = full_name(plan)
    updated = None
    if story is not None and story.last_updated is not None:
        rev, last = story.last_updated, story.version or story.last_updated
        later = last.when.date() if last.commit != rev.commit else None
        updated = Updated(rev.when.date(), rev.author, rev.role, story.version_number(last.commit), later)
    pages = PageSet(title="Wellbeing plan", label=name)
    pages.files["index.md"] = plan_page(plan, updated, today, team_link, audience)
    pages.nav.append(("The plan", "index.md"))
    if isinstance(plan.get("crisis"), dict):
        pages.files["crisis.md"] = crisis_page(plan)
        pages.nav.append(("Crisis plan", "crisis.md"))
    pages.files["changes.md"] = changes_page(name, story)
    pages.nav.append(("What changed", "changes.md"))
    if story is not None:
        count = len(story.reviews)
        for new in range(1, count):
            for old in range(new):
                pages.files[compare_file(old, new)] = compare_page(name, story, old, new)
    pages.files["history.md"] = history_page(name, story)
    pages.nav.append(("History", "history.md"))
    if "health_checks" in plan:
        pages.files["charts.md"] = charts_page(plan)
        pages.nav.append(("Health charts", "charts.md"))
    if "reviews" in plan:
        pages.files["involvement.md"] = involvement_page(plan)
        pages.nav.append(("Involvement", "involvement.md"))
    if notice:
        pages.files = {path: _with_notice(page, notice) for path, page in pages.files.items()}
    return pages


def _with_notice(page: str, notice: str) -> str:
    """The page with the notice just under its title."""
    banner = block(f'<div class="wp-banner wp-fallback" role="note"><p><strong>'
                   f'{text(notice)}</strong></p></div>')
    lines = page.splitlines(keepends=True)
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title is None:
        return banner + page
    return "".join([*lines[: title + 1], banner, *lines[title + 1:]])

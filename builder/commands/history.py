"""wellplan history ID [--for AUDIENCE] [--format text|json]"""

from __future__ import annotations

import argparse

from builder.commands.audience_option import HELP as AUDIENCE_HELP
from builder.commands.audience_option import audience_option


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", help="the plan's id, for example alex-morgan")
    add_audience_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="plain English (text) or data for other programs (json)")


def add_audience_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--for", dest="audience", default="team", type=audience_option,
                        metavar="AUDIENCE",
                        help=f"show only what this audience may see: {AUDIENCE_HELP} (default: team)")


def run(args: argparse.Namespace) -> int:
    from builder.commands.audience_option import refuse_unknown_carer
    from builder.story.timeline import plan_story
    from builder.workspace import check_plan_id, find_workspace

    workspace = find_workspace()
    refuse_unknown_carer(workspace, [check_plan_id(args.plan_id)], args.audience)
    story = plan_story(workspace, args.plan_id, args.audience)
    print(history_json(story) if args.format == "json" else history_text(story))
    return 0


def history_text(story) -> str:  # noqa: ANN001 - a PlanStory
    from builder.record.dating import recorded_on_text
    from builder.story.describe import who
    from builder.story.timeline import STARTED

    lines = [f"Every recorded change to {story.file}, newest first "
             f"(as {_audience_words(story.audience)} sees it):", ""]
    # The same period as 'wellplan diff' and the site's "What changed", said the same way.
    heading = ""
    for entry in story.entries:
        r = entry.revision
        said = f"{story.since}:" if story.is_since_review(entry) else "Before that:"
        if said != heading:
            lines += ([""] if heading else []) + [said]
            heading = said
        kind = "  Review" if r.is_review else ""
        really = recorded_on_text(r.when, r.recorded_on)
        lines.append(f"{r.when:%Y-%m-%d %H:%M}  {who(r.author, r.role)}{kind}{really}")
        account = story.account_of(entry) if entry.readable and entry.summary != STARTED else None
        if account is not None and account.lines:
            lines += [f"    - {line.text(with_who=False)}" for line in account.lines]
        else:
            lines.append(f"    {entry.summary}")
        if r.note:
            lines.append(f"    Note: “{' '.join(r.note.split())}”")
    if not story.entries:
        lines.append("Nothing recorded that this audience may see.")
    return "\n".join(lines)


def history_json(story) -> str:  # noqa: ANN001 - a PlanStory
    import json

    revisions = []
    for entry in story.entries:
        r = entry.revision
        revisions.append({
            "commit": r.commit, "when": r.when.isoformat(), "author": r.author, "role": r.role,
            "is_review": r.is_review, "review_id": r.review_id, "path": r.path,
            "summary": entry.summary, "readable": entry.readable, "note": r.note,
            "since_last_review": story.is_since_review(entry),
            "changes": [c.as_json() for c in entry.changes],
            # Only for a change given an earlier date: when it was really recorded.
            **({"recorded_on": r.recorded_on.isoformat()} if r.recorded_on else {}),
        })
    return json.dumps({"plan": story.plan_id, "audience": story.audience,
                       "since": story.since, "revisions": revisions}, indent=2, ensure_ascii=False)


def _audience_words(audience: str) -> str:
    kind, _, carer = audience.partition(":")
    if carer:
        return f"their carer ({carer} in the care team)"
    return {"person": "the person", "carer": "their carer", "gp": "their GP", "team": "the team"}[kind]

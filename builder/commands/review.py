"""wellplan review ID --as NAME --role ROLE --attended me,ID --next-review DATE [...]"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from builder.commands.record import add_person_arguments, add_undo_argument
from builder.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", help="the plan's id, for example alex-morgan")
    add_person_arguments(parser)
    parser.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                        help="the day of the review meeting (default: today)")
    parser.add_argument("--attended", required=True, action="append", metavar="WHO",
                        help="who came: me, and care-team ids, separated by commas")
    parser.add_argument("--next-review", required=True, metavar="YYYY-MM-DD",
                        help="when the next review is due (usually 3 to 6 months away)")
    parser.add_argument("--comments", metavar="TEXT",
                        help="the person's own comments about the review, in their words")
    parser.add_argument("--involvement", action="append", default=[], metavar="WHO:RATINGS",
                        help="how involved someone felt, 1 (not at all) to 5 (completely), "
                        'for example "me: working_together=4 trust=5 living_plan=3"')
    parser.add_argument("--history-date", metavar="DATETIME",
                        help="when this review goes into the plan's history (default: the "
                        "meeting's date, or now if later changes were recorded since then)")
    add_undo_argument(parser)
    parser.add_argument("--yes", action="store_true",
                        help="record it without asking, even if the next review is more than "
                        "12 months away or there is already a review that day")


def run(args: argparse.Namespace) -> int:
    from builder.commands.record import recorded_line, warn_outside_team
    from builder.record import review_input
    from builder.record.dating import parse_when
    from builder.record.record import check_person, record_review
    from builder.workspace import find_workspace

    workspace = find_workspace()
    check_person(args.as_name, args.role)
    involvement = [parse_involvement(text) for text in args.involvement] or None
    held = review_input.review_date(args.date, date.today())
    attended = [who.strip() for group in args.attended for who in group.split(",") if who.strip()]
    doubts = review_input.next_review_doubts(args.next_review, held)
    plan = _plan_data(workspace, args.plan_id)
    if plan is not None:  # a missing or broken plan is reported by record_review, once
        attended = review_input.attended_ids(plan, attended)
        doubts += review_input.same_day_doubts(plan, held)
    if doubts and not args.yes:
        _confirm(doubts)
    commit = record_review(
        workspace, args.plan_id, name=args.as_name, role=args.role,
        date=held.isoformat(), attended=attended,
        next_review_due=args.next_review, comments=args.comments,
        involvement=involvement, undo=args.undo,
        dated=parse_when(args.history_date, "--history-date") if args.history_date else None,
    )
    print(recorded_line(workspace, args.plan_id, commit))
    warn_outside_team(workspace, args.plan_id, args.as_name, args.role)
    return 0


def _plan_data(workspace, plan_id: str) -> dict[str, object] | None:  # noqa: ANN001
    from builder.errors import WellplanError
    from builder.plan.load import load_plan
    from builder.workspace import plan_file

    try:
        path = plan_file(workspace, plan_id)
        data = load_plan(path).data if path.is_file() else None
    except WellplanError:
        return None
    return data if isinstance(data, dict) else None


def _confirm(doubts: list) -> None:  # noqa: ANN001 - review_input.Doubt
    """Ask at a terminal; elsewhere refuse, saying how to record it anyway."""
    text = " ".join(doubt.message for doubt in doubts)
    if not sys.stdin.isatty():
        raise UsageError(f"{text} Nothing was recorded. If this is right, run the command again "
                         "with --yes.")
    print(text, file=sys.stderr)
    answer = input("Record this review anyway? [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise UsageError("Nothing was recorded.")


def parse_involvement(text: str) -> dict[str, object]:
    """'me: trust=5 working_together=4' -> {'by': 'me', 'trust': 5, 'working_together': 4}."""
    from builder.story.describe import schema

    ratings = [key for key, node in schema()["definitions"]["involvement"]["properties"].items()
               if node.get("$ref", "").endswith("/rating")]
    by, colon, rest = text.partition(":")
    if not colon or not by.strip():
        raise UsageError(f'--involvement "{text}": start with whose feedback it is, such as "me:".')
    item: dict[str, object] = {"by": by.strip()}
    for part in rest.replace(",", " ").split():
        key, equals, value = part.partition("=")
        if key not in ratings:
            raise UsageError(f"--involvement: '{key}' is not one of {', '.join(ratings)}.")
        if not equals or value not in ("1", "2", "3", "4", "5"):
            raise UsageError(f"--involvement: give {key} a number from 1 to 5, like {key}=4.")
        item[key] = int(value)
    return item

"""wellplan diff ID [--since-review | --from REV [--to REV]] [--for AUDIENCE] [--format text|json]"""

from __future__ import annotations

import argparse

from builder.commands.history import add_audience_argument
from builder.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", help="the plan's id, for example alex-morgan")
    parser.add_argument("--since-review", action="store_true",
                        help="compare the last review with the plan as it is now (the default)")
    parser.add_argument("--from", dest="rev_from", metavar="REV",
                        help="the older version: a review id or date, or a git revision")
    parser.add_argument("--to", dest="rev_to", metavar="REV",
                        help="the newer version (default: the plan as it is now)")
    add_audience_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="plain English (text) or data for other programs (json)")


def run(args: argparse.Namespace) -> int:
    from builder.commands.audience_option import refuse_unknown_carer
    from builder.story.compare import compare_versions
    from builder.story.timeline import plan_story
    from builder.workspace import check_plan_id, find_workspace

    if args.since_review and (args.rev_from or args.rev_to):
        raise UsageError("Use either --since-review or --from/--to, not both.")
    if args.rev_to and not args.rev_from:
        raise UsageError("Say where to start with --from as well as --to.")
    workspace = find_workspace()
    refuse_unknown_carer(workspace, [check_plan_id(args.plan_id)], args.audience)
    story = plan_story(workspace, args.plan_id, args.audience)
    comparison = compare_versions(workspace, story, args.rev_from, args.rev_to)
    print(comparison.as_json() if args.format == "json" else comparison.as_text())
    return 0

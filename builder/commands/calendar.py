"""wellplan calendar <id> [--audience A] [--out FILE]"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from builder.commands.audience_option import HELP as AUDIENCE_HELP
from builder.commands.audience_option import audience_option

DEFAULT_DIR = "build/calendar"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", help="the plan, such as alex-morgan")
    parser.add_argument("--audience", type=audience_option, metavar="AUDIENCE", default="person",
                        help=f"whose calendar it is: {AUDIENCE_HELP}. It holds only what they may see "
                        "(default: person)")
    parser.add_argument("--out", metavar="FILE",
                        help=f"the .ics file to write (default: {DEFAULT_DIR}/ID.ics in the workspace, "
                        "or ID-AUDIENCE.ics for another audience). Never inside plans/.")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help=argparse.SUPPRESS)  # for tests: pretend today is this date


def run(args: argparse.Namespace) -> int:
    from builder.exchange.calendar import export_calendar
    from builder.paper.pdf import refuse_inside_plans
    from builder.plan.due import audience_words
    from builder.workspace import check_plan_id, find_workspace

    workspace = find_workspace()
    check_plan_id(args.plan_id)
    suffix = "" if args.audience == "person" else f"-{args.audience}"
    out = Path(args.out) if args.out else workspace / DEFAULT_DIR / f"{args.plan_id}{suffix}.ics"
    refuse_inside_plans(workspace, out)
    content = export_calendar(workspace, args.plan_id, args.audience, args.today)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    events = content.count(b"BEGIN:VEVENT")
    print(f"Wrote {out}: {events} date{'s' if events != 1 else ''}, as {audience_words(args.audience)} "
          "may see them. Open it on a phone or computer to add them to a calendar.")
    return 0

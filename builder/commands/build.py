"""wellplan build [--out DIR] [--audience ...] [--plan ID] [--strict] [--part I/N | --join DIR...]"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from builder.commands.audience_option import HELP as AUDIENCE_HELP
from builder.commands.audience_option import audience_option

AUDIENCES = ("team", "person", "carer", "gp")
DEFAULT_OUT = "site"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        metavar="DIR",
        help=f"the folder to build into (default: {DEFAULT_OUT}/ in the workspace). "
        "It is replaced only when the new site is complete.",
    )
    parser.add_argument(
        "--audience",
        type=audience_option, metavar="AUDIENCE",
        default="team",
        help=f"who the site is for: {AUDIENCE_HELP}. It holds only what they may see (default: team)",
    )
    parser.add_argument(
        "--plan",
        action="append",
        metavar="ID",
        dest="plan_ids",
        help="build only this plan (may be given more than once). For the person, carer "
        "or GP, one --plan makes the folder that plan's own site, to hand to them; "
        "without it, each plan gets a folder of its own.",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="build nothing if any plan has a problem or the build gives a warning",
    )
    split = parser.add_mutually_exclusive_group()
    split.add_argument(
        "--part", metavar="I/N",
        help="build only part I of N (every N-th plan), for N CI runners side by side; "
        "put the parts together with --join",
    )
    split.add_argument(
        "--join", nargs="+", metavar="DIR",
        help="put the parts built with --part into --out: the same site one build makes",
    )
    parser.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from builder.errors import UsageError
    from builder.site.build import build_site, join_parts
    from builder.site.parts import parse_part
    from builder.story.history import keep_commit_graph
    from builder.workspace import find_workspace

    workspace = find_workspace()
    keep_commit_graph(workspace)  # one plan's history then reads only the commits that changed it
    out = Path(args.out) if args.out else workspace / DEFAULT_OUT
    if args.join:
        if args.plan_ids or args.strict:
            raise UsageError("--join puts finished parts together: give --plan and --strict "
                             "when building the parts.")
        report = join_parts(workspace, [Path(d) for d in args.join], out, today=args.today)
        print(f"Joined {len(args.join)} parts: {report.summary()}")
        return 1 if report.failed else 0
    part = parse_part(args.part) if args.part else None
    report = build_site(
        workspace,
        out,
        audience=args.audience,
        plan_ids=args.plan_ids,
        strict=args.strict,
        today=args.today,
        progress=terminal_progress() if sys.stderr.isatty() else None,
        part=part,
    )
    for plan_id, lines in sorted(report.failed.items()):
        shown = report.fallback.get(plan_id)
        print(f"Has problems: {plan_id}. {shown}" if shown else f"Not built: {plan_id}",
              file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if part is not None:
        print(f"Built part {part[0]} of {part[1]} ({len(report.plans)} plans) into {out}. When every part "
              "is built, put them together with 'wellplan build --join PART-FOLDERS... --out SITE'.")
        return 1 if report.failed else 0
    print(report.summary())
    return 1 if report.failed else 0


def terminal_progress():  # noqa: ANN201 - a progress callback
    """Show the stage and how many plans are done on one line, rewritten in place."""
    last = {"stage": ""}

    def show(stage: str, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        if stage != last["stage"] or done == 1 or done >= total or done % 10 == 0:
            sys.stderr.write(f"\r{stage}: {done} of {total}{end}")
            sys.stderr.flush()
        last["stage"] = stage

    return show

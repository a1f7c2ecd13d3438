"""wellplan demo [DIR]"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from datetime import date
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        metavar="DIR",
        nargs="?",
        default="demo",
        help="where to make the demo workspace: a new or empty folder, or an earlier demo "
        "to remake (default: ./demo)",
    )
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="make the plans and their history, but not the website or the PDFs",
    )
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help=argparse.SUPPRESS)  # for tests: pretend today is this date


def run(args: argparse.Namespace) -> int:
    from builder.demo.make import make_demo

    result = make_demo(Path(args.folder), build=not args.no_build, today=args.today)
    made = "Remade" if result.remade else "Made"
    print(
        f"{made} a demo workspace in {result.workspace} with {len(result.plans)} plans "
        f"and their history: {result.edits} recorded edits and {result.reviews} reviews."
    )
    for line in dates_and_check_lines(result):
        print(line)
    if result.site:
        print(f"Open the website in your browser: {result.site}")
    if result.pdf_dir:
        count = len(result.pdfs)
        print(f"Printable review copies ({count} PDF{'s' if count != 1 else ''}): {result.pdf_dir}")
    for note in result.notes:
        print(note)
    activate, command = how_to_run_wellplan()
    if activate:
        print(f"To use wellplan yourself, first run this in each new terminal: {activate}")
    print(f"{'Then, to' if activate else 'To'} look at a plan's history: "
          f"cd {shlex.quote(str(result.workspace))} && {command} history {result.plans[0]}")
    return 1 if result.failed else 0


def dates_and_check_lines(result) -> list[str]:  # noqa: ANN001 - a DemoResult
    """Why the dates are what they are, and what checking the plans found, in plain words."""
    from builder.demo.make import WRITTEN_AS_OF
    from builder.plan.labels import long_date

    lines = []
    weeks = abs(result.moved_days) // 7
    if weeks:
        later = "later" if result.moved_days > 0 else "earlier"
        lines.append(
            f"The example plans are written as of {long_date(WRITTEN_AS_OF)}; every date in them was "
            f"moved {weeks} week{'s' if weeks != 1 else ''} {later}, so they read as of today."
        )
    count = len(result.plans)
    found = "no problems" if not result.errors else \
        f"{result.errors} problem{'s' if result.errors != 1 else ''} (below)"
    overdue = [f"{n} {one if n == 1 else many}" for n, one, many in
               ((result.overdue_checks, "health check", "health checks"),
                (result.overdue_reviews, "review", "reviews"),
                (result.overdue_requests, "request to another service", "requests to other services"),
                (result.overdue_actions, "action", "actions"))
               if n]
    line = f"Checked the {count} plans: {found}."
    if overdue:
        verb = "is" if len(overdue) == 1 and overdue[0].startswith("1 ") else "are"
        listed = overdue[0] if len(overdue) == 1 else ", ".join(overdue[:-1]) + " and " + overdue[-1]
        line += (f" As in a real team's plans, {listed} {verb} overdue on purpose; "
                 "the team home shows them.")
    if result.monitoring:
        n = result.monitoring
        has, verb = ("check has", "is") if n == 1 else ("checks have", "are")
        line += (f" {n} {has} never been done or {verb} missing from the plans; the plans and the team "
                 "home name them, and 'wellplan due' lists everything that is due.")
    lines.append(line)
    lines += result.other_warnings
    return lines


def how_to_run_wellplan() -> tuple[str, str]:
    """(what to run first in a new terminal, or ''), and the command to type after it."""
    activate = Path(sys.prefix) / "bin" / "activate"
    if sys.prefix != sys.base_prefix and activate.is_file():
        return f"source {shlex.quote(str(activate))}", "wellplan"
    if shutil.which("wellplan"):
        return "", "wellplan"
    return "", f"{shlex.quote(sys.executable)} -m builder.commands.cli"

"""wellplan import-results ID FILE --as NAME --role ROLE"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from builder.commands.record import add_person_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", help="the plan the results belong to, such as alex-morgan")
    parser.add_argument("file", metavar="FILE", type=Path,
                        help="a FHIR JSON file: a Bundle of Observations, or one Observation")
    add_person_arguments(parser)
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help=argparse.SUPPRESS)  # for tests: pretend today is this date


def run(args: argparse.Namespace) -> int:
    from builder.commands.record import recorded_line
    from builder.exchange.fhir_import import import_results
    from builder.workspace import find_workspace

    workspace = find_workspace()
    report = import_results(workspace, args.plan_id, args.file, name=args.as_name, role=args.role,
                            today=args.today)
    for line in report.lines():
        print(line)
    if report.commit:
        print(recorded_line(workspace, args.plan_id, report.commit))
    return 0 if report.added or not report.left_out else 1

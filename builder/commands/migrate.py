"""wellplan migrate ID [--as NAME --role ROLE]"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_ids", nargs="+", metavar="ID", help="the plan's id, for example alex-morgan")
    parser.add_argument("--as", dest="as_name", metavar="NAME",
                        help='who to record the update as (default: "wellplan format update")')
    parser.add_argument("--role", metavar="ROLE", help="their role (default: other)")


def run(args: argparse.Namespace) -> int:
    from builder.commands.record import recorded_line
    from builder.record.migrate import DEFAULT_NAME, DEFAULT_ROLE, migrate_plan
    from builder.workspace import find_workspace, plan_rel

    workspace = find_workspace()
    for plan_id in args.plan_ids:
        commit = migrate_plan(workspace, plan_id, name=args.as_name or DEFAULT_NAME,
                              role=args.role or DEFAULT_ROLE)
        if commit is None:
            print(f"{plan_rel(workspace, plan_id)} is already in the current plan format; nothing to do.")
        else:
            print(recorded_line(workspace, plan_id, commit))
    return 0

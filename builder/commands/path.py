"""wellplan path ID: where a plan's file is, for people and scripts."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", help="the plan's id, for example alex-morgan")


def run(args: argparse.Namespace) -> int:
    from builder.errors import UsageError
    from builder.workspace import find_workspace, plan_file, plan_rel, suggest_plan

    workspace = find_workspace()
    if not plan_file(workspace, args.plan_id).is_file():
        raise UsageError(f"There is no plan called '{args.plan_id}' (it would be "
                         f"{plan_rel(workspace, args.plan_id)}).{suggest_plan(workspace, args.plan_id)}")
    print(plan_rel(workspace, args.plan_id))
    return 0

"""wellplan reshard --as NAME --role ROLE: move a workspace's plans into their folders."""

from __future__ import annotations

import argparse

from builder.commands.record import add_person_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_person_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from builder.record.reshard import reshard
    from builder.workspace import PLANS_DIR, find_workspace

    workspace = find_workspace()
    done = reshard(workspace, name=args.as_name, role=args.role)
    if not done.moved:
        print(f"Every plan is already in its folder under {PLANS_DIR}/: nothing to move.")
        return 0
    count = len(done.moved)
    print(f"Moved {count} plan{'s' if count != 1 else ''} into {PLANS_DIR}/<first two letters>/"
          f"<next two>/, recorded as one change by {args.as_name}. Each plan keeps its history; "
          "'wellplan path ID' says where a plan is. Push this change so the team's clones move too.")
    return 0

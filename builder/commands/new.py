"""wellplan new <id> [--name "..."]"""

from __future__ import annotations

import argparse

from builder.commands.paths import as_typed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "plan_id",
        metavar="ID",
        help="the new plan's id: lowercase letters, digits and hyphens, such as alex-morgan",
    )
    parser.add_argument("--name", help="the person's full name, to fill in for you")


def run(args: argparse.Namespace) -> int:
    from builder.plan.new import new_plan
    from builder.workspace import find_workspace

    path = new_plan(find_workspace(), args.plan_id, args.name)
    shown = as_typed(path)
    print(f"Created {shown} from the template.")
    print("Next:")
    print(f'  1. Open {shown} in a text editor and fill in every "" together with the person.')
    print(f"  2. Check it:   wellplan check {shown}")
    print(f'  3. Record it:  wellplan record {args.plan_id} --as "Your Name" --role <your role>')
    return 0

"""wellplan edit ID --as NAME --role ROLE [-m MESSAGE] [--editor COMMAND]"""

from __future__ import annotations

import argparse

from builder.commands.record import add_person_arguments, add_undo_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", help="the plan's id, for example alex-morgan")
    add_person_arguments(parser)
    parser.add_argument("-m", "--message", help="a note saying what changed and why "
                        "(default: a summary made from the change itself)")
    parser.add_argument("--editor", metavar="COMMAND",
                        help="the text editor to use (default: $VISUAL or $EDITOR, else nano)")
    add_undo_argument(parser)


def run(args: argparse.Namespace) -> int:
    from builder.commands.record import recorded_line
    from builder.story.edit import edit_plan
    from builder.workspace import find_workspace

    workspace = find_workspace()
    commit = edit_plan(workspace, args.plan_id, name=args.as_name, role=args.role,
                       message=args.message, editor=args.editor, undo=args.undo)
    if commit:
        print(recorded_line(workspace, args.plan_id, commit))
    return 0

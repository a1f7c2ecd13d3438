"""wellplan edit ID --as NAME --role ROLE [-m MESSAGE] [--editor COMMAND] [--recover]
   wellplan edit --recover            (list kept copies of edits that were not recorded)
   wellplan edit --clear-kept [ID]    (delete them)"""

from __future__ import annotations

import argparse

from builder.commands.record import add_person_arguments, add_share_note_argument, add_undo_argument
from builder.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", nargs="?", help="the plan's id, for example alex-morgan")
    add_person_arguments(parser, required=False)
    parser.add_argument("-m", "--message", help="a note saying what changed and why "
                        "(default: a summary made from the change itself)")
    add_share_note_argument(parser)
    parser.add_argument("--editor", metavar="COMMAND", help=_editor_help())
    add_undo_argument(parser)
    parser.add_argument("--recover", action="store_true",
                        help="without ID: list the kept copies of edits that were not recorded. "
                        "With ID: open the newest kept copy of that plan's edit and carry on")
    parser.add_argument("--clear-kept", action="store_true",
                        help="delete the kept copies of edits that were not recorded (of ID, or all)")


def _editor_help() -> str:
    from builder.errors import PlanError
    from builder.story.editor_choice import EDITOR_VARIABLES, FALLBACK_EDITORS, choose_editor

    try:
        here = f"; here that is {choose_editor()}"
    except PlanError:
        here = "; none of them is installed here"
    variables = ", ".join(f"${name}" for name in EDITOR_VARIABLES)
    return (f"the text editor to use (default: the first of {variables} that is set, else "
            f"{' or '.join(FALLBACK_EDITORS)}, whichever is installed{here})")


def run(args: argparse.Namespace) -> int:
    from builder.commands.record import recorded_line
    from builder.story import kept_edits
    from builder.story.edit import edit_plan
    from builder.workspace import find_workspace

    workspace = find_workspace()
    if args.clear_kept:
        gone = kept_edits.clear_kept(workspace, args.plan_id)
        for kept in gone:
            print(f"Deleted {kept.path}")
        print(f"Deleted {len(gone)} kept cop{'ies' if len(gone) != 1 else 'y'} of edits that were "
              "not recorded." if gone else "There are no kept copies to delete.")
        return 0
    if args.recover and not args.plan_id:
        return _list_kept(workspace)
    if not args.plan_id:
        raise UsageError("Say which plan to edit, for example: wellplan edit alex-morgan --as \"Sam Lee\" "
                         "--role carer")
    if not args.as_name or not args.role:
        raise UsageError('Say who is editing with --as "Full Name" and --role, for example '
                         "--as \"Sam Lee\" --role carer.")
    start_from = kept_edits.newest_to_reopen(workspace, args.plan_id).path if args.recover else None
    commit = edit_plan(workspace, args.plan_id, name=args.as_name, role=args.role,
                       message=args.message, editor=args.editor, undo=args.undo,
                       start_from=start_from, share_note=args.share_note)
    if commit:
        print(recorded_line(workspace, args.plan_id, commit))
    return 0


def _list_kept(workspace) -> int:  # noqa: ANN001
    from builder.story import kept_edits

    copies = kept_edits.kept_copies(workspace)
    if not copies:
        print("There are no kept copies of edits that were not recorded.")
        return 0
    print(f"Kept copies of edits that were not recorded, newest first ({len(copies)}):")
    for kept in copies:
        print(f"- {kept_edits.describe(kept, workspace)}")
    example = copies[0].plan_id
    print(f"To carry on with the newest copy of a plan's edit: wellplan edit {example} --recover "
          '--as "Your Name" --role YOUR-ROLE')
    print(f"To delete the copies of one plan: wellplan edit --clear-kept {example}  "
          "(or all of them: wellplan edit --clear-kept)")
    return 0

"""wellplan edit ID --as NAME --role ROLE [-m MESSAGE] [--editor COMMAND] [--recover]
   wellplan edit ID --web --as NAME --role ROLE [--no-browser] [--port N]   (the form editor)
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
    parser.add_argument("--web", action="store_true",
                        help="edit in the browser instead: a form made from the plan format, showing "
                        "only what your role may see; each save is recorded as one change by you")
    parser.add_argument("--no-browser", action="store_true",
                        help="with --web: do not open a browser, only print the address to open")
    parser.add_argument("--port", type=int, default=0, metavar="N",
                        help="with --web: the port to listen on (default: a free one)")
    parser.add_argument("--host", metavar="ADDRESS",
                        help="with --web: only 127.0.0.1 is allowed (the editor has no sign-in of its own)")


def _editor_help() -> str:
    from builder.errors import PlanError
    from builder.record.editor_choice import EDITOR_VARIABLES, FALLBACK_EDITORS, choose_editor

    try:
        here = f"; here that is {choose_editor()}"
    except PlanError:
        here = "; none of them is installed here"
    variables = ", ".join(f"${name}" for name in EDITOR_VARIABLES)
    return (f"the text editor to use (default: the first of {variables} that is set, else "
            f"{' or '.join(FALLBACK_EDITORS)}, whichever is installed{here})")


def run(args: argparse.Namespace) -> int:
    from builder.commands.record import recorded_line
    from builder.record import kept_edits
    from builder.record.edit import edit_plan
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
    if args.web:
        return _web(workspace, args)
    start_from = kept_edits.newest_to_reopen(workspace, args.plan_id).path if args.recover else None
    commit = edit_plan(workspace, args.plan_id, name=args.as_name, role=args.role,
                       message=args.message, editor=args.editor, undo=args.undo,
                       start_from=start_from, share_note=args.share_note)
    if commit:
        print(recorded_line(workspace, args.plan_id, commit))
    return 0


def _web(workspace, args: argparse.Namespace) -> int:  # noqa: ANN001
    from builder.editor.server import open_editor, refuse_host

    refuse_host(args.host)
    if args.message or args.editor or args.recover or args.undo or args.share_note:
        raise UsageError("--web saves each page as its own change, so it takes no -m, --editor, "
                         "--recover, --undo or --share-note.")
    open_editor(workspace, args.plan_id, name=args.as_name, role=args.role, port=args.port,
                browser=not args.no_browser)
    return 0


def _list_kept(workspace) -> int:  # noqa: ANN001
    from builder.record import kept_edits

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

"""wellplan record ID --as NAME --role ROLE [-m MESSAGE]"""

from __future__ import annotations

import argparse


def add_person_arguments(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """--as and --role, shared by record, review and edit."""
    parser.add_argument("--as", dest="as_name", required=required, metavar="NAME",
                        help='who made the change, for example "Sam Lee"')
    parser.add_argument("--role", required=required, metavar="ROLE",
                        help="their role, for example person, carer, care-coordinator, gp "
                        "(the list is in the plan format)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", help="the plan's id, for example alex-morgan")
    add_person_arguments(parser)
    parser.add_argument("-m", "--message", help="a note saying what changed and why "
                        "(default: a summary made from the change itself)")
    parser.add_argument("--date", metavar="DATETIME",
                        help="when the change was really made, for bringing in a plan's past: "
                        "YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (never in the future, never before the "
                        "plan's last recorded change; the time of recording is kept too)")
    add_undo_argument(parser)
    parser.add_argument("--merge", action="store_true",
                        help="the file is an older copy: merge its changes into the recorded plan, "
                        "item by item, and record the result")
    add_share_note_argument(parser)


def add_undo_argument(parser: argparse.ArgumentParser) -> None:
    """--undo, shared by record, review and edit."""
    parser.add_argument("--undo", action="store_true",
                        help="record it even though it removes a recorded review, or takes "
                        "away or sets back something someone else recorded after the version "
                        "you edited (without this, that is refused)")


def add_share_note_argument(parser: argparse.ArgumentParser) -> None:
    """--share-note, shared by record and edit."""
    parser.add_argument("--share-note", metavar="WHO", action="append", default=[],
                        help="also show the -m note to these audiences, for example person,carer "
                        "(the team always sees it; others only when shared)")


def run(args: argparse.Namespace) -> int:
    from builder.record.dating import parse_when
    from builder.record.record import record_edit
    from builder.workspace import find_workspace

    workspace = find_workspace()
    dated = parse_when(args.date) if args.date else None
    commit = record_edit(workspace, args.plan_id, name=args.as_name, role=args.role,
                         message=args.message, dated=dated, undo=args.undo, merge=args.merge,
                         share_note=args.share_note)
    print(recorded_line(workspace, args.plan_id, commit))
    warn_outside_team(workspace, args.plan_id, args.as_name, args.role)
    return 0


def warn_outside_team(workspace, plan_id: str, name: str, role: str) -> None:  # noqa: ANN001
    """Say (never refuse) that someone who recorded a change is not in the care team list,
    and how to add them, so readers of the plan can place them."""
    import re
    import sys

    from builder.errors import WellplanError
    from builder.plan.load import load_plan
    from builder.story.describe import outside_care_team
    from builder.workspace import plan_file

    try:
        data = load_plan(plan_file(workspace, plan_id)).data
    except WellplanError:
        return
    if role == "person" or not isinstance(data, dict) or outside_care_team(name, data) is not True:
        return
    member_id = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "new-member"
    print(f"Note: {name} is not in the care team list of plans/{plan_id}.yaml, so readers of the "
          f"plan cannot tell who they are. To add them, put this under care_team: and record it:\n"
          f"  - id: {member_id}\n    name: {name}\n    role: {role}", file=sys.stderr)


def recorded_line(workspace, plan_id: str, commit: str) -> str:  # noqa: ANN001
    """'Recorded plans/x.yaml (1a2b3c4): Added the goal “Swim once a week”.'"""
    from builder.story.history import git
    from builder.workspace import plan_rel

    subject = git(workspace, "log", "-1", "--format=%s", commit).decode("utf-8", "replace").strip()
    return f"Recorded {plan_rel(workspace, plan_id)} ({commit[:7]}): {subject}"

"""wellplan due [ID] [--for AUDIENCE] [--format text|json]"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from typing import Any

from builder.commands.audience_option import HELP as AUDIENCE_HELP
from builder.commands.audience_option import audience_option
from builder.plan.due import Obligation, audience_words, counts
from builder.plan.labels import People


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", nargs="?",
                        help="the plan, such as alex-morgan (default: every plan)")
    parser.add_argument("--for", dest="audience", type=audience_option, metavar="AUDIENCE", default="team",
                        help=f"whose view: {AUDIENCE_HELP}. Lists only what they may see (default: team)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="how to print it")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help=argparse.SUPPRESS)  # for tests: pretend today is this date


def run(args: argparse.Namespace) -> int:
    from builder.errors import PlanError
    from builder.exchange.current import plan_due
    from builder.workspace import check_plan_id, find_workspace, plan_files, plan_id_of

    workspace = find_workspace()
    today = args.today or date.today()
    if args.plan_id:
        ids = [check_plan_id(args.plan_id)]
    else:
        ids = [plan_id_of(p) for p in plan_files(workspace)]
    plans, refused = [], 0
    for plan_id in ids:
        try:
            name, found, people = plan_due(workspace, plan_id, args.audience, today)
            plans.append(PlanDue(plan_id, name, args.audience, found, people))
        except PlanError as e:
            if args.plan_id:
                raise
            refused += 1
            print(f"wellplan due: {e}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps({"today": today.isoformat(), "audience": args.audience,
                          "plans": [p.as_json(today) for p in plans]}, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(p.as_text(today) for p in plans) if plans else "There are no plans yet.")
    return 1 if refused else 0


@dataclass
class PlanDue:
    """What is due in one plan, as one audience may see it (``wellplan due``)."""

    plan_id: str
    name: str
    audience: str
    found: list[Obligation]
    people: People

    def as_json(self, today: date) -> dict[str, Any]:
        return {"id": self.plan_id, "name": self.name, "counts": counts(self.found),
                "obligations": [o.as_json() | {"said": o.state_words(today),
                                               "why": o.why(self.audience)} for o in self.found]}

    def as_text(self, today: date) -> str:
        lines = [f"{self.name} ({self.plan_id}), as {audience_words(self.audience)} may see it:"]
        if not self.found:
            lines.append("  Nothing is due.")
        for ob in self.found:
            who = f" Who: {self.people.name(ob.who)}." if ob.who else ""
            lines.append(f"  {ob.what.strip().rstrip('.')}: {ob.state_words(today)}.{who}")
            details = ob.details(self.audience)
            if details:
                lines.append(f"      {details}")
        return "\n".join(lines)

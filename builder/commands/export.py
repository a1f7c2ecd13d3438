"""wellplan export ID --fhir [--audience A] [--out FILE]"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from builder.commands.audience_option import HELP as AUDIENCE_HELP
from builder.commands.audience_option import audience_option
from builder.errors import UsageError

DEFAULT_DIR = "build/fhir"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", metavar="ID", help="the plan to export, such as alex-morgan")
    parser.add_argument("--fhir", action="store_true",
                        help="as a FHIR R4 Bundle (JSON), the format GP and hospital systems read")
    parser.add_argument("--audience", type=audience_option, metavar="AUDIENCE", default="gp",
                        help=f"who it is for ({AUDIENCE_HELP}); it holds only what they may see "
                        "(default: gp)")
    parser.add_argument("--out", metavar="FILE",
                        help=f"the file to write (default: {DEFAULT_DIR}/ID-AUDIENCE.json in the "
                        "workspace; - for the screen). Never inside plans/.")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help=argparse.SUPPRESS)  # for tests: pretend today is this date


def run(args: argparse.Namespace) -> int:
    from builder.exchange.fhir_export import export_plan
    from builder.paper.pdf import refuse_inside_plans
    from builder.workspace import find_workspace

    if not args.fhir:
        raise UsageError("Say which format to export: --fhir (the only one so far).")
    workspace = find_workspace()
    text = export_plan(workspace, args.plan_id, args.audience, args.today)
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    name = f"{args.plan_id}-{args.audience.replace(':', '-')}.json"
    out = Path(args.out) if args.out else workspace / DEFAULT_DIR / name
    refuse_inside_plans(workspace, out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as e:
        raise UsageError(f"Could not write {out} ({e.strerror or e}). "
                         "Choose another place with --out.") from e
    print(f"Wrote the FHIR bundle of {args.plan_id} for the {args.audience} audience to {out}.")
    return 0

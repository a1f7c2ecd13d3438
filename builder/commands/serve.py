"""wellplan serve [--port N] [--host ADDRESS] [--audience A] [--plan ID]"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

AUDIENCES = ("team", "person", "carer", "gp")
PREVIEW_DIR = ".wellplan-preview"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="the port to serve on (default: 8000)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to serve on (default: 127.0.0.1, this computer only). "
        "Plans hold health information: only widen this behind your organisation's login.",
    )
    parser.add_argument(
        "--audience", choices=AUDIENCES, default="team", help="whose view to preview (default: team)"
    )
    parser.add_argument(
        "--plan", action="append", metavar="ID", dest="plan_ids", help="preview only this plan"
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        help=f"where the preview is built (default: {PREVIEW_DIR}/ in the workspace)",
    )
    parser.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from builder.site.preview import Preview
    from builder.workspace import find_workspace

    workspace = find_workspace()
    out = Path(args.out) if args.out else workspace / PREVIEW_DIR
    preview = Preview(workspace, out, args.audience, args.plan_ids, args.host, args.port, args.today)
    preview.start()
    print(f"Previewing at {preview.url} (press Ctrl+C to stop). Pages rebuild when a plan is saved.")
    try:
        while True:
            time.sleep(1)
            if preview.check_for_changes():
                state = f"not updated: {preview.last_error}" if preview.last_error else "updated"
                print(f"A plan changed; the preview is {state}.")
    finally:
        preview.stop()

"""wellplan serve [--port N] [--host ADDRESS] [--audience A] [--plan ID]"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from builder.commands.audience_option import HELP as AUDIENCE_HELP
from builder.commands.audience_option import audience_option
from builder.errors import UsageError

PREVIEW_DIR = ".wellplan-preview"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="the port to serve on (default: 8000)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to serve on (default: 127.0.0.1, this computer only). "
        "Any other address lets other computers read every plan in the preview, "
        "and needs --audience.",
    )
    parser.add_argument(
        "--audience",
        type=audience_option, metavar="AUDIENCE",
        default=None,
        help=f"whose view to preview: {AUDIENCE_HELP} (default: team; must be given when --host "
        "is not this computer)",
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
    from builder.commands.audience_option import refuse_unknown_carer
    from builder.site.preview import Preview, is_loopback
    from builder.workspace import find_workspace

    audience = _audience(args.host, args.audience)
    plan_ids = _plans(audience, args.plan_ids)
    workspace = find_workspace()
    refuse_unknown_carer(workspace, plan_ids or [], audience)
    out = Path(args.out) if args.out else workspace / PREVIEW_DIR
    preview = Preview(workspace, out, audience, plan_ids, args.host, args.port, args.today)
    preview.start()
    if not is_loopback(args.host):
        print(network_warning(args.host, preview.port, audience), file=sys.stderr)
    print(f"Previewing at {preview.url} (press Ctrl+C to stop). Pages rebuild when a plan is saved.")
    try:
        while True:
            time.sleep(1)
            if preview.check_for_changes():
                state = f"not updated: {preview.last_error}" if preview.last_error else "updated"
                print(f"A plan changed; the preview is {state}.")
    finally:
        preview.stop()


def _audience(host: str, audience: str | None) -> str:
    """The audience to preview; on an address other computers can reach it must be chosen."""
    from builder.site.preview import is_loopback

    if audience is None and not is_loopback(host):
        raise UsageError(
            f"--host {host} lets other computers on the network read the preview. "
            "Say whose view they may see with --audience (team, person, carer or gp), "
            "or leave out --host to preview on this computer only."
        )
    return audience or "team"


def _plans(audience: str, plan_ids: list[str] | None) -> list[str] | None:
    """Only the team's preview lists everybody: anyone else's shows one person's plan."""
    if audience != "team" and not plan_ids:
        raise UsageError(
            f"A preview for the {audience} audience shows one person's plan, as their own site does: "
            "say whose with --plan ID. Only the team's preview lists everybody."
        )
    return plan_ids


def network_warning(host: str, port: int, audience: str) -> str:
    """What to say when the preview is reachable from the network."""
    return (
        f"Warning: the preview is served on {host}, port {port}: every plan in it, as the "
        f"{audience} audience sees it, can be read by anyone who can reach this computer on the "
        "network. The preview has no login. Stop it (Ctrl+C) when you are done."
    )

"""wellplan pdf <id> [--out FILE] [--audience A] [--large-print]  |  wellplan pdf --all [--out DIR]"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from builder.commands.audience_option import HELP as AUDIENCE_HELP
from builder.commands.audience_option import audience_option
from builder.errors import UsageError

DEFAULT_DIR = "build/pdf"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan_id", nargs="?", metavar="ID",
                        help="the plan to print, such as alex-morgan")
    parser.add_argument("--all", action="store_true", help="print every plan in plans/")
    parser.add_argument(
        "--out", metavar="PATH",
        help=f"the PDF file to write (with --all: the folder); default: {DEFAULT_DIR}/ in the "
        "workspace. Never inside plans/.",
    )
    parser.add_argument("--audience", type=audience_option, metavar="AUDIENCE", default="person",
                        help=f"who the copy is for: {AUDIENCE_HELP}. It holds only what they may see "
                        "(default: person)")
    parser.add_argument("--large-print", action="store_true",
                        help="body text at 17 pt. The person's own copy is large print anyway "
                        "when their plan asks for it.")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help=argparse.SUPPRESS)  # for tests: pretend today is this date


def _show_progress(done: int, total: int) -> None:
    """One line on a terminal, rewritten as batches finish: which stage, how many done."""
    print(f"\rMaking PDFs: {done} of {total} plans done", end="", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from builder.paper.pdf import build_all_pdfs, build_pdf, pdf_name
    from builder.story.history import keep_commit_graph
    from builder.workspace import find_workspace

    workspace = find_workspace()
    keep_commit_graph(workspace)  # one plan's history then reads only the commits that changed it
    if args.all == bool(args.plan_id):
        raise UsageError("Say which plan to print (wellplan pdf alex-morgan), or use --all.")
    if args.all:
        out_dir = Path(args.out) if args.out else workspace / DEFAULT_DIR
        show = _show_progress if sys.stderr.isatty() else None
        try:
            paths = build_all_pdfs(workspace, out_dir, args.audience, args.large_print,
                                   args.today, progress=show)
        finally:
            if show:
                print(file=sys.stderr)
        print(f"Wrote {len(paths)} PDF{'s' if len(paths) != 1 else ''} to {out_dir}.")
        return 0
    name = pdf_name(args.plan_id, args.audience, args.large_print)
    out = Path(args.out) if args.out else workspace / DEFAULT_DIR / name
    if out.is_dir():
        out = out / name
    path = build_pdf(workspace, args.plan_id, out, args.audience, args.large_print, args.today)
    print(f"Wrote {path}.")
    return 0

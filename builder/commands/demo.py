"""wellplan demo [DIR]"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        metavar="DIR",
        nargs="?",
        default="demo",
        help="where to make the demo workspace: a new or empty folder, or an earlier demo "
        "to remake (default: ./demo)",
    )
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="make the plans and their history, but not the website or the PDFs",
    )


def run(args: argparse.Namespace) -> int:
    from builder.demo.make import make_demo

    result = make_demo(Path(args.folder), build=not args.no_build)
    made = "Remade" if result.remade else "Made"
    print(
        f"{made} a demo workspace in {result.workspace} with {len(result.plans)} plans "
        f"and their history: {result.edits} recorded edits and {result.reviews} reviews."
    )
    if result.site:
        print(f"Open the website in your browser: {result.site}")
    if result.pdf_dir:
        count = len(result.pdfs)
        print(f"Printable review copies ({count} PDF{'s' if count != 1 else ''}): {result.pdf_dir}")
    for note in result.notes:
        print(note)
    print(f"To look at a plan's history: cd {result.workspace} && wellplan history {result.plans[0]}")
    return 1 if result.failed else 0

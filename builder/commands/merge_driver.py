"""wellplan merge-driver BASE OURS THEIRS [PATH]  |  wellplan merge-driver --install"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--install", action="store_true",
                        help="set this clone up so that git merges plans item by item "
                        "(.gitattributes and git config); run it once in each clone")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="what git passes: %%O %%A %%B %%P (the version both started from, "
                        "this copy's version, the other version, the plan's path)")


def run(args: argparse.Namespace) -> int:
    if args.install:
        from builder.record.merge_driver import register_merge_driver
        from builder.workspace import find_workspace

        for line in register_merge_driver(find_workspace()):
            print(line)
        return 0
    if len(args.files) not in (3, 4):
        raise UsageError("git runs this as 'wellplan merge-driver %O %A %B %P'. To set it up in "
                         "this clone, run 'wellplan merge-driver --install'.")
    from builder.record.merge_driver import run_merge_driver

    base, ours, theirs = (Path(f) for f in args.files[:3])
    outcome = run_merge_driver(base, ours, theirs, args.files[3] if len(args.files) == 4 else None)
    for line in outcome.messages:
        print(line, file=sys.stderr)
    return 0 if outcome.clean else 1

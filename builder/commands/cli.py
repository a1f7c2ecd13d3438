"""The ``wellplan`` command: parse options, call one library function, report once.

Each sub-command lives in ``builder/commands/<name>.py`` with two functions:
``add_arguments(parser)`` and ``run(args) -> int``. Heavy libraries are imported
inside ``run`` so that ``wellplan --help`` and ``wellplan check`` start quickly.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from builder.errors import WellplanError

#: name -> one-line help. Order is the order shown in ``wellplan --help``.
COMMANDS: dict[str, str] = {
    "init": "Make a new workspace for a team's plans.",
    "check": "Check plans for problems and say how to fix them.",
    "new": "Start a new plan from the commented template.",
    "edit": "Edit a plan in your text editor and record the change.",
    "record": "Record a change already made to a plan, saying who made it.",
    "review": "Record a review meeting.",
    "migrate": "Bring a plan written in an older plan format up to date, keeping its comments.",
    "history": "List every recorded change to a plan.",
    "diff": "Show what changed in a plan, in plain English.",
    "build": "Build the website of plans.",
    "serve": "Preview the website, rebuilding when a plan is saved.",
    "pdf": "Make printable review copies (PDF).",
    "due": "List what is due, overdue or missing in a plan, as one audience may see it.",
    "calendar": "Write a plan's appointments, review and checks due as a calendar file.",
    "export": "Export a plan for other systems (FHIR R4), as one audience may see it.",
    "import-results": "Add results sent by another system (FHIR Observations) to a plan.",
    "demo": "Make a demo workspace with a recorded history, and build it.",
    "merge-driver": "Merge two copies of a plan item by item (git runs this; --install sets it up).",
    "path": "Say where a plan's file is, from its id.",
    "reshard": "Move an older workspace's plans into their folders, as one change.",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"wellplan: {message}\nRun 'wellplan --help' for the list of commands.\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="wellplan",
        description="Keep a living wellbeing plan together: check it, record changes, "
        "see what changed, and publish it as a website and printed copies.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        module = _command_module(name)
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(format="%(message)s", level=logging.INFO)
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return int(_command_module(args.command).run(args) or 0)
    except WellplanError as e:
        print(f"wellplan {args.command}: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("wellplan: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error of ours, and no traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _command_module(name: str):  # noqa: ANN202 - a module
    return importlib.import_module(f"{__package__}.{name.replace('-', '_')}")


def _version() -> str:
    from builder import __version__

    return f"wellplan {__version__}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

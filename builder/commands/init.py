"""wellplan init [DIR] [--update-schema]"""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.commands.paths import as_typed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        metavar="DIR",
        nargs="?",
        default=".",
        help="where to make the workspace: a new or empty folder (default: the current folder)",
    )
    parser.add_argument(
        "--update-schema",
        action="store_true",
        help="in an existing workspace, replace schema/ with the schema of this wellplan version "
        "(for editors); nothing else is changed",
    )


def run(args: argparse.Namespace) -> int:
    if args.update_schema:
        return _update_schema(Path(args.folder))
    from builder.record.init import init_workspace

    made = init_workspace(Path(args.folder))
    shown = as_typed(made.workspace)
    repository = "a new git repository" if made.new_repository else "in the git repository already there"
    print(f"Made a wellbeing plans workspace in {shown} ({repository}).")
    print("Next:")
    step = 1
    if shown != ".":
        print(f"  {step}. Go there:      cd {shown}")
        step += 1
    print(f'  {step}. Start a plan:  wellplan new alex-morgan --name "Alex Morgan"')
    print(f"  {step + 1}. Check plans before each commit (optional): pre-commit install")
    print("The README.md there says the everyday steps in short.")
    return 0


def _update_schema(folder: Path) -> int:
    from builder.record.init import write_schema
    from builder.workspace import WORKSPACE_SCHEMA, find_workspace

    workspace = find_workspace(folder)
    path = workspace / WORKSPACE_SCHEMA
    before = path.read_bytes() if path.is_file() else None
    write_schema(workspace)
    if before == path.read_bytes():
        print(f"{as_typed(path)} is already the schema of this wellplan version; nothing changed.")
        return 0
    print(f"Updated {as_typed(path)} to the schema of this wellplan version.")
    print(f"Commit it so everyone's editor uses it:  git commit -m 'Update the schema' -- {WORKSPACE_SCHEMA}")
    return 0

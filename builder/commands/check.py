"""wellplan check [PATH...] [--format text|json]"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from builder.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="plan files, folders or plan ids to check (default: every plan in plans/)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="how to print problems"
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help=argparse.SUPPRESS,  # for tests: pretend today is this date (YYYY-MM-DD)
    )


def run(args: argparse.Namespace) -> int:
    from builder.plan.findings import has_errors, report_json, report_text
    from builder.plan.schema import workspace_copy_finding
    from builder.plan.validate import check_paths
    from builder.workspace import find_workspace, plan_files

    if args.paths:
        files = _expand(args.paths)
        workspace = _workspace_of(files)
    else:
        workspace = find_workspace()
        files = plan_files(workspace)
        if not files:
            print(
                f"There are no plans in {workspace / 'plans'} yet. "
                "Start one with 'wellplan new <id>'."
            )
            return 0
    findings, count = check_paths(files, workspace, args.today)
    note = workspace_copy_finding(workspace)
    if note is not None:
        findings.insert(0, note)
    report = report_json if args.format == "json" else report_text
    print(report(findings, count))
    return 1 if has_errors(findings) else 0


def _expand(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            # plans/ and its folders (a plan lives in plans/da/n-/ once resharded)
            files += sorted([*path.glob("*.yaml"), *path.glob("*/*/*.yaml")], key=lambda p: p.stem) + \
                sorted(path.glob("*.yml"))
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            files.append(_plan_by_id(name))
    return files


def _plan_by_id(name: str) -> Path:
    """plans/<name>.yaml in the workspace, when name is a plan id rather than a path."""
    from builder.errors import WellplanError
    from builder.workspace import PLAN_ID, find_workspace, plan_file, suggest_plan

    try:
        workspace = find_workspace()
    except WellplanError:
        raise UsageError(f"{name}: no such file or folder.") from None
    if PLAN_ID.match(name) and plan_file(workspace, name).is_file():
        return Path(os.path.relpath(plan_file(workspace, name)))
    raise UsageError(
        f"{name}: no such file or folder, and no plan with that id.{suggest_plan(workspace, name)}"
    )


def _workspace_of(files: list[Path]) -> Path | None:
    for file in files:
        parent = file.absolute().parent
        if parent.name == "plans":
            return parent.parent
    return None

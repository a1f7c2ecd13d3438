"""Everything the package reads besides code ships inside it, found through builder/workspace.py."""

from __future__ import annotations

import ast
from pathlib import Path

import builder
from builder import workspace
from tests.conftest import ROOT

PACKAGE = Path(builder.__file__).resolve().parent


def test_the_repository_schema_is_the_package_schema() -> None:
    # The plans' first line points editors at ../schema/; wellplan itself uses the package's copy.
    mine = ROOT / workspace.WORKSPACE_SCHEMA
    assert mine.read_bytes() == workspace.SCHEMA_FILE.read_bytes(), (
        f"{mine.relative_to(ROOT)} differs from {workspace.SCHEMA_FILE.relative_to(ROOT)}, the schema "
        "wellplan uses. Edit the package's copy, then: "
        f"cp {workspace.SCHEMA_FILE.relative_to(ROOT)} {workspace.WORKSPACE_SCHEMA}"
    )


def test_the_demo_examples_are_the_repository_plans() -> None:
    # The demo tells the story of the repository's example plans; it reads the package's copies.
    mine = sorted((ROOT / "plans").glob("*.yaml"))
    shipped = sorted(workspace.EXAMPLE_PLANS_DIR.glob("*.yaml"))
    assert [p.name for p in shipped] == [p.name for p in mine]
    for plan in mine:
        copy = workspace.EXAMPLE_PLANS_DIR / plan.name
        assert copy.read_bytes() == plan.read_bytes(), (
            f"plans/{plan.name} and {copy.relative_to(ROOT)} differ. Change both together: "
            f"cp plans/*.yaml {workspace.EXAMPLE_PLANS_DIR.relative_to(ROOT)}/"
        )


def test_package_data_is_inside_the_package() -> None:
    for path in (
        workspace.SCHEMA_FILE,
        workspace.SITE_CONFIG,
        workspace.PLAN_TEMPLATE,
        workspace.SITE_THEME_DIR / "main.html",
        workspace.PRINT_THEME_DIR / "review-copy.typ",
    ):
        assert path.is_file(), path
        assert path.resolve().is_relative_to(PACKAGE), f"{path} is outside the package"


def test_only_workspace_finds_files_beside_the_code() -> None:
    # Every other module takes its paths from builder.workspace, so moving data moves one line.
    users = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(tree)):
            users.append(path.relative_to(PACKAGE).as_posix())
    assert users == ["workspace.py"]

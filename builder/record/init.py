"""Start a team's workspace: a git repository with plans/, the schema and the files around them.

Nothing that is already there is ever overwritten: a folder that holds any of the files
a workspace is made of, or that is (or lies inside) a workspace, is refused before
anything is written.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from builder.errors import HistoryError, WorkspaceError
from builder.record.merge_driver import register_merge_driver
from builder.story.history import git
from builder.workspace import PLANS_DIR, SCHEMA_FILE, WORKSPACE_SCHEMA, WORKSPACE_TEMPLATE_DIR

#: Files copied from the package's workspace template: name in the package -> name in the workspace.
TEMPLATE_FILES = {
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "gitattributes": ".gitattributes",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
}
#: Everything init writes at the top of the workspace; if any is there already, nothing is written.
ENTRIES = (PLANS_DIR, WORKSPACE_SCHEMA.parts[0], *TEMPLATE_FILES.values())
#: Who set the workspace up: the first commit, which holds no plan.
SETUP_AUTHOR = "wellplan init"
SETUP_EMAIL = "init@wellbeing-plans.invalid"


@dataclass
class InitResult:
    """What ``init_workspace`` made."""

    workspace: Path
    new_repository: bool
    commit: str


def init_workspace(target: Path) -> InitResult:
    """Make a new workspace in target (a new or empty folder, or one without workspace files)."""
    target = Path(target).absolute()
    _refuse_existing(target)
    _check_git()
    target.mkdir(parents=True, exist_ok=True)
    new_repository = not (target / ".git").exists()
    if new_repository:
        git(target, "-c", "init.defaultBranch=main", "init", "-q")
    (target / PLANS_DIR).mkdir()
    # git keeps no empty folders, and a clone needs plans/ to be a workspace.
    (target / PLANS_DIR / ".gitkeep").write_bytes(b"")
    write_schema(target)
    for source, name in TEMPLATE_FILES.items():
        shutil.copyfile(WORKSPACE_TEMPLATE_DIR / source, target / name)
    # .gitattributes (from the template) is committed; the driver's git config is this clone's own.
    register_merge_driver(target)
    paths = [f"{PLANS_DIR}/.gitkeep", WORKSPACE_SCHEMA.as_posix(), *TEMPLATE_FILES.values()]
    git(target, "add", "--", *paths)
    stamp = f"{int(datetime.now(UTC).timestamp())} +0000"
    people = {
        "GIT_AUTHOR_NAME": SETUP_AUTHOR, "GIT_AUTHOR_EMAIL": SETUP_EMAIL, "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": SETUP_AUTHOR, "GIT_COMMITTER_EMAIL": SETUP_EMAIL, "GIT_COMMITTER_DATE": stamp,
    }
    # Only init's own files go into the commit, whatever else a reused repository has staged.
    git(target, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify",
        "-m", "Set up the wellbeing plans workspace", "--", *paths, env=people)
    commit = git(target, "rev-parse", "HEAD").decode().strip()
    return InitResult(target, new_repository, commit)


def write_schema(workspace: Path) -> Path:
    """Put the schema that comes with wellplan into the workspace's schema/ folder, for editors."""
    path = workspace / WORKSPACE_SCHEMA
    path.parent.mkdir(exist_ok=True)
    shutil.copyfile(SCHEMA_FILE, path)
    return path


def _refuse_existing(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise WorkspaceError(f"{target} is a file or a link, not a folder, so nothing was written. "
                             "Choose a new folder for the workspace.")
    if (target / PLANS_DIR).is_dir():
        raise WorkspaceError(f"{target} is already a wellbeing plans workspace (it has a {PLANS_DIR}/ "
                             "folder), so nothing was changed.")
    for folder in target.parents:
        if (folder / PLANS_DIR).is_dir():
            raise WorkspaceError(f"{target} is inside the workspace {folder}, so nothing was written. "
                                 "Choose a folder outside it for a new workspace.")
    there = [name for name in ENTRIES if (target / name).exists() or (target / name).is_symlink()]
    if there:
        names = ", ".join(there[:-1]) + " and " + there[-1] if len(there) > 1 else there[0]
        raise WorkspaceError(f"{target} already has {names}, so nothing was written: a new "
                             "workspace never overwrites files. Choose a new or empty folder.")


def _check_git() -> None:
    try:
        git(Path.cwd(), "--version")
    except HistoryError as e:
        raise WorkspaceError("git is not installed, and a workspace is a git repository. "
                             "Install git (on Debian: apt-get install git), then run this again.") from e

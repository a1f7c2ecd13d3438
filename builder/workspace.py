"""Where things are in a workspace: the plans folder, plan ids and their files."""

from __future__ import annotations

import re
from pathlib import Path

from builder.errors import WorkspaceError

PLANS_DIR = "plans"
PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
#: The package itself. Everything it reads besides code ships inside it, in data/, so a
#: plain (non-editable) ``pip install`` works: no module computes these paths itself.
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
#: The wellbeing plan JSON Schema that check, build and pdf use.
SCHEMA_FILE = DATA_DIR / "schema" / "wellbeing-plan.schema.json"
#: Where a workspace keeps its copy of the schema, for editors (the plans' first line points here).
WORKSPACE_SCHEMA = Path("schema") / SCHEMA_FILE.name
#: How the website and the printed copy look.
THEMES_DIR = DATA_DIR / "themes"
SITE_THEME_DIR = THEMES_DIR / "material"
PRINT_THEME_DIR = THEMES_DIR / "print"
#: The website's settings, copied for every site a build makes.
SITE_CONFIG = DATA_DIR / "mkdocs.yml"
#: The commented template a new plan starts from.
PLAN_TEMPLATE = DATA_DIR / "plan-template.yaml"
#: The form editor's page templates, and the NHS.UK frontend files it serves (with their licence).
EDITOR_TEMPLATES_DIR = DATA_DIR / "editor" / "templates"
EDITOR_STATIC_DIR = DATA_DIR / "editor" / "static"
#: What ``wellplan init`` puts in a new workspace besides the schema (dot-files named without their dot).
WORKSPACE_TEMPLATE_DIR = DATA_DIR / "workspace"
#: The example plans that ``wellplan demo`` tells the story of: copies of the repository's own
#: plans/, shipped so that the demo works from an installed package (a test keeps them identical).
EXAMPLE_PLANS_DIR = DATA_DIR / "examples"
#: How each example plan came to be: the demo's scripted edits and reviews.
DEMO_STORY_DIR = PACKAGE_DIR / "demo" / "story"
#: The monitoring rules (which checks a medicine needs, how often, and the source), beside the schema.
MONITORING_FILE = SCHEMA_FILE.with_name("monitoring-rules.json")
#: Clinicians' words and the plain words a person or carer reads instead (plan/glossary.py).
GLOSSARY_FILE = DATA_DIR / "glossary.json"
#: The usual ranges for adults (each with its published source), used where a plan sets no aim.
REFERENCE_RANGES_FILE = SCHEMA_FILE.with_name("reference-ranges.json")


def find_workspace(start: Path | None = None) -> Path:
    """The nearest folder at or above start that holds a plans/ folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PLANS_DIR).is_dir():
            return folder
    raise WorkspaceError(
        f"No workspace found: there is no '{PLANS_DIR}/' folder in {here} or above it. "
        "Run this inside a wellbeing plans workspace."
    )


def check_plan_id(plan_id: str) -> str:
    """Refuse anything that is not a plain plan id (no paths, no '..')."""
    if not PLAN_ID.match(plan_id):
        raise WorkspaceError(
            f"'{plan_id}' is not a plan id. A plan id uses lowercase letters, digits and "
            "hyphens, such as alex-morgan."
        )
    return plan_id


def plan_folder(plan_id: str) -> str:
    """The folders a plan lives in, named by its id's own characters, as the crates.io index
    does: ``dan-okafor`` lives in ``plans/da/n-/``. Two levels keep every folder small at a
    trust's scale (git rewrites a folder's whole listing for each change in it), and a person
    can still find a plan by eye. A short id is padded with ``_``."""
    check_plan_id(plan_id)
    return f"{plan_id[:2].ljust(2, '_')}/{plan_id[2:4].ljust(2, '_')}"


def uses_folders(workspace: Path) -> bool:
    """Whether new plans go into folders: yes, unless the workspace still keeps its plans
    in plans/ itself (an older workspace: 'wellplan reshard' moves them)."""
    plans = workspace / PLANS_DIR
    if any(p.is_dir() and not p.name.startswith(".") for p in plans.iterdir()) if plans.is_dir() else False:
        return True
    return not any(plans.glob("*.yaml"))


def plan_rel(workspace: Path, plan_id: str) -> str:
    """A plan's file as the workspace names it (``plans/da/n-/dan-okafor.yaml``, or
    ``plans/dan-okafor.yaml`` in a workspace not yet resharded); where a new one would go."""
    foldered = f"{PLANS_DIR}/{plan_folder(plan_id)}/{plan_id}.yaml"
    flat = f"{PLANS_DIR}/{plan_id}.yaml"
    if (workspace / foldered).exists():
        return foldered
    if (workspace / flat).exists() or (workspace / flat).is_symlink():
        return flat
    return foldered if uses_folders(workspace) else flat


def plan_file(workspace: Path, plan_id: str) -> Path:
    """The file for a plan id, refusing one that leads outside the workspace."""
    path = workspace / plan_rel(workspace, check_plan_id(plan_id))
    ensure_inside(workspace, path)
    return path


def schema_link(rel: str) -> str:
    """The editor modeline's path to the workspace's schema, from a plan file at rel."""
    depth = rel.count("/")
    return "../" * depth + WORKSPACE_SCHEMA.as_posix()


def ensure_inside(workspace: Path, path: Path) -> None:
    """Refuse a plan file that is (or links to) something outside the workspace's plans/."""
    plans = (workspace / PLANS_DIR).resolve()
    if path.is_symlink() or not path.resolve().is_relative_to(plans):
        raise WorkspaceError(
            f"{path} points outside the workspace's plans folder, so it will not be read. "
            "Copy the plan into plans/ instead of linking to it."
        )


def plan_files(workspace: Path) -> list[Path]:
    """Every plan file in plans/ and its folders, sorted by id."""
    folder = workspace / PLANS_DIR
    found = [*folder.glob("*.yaml"), *folder.glob("*/*/*.yaml")]
    return sorted(found, key=lambda p: (p.stem, len(p.parts)))


def shown_path(path: Path) -> str:
    """A plan file's path as people see it in the workspace: from plans/ on."""
    parts = path.parts
    if PLANS_DIR in parts[:-1]:
        at = len(parts) - 1 - parts[::-1].index(PLANS_DIR)
        return "/".join(parts[at:])
    return f"{PLANS_DIR}/{path.name}"


def plan_id_of(path: Path) -> str:
    return path.stem


def suggest_plan(workspace: Path, plan_id: str) -> str:
    """' Did you mean alex-morgan?' for a plan id close to one in plans/, else ''."""
    import difflib

    known = [path.stem for path in plan_files(workspace)]
    close = difflib.get_close_matches(plan_id, known, n=1, cutoff=0.75)
    return f" Did you mean {close[0]}?" if close else ""


#: What a build puts in an output folder inside a workspace, so git never picks the folder up.
OUTPUT_GITIGNORE = "# Made by wellplan: a build, never committed (it holds health information).\n*\n"


def mark_build_output(workspace: Path, folder: Path) -> None:
    """Keep a build's output folder out of git when it lies inside the workspace.

    The folder gets a ``.gitignore`` holding ``*`` (unless it has one already). Never the
    workspace itself or plans/, and nothing outside the workspace is touched.
    """
    root, target = workspace.resolve(), folder.resolve()
    if target == root or not target.is_relative_to(root) or target.is_relative_to(root / PLANS_DIR):
        return
    marker = target / ".gitignore"
    if target.is_dir() and not marker.exists() and not marker.is_symlink():
        marker.write_text(OUTPUT_GITIGNORE, encoding="utf-8")

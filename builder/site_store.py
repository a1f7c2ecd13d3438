"""What a built site remembers, so the next build redoes only what changed.

Each person's site has an *input key*: a hash of everything that can change it —
the plan file's bytes, the commits that touched it (one ``git log`` pass for all
plans), the audience, the date, and this program's code and theme. The keys live
in the site's manifest; a site whose key is unchanged is kept as it is. Nothing
is trusted that is not in the key, so a kept site is never stale.

The finished site is moved into place only at the end: a new build is made in a
folder beside ``out``, unchanged people's folders are moved across, and the two
folders are swapped. If anything goes wrong before the swap, everything that was
moved is put back, so the previous site stays whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import HistoryError
from .workspace import PLANS_DIR

MANIFEST = ".wellplan-site.json"
FORMAT = "wellplan-site-2"
ROOT = Path(__file__).resolve().parent.parent
CONFIG_TEMPLATE = ROOT / "mkdocs.yml"
THEME_DIR = ROOT / "themes" / "material"


@dataclass
class Manifest:
    """The keys and small facts a site was built from."""

    audience: str
    home: str = ""
    plans: dict[str, str] = field(default_factory=dict)  # plan id -> input key
    failed: dict[str, list[str]] = field(default_factory=dict)  # plan id -> problems
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # plan id -> team home facts

    @classmethod
    def load(cls, out: Path, audience: str) -> Manifest:
        """The manifest of a previous build for the same audience; an empty one otherwise."""
        try:
            data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(audience)
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("audience") != audience:
            return cls(audience)
        try:
            return cls(
                audience, str(data["home"]), dict(data["plans"]), dict(data["failed"]), dict(data["rows"])
            )
        except (KeyError, TypeError, ValueError):
            return cls(audience)

    def dump(self, folder: Path) -> None:
        data = {"format": FORMAT, **asdict(self)}
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        (folder / MANIFEST).write_text(text, encoding="utf-8")


@cache
def code_key() -> str:
    """This program, its theme and the versions of what it builds with."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for path in sorted(THEME_DIR.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(THEME_DIR)).encode() + b"\0" + path.read_bytes())
    digest.update(CONFIG_TEMPLATE.read_bytes())
    digest.update((ROOT / "schema" / "wellbeing-plan.schema.json").read_bytes())
    for package in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2", "pyyaml"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()


def history_fingerprints(workspace: Path) -> dict[str, str]:
    """For each plan file, a hash of the commits that touched it, from one ``git log``."""
    from .history import git

    try:
        # --relative: paths as seen from the workspace, which may be a folder inside a repository.
        args = ["log", "--format=%x00%H", "--name-only", "--no-renames", "--relative", "--", f"{PLANS_DIR}/"]
        raw = git(workspace, *args)
    except HistoryError:
        return {}
    commits: dict[str, list[str]] = {}
    for block in raw.decode("utf-8", "replace").split("\0")[1:]:
        lines = block.split("\n")
        commit = lines[0].strip()
        for name in lines[1:]:
            name = name.strip()
            if name.startswith(f"{PLANS_DIR}/") and name.endswith(".yaml"):
                commits.setdefault(Path(name).stem, []).append(commit)
    return {pid: hashlib.sha256(" ".join(ids).encode()).hexdigest() for pid, ids in commits.items()}


def input_key(content: bytes, history: str, audience: str, today: date) -> str:
    digest = hashlib.sha256()
    for part in (code_key(), audience, today.isoformat(), history):
        digest.update(part.encode() + b"\0")
    digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


def page_key(files: dict[str, str], nav: list[tuple[str, str]], title: str, today: date) -> str:
    """A key for a site made only from its pages (the team home)."""
    digest = hashlib.sha256()
    for part in (code_key(), today.isoformat(), title, json.dumps(nav)):
        digest.update(part.encode() + b"\0")
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + files[rel].encode() + b"\0")
    return digest.hexdigest()


def link_tree(source: Path, target: Path, skip_top: tuple[str, ...] = ()) -> None:
    """Copy a finished folder by hard links (built files are never written to again)."""
    for folder, dirs, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if d not in skip_top]
            files = [f for f in files if f not in skip_top]
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(Path(folder) / name, target / rel / name)
            except OSError:
                shutil.copy2(Path(folder) / name, target / rel / name)


def commit(staging: Path, out: Path, keep: list[str]) -> None:
    """Move unchanged people's sites from out into staging, then swap staging into place.

    Until the swap is done, any failure (or Ctrl+C) moves everything back, so out is
    always either the whole previous site or the whole new one.
    """
    moved: list[str] = []
    old = out.parent / f".{out.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    swapped = False
    try:
        (staging / "plans").mkdir(exist_ok=True)
        for plan_id in keep:
            os.replace(out / "plans" / plan_id, staging / "plans" / plan_id)
            moved.append(plan_id)
        if out.exists():
            os.replace(out, old)
        os.replace(staging, out)
        swapped = True
    finally:
        if not swapped:
            if old.exists() and not out.exists():
                os.replace(old, out)
            for plan_id in moved:
                os.replace(staging / "plans" / plan_id, out / "plans" / plan_id)
    shutil.rmtree(old, ignore_errors=True)

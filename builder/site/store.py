"""What a built site remembers, so the next build redoes only what changed.

Each person's site has an *input key*: a hash of everything that can change it —
the plan file's bytes, the commits that touched it, the audience, the date, and
this program's code and theme. The keys live in the site's manifest; a site whose
key is unchanged is kept as it is. Nothing is trusted that is not in the key, so a
kept site is never stale.

The commits that touched a plan are summed up as a chain of hashes, oldest commit
first, so a build need only read the commits made since the last one: the manifest
keeps each plan's chain and the commit it reached. When that commit is no longer
an ancestor of HEAD (history was rewritten, or another repository), or a merge came
in since, every commit is read again.

What a build remembers about *other* plans never goes into the output folder: a
person's or carer's site may be handed to them, so it must hold nothing about anyone
else. The manifest lives in the workspace's own cache (inside its ``.git`` folder, or
``.wellplan/`` when the workspace is not a repository), one file per output folder.
The output holds only a small marker with a random build token; a cache entry is used
only when its token matches the marker, so a folder another workspace built into, or
one copied elsewhere, is simply rebuilt.

The finished site is moved into place only at the end: a new build is made in a
folder beside ``out``, unchanged people's folders are moved across, and the two
folders are swapped. If anything goes wrong before the swap, everything that was
moved is put back, so the previous site stays whole.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from builder.errors import HistoryError
from builder.workspace import (
    GLOSSARY_FILE,
    MONITORING_FILE,
    PACKAGE_DIR,
    PLANS_DIR,
    SCHEMA_FILE,
    SITE_CONFIG,
    SITE_THEME_DIR,
)

log = logging.getLogger(__name__)

MANIFEST = ".wellplan-site.json"
FORMAT = "wellplan-site-4"
#: Where a workspace without git keeps its build cache.
PLAIN_CACHE = ".wellplan"


@dataclass
class History:
    """Each plan's chain of commits, as of one commit of the repository."""

    head: str = ""  # the commit the chains reach; "" when there is no history
    base: str = ""  # the workspace's folder inside its repository
    keys: dict[str, str] = field(default_factory=dict)  # plan id -> chain


@dataclass
class Manifest:
    """The keys and small facts a site was built from."""

    audience: str
    home: str = ""
    plans: dict[str, str] = field(default_factory=dict)  # plan id -> input key
    failed: dict[str, list[str]] = field(default_factory=dict)  # plan id -> problems
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # plan id -> team home facts
    history: History = field(default_factory=History)
    layout: str = ""
    token: str = ""  # the build token written into the output's marker

    @classmethod
    def load(cls, workspace: Path, out: Path, audience: str, layout: str) -> Manifest:
        """The manifest of the previous build into out for the same audience; an empty one otherwise."""
        empty = cls(audience, layout=layout)
        try:
            marker = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            data = json.loads(cache_file(workspace, out).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return empty
        if not isinstance(data, dict) or not isinstance(marker, dict):
            return empty
        same = (data.get("format"), data.get("audience"), data.get("layout"), data.get("token"))
        if same != (FORMAT, audience, layout, marker.get("build")) or not data.get("token"):
            return empty
        try:
            history = data["history"]
            return cls(
                audience,
                str(data["home"]),
                dict(data["plans"]),
                dict(data["failed"]),
                dict(data["rows"]),
                History(str(history["head"]), str(history["base"]), dict(history["keys"])),
                layout,
                str(data["token"]),
            )
        except (KeyError, TypeError, ValueError):
            return empty

    def dump(self, folder: Path, workspace: Path, out: Path) -> None:
        """The marker into the new site folder; everything else into the workspace's cache."""
        # Built by hand, not with asdict(): rows are plain JSON already, and deep-copying
        # a thousand of them costs more than writing them.
        history = {"head": self.history.head, "base": self.history.base, "keys": self.history.keys}
        data = {
            "format": FORMAT,
            "audience": self.audience,
            "layout": self.layout,
            "home": self.home,
            "plans": self.plans,
            "failed": self.failed,
            "rows": self.rows,
            "history": history,
        }
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        # The token is the remembered facts' own hash: the same build makes the same marker.
        self.token = data["token"] = hashlib.sha256(text.encode()).hexdigest()[:32]
        marker = {"format": FORMAT, "audience": self.audience, "build": self.token}
        (folder / MANIFEST).write_text(json.dumps(marker, sort_keys=True), encoding="utf-8")
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        target = cache_file(workspace, out)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, target)
        except OSError as e:
            # Not fatal: without the cache the next build is simply a full one.
            log.warning("What this build made could not be remembered in %s (%s); the next build "
                        "will rebuild every plan.", target.parent, e)


def cache_file(workspace: Path, out: Path) -> Path:
    """Where the workspace remembers what it built into out: outside out, whatever out is."""
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:24] + ".json"
    return _cache_dir(workspace.resolve()) / "sites" / name


@cache
def _cache_dir(workspace: Path) -> Path:
    from builder.story.history import git

    try:
        return Path(git(workspace, "rev-parse", "--absolute-git-dir").decode().strip()) / "wellplan"
    except (HistoryError, UnicodeDecodeError):
        return workspace / PLAIN_CACHE


@cache
def code_key() -> str:
    """This program, its theme and the versions of what it builds with."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes())
    for path in sorted(SITE_THEME_DIR.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(SITE_THEME_DIR)).encode() + b"\0" + path.read_bytes())
    digest.update(SITE_CONFIG.read_bytes())
    digest.update(SCHEMA_FILE.read_bytes())
    digest.update(MONITORING_FILE.read_bytes())  # the rules decide what pages say is due
    digest.update(GLOSSARY_FILE.read_bytes())  # the plain words pages use for the person and carer
    for package in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2", "pyyaml"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()


def history_fingerprints(workspace: Path, previous: History | None = None) -> History:
    """For each plan file, a chain of hashes of the commits that touched it.

    Only the commits since previous.head are read when that commit is an ancestor of
    HEAD in the same folder of the same history and no merge came in since; otherwise
    all of them, in one ``git log``. Either way the chains are the same.
    """
    from builder.story.history import git

    try:
        # The workspace may be a folder inside a repository: its prefix, then HEAD.
        base, head = git(workspace, "rev-parse", "--show-prefix", "HEAD").decode().split("\n")[:2]
    except (HistoryError, ValueError, UnicodeDecodeError):
        return History()
    if previous is not None and previous.head and previous.base == base:
        if previous.head == head:
            return History(head, base, dict(previous.keys))
        if _is_ancestor(workspace, previous.head, head) and not _merges(workspace, previous.head, head):
            keys = dict(previous.keys)
            for pid, ids in _commits_by_plan(workspace, f"{previous.head}..{head}").items():
                keys[pid] = _chain(keys.get(pid, ""), ids)
            return History(head, base, keys)
    commits = _commits_by_plan(workspace, head)
    return History(head, base, {pid: _chain("", ids) for pid, ids in commits.items()})


def _is_ancestor(workspace: Path, old: str, new: str) -> bool:
    from builder.story.history import git

    try:
        git(workspace, "merge-base", "--is-ancestor", old, new)
    except HistoryError:  # not an ancestor, or old is not in this repository at all
        return False
    return True


def _merges(workspace: Path, old: str, new: str) -> bool:
    """Whether a merge came in since old: git log orders (and simplifies) merged history
    its own way, so only a straight line of new commits extends the chains as a full
    pass would."""
    from builder.story.history import git

    try:
        return git(workspace, "rev-list", "--merges", "--count", f"{old}..{new}").strip() != b"0"
    except HistoryError:
        return True


def _commits_by_plan(workspace: Path, revisions: str) -> dict[str, list[str]]:
    """The commits in revisions that touched each plan file, newest first."""
    from builder.story.history import git

    try:
        # --relative: paths as seen from the workspace, which may be a folder inside a repository.
        args = ["--format=%x00%H", "--name-only", "--no-renames", "--relative", revisions]
        raw = git(workspace, "log", *args, "--", f"{PLANS_DIR}/")
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
    return commits


def _chain(key: str, newest_first: list[str]) -> str:
    """Extend a plan's chain with more commits, oldest first."""
    for commit in reversed(newest_first):
        key = hashlib.sha256(f"{key} {commit}".encode()).hexdigest()
    return key


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
    """Move unchanged people's sites (paths inside out) into staging, then swap staging into place.

    Until the swap is done, any failure (or Ctrl+C) moves everything back, so out is
    always either the whole previous site or the whole new one.
    """
    moved: list[str] = []
    old = out.parent / f".{out.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    swapped = False
    try:
        for rel in keep:
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / rel, staging / rel)
            moved.append(rel)
        if out.exists():
            os.replace(out, old)
        os.replace(staging, out)
        swapped = True
    finally:
        if not swapped:
            if old.exists() and not out.exists():
                os.replace(old, out)
            for rel in moved:
                os.replace(staging / rel, out / rel)
    shutil.rmtree(old, ignore_errors=True)

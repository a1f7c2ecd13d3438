"""Plans' stories kept on disk, keyed by everything a story is made from.

Reading a plan's story parses every recorded version, takes the audience's view of it
and describes each change: most of the time ``history``, ``diff``, the site and the
PDF spend on history. What comes out depends only on

* the recorded versions: each commit id (which fixes its author, date and message),
  the file's path and the blob ids of the version and of the one before it;
* the plan's blob at HEAD and the bytes of the file as it is now (edits not recorded yet);
* the audience, exactly as named — what it may see is decided by the plan's own text
  (``sharing``, ``visible_to``), which the blob ids already cover;
* this program: every ``.py`` file of the package, the schema, the glossary, the YAML library's and
  Python's versions.

So one story is kept per plan and audience under a key made of all of these (sha-256),
written as MessagePack (``story_codec``: reading one runs no code, whoever wrote it),
in the workspace's own cache folder beside the site's (``.git/wellplan/stories/``),
and is served only when the key matches exactly: a changed plan, a new commit, another
audience or another version of the program is a miss, never a stale answer. Each file
also remembers a quicker key (HEAD's commit id with the same plan, audience, file and
program), which lets a fresh process skip the ``git log`` pass when nothing was recorded.

Set ``WELLPLAN_STORY_CACHE=off`` to neither read nor write the cache.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from builder.errors import HistoryError
from builder.story import story_codec
from builder.workspace import GLOSSARY_FILE, PACKAGE_DIR, SCHEMA_FILE

#: Bump when the layout of a cache file changes.
FORMAT = "wellplan-story-2-msgpack"
SWITCH = "WELLPLAN_STORY_CACHE"
_HEADER_END = b"\n"
_NO_KEY = "-" * 64


@cache
def code_version() -> str:
    """This program as far as stories go: its source, its schema and what it parses with."""
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(folder_digest(PACKAGE_DIR).encode())
    digest.update(SCHEMA_FILE.read_bytes() if SCHEMA_FILE.is_file() else b"")
    # The glossary names fields in the account's sentences ("the date it should be done by").
    digest.update(GLOSSARY_FILE.read_bytes() if GLOSSARY_FILE.is_file() else b"")
    try:
        digest.update(f"pyyaml={metadata.version('pyyaml')}".encode())
    except metadata.PackageNotFoundError:
        digest.update(b"pyyaml=none")
    digest.update(f"python={sys.version_info[:2]}".encode())
    return digest.hexdigest()


def folder_digest(folder: Path) -> str:
    """A digest of every ``.py`` file under a folder, by path and content."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key(*parts: Any) -> str:
    """A sha-256 key of the program's version and the given parts (strings, None, or tuples)."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(b"\x1f" + repr(part).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


def content_id(raw: bytes | None) -> str | None:
    return None if raw is None else hashlib.sha256(raw).hexdigest()


class StoryCache:
    """One folder of stories for one workspace; every failure to read or write is a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def open(cls, workspace: Path) -> StoryCache | None:
        """The workspace's story cache, or None when it is switched off or there is no git folder."""
        if os.environ.get(SWITCH, "").lower() in ("off", "0", "no", "false"):
            return None
        found = _git_dir(Path(workspace).resolve())
        return cls(found / "wellplan" / "stories") if found is not None else None

    def _path(self, audience: str, plan_id: str) -> Path:
        folder = hashlib.sha256(audience.encode()).hexdigest()[:16]
        return self.root / folder / f"{plan_id}.msgpack"

    def keys(self, audience: str, plan_id: str) -> tuple[str, str] | None:
        """The (HEAD key, history key) a kept story was made under, without reading the story."""
        try:
            with open(self._path(audience, plan_id), "rb") as f:
                header = f.readline(200)
        except OSError:
            return None
        parts = header.decode("ascii", "replace").split()
        return (parts[0], parts[1]) if len(parts) == 2 else None

    def load(self, audience: str, plan_id: str, wanted: str, head_key: str | None = None) -> Any | None:
        """The story kept under exactly this key (HEAD key or history key), or None.

        Found by its history key while HEAD moved on, the file is given the new HEAD key
        so that the next fresh process can skip the history pass.
        """
        path = self._path(audience, plan_id)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        header, _, body = data.partition(_HEADER_END)
        parts = header.decode("ascii", "replace").split()
        if len(parts) != 2 or wanted not in parts:
            return None
        try:
            story = story_codec.loads(body)  # reading a file runs no code, whoever wrote it
        except (story_codec.NotAStory, RecursionError):
            return None  # a damaged or foreign file is a miss, and is rebuilt
        if head_key is not None and parts[0] != head_key:
            self._write(path, f"{head_key} {parts[1]}".encode() + _HEADER_END + body)
        return story

    def save(self, audience: str, plan_id: str, head_key: str | None, history_key: str, story: Any) -> None:
        body = story_codec.dumps(story)
        header = f"{head_key or _NO_KEY} {history_key}".encode()
        self._write(self._path(audience, plan_id), header + _HEADER_END + body)

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
            partial.write_bytes(data)
            os.replace(partial, path)
        except OSError:
            pass  # a read-only workspace still reads its history; it is just not kept


@cache
def _git_dir(workspace: Path) -> Path | None:
    from builder.story.history import git

    try:
        return Path(git(workspace, "rev-parse", "--absolute-git-dir").decode().strip())
    except (HistoryError, UnicodeDecodeError):
        return None

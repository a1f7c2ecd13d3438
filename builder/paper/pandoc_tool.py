"""The pandoc program, wrapped once: its document types, and pandoc documents -> Typst markup.

pandoc's failures become :class:`PdfError` here and nowhere else. Plan text reaches
Typst only through pandoc's escaping Typst writer.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from builder.errors import PdfError


def to_typst(documents: Sequence[Any]) -> list[str]:
    """Typst markup for pandoc documents, from one pandoc run for all of them."""
    if not documents:
        return []
    import pandoc

    types = pandoc_types()
    # A random marker between documents: plan text cannot produce it (pandoc escapes
    # '/' in text, and it could not guess the token anyway).
    marker = f"// wellplan-document-break {secrets.token_hex(12)}"
    blocks: list[Any] = []
    for i, document in enumerate(documents):
        if i:
            blocks.append(types.RawBlock(types.Format("typst"), marker))
        blocks.extend(document[1])
    source = json.dumps(pandoc.write_json_v2(types.Pandoc(types.Meta({}), blocks)))
    markup = run_pandoc(["--from=json", "--to=typst", "--wrap=none", "--sandbox"], source)
    parts = markup.split(marker)
    if len(parts) != len(documents):
        raise PdfError("pandoc's output could not be split back into one part per plan.")
    return parts



@cache
def pandoc_binary() -> Path:
    """The pandoc program: the one pypandoc-binary ships, else one on PATH."""
    candidates: list[Path] = []
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidates.append(Path(folder) / "files" / "pandoc")
    on_path = shutil.which("pandoc")
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise PdfError("The pandoc program was not found. Install this project's dependencies "
                   "again: the pypandoc-binary package provides pandoc.")


def run_pandoc(args: list[str], source: str) -> str:
    """Run pandoc on text; a failure becomes a PdfError with pandoc's own message kept."""
    command = [str(pandoc_binary()), *args]
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True,
                              check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise PdfError(f"The pandoc program could not be run ({e}).") from e
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        first = stderr.strip().splitlines()[0] if stderr.strip() else "no message"
        raise PdfError(f"pandoc could not convert the plan ({first}).", done.returncode, stderr)
    return done.stdout.decode("utf-8")


@cache
def pandoc_types() -> Any:
    """The pandoc package's document types, set up for the pandoc program we run."""
    import pandoc

    if pandoc.configure(read=True) is None:
        import warnings

        import plumbum

        path = f"{pandoc_binary().parent}{os.pathsep}{os.environ.get('PATH', '')}"
        with plumbum.local.env(PATH=path), warnings.catch_warnings():
            # Newer pandoc releases than the package lists keep the same document
            # model (pandoc-types 1.23), which is all we use.
            warnings.simplefilter("ignore")
            pandoc.configure(auto=True)
    import pandoc.types

    return pandoc.types

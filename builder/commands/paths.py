"""Paths as a person would type them from where they are."""

from __future__ import annotations

import os
from pathlib import Path


def as_typed(path: Path) -> str:
    """The path relative to the current folder, as the user would type it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # a different drive on Windows
        return str(path)

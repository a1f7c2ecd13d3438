"""A copy of this checkout as it is now, for tests that install the package the way users do."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT

PEOPLE = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
          "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, **PEOPLE}
    return subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True,
                          check=True).stdout


def copy_checkout(target: Path) -> str:
    """This checkout's files (committed or not, never ignored ones) as a new repository; its commit.

    Copying keeps a build's leftovers (build/, *.egg-info) out of the checkout.
    """
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "The checkout under test")
    return git(target, "rev-parse", "HEAD").strip()

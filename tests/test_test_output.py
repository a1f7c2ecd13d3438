"""What `scripts/test.sh` prints: what a developer needs, and the "N passed" line CI reads."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_quiet_parallel_run_says_bringing_up_nodes_once_and_no_dependency_deprecations(tmp_path):
    (tmp_path / "test_two.py").write_text(
        "import pandoc  # reads its data with a deprecated importlib.resources call\n\n"
        "def test_one():\n    assert pandoc\n\n\ndef test_two():\n    assert True\n",
        encoding="utf-8",
    )
    # The way scripts/test.sh runs pytest (-n 2 -q), with this repository's settings and conftest.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-q", "-c", str(ROOT / "pyproject.toml"),
         "--rootdir", str(ROOT), "-p", "tests.conftest", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert out.count("bringing up nodes...") == 1, out
    assert "DeprecationWarning" not in out and "warnings summary" not in out, out
    assert out.rstrip().splitlines()[-1].startswith("2 passed in "), out

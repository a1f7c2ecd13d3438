"""The wellplan-check hook, installed and run by the real pre-commit as a team would use it.

pre-commit clones the hook's repository and installs it with a plain ``pip install .``
into an environment of its own; issue 19 was that such an install carried no schema.
Here the repository is this checkout's current files, committed into a temporary
repository, so the test checks what would be pushed.

To keep the test to a minute, the hook's dependencies (mkdocs, typst, pandoc, ...) are
not downloaded again: they are found in this test environment's site-packages through
PYTHONPATH, which pip counts as installed. The package itself is still built from the
clone and installed by pre-commit's own ``pip install .`` (with pip's build isolation,
so setuptools comes from the package index), and the hook runs that installed copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from builder.workspace import SCHEMA_FILE, WORKSPACE_SCHEMA
from tests.checkout import PEOPLE, copy_checkout, git
from tests.conftest import CORPUS, run_wellplan


@pytest.fixture(scope="module")
def hooked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A workspace whose .pre-commit-config.yaml points at a copy of this checkout."""
    base = tmp_path_factory.mktemp("pre-commit")
    repo, ws = base / "wellbeing-plans", base / "team"
    repo.mkdir()
    ws.mkdir()
    rev = copy_checkout(repo)
    git(ws, "init", "-q")
    (ws / "plans").mkdir()
    shutil.copyfile(CORPUS / "valid" / "minimal.yaml", ws / "plans" / "jo-bloggs.yaml")
    shutil.copyfile(CORPUS / "invalid" / "enum-typo.yaml", ws / "plans" / "sam-typo.yaml")
    (ws / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: wellplan-check\n",
        encoding="utf-8",
    )
    git(ws, "add", ".pre-commit-config.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_", "PYTHON"))}
    env.update(PEOPLE)
    env["PRE_COMMIT_HOME"] = str(base / "pre-commit-home")
    # Dependencies from this environment (see the module's docstring); never this checkout's builder/.
    env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    return ws, env


def pre_commit(ws: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=ws, env=env,
                          capture_output=True, text=True, timeout=900)


def check_lines(ws: Path, *paths: str) -> list[str]:
    """What `wellplan check` itself prints for these plans."""
    return run_wellplan("check", *paths, cwd=ws).stdout.splitlines()


def test_the_hook_reports_a_broken_plan_with_the_same_lines_as_check(hooked) -> None:
    ws, env = hooked
    done = pre_commit(ws, env, "run", "--files", "plans/sam-typo.yaml")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "- hook id: wellplan-check" in output and "Traceback" not in output
    expected = check_lines(ws, "plans/sam-typo.yaml")
    assert any(line.startswith("plans/sam-typo.yaml:33:13: goals[id=swim].status: ") for line in expected)
    for line in expected:
        assert line in output.splitlines(), f"missing from the hook's output: {line}\n{output}"
    # The hook ran the copy pre-commit installed, which carries its schema inside the package.
    home = Path(env["PRE_COMMIT_HOME"])
    site_packages = "*/py_env-*/lib/python*/site-packages"
    installed = list(home.glob(f"{site_packages}/builder/data/schema/{SCHEMA_FILE.name}"))
    assert [p.read_bytes() for p in installed] == [SCHEMA_FILE.read_bytes()]


def test_the_hook_passes_a_valid_plan(hooked) -> None:
    ws, env = hooked
    done = pre_commit(ws, env, "run", "--files", "plans/jo-bloggs.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Check wellbeing plans" in done.stdout and "Passed" in done.stdout


def test_a_commit_with_a_broken_plan_is_stopped_and_a_valid_one_goes_through(hooked) -> None:
    ws, env = hooked
    assert pre_commit(ws, env, "install").returncode == 0
    commit = ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "Plans"]
    git(ws, "add", "plans/sam-typo.yaml", "plans/jo-bloggs.yaml")
    stopped = subprocess.run(["git", *commit], cwd=ws, env=env, capture_output=True, text=True)
    assert stopped.returncode == 1
    assert "plans/sam-typo.yaml:33:13:" in stopped.stdout + stopped.stderr
    git(ws, "rm", "-q", "--cached", "plans/sam-typo.yaml")
    done = subprocess.run(["git", *commit], cwd=ws, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(ws, "ls-files", "plans").split() == ["plans/jo-bloggs.yaml"]
    (ws / ".git" / "hooks" / "pre-commit").unlink()


def test_the_hook_checks_against_wellplans_schema_even_when_the_workspace_has_its_own(hooked) -> None:
    ws, env = hooked
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    schema["definitions"]["goal"]["properties"]["status"]["enum"].append("actve")  # an older copy
    (ws / WORKSPACE_SCHEMA).parent.mkdir(exist_ok=True)
    (ws / WORKSPACE_SCHEMA).write_text(json.dumps(schema), encoding="utf-8")
    try:
        done = pre_commit(ws, env, "run", "--files", "plans/sam-typo.yaml")
        output = done.stdout + done.stderr
        assert done.returncode == 1, output
        expected = check_lines(ws, "plans/sam-typo.yaml")
        assert expected[0].startswith("schema/wellbeing-plan.schema.json:1:1: warning: ")
        for line in expected:
            assert line in output.splitlines(), f"missing from the hook's output: {line}\n{output}"
        assert pre_commit(ws, env, "run", "--files", "plans/jo-bloggs.yaml").returncode == 0
    finally:
        shutil.rmtree(ws / "schema")

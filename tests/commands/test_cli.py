"""The command line as a whole: every command has help and is in the README; no tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from builder.commands.cli import COMMANDS
from tests.conftest import ROOT, run_wellplan


def test_every_command_is_installed() -> None:
    help_text = run_wellplan("--help").stdout
    for name in COMMANDS:
        assert name in help_text, f"'{name}' is missing from wellplan --help"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help_and_is_documented(name: str) -> None:
    result = run_wellplan(name, "--help")
    assert result.returncode == 0 and COMMANDS[name] in result.stdout
    assert f"`wellplan {name}" in (ROOT / "README.md").read_text(), f"README does not document {name}"


def test_an_unknown_command_is_a_usage_error() -> None:
    result = run_wellplan("frobnicate")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_output_cut_short_by_the_reader_is_not_a_traceback() -> None:
    # A long report (over the pipe's 64 KB buffer), so that writing blocks and then fails.
    code = (
        "import sys; from builder.commands.cli import main; "
        "sys.exit(main(['check', *['tests/corpus/invalid'] * 8, '--format', 'json']))"
    )
    reader = "head -c 10 >/dev/null"
    done = subprocess.run(
        f'{sys.executable} -c "{code}" | {reader}', shell=True, cwd=ROOT, capture_output=True, text=True
    )
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr

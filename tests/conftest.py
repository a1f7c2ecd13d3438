"""Fixtures shared across the test suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"


def run_wellplan(
    *args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None
):
    """Run the real CLI in a subprocess; returns CompletedProcess with text output."""
    return subprocess.run(
        [sys.executable, "-m", "builder.commands.cli", *args],
        cwd=cwd or ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def wellplan():
    return run_wellplan


def pytest_sessionstart(session: pytest.Session) -> None:
    """Say "bringing up nodes..." once: pytest-xdist says it again after collecting when quiet."""
    config = session.config
    reporter = config.pluginmanager.getplugin("terminaldistreporter")
    if reporter is None or config.option.verbose >= 0:
        return
    show = reporter.ensure_show_status
    said: list[bool] = []

    def once() -> None:
        if not said:
            said.append(True)
            show()

    reporter.ensure_show_status = once


#: Reports a test leaves for the end of the run (record_property("report", text)), gathered
#: here so they show with pytest-xdist too, whose workers' own output is not shown.
_REPORTS: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _REPORTS.extend(str(value) for name, value in report.user_properties if name == "report")


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's TerminalReporter
    for text in _REPORTS:
        terminalreporter.write_line(text)

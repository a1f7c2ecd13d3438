"""A real headless Chromium for tests, shared by everyone's browser tests.

Use it with ``from tests.browser import browser  # noqa: F401`` in a test module,
then take ``browser`` as a fixture and open pages with ``new_page(browser)``.
Playwright's own browser download is not used: Debian's chromium is.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


#: One Playwright and one Chromium per test process. Each module that imports the fixture
#: gets a fixture of its own, and Playwright's sync API cannot be started twice at once, so
#: they share this one and the last to finish closes it.
_shared: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for browser tests and was not found at {CHROMIUM}.")
    from playwright.sync_api import sync_playwright

    if not _shared:
        playwright = sync_playwright().start()
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        _shared.update(playwright=playwright, chromium=chromium, users=0)
    _shared["users"] += 1
    try:
        yield _shared["chromium"]
    finally:
        _shared["users"] -= 1
        if not _shared["users"]:
            _shared["chromium"].close()
            _shared["playwright"].stop()
            _shared.clear()


def new_page(browser: Any, width: int = 1280, height: int = 900, offline: bool = True) -> Any:
    """A fresh page in its own context; offline by default, so nothing can come from a network."""
    context = browser.new_context(viewport={"width": width, "height": height})
    if offline:
        context.set_offline(True)
    page = context.new_page()
    page.dialogs = []  # every alert/confirm/prompt a page tries to open

    def on_dialog(dialog: Any) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def axe_violations(page: Any, best_practice: bool = False) -> list[str]:
    """axe-core's WCAG 2.x A and AA violations on the page, one line each (empty is a pass).

    best_practice adds axe's best-practice rules (unique landmark names, named dialogs…).
    """
    from axe_playwright_python.sync_playwright import Axe

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": tags + (["best-practice"] if best_practice else [])}},
    )
    lines = []
    for violation in results.response.get("violations", []):
        targets = [" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", [])]
        lines.append(f"{violation['id']}: {violation['help']} at {targets[:3]}")
    return lines

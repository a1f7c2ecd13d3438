"""The form editor end to end in Chromium: the person, their carer and the key worker each change
the plan in the browser, every change is one commit by them, and the site and the printed copy
built afterwards show it. Every page kind passes axe (WCAG 2.2 A/AA), is read at 320 px, and
weighs at most 100 KB gzipped; the person's own words are written with the keyboard alone.

One Chromium for the module; the servers are the editor's own app on 127.0.0.1 in threads.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.editor.app import ASSETS, make_app
from builder.editor.security import HOST, Gate
from builder.plan.load import load_plan_bytes
from builder.workspace import EDITOR_STATIC_DIR
from tests.browser import axe_violations, browser, new_page  # noqa: F401
from tests.editor.fixtures import PLAN, editor_for, plan_workspace

URDU = "میں اپنے فلیٹ میں خوش ہوں اور میں دوبارہ کھانا پکانا چاہتا ہوں۔"
ENGLISH = "I like my flat, and I want to cook proper food again."
KB_100 = 100 * 1024


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plan_workspace(tmp_path_factory.mktemp("browser") / "ws")


class Running:
    """One editor's server on a free port of 127.0.0.1, in a thread of this test process."""

    def __init__(self, workspace: Path, name: str, role: str) -> None:
        from werkzeug.serving import make_server

        self.gate = Gate()
        self.server = make_server(HOST, 0, make_app(editor_for(workspace, name, role), self.gate),
                                  threaded=True)
        self.gate.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.origin = self.gate.origin

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def servers(workspace: Path) -> Iterator[dict[str, Running]]:
    running = {"person": Running(workspace, "Dan Okafor", "person"),
               "carer": Running(workspace, "Grace Okafor", "carer"),
               "key-worker": Running(workspace, "Priya Sharma", "key-worker")}
    yield running
    for server in running.values():
        server.stop()


_PAGES: dict[int, Any] = {}


def _signed_in(browser: Any, server: Running, width: int = 1280, javascript: bool = True) -> Any:  # noqa: F811
    """The one page signed in to this server (its link works once), opened at the task list."""
    if server.gate.port in _PAGES:
        page = _PAGES[server.gate.port]
        page.goto(server.origin + "/")
        return page
    if javascript:
        page = new_page(browser, width=width, offline=False)
    else:
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
        page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.requests = requests
    page.goto(server.gate.start_url)
    assert page.url == server.origin + "/"
    _PAGES[server.gate.port] = page
    return page


def _wellplan(workspace: Path, *args: str) -> str:
    """Run the real command in the workspace, as someone at the terminal would; its output."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", "import sys; from builder.commands.cli import main; "
                           "sys.exit(main(sys.argv[1:]))", *args], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"wellplan {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout + done.stderr


def _log(workspace: Path) -> tuple[str, str]:
    out = subprocess.run(["git", "log", "-1", "--format=%an%x00%B"], cwd=workspace, capture_output=True,
                         text=True, check=True).stdout
    name, body = out.split("\x00", 1)
    return name, body


def _count(workspace: Path) -> int:
    return int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=workspace, capture_output=True,
                              text=True, check=True).stdout)


def _plan(workspace: Path) -> dict:
    return load_plan_bytes((workspace / "plans" / f"{PLAN}.yaml").read_bytes(), PLAN).data


def _tab_to(page: Any, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text contains name."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => { const e = document.activeElement; return (e.innerText || "
                                "e.value || e.getAttribute('aria-label') || '') + ' ' + (e.labels && "
                                "e.labels[0] ? e.labels[0].innerText : ''); }")
        if name in " ".join(focused.split()):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def _check_page(page: Any, kind: str, seen: dict[str, str]) -> None:
    """axe finds nothing, nothing overflows at 320 px, and the page with its files is light."""
    violations = axe_violations(page)
    assert not violations, f"{kind}: {violations}"
    html = page.content().encode("utf-8")
    assets = sum(len(gzip.compress((EDITOR_STATIC_DIR / file).read_bytes())) for file, kind_ in
                 (ASSETS[n] for n in ("nhsuk.css", "editor.css", "images/favicon.ico")))
    assert len(gzip.compress(html)) + assets <= KB_100, kind
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size({"width": width, "height": 900})
    assert overflow <= 320, f"{kind} is {overflow} px wide at 320 px"
    seen[kind] = page.url


def test_the_person_writes_their_own_words_with_the_keyboard_alone(browser: Any, servers: dict,  # noqa: F811
                                                                   workspace: Path) -> None:
    page = _signed_in(browser, servers["person"])
    _tab_to(page, "My own words")  # the person's own words come first, named as theirs
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/part/about_me$"))
    _tab_to(page, "Change About me, in my own words")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/part/about_me\?q=in_my_own_words$"))
    _tab_to(page, "About me, in my own words")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(URDU)
    page.keyboard.press("Enter")
    page.keyboard.type(ENGLISH)
    _tab_to(page, "Save and record")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"saved="))
    assert "Recorded as Dan Okafor (person)" in page.inner_text("main")
    assert _plan(workspace)["about_me"]["in_my_own_words"] == f"{URDU}\n{ENGLISH}"
    assert _log(workspace)[0] == "Dan Okafor" and "Plan-Role: person" in _log(workspace)[1]
    # The textarea takes any script in its own direction.
    page.goto(servers["person"].origin + "/part/about_me?q=in_my_own_words")
    assert page.get_attribute("#f-in_my_own_words", "dir") == "auto"
    assert all(r.startswith(servers["person"].origin) for r in page.requests)


def test_the_person_adds_a_goal_and_marks_an_action_done(browser: Any, servers: dict,  # noqa: F811
                                                         workspace: Path) -> None:
    page = _signed_in(browser, servers["person"])
    seen: dict[str, str] = {}
    _check_page(page, "task list", seen)
    page.click("text=My goals")
    _check_page(page, "list (check your answers)", seen)
    page.click("text=Add another goal")
    _check_page(page, "add an item", seen)
    page.check("#f-area-3")  # Life
    page.fill("#f-what", "Cook Sunday lunch for the boys once a month")
    page.check("input[name=f-expressed_by][value=me]")
    page.check("input[name=f-status][value=active]")
    page.click("text=Add and record")
    page.wait_for_url(re.compile(r"/part/goals\?saved="))
    assert "Cook Sunday lunch for the boys once a month" in page.inner_text("main")
    before = _count(workspace)
    page.goto(servers["person"].origin + "/part/actions/act-cook-batch")
    _check_page(page, "an item's answers (check your answers)", seen)
    page.click("a:has-text('Change Status')")
    _check_page(page, "one question", seen)
    page.focus("input[name=f-status][value=completed]")
    page.keyboard.press("Space")
    page.click("text=Save and record")
    page.wait_for_url(re.compile(r"/part/actions/act-cook-batch\?saved="))
    assert "Completed" in page.inner_text("main")
    action = next(a for a in _plan(workspace)["actions"] if a["id"] == "act-cook-batch")
    assert action["status"] == "completed" and _count(workspace) == before + 1
    page.goto(servers["person"].origin + "/remove/about_me/strengths/strength-cooking")
    _check_page(page, "remove an item", seen)
    page.goto(servers["person"].origin + "/part/person")
    _check_page(page, "a part with parts inside", seen)
    page.goto(servers["person"].origin + "/part/no-such-part")
    assert "Page not found" in page.inner_text("main")
    _check_page(page, "a message", seen)
    assert len(seen) == 8


def test_the_carer_adds_a_worry_without_javascript(browser: Any, servers: dict,  # noqa: F811
                                                   workspace: Path) -> None:
    page = _signed_in(browser, servers["carer"], javascript=False)
    assert "own words" not in page.inner_text("main")  # not shared with his carer
    page.click("text=In a crisis")
    page.click("a:has-text('Early warning signs')")
    page.click("text=Add another item")
    page.fill("#f-text", "He stops texting me back, even on a Sunday.")
    page.click("text=Add and record")
    page.wait_for_url(re.compile(r"saved="))
    assert "Recorded as Grace Okafor (carer)" in page.inner_text("main")
    name, body = _log(workspace)
    assert name == "Grace Okafor" and "Plan-Role: carer" in body


def test_an_invalid_date_is_refused_then_the_key_worker_adds_a_result(browser: Any, servers: dict,  # noqa: F811
                                                                     workspace: Path) -> None:
    page = _signed_in(browser, servers["key-worker"])
    before = (workspace / "plans" / f"{PLAN}.yaml").read_bytes()
    page.goto(servers["key-worker"].origin + "/add/health_checks/weight/results")
    page.fill("#f-date-day", "31")
    page.fill("#f-date-month", "2")
    page.fill("#f-date-year", "2026")
    page.fill("#f-value", "105.9")
    page.click("text=Add and record")
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('nhsuk-error-summary')")
    assert page.title().startswith("Error: ")
    seen: dict[str, str] = {}
    _check_page(page, "error summary", seen)
    page.click(".nhsuk-error-summary a")
    assert page.evaluate("() => document.activeElement.id") == "f-date-day"
    assert (workspace / "plans" / f"{PLAN}.yaml").read_bytes() == before
    page.fill("#f-date-day", "3")
    page.fill("#f-date-month", "12")
    page.check("input[name=f-by][value=priya]")
    page.click("text=Add and record")
    page.wait_for_url(re.compile(r"/part/health_checks/weight/results\?saved="))
    assert "3 December 2026" in page.inner_text("main")
    name, body = _log(workspace)
    assert name == "Priya Sharma" and "Plan-Role: key-worker" in body
    page.click("text=Back")
    assert page.url.endswith("/part/health_checks/weight")
    page.go_back()
    assert page.url.split("?")[0].endswith("/part/health_checks/weight/results")


def test_a_change_from_the_command_line_meanwhile_is_merged_or_refused_with_both(
        browser: Any, servers: dict, workspace: Path) -> None:  # noqa: F811
    page = _signed_in(browser, servers["person"])
    path = workspace / "plans" / f"{PLAN}.yaml"
    page.goto(servers["person"].origin + "/part/about_me?q=a_good_day")
    page.fill("#f-a_good_day", "Market, coffee, cooking.")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: not-started", "status: scheduled", 1), encoding="utf-8")
    _wellplan(workspace, "record", PLAN, "--as", "Priya Sharma", "--role", "key-worker", "-m", "Booked")
    page.click("text=Save and record")
    page.wait_for_url(re.compile(r"saved="))
    plan = _plan(workspace)
    assert plan["about_me"]["a_good_day"] == "Market, coffee, cooking."
    assert next(a for a in plan["actions"] if a["id"] == "act-constipation")["status"] == "scheduled"
    # The same field changed meanwhile: refused, both versions shown, theirs kept.
    page.goto(servers["person"].origin + "/part/about_me?q=what_matters_to_me")
    page.fill("#f-what_matters_to_me", "Grace, the boys and my cooking.")
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  what_matters_to_me: >-"), text.index("  a_good_day:")
    path.write_text(text[:start] + "  what_matters_to_me: Priya wrote this.\n" + text[end:], encoding="utf-8")
    _wellplan(workspace, "record", PLAN, "--as", "Priya Sharma", "--role", "key-worker")
    theirs, count = path.read_bytes(), _count(workspace)
    page.click("text=Save and record")
    main = page.inner_text("main")
    assert "Priya Sharma changed the same thing" in main
    assert "Grace, the boys and my cooking." in main and "Priya wrote this." in main
    seen: dict[str, str] = {}
    _check_page(page, "both versions", seen)
    assert path.read_bytes() == theirs and _count(workspace) == count


def test_the_site_and_the_printed_copy_built_afterwards_show_every_change(workspace: Path) -> None:
    from pypdf import PdfReader

    from builder.paper.pdf import build_pdf
    from builder.site.build import build_site

    checked = _wellplan(workspace, "check")  # exit 0: no errors (warnings allowed)
    assert "Checked 1 plan" in checked and "error" not in checked, checked
    site = workspace.parent / "site"
    build_site(workspace, site, audience="team", plan_ids=[PLAN])
    html = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    for text in (URDU, ENGLISH, "Cook Sunday lunch for the boys once a month",
                 "He stops texting me back, even on a Sunday.", "105.9"):
        assert text in html or text.replace("&#39;", "'") in html, text
    pdf = build_pdf(workspace, PLAN, workspace.parent / "pdf", audience="team")
    words = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    for text in (ENGLISH, "Cook Sunday lunch for the boys once a month",
                 "He stops texting me back, even on a Sunday.", "105.9"):
        assert text in words.replace("’", "'"), text

"""The running editing server's locks, each tried against it over real HTTP on 127.0.0.1.

The server is the real command (`wellplan edit ID --web --no-browser`) in its own process.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.editor.fixtures import PLAN, plan_workspace

ROOT = Path(__file__).resolve().parents[2]
MAIN = "import sys; from builder.commands.cli import main; sys.exit(main(sys.argv[1:]))"


def start(workspace: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", MAIN, "edit", PLAN, "--web", "--no-browser", *args],
                            cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Server:
    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.process = start(workspace, "--as", "Dan Okafor", "--role", "person")
        self.first_line = self.process.stdout.readline().strip()
        parts = urllib.parse.urlsplit(self.first_line)
        self.port = parts.port
        self.start_path = f"{parts.path}?{parts.query}"
        self.cookie = ""

    def request(self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None,
                host: str | None = None) -> Any:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": host or f"127.0.0.1:{self.port}", **(headers or {})}
        if body:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body.encode(), headers=sent)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        connection.close()
        return response

    def signed_in(self) -> dict[str, str]:
        return {"Cookie": self.cookie}

    def form(self, path: str) -> tuple[str, str]:
        page = self.request("GET", path, headers=self.signed_in()).text
        field = lambda name: page.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]  # noqa: E731
        return field("csrf"), field("base")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(plan_workspace(tmp_path_factory.mktemp("server") / "ws"))
    try:
        yield running
    finally:
        running.process.send_signal(signal.SIGTERM)
        running.process.communicate(timeout=30)


def test_the_first_line_is_the_address_with_a_one_time_token(server: Server) -> None:
    assert server.first_line.startswith("http://127.0.0.1:") and "/start?token=" in server.first_line
    first = server.request("GET", server.start_path)
    assert first.status == 303 and first.getheader("Location") == "/"
    cookie = first.getheader("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    server.cookie = cookie.split(";", 1)[0]
    again = server.request("GET", server.start_path)
    assert again.status == 403 and "used already" in again.text
    assert server.request("GET", "/", headers=server.signed_in()).status == 200


def test_a_page_needs_the_cookie(server: Server) -> None:
    assert server.request("GET", "/").status == 403
    guess = {"Cookie": f"wellplan_editor_{server.port}=guess"}
    assert server.request("GET", "/part/about_me", headers=guess).status == 403


def test_a_foreign_host_is_refused(server: Server) -> None:
    for host in ("evil.example", f"localhost:{server.port}", f"attacker.example:{server.port}"):
        assert server.request("GET", "/", headers=server.signed_in(), host=host).status == 403


def test_a_post_needs_the_origin_the_cookie_and_the_csrf_token(server: Server) -> None:
    path = "/part/about_me?q=a_good_day"
    csrf, base = server.form(path)
    answer = "asked=a_good_day&f-a_good_day=Changed+from+elsewhere"
    origin = {"Origin": f"http://127.0.0.1:{server.port}"}
    before = (server.workspace / "plans" / f"{PLAN}.yaml").read_bytes()
    tries = {
        "no origin": (f"csrf={csrf}&base={base}&{answer}", server.signed_in()),
        "another origin": (f"csrf={csrf}&base={base}&{answer}",
                           {**server.signed_in(), "Origin": "http://evil.example"}),
        "no cookie": (f"csrf={csrf}&base={base}&{answer}", origin),
        "no csrf token": (f"base={base}&{answer}", {**server.signed_in(), **origin}),
        "a wrong csrf token": (f"csrf=x{csrf}&base={base}&{answer}", {**server.signed_in(), **origin}),
    }
    for what, (body, headers) in tries.items():
        assert server.request("POST", path, body, headers).status == 403, what
    assert (server.workspace / "plans" / f"{PLAN}.yaml").read_bytes() == before
    ok = server.request("POST", path, f"csrf={csrf}&base={base}&{answer}", {**server.signed_in(), **origin})
    assert ok.status == 303


def test_every_response_carries_the_security_headers(server: Server) -> None:
    for path, headers in (("/", server.signed_in()), ("/", {}), ("/assets/nhsuk.css", {}),
                          ("/part/nowhere", server.signed_in())):
        response = server.request("GET", path, headers=headers)
        policy = response.getheader("Content-Security-Policy")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert response.getheader("X-Content-Type-Options") == "nosniff", path


def test_no_address_reaches_the_file_system(server: Server) -> None:
    for path in ("/assets/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd",
                 "/assets/LICENCE.md", "/assets/editor.css/../../templates/base.html",
                 "/part/../../plans/dan-okafor.yaml", "/part/%2e%2e%2fetc%2fpasswd",
                 "/plans/dan-okafor.yaml", "/part/about_me/..%2f..%2f.git%2fconfig", "/.git/config"):
        response = server.request("GET", path, headers=server.signed_in())
        assert response.status in (403, 404), path
        assert "root:" not in response.text and "[core]" not in response.text, path
    assert server.request("GET", "/assets/nhsuk.css").status == 200


def test_it_listens_only_on_127_0_0_1(server: Server) -> None:
    import socket

    addresses = [a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    for address in {a for a in addresses if not a.startswith("127.")}:
        with pytest.raises(OSError), socket.create_connection((address, server.port), timeout=5):
            pass
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass


def test_another_host_is_refused_saying_why(tmp_path: Path) -> None:
    workspace = plan_workspace(tmp_path / "ws")
    process = start(workspace, "--as", "Dan Okafor", "--role", "person", "--host", "0.0.0.0")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2 and out == ""
    assert "only listens on this computer (127.0.0.1)" in err and "sign-in" in err


def test_a_missing_plan_or_a_busy_port_is_said_in_one_line(server: Server) -> None:
    for args, said in (((PLAN.replace("okafor", "okafr"),), "Did you mean dan-okafor?"),
                       ((PLAN, "--port", str(server.port)), "cannot be used")):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", MAIN, "edit", *args, "--web", "--no-browser", "--as",
                               "Dan Okafor", "--role", "person"], cwd=server.workspace, env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode in (1, 2) and said in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == ""


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_stop_is_clean_and_leaves_nothing_half_written(tmp_path: Path, stop: signal.Signals) -> None:
    workspace = plan_workspace(tmp_path / "ws")
    before = sorted(p.name for p in (workspace / "plans").iterdir())
    process = start(workspace, "--as", "Dan Okafor", "--role", "person")
    assert process.stdout.readline().startswith("http://127.0.0.1:")
    process.send_signal(stop)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Stopped the editor" in out and "Traceback" not in err
    assert sorted(p.name for p in (workspace / "plans").iterdir()) == before
    status = subprocess.run(["git", "status", "--porcelain"], cwd=workspace, capture_output=True, text=True)
    assert status.stdout == ""

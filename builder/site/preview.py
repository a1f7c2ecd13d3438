"""A live preview: build the site, serve it on this computer, rebuild when a plan is saved.

The server binds to 127.0.0.1 unless told otherwise, so plans are not shown to
the network. It also answers only requests addressed to this computer by a
loopback name (``Host: 127.0.0.1``, ``localhost`` or ``[::1]`` with its own port),
so a web page elsewhere cannot point its own name at 127.0.0.1 and read the
preview as if it were its own site (DNS rebinding). Pages it serves carry a tiny
script that reloads the page when a rebuild finishes; the files on disk are
exactly what ``wellplan build`` makes.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import socket
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from builder.errors import WellplanError
from builder.site.build import BuildReport, build_site
from builder.workspace import plan_files

log = logging.getLogger(__name__)

VERSION_PATH = "/__wellplan_version"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
ALL_ADDRESSES = ("0.0.0.0", "::", "")
#: Sent with every answer: no other site may frame the preview or have a file read as another type.
SECURITY_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
}
RELOAD_SCRIPT = (
    "<script>(function(){var v=null;setInterval(function(){"
    f"fetch('{VERSION_PATH}',{{cache:'no-store'}}).then(function(r){{return r.text()}})"
    ".then(function(t){if(v===null){v=t}else if(t!==v){location.reload()}})"
    ".catch(function(){})},1500)})();</script>"
)


class Preview:
    """A site being previewed: build it, serve it, and rebuild it when plans change."""

    def __init__(
        self,
        workspace: Path,
        out: Path,
        audience: str = "team",
        plan_ids: list[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        today: date | None = None,
    ) -> None:
        self.workspace, self.out = Path(workspace).resolve(), Path(out).resolve()
        self.audience, self.plan_ids, self.today = audience, plan_ids, today
        self.host, self.port = host, port
        self.version = 0
        self.last_error = ""
        self._seen = self._fingerprint()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in ALL_ADDRESSES else _url_host(self.host)
        return f"http://{shown}:{self.port}/"

    def allows(self, host_header: str | None) -> bool:
        """Whether a request naming this ``Host`` is addressed to this preview."""
        if host_header is None:
            return False
        asked = host_header.strip().lower()
        if asked in allowed_hosts(self.host, self.port):
            return True
        return self.host in ALL_ADDRESSES and _is_address_with_port(asked, self.port)

    def build(self) -> BuildReport | None:
        """Build (incrementally); a failed build keeps the previous site and is reported."""
        try:
            report = build_site(self.workspace, self.out, self.audience, self.plan_ids, today=self.today)
        except WellplanError as e:
            self.last_error = str(e)
            log.warning("The preview was not updated: %s", e)
            return None
        self.last_error = ""
        self.version += 1
        for lines in report.failed.values():
            for line in lines:
                log.warning("%s", line)
        return report

    def start(self) -> None:
        """Build once, then serve the folder in a background thread."""
        self.build()
        handler = functools.partial(_Handler, directory=str(self.out), preview=self)
        server_class = _ServerV6 if ":" in self.host else ThreadingHTTPServer
        self._server = server_class((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def check_for_changes(self) -> bool:
        """Rebuild if any plan file was saved since the last look; True if it rebuilt."""
        now = self._fingerprint()
        if now == self._seen:
            return False
        self._seen = now
        self.build()
        return True

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        found = []
        for path in plan_files(self.workspace):
            try:
                stat = path.stat()
            except OSError:
                continue
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(found)


def is_loopback(host: str) -> bool:
    """Whether serving on ``host`` keeps the preview on this computer."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=8)
def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` values a preview served on ``host``:``port`` answers (lower case, with the port).

    A loopback preview answers only loopback names. One served on a named address
    answers that address. One served on every address (0.0.0.0) answers this
    computer's own names and any address written as numbers: a page can only take
    over a *name* (DNS rebinding), never an address written as numbers.
    """
    names = set(LOOPBACK_NAMES)
    if not is_loopback(host):
        names = {_url_host(host).lower()}
        if host in ALL_ADDRESSES:
            names |= set(LOOPBACK_NAMES) | {socket.gethostname().lower(), socket.getfqdn().lower()}
    allowed = {f"{name}:{port}" for name in names}
    if port == 80:  # a browser leaves out the port it assumes
        allowed |= names
    return frozenset(allowed)


def _url_host(host: str) -> str:
    """``host`` as written in a URL: an IPv6 address goes in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _is_address_with_port(host_header: str, port: int) -> bool:
    """Whether ``host_header`` is an address written as numbers, with this port."""
    name, _, asked_port = host_header.rpartition(":")
    if asked_port != str(port) or (":" in name and not name.startswith("[")):
        return False
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


class _ServerV6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, preview: Preview, **kwargs) -> None:  # noqa: ANN002, ANN003
        self.preview = preview
        super().__init__(*args, **kwargs)

    def parse_request(self) -> bool:
        """Refuse, for every method and path, a request not addressed to this preview."""
        if not super().parse_request():
            return False
        host = self.headers.get("Host")
        if self.preview.allows(host):
            return True
        log.warning(
            "Refused a request for %s addressed to %r: this preview answers only at %s",
            self.path[:200],
            (host or "no address")[:200],
            self.preview.url,
        )
        reason = (
            f"Refused: this preview answers only at {self.preview.url}. Open that address instead; "
            "other addresses are refused so that other websites cannot read the plans.\n"
        ).encode()
        self.send_response(403)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(reason)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reason)
        self.close_connection = True
        return False

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        if self.path == VERSION_PATH:
            self._send(str(self.preview.version).encode(), "text/plain")
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            page = target.read_bytes().replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
            self._send(page, "text/html; charset=utf-8")
            return
        super().do_GET()

    def list_directory(self, path: str) -> None:  # type: ignore[override] - http.server's name
        """Never list a folder: its names are plan ids, which are usually people's names."""
        reason = b"There is no page here. Open the preview's own address, or a plan's page.\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(reason)))
        self.end_headers()
        self.wfile.write(reason)
        return None

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        log.debug(format, *args)

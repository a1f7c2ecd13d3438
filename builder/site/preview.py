"""A live preview: build the site, serve it on this computer, rebuild when a plan is saved.

The server binds to 127.0.0.1 unless told otherwise, so plans are not shown to
the network. Pages it serves carry a tiny script that reloads the page when a
rebuild finishes; the files on disk are exactly what ``wellplan build`` makes.
"""

from __future__ import annotations

import functools
import logging
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from builder.errors import WellplanError
from builder.site.build import BuildReport, build_site
from builder.workspace import PLANS_DIR

log = logging.getLogger(__name__)

VERSION_PATH = "/__wellplan_version"
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
        return f"http://{self.host}:{self.port}/"

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
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
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
        folder = self.workspace / PLANS_DIR
        found = []
        for path in sorted(folder.glob("*.yaml")):
            try:
                stat = path.stat()
            except OSError:
                continue
            found.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(found)


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, preview: Preview, **kwargs) -> None:  # noqa: ANN002, ANN003
        self.preview = preview
        super().__init__(*args, **kwargs)

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

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        log.debug(format, *args)

"""`wellplan edit --web`: the editing server on 127.0.0.1, started, announced and stopped cleanly."""

from __future__ import annotations

import logging
import signal
import socket
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from builder.editor.people import audience_for
from builder.editor.save import SAVING, Editor, recorded
from builder.editor.security import HOST, Gate
from builder.errors import PlanError, UsageError
from builder.plan.load import load_plan_bytes
from builder.record.record import check_person
from builder.workspace import suggest_plan


def refuse_host(host: str | None) -> None:
    """Only 127.0.0.1: the editor changes health records, and has no sign-in of its own."""
    if host not in (None, HOST, "localhost"):
        raise UsageError(
            f"The editor only listens on this computer ({HOST}), so --host {host} is refused. It can "
            "change health records and its only lock is the link it prints; anyone on a network "
            "who could reach it would need no more than that. Serving plans to a network belongs "
            "behind your organisation's own sign-in.")


def open_editor(workspace: Path, plan_id: str, *, name: str, role: str, port: int = 0,
                browser: bool = True, say: Callable[[str], None] | None = None,
                ready: Callable[[Any], None] | None = None) -> None:
    """Serve the editor for one plan until Ctrl-C or SIGTERM; the first line said is its address."""
    from werkzeug.serving import make_server

    from builder.editor.app import make_app

    say = say or _say
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request in the terminal
    check_person(name, role)
    editor = Editor(workspace, plan_id, name, role, "team")
    if not editor.path.is_file():
        raise PlanError(f"There is no plan called '{plan_id}': {editor.rel} does not exist."
                        f"{suggest_plan(workspace, plan_id)}")
    _, current = recorded(editor)
    data = load_plan_bytes(current, editor.rel).data
    if not isinstance(data, dict):
        raise PlanError(f"{editor.rel} cannot be read as a plan. Run 'wellplan check {editor.rel}'.")
    editor = Editor(workspace, plan_id, name, role, audience_for(data, name, role))
    gate = Gate()
    _refuse_busy_port(port)
    server = make_server(HOST, port, make_app(editor, gate), threaded=True)
    gate.port = server.server_port
    # Ctrl-C and SIGTERM ask the server to stop (after any save under way), from the first line on.
    previous = {s: signal.signal(s, lambda *_: threading.Thread(target=server.shutdown).start())
                for s in (signal.SIGINT, signal.SIGTERM)}
    say(gate.start_url)
    say(f"Editing {editor.rel} as {name} ({role}). Every save is recorded as one change.")
    say("Press Ctrl+C to stop.")
    if ready is not None:
        ready(server)
    if browser:
        webbrowser.open(gate.start_url)
    try:
        server.serve_forever()
    finally:
        with SAVING:  # a save under way finishes first: nothing is left half-written
            server.server_close()
        for s, handler in previous.items():
            signal.signal(s, handler)
    say("Stopped the editor. Everything saved was recorded.")


def _refuse_busy_port(port: int) -> None:
    """Say plainly that a port is taken (werkzeug would print its own advice and exit)."""
    if not port:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as e:
            raise UsageError(f"Port {port} on {HOST} cannot be used ({e.strerror}); choose another "
                             "with --port, or leave it out to pick a free one.") from e


def _say(text: str) -> None:
    print(text, flush=True)
    sys.stdout.flush()

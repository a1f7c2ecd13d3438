"""wellplan serve: a preview on 127.0.0.1 that rebuilds when a plan is saved."""

from __future__ import annotations

import http.client
import logging
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from builder.site.preview import RELOAD_SCRIPT, VERSION_PATH, Preview, is_loopback
from tests.site_fixtures import TODAY, alex_plan, write


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def preview(tmp_path: Path):
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    write(root, "alex-morgan", alex_plan())
    running = Preview(root, tmp_path / "preview", port=0, today=TODAY)
    running.start()
    yield running
    running.stop()


def test_the_preview_listens_on_this_computer_only(preview: Preview) -> None:
    assert preview.host == "127.0.0.1"
    assert preview._server.server_address[0] == "127.0.0.1"
    assert preview.url.startswith("http://127.0.0.1:")


def test_the_preview_serves_the_site_with_a_reload_script(preview: Preview) -> None:
    page = fetch(preview.url + "plans/alex-morgan/index.html")
    assert "Alex Morgan: wellbeing plan" in page
    assert RELOAD_SCRIPT in page
    assert fetch(preview.url + VERSION_PATH.lstrip("/")) == "1"
    on_disk = (preview.out / "plans" / "alex-morgan" / "index.html").read_text()
    assert RELOAD_SCRIPT not in on_disk  # the built files stay exactly what 'wellplan build' makes


def test_saving_a_plan_rebuilds_the_preview(preview: Preview) -> None:
    assert preview.check_for_changes() is False
    plan_path = preview.workspace / "plans" / "alex-morgan.yaml"
    plan_path.write_text(plan_path.read_text().replace("I can grow anything.", "I grow prize leeks."))
    assert preview.check_for_changes() is True
    assert "I grow prize leeks." in fetch(preview.url + "plans/alex-morgan/index.html")
    assert fetch(preview.url + VERSION_PATH.lstrip("/")) == "2"


def test_a_broken_save_keeps_the_last_good_preview(preview: Preview) -> None:
    plan_path = preview.workspace / "plans" / "alex-morgan.yaml"
    plan_path.write_text(plan_path.read_text().replace("status: active", "status: maybe", 1))
    assert preview.check_for_changes() is True
    assert "Walk Biscuit every day" in fetch(preview.url + "plans/alex-morgan/index.html")
    assert "Needs fixing" in fetch(preview.url + "index.html")


# --- Only this computer's own names: a page elsewhere cannot read the preview (DNS rebinding) ---


def ask(preview: Preview, path: str, host: str | None, method: str = "GET") -> http.client.HTTPResponse:
    """Send one request to the running preview, naming ``host`` in its Host header (None: no Host)."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def first_asset(preview: Preview) -> str:
    css = sorted((preview.out / "assets" / "stylesheets").glob("*.css"))
    assert css, "the built site has no stylesheet to ask for"
    return "/" + css[0].relative_to(preview.out).as_posix()


def every_kind_of_path(preview: Preview) -> dict[str, str]:
    return {
        "page": "/plans/alex-morgan/index.html",
        "folder": "/",
        "asset": first_asset(preview),
        "search index": "/search/search_index.json",
        "live reload": VERSION_PATH,
    }


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])
def test_this_computers_own_names_are_answered(preview: Preview, name: str) -> None:
    for kind, path in every_kind_of_path(preview).items():
        response = ask(preview, path, f"{name}:{preview.port}")
        assert response.status == 200, (kind, path, response.body[:200])


FOREIGN_HOSTS = [
    "attacker.example:{port}",  # a name re-pointed at 127.0.0.1
    "127.0.0.1.attacker.example:{port}",
    "localhost.attacker.example:{port}",
    "127.0.0.1:{other}",  # the right name with another port is another origin
    "localhost:{other}",
    "localhost",  # no port: port 80, not ours
    "192.168.1.5:{port}",  # not the address this preview listens on
    "",
]


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_request_for_any_other_host_is_refused(
    preview: Preview, host: str, caplog: pytest.LogCaptureFixture
) -> None:
    named = host.format(port=preview.port, other=preview.port + 1)
    for kind, path in every_kind_of_path(preview).items():
        with caplog.at_level(logging.WARNING, logger="builder.site.preview"):
            response = ask(preview, path, named)
        assert response.status == 403, (kind, path)
        assert response.getheader("Content-Type") == "text/plain; charset=utf-8"
        reason = response.body.decode()
        assert reason.count("\n") == 1 and reason.startswith("Refused: this preview answers only at")
        assert "Alex" not in reason and "{" not in reason  # nothing of the site, not even the index
        assert any(path[:100] in r.getMessage() and "Refused" in r.getMessage() for r in caplog.records)


def test_a_request_with_no_host_at_all_is_refused(preview: Preview) -> None:
    for path in every_kind_of_path(preview).values():
        assert ask(preview, path, None).status == 403


@pytest.mark.parametrize("method", ["HEAD", "POST", "OPTIONS"])
def test_other_methods_from_another_host_are_refused_too(preview: Preview, method: str) -> None:
    response = ask(preview, "/search/search_index.json", f"attacker.example:{preview.port}", method)
    assert response.status == 403
    assert response.getheader("Access-Control-Allow-Origin") is None


def test_every_answer_forbids_framing_and_type_sniffing_and_allows_no_other_origin(preview: Preview) -> None:
    own = f"127.0.0.1:{preview.port}"
    answers = [ask(preview, path, own) for path in every_kind_of_path(preview).values()]
    answers.append(ask(preview, "/no-such-page.html", own))  # an error page too
    answers.append(ask(preview, "/", f"attacker.example:{preview.port}"))  # and a refusal
    assert [a.status for a in answers] == [200] * 5 + [404, 403]
    for answer in answers:
        assert answer.getheader("Content-Security-Policy") == "frame-ancestors 'none'"
        assert answer.getheader("X-Content-Type-Options") == "nosniff"
        assert answer.getheader("Access-Control-Allow-Origin") is None


def test_a_preview_on_another_address_answers_that_address_only(tmp_path: Path) -> None:
    on_lan = Preview(tmp_path, tmp_path / "out", host="192.168.1.5", port=8765)
    assert on_lan.allows("192.168.1.5:8765")
    assert not on_lan.allows("localhost:8765")  # it does not listen there
    assert not on_lan.allows("192.168.1.5:8766")
    assert not on_lan.allows("attacker.example:8765")


def test_a_preview_on_every_address_answers_addresses_but_no_borrowed_name(tmp_path: Path) -> None:
    everywhere = Preview(tmp_path, tmp_path / "out", host="0.0.0.0", port=8765)
    assert everywhere.url == "http://127.0.0.1:8765/"
    for own in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765", "10.1.2.3:8765", "[fe80::1]:8765"):
        assert everywhere.allows(own), own
    assert everywhere.allows(f"{socket.gethostname()}:8765")
    for foreign in ("attacker.example:8765", "10.1.2.3:8766", "10.1.2.3", "fe80::1:8765", None):
        assert not everywhere.allows(foreign), foreign


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_addresses_are_this_computer_only(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "preview.example.org"])
def test_other_addresses_reach_the_network(host: str) -> None:
    assert not is_loopback(host)


def test_serving_to_the_network_needs_the_audience_chosen(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builder.commands.cli import main

    # In an empty folder: were the audience not asked for, finding no workspace stops the
    # command before it could listen on the network (this test never serves beyond loopback).
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "--host 0.0.0.0 lets other computers on the network read the preview" in err
    assert "--audience" in err


def test_serving_to_the_network_warns_that_every_plan_can_be_read() -> None:
    from builder.commands.serve import network_warning

    warning = network_warning("0.0.0.0", 8765, "team")
    assert warning.startswith("Warning:")
    assert "every plan in it" in warning and "team" in warning and "network" in warning


def test_a_folder_without_a_page_is_never_listed(preview: Preview) -> None:
    """A folder's names are plan ids, usually people's names: the preview never lists them."""
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(preview.url + "plans/", timeout=10)
    assert refused.value.code == 404
    body = refused.value.read().decode()
    assert "alex-morgan" not in body and "There is no page here." in body


def test_a_preview_for_anyone_but_the_team_needs_a_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builder.commands.cli import main

    monkeypatch.chdir(tmp_path)  # no workspace here: the check comes first, nothing is served
    assert main(["serve", "--audience", "carer", "--port", "0"]) == 2
    assert "say whose with --plan ID. Only the team's preview lists everybody." in capsys.readouterr().err

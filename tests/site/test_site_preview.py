"""wellplan serve: a preview on 127.0.0.1 that rebuilds when a plan is saved."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from builder.site.preview import RELOAD_SCRIPT, VERSION_PATH, Preview
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
    assert "Some plans could not be built" in fetch(preview.url + "index.html")

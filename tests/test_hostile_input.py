"""Broken and hostile plans are answered with a clear finding, never a traceback, with bounded work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.errors import WorkspaceError
from builder.plan import load
from builder.plan.load import MAX_VALUES, load_plan_text
from builder.workspace import check_plan_id, plan_file

from .conftest import CORPUS, run_wellplan

TODAY = "2026-11-26"
MINIMAL = (CORPUS / "valid" / "minimal.yaml").read_text()


def check_text(tmp_path: Path, text: str | bytes) -> tuple[int, list[dict]]:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = run_wellplan("check", str(plan), "--format", "json", "--today", TODAY)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)["problems"]


def test_a_five_megabyte_text_field_is_reported_as_too_long(tmp_path: Path) -> None:
    huge = "x" * (5 * 1024 * 1024)
    code, problems = check_text(tmp_path, MINIMAL.replace("I like walking my dog", huge))
    assert code == 1
    (problem,) = problems
    assert problem["path"] == "about_me.in_my_own_words" and "too long" in problem["message"]
    assert problem["line"] == 18


def test_a_ten_thousand_item_list_is_reported_not_rendered(tmp_path: Path) -> None:
    items = "".join(f"  - id: s{i}\n    text: strength {i}\n" for i in range(10_000))
    text = MINIMAL.replace(
        "about_me:\n",
        "about_me:\n  strengths:\n" + items.replace("\n  ", "\n    ").replace("  - id", "    - id", 1),
        1,
    )
    code, problems = check_text(tmp_path, text)
    assert code == 1
    assert any("10,000 items" in p["message"] for p in problems), problems


@pytest.mark.parametrize(
    "nesting",
    ["a: " + "[" * 5000 + "]" * 5000 + "\n", "a: " + "{b: " * 200 + "1" + "}" * 200 + "\n"],
    ids=["flow-5000", "mapping-200"],
)
def test_deep_nesting_is_refused(tmp_path: Path, nesting: str) -> None:
    code, problems = check_text(tmp_path, nesting)
    assert code == 1 and "nested" in problems[0]["message"]


def test_an_alias_bomb_is_refused_after_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 12)
    )
    built = 0
    real_build = load._Builder.build

    def counted(self: load._Builder, node: object) -> object:
        nonlocal built
        built += 1
        return real_build(self, node)

    monkeypatch.setattr(load._Builder, "build", counted)
    loaded = load_plan_text(bomb, "bomb.yaml")
    assert loaded.data is None and "far too much data" in loaded.findings[0].message
    # The bomb expands to 10^12 values; the loader stops at its cap, whatever the machine's speed.
    assert built <= MAX_VALUES + 1


def test_right_to_left_and_emoji_text_is_fine(tmp_path: Path) -> None:
    text = MINIMAL.replace("Jo Bloggs", "جو بلوگز 🌻").replace(
        "I like walking", "أحب المشي 🐕 I like walking"
    )
    code, problems = check_text(tmp_path, text)
    assert code == 0, problems


def test_windows_line_endings_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    code, problems = check_text(tmp_path, b"\xef\xbb\xbf" + MINIMAL.encode().replace(b"\n", b"\r\n"))
    assert code == 0, problems


@pytest.mark.parametrize(
    "tag", ["!!python/object/apply:os.system ['touch PWNED']", "!!python/name:os.system", "!custom x"]
)
def test_tags_are_refused_and_never_run(tmp_path: Path, tag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, problems = check_text(tmp_path, MINIMAL.replace("preferred_name: Jo", f"preferred_name: {tag}"))
    assert code == 1 and "tag" in problems[0]["message"]
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("bad", ["../etc/passwd", "/etc/passwd", "..", "a/b", "Alex", "alex.yaml", ""])
def test_plan_ids_that_are_paths_are_refused(tmp_path: Path, bad: str) -> None:
    (tmp_path / "plans").mkdir()
    with pytest.raises(WorkspaceError, match="is not a plan id"):
        plan_file(tmp_path, bad)
    with pytest.raises(WorkspaceError):
        check_plan_id(bad)


def test_a_plan_file_that_links_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "jo.yaml").symlink_to("/etc/hostname")
    with pytest.raises(WorkspaceError, match="outside"):
        plan_file(tmp_path, "jo")

"""Real dates: a plan's past brought in with record --date and review, read back everywhere."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from builder.errors import UsageError
from builder.record.dating import parse_when
from builder.record.record import record_edit
from tests.conftest import run_wellplan
from tests.history_fixtures import MINIMAL, edit_text, git, make_workspace, write_plan

ROOT = Path(__file__).resolve().parents[2]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TZ": "UTC"}


def wellplan(root: Path, *args: str):
    done = run_wellplan(*args, cwd=root, env=env())
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def brought_in(tmp_path_factory):
    """A plan's year on paper, recorded today with its real dates (read only: copy to change)."""
    root = make_workspace(tmp_path_factory.mktemp("dating") / "ws")
    write_plan(root, "jo", MINIMAL)
    wellplan(root, "record", "jo", "--as", "Priya Shah", "--role", "key-worker",
             "--date", "2025-11-20")
    edit_text(root, "jo", "Swim once a week", "Swim twice a week")
    wellplan(root, "record", "jo", "--as", "Sam Bloggs", "--role", "carer",
             "--date", "2025-12-03 15:30")
    wellplan(root, "review", "jo", "--as", "Priya Shah", "--role", "key-worker", "--date",
             "2026-01-10", "--attended", "me,priya", "--next-review", "2026-06-10", "--yes")
    edit_text(root, "jo", "status: not-started", "status: in-progress")
    wellplan(root, "record", "jo", "--as", "Jo Bloggs", "--role", "person",
             "--date", "2026-02-01")
    return root


def test_commits_take_the_given_dates_and_keep_the_real_time_of_recording(brought_in):
    log = git(brought_in, "log",
              "--format=%aI|%cI|%(trailers:key=Plan-Recorded-On,valueonly,separator=%x2C)|%s")
    rows = [line.split("|") for line in log.strip().splitlines()]
    assert [r[0] for r in rows] == ["2026-02-01T12:00:00+00:00", "2026-01-10T12:00:00+00:00",
                                    "2025-12-03T15:30:00+00:00", "2025-11-20T12:00:00+00:00"]
    assert all(r[0] == r[1] for r in rows)  # committer date too, so git's own order agrees
    today = datetime.now(UTC).date().isoformat()
    assert all(r[2].startswith(today) for r in rows)  # the real time of recording is kept
    assert rows[1][3].startswith("Review on 10 January 2026")


def test_history_shows_the_given_date_and_when_it_was_really_recorded(brought_in):
    text = wellplan(brought_in, "history", "jo").stdout
    lines = text.splitlines()
    assert any(line.startswith("2025-12-03 15:30  Sam Bloggs (carer) (recorded on ") for line in lines)
    assert lines.index(next(x for x in lines if x.startswith("2026-02-01"))) < \
        lines.index(next(x for x in lines if x.startswith("2025-11-20")))
    data = json.loads(wellplan(brought_in, "history", "jo", "--format", "json").stdout)
    assert [r["when"][:10] for r in data["revisions"]] == ["2026-02-01", "2026-01-10", "2025-12-03",
                                                          "2025-11-20"]
    assert all(r["recorded_on"] for r in data["revisions"])


def test_diff_since_review_uses_the_back_dated_review(brought_in):
    text = wellplan(brought_in, "diff", "jo", "--since-review").stdout
    assert "10 January 2026" in text
    assert "marked this as in progress (it was not started)" in text
    assert "Swim twice a week" not in text  # that was before the review


def test_the_site_history_shows_the_real_dates(brought_in, tmp_path):
    wellplan(brought_in, "build", "--out", str(tmp_path / "site"))
    page = next((tmp_path / "site").rglob("history*.html")).read_text()
    assert "3 December 2025" in page and "20 November 2025" in page and "1 February 2026" in page
    assert "Made on the date above; recorded here on" in page


def test_a_date_in_the_future_is_refused_and_nothing_is_recorded(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo", MINIMAL)
    later = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    done = run_wellplan("record", "jo", "--as", "Priya Shah", "--role", "key-worker", "--date",
                        later, cwd=root, env=env())
    assert done.returncode == 2 and "is in the future" in done.stderr
    assert git(root, "rev-list", "--all").strip() == ""


def test_a_date_before_the_previous_recorded_version_is_refused(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo", MINIMAL)
    record_edit(root, "jo", name="Priya Shah", role="key-worker",
                dated=parse_when("2025-11-20"))
    edit_text(root, "jo", "Swim once a week", "Swim twice a week")
    before = git(root, "rev-parse", "HEAD")
    done = run_wellplan("record", "jo", "--as", "Sam Bloggs", "--role", "carer", "--date",
                        "2025-11-01", cwd=root, env=env())
    assert done.returncode == 2
    assert "before the plan's last recorded change (20 November 2025, by Priya Shah)" in done.stderr
    assert git(root, "rev-parse", "HEAD") == before


def test_a_date_that_is_not_a_date_says_how_to_write_one():
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        parse_when("3rd of May")


def test_a_review_typed_in_after_later_changes_goes_into_history_now(brought_in, tmp_path):
    # The meeting was before the last recorded change: by default it is recorded now, in order.
    brought_in = Path(shutil.copytree(brought_in, tmp_path / "copy"))
    wellplan(brought_in, "review", "jo", "--as", "Priya Shah", "--role", "key-worker", "--date",
             "2026-01-20", "--attended", "me", "--next-review", "2026-07-20", "--yes")
    when = git(brought_in, "log", "-1", "--format=%aI").strip()
    assert when[:10] == datetime.now(UTC).date().isoformat()
    # Told a date before the previous version, it refuses.
    edit_text(brought_in, "jo", "I like walking", "I love walking")
    done = run_wellplan("review", "jo", "--as", "Priya Shah", "--role", "key-worker", "--date",
                        "2026-01-25", "--attended", "me", "--next-review", "2026-07-25", "--yes",
                        "--history-date", "2026-01-25", cwd=brought_in, env=env())
    assert done.returncode == 2 and "--history-date" in done.stderr

"""`wellplan due`: what is due in each plan, as one audience may see it, in words or JSON."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.record.record import record_edit
from tests.conftest import ROOT, run_wellplan
from tests.history_fixtures import make_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("due") / "ws")
    for plan in ("dan-okafor", "ruth-ellison"):
        shutil.copy(ROOT / "plans" / f"{plan}.yaml", root / "plans")
        record_edit(root, plan, name="Priya Sharma", role="care-coordinator",
                    when=datetime(2026, 11, 2, 10, tzinfo=UTC))
    return root


def test_the_text_names_each_obligation_its_state_booking_and_why(workspace: Path) -> None:
    done = run_wellplan("due", "dan-okafor", "--for", "person", "--today", "2026-11-26", cwd=workspace)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Daniel Okafor (dan-okafor), as the person may see it:"
    assert ("  ECG (heart tracing): Overdue by 2 months — booked for 1 December at Canal Street Surgery. "
            "Who: Dr Helen Lewis (GP).") in lines
    fbc = lines.index("  Clozapine blood test (full blood count): Due soon: 10 December 2026 — booked for "
                      "10 December at Clozapine clinic. Who: Riverside Clozapine Clinic (pharmacist).")
    assert lines[fbc + 1] == ("      Last done on 12 November 2026: Green result. Safe to carry on. The plan "
                              "says every 4 weeks. The guidance for Clozapine says this check is needed "
                              "every 4 weeks.")


def test_json_for_every_plan_and_only_what_the_audience_may_see(workspace: Path) -> None:
    done = run_wellplan("due", "--for", "carer", "--format", "json", "--today", "2026-11-26", cwd=workspace)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["today"] == "2026-11-26" and data["audience"] == "carer"
    assert [p["id"] for p in data["plans"]] == ["dan-okafor", "ruth-ellison"]
    dan = data["plans"][0]
    assert not any(o["request_ids"] for o in dan["obligations"]), "Dan does not share requests with Grace"
    assert sum(dan["counts"].values()) == len(dan["obligations"])
    (ecg,) = [o for o in dan["obligations"] if o["key"] == "check:ecg"]
    assert (ecg["due"], ecg["state"]) == ("2026-09-30", "overdue")


def test_an_unknown_plan_or_audience_is_said_plainly(workspace: Path) -> None:
    done = run_wellplan("due", "nobody", cwd=workspace)
    assert done.returncode != 0 and "There is no plan called 'nobody'" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_wellplan("due", "--for", "neighbour", cwd=workspace)
    assert done.returncode == 2 and "'neighbour' is not an audience" in done.stderr

"""`wellplan calendar`: an iCalendar file that parses, with appointments, the next review and
checks due, holding only what its audience may see."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from builder.exchange.calendar import export_calendar
from builder.record.record import record_edit
from tests.conftest import run_wellplan
from tests.history_fixtures import make_workspace

TODAY = date(2026, 11, 26)
PLAN = """\
schema_version: 2
person:
  name: Jo Bloggs
  preferred_name: Jo
sharing:
  carer: [care_team, appointments, crisis]
care_team:
  - id: priya
    name: Priya Shah
    role: key-worker
    key_worker: yes
  - id: clinic
    name: CANARY-CLINIC Sexual Health Service
    role: other
    visible_to: [person, team]
about_me:
  in_my_own_words: Me.
wellbeing:
  mental_health: {in_my_own_words: Fine.}
  physical_health: {in_my_own_words: Fine.}
  life: {in_my_own_words: Fine.}
health_checks:
  - id: weight
    kind: weight
    next_due: 2027-01-15
    results:
      - {id: w1, date: 2026-10-01, value: 80}
appointments:
  - id: appt-bloods
    date: 2026-12-08
    time: "09:30"
    minutes: 20
    place: Oakfield Medical Practice, 2 Mill Lane
    with: [priya, clinic]
    what_for: Blood test, with a "quote" and a comma, and a semicolon; too
  - id: appt-private
    date: 2026-12-10
    time: "14:00"
    place: CANARY-PLACE the clinic
    with: [clinic]
    what_for: CANARY-APPT a private appointment
    visible_to: [person, team]
  - id: appt-old
    date: 2026-12-01
    what_for: Cancelled one
    status: cancelled
reviews:
  - id: r1
    date: 2026-06-01
    attended: [me, priya]
    next_review_due: 2026-12-01
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("calendar"))
    (root / "plans" / "jo.yaml").write_text(PLAN, encoding="utf-8")
    record_edit(root, "jo", name="Priya Shah", role="key-worker", when=datetime(2026, 11, 1, tzinfo=UTC))
    return root


def _events(raw: bytes) -> dict[str, dict]:
    calendar = Calendar.from_ical(raw)
    assert calendar["version"] == "2.0" and calendar["prodid"]
    out = {}
    for event in calendar.walk("VEVENT"):
        assert str(event["uid"]).endswith("@wellbeing-plans.invalid") and event.get("dtstamp")
        out[str(event["summary"])] = event
    return out


def test_the_person_gets_appointments_the_next_review_and_checks_due(workspace: Path) -> None:
    raw = export_calendar(workspace, "jo", "person", TODAY)
    events = _events(raw)
    blood = events['Blood test, with a "quote" and a comma, and a semicolon; too']
    assert blood.decoded("dtstart") == datetime(2026, 12, 8, 9, 30)
    assert blood.decoded("dtend") == datetime(2026, 12, 8, 9, 50)
    assert str(blood["location"]) == "Oakfield Medical Practice, 2 Mill Lane"
    assert "Priya Shah (key worker)" in str(blood["description"])
    assert events["CANARY-APPT a private appointment"].decoded("dtstart") == datetime(2026, 12, 10, 14, 0)
    assert events["Review of Jo's wellbeing plan"].decoded("dtstart") == date(2026, 12, 1)
    assert events["Check due: Weight"].decoded("dtstart") == date(2027, 1, 15)
    assert "Cancelled one" not in events
    # The yearly check's other parts fall due a year after... nothing: they are not in the plan,
    # so there is no date to put in a calendar.
    assert set(events) == {'Blood test, with a "quote" and a comma, and a semicolon; too',
                           "CANARY-APPT a private appointment", "Review of Jo's wellbeing plan",
                           "Check due: Weight"}


def test_the_carer_gets_only_what_they_may_see(workspace: Path) -> None:
    raw = export_calendar(workspace, "jo", "carer", TODAY)
    events = _events(raw)
    assert set(events) == {'Blood test, with a "quote" and a comma, and a semicolon; too'}
    assert b"CANARY" not in raw  # the private appointment, its place, the hidden clinic
    description = str(events['Blood test, with a "quote" and a comma, and a semicolon; too']["description"])
    assert description == "With Priya Shah (key worker), someone in the care team."


def test_the_command_writes_the_file_and_never_into_plans(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "jo-gp.ics"
    done = run_wellplan("calendar", "jo", "--audience", "gp", "--out", str(out), "--today", "2026-11-26",
                        cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert f"Wrote {out}" in done.stdout
    events = _events(out.read_bytes())
    assert "Check due: Weight" in events and "Review of Jo's wellbeing plan" in events
    assert not any("CANARY" in s for s in events)  # the GP is not shown appointments here
    refused = run_wellplan("calendar", "jo", "--out", str(workspace / "plans" / "jo.ics"), cwd=workspace)
    assert refused.returncode == 2 and "inside the plans/ folder" in refused.stderr
    assert not (workspace / "plans" / "jo.ics").exists()

"""Every part added in version 2 of the plan format validates, and shows on the site and in the
PDF for every audience: requests with deadlines and parts, stopped medicines, check intervals,
QRISK, offers, physical warning signs, the relapse signature, advance statement and decisions,
the carer's assessment, appointments and consent."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.paper.pdf import build_pdf
from builder.plan.validate import check_plan
from builder.record.record import record_edit
from builder.site.build import build_site
from tests.history_fixtures import make_workspace

TODAY = date(2026, 11, 26)
PLAN = Path(__file__).with_name("every-part.yaml")
AUDIENCES = ("person", "carer", "gp", "team")
#: A carer's own needs and assessment are for the carers and the team unless shared.
CARERS_OWN = {"MARK-CARER-NEEDS", "MARK-ASSESSMENT-OUTCOME"}
MARKERS = sorted(set(re.findall(r"MARK-[A-Z-]+[A-Z]", PLAN.read_text(encoding="utf-8"))))


def test_the_plan_using_every_new_part_is_valid() -> None:
    _, findings = check_plan(PLAN, today=TODAY)
    assert [f for f in findings if f.severity == "error"] == []
    assert len(MARKERS) >= 20


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("every-part"))
    (root / "plans" / "sam.yaml").write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    record_edit(root, "sam", name="Priya Shah", role="key-worker",
                when=datetime(2026, 11, 1, 10, tzinfo=UTC))
    return root


def _site_text(folder: Path) -> str:
    parts = []
    for path in sorted(folder.rglob("*.html")):
        parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def _pdf_text(pdf: Path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(pdf).pages)


@pytest.fixture(scope="module", params=AUDIENCES)
def outputs(request: pytest.FixtureRequest, workspace: Path, tmp_path_factory: pytest.TempPathFactory):
    audience = request.param
    out = tmp_path_factory.mktemp(f"out-{audience}")
    report = build_site(workspace, out / "site", audience=audience, plan_ids=["sam"], today=TODAY)
    assert not report.failed, report
    pdf = build_pdf(workspace, "sam", out / "sam.pdf", audience=audience, today=TODAY)
    return audience, _site_text(out / "site"), _pdf_text(pdf)


def test_every_new_part_is_on_the_site_and_in_the_pdf_for_those_who_may_see_it(outputs) -> None:
    audience, site, pdf = outputs
    for marker in MARKERS:
        allowed = audience in ("carer", "team") if marker in CARERS_OWN else True
        for name, text in (("site", site), ("pdf", pdf)):
            if allowed:
                assert marker in text, f"{marker} should be in the {audience} {name}"
            else:
                assert marker not in text, f"{marker} leaked into the {audience} {name}"


def test_overdue_request_and_result_outside_the_aim_are_said_in_words(outputs) -> None:
    audience, site, pdf = outputs
    # The request was needed by 1 July 2026 and is still waiting on 26 November.
    assert re.search(r"Needed by 1 July 2026.{0,200}Overdue by 5 months", site, re.S), audience
    # (A row may break across pages, so the page's footer can come between the two.)
    assert re.search(r"Neededby1July2026.{0,300}?Overdue", pdf), audience
    # Cholesterol 6.2 with an aim of 5 or less: flagged, with the statin offer declined.
    assert re.search(r"Above the aim.{0,200}MARK-OFFER-STATIN a statin to lower cholesterol: declined",
                     site, re.S), audience
    assert "Abovetheaimof5mmol/LorlessOffered:MARK-OFFER-STATINastatintolowercholesterol:declined" in pdf, \
        audience
    assert "QRISK 14.5%" in site and "QRISK14.5%" in pdf
    # The chart rings the result outside the aim, says so in words, and its table says what was offered.
    assert "1 result is outside the aim, ringed in red." in site
    assert '<circle cx="' in site and 'r="9" fill="none" stroke="#b71c1c"' in site
    assert re.search(r"Above the aim of 5 mmol/L or less</span><br>\s*Offered: MARK-OFFER-STATIN", site)
    # Olanzapine was stopped and replaced; the page says so.
    assert re.search(r"Olanzapine <span[^>]*>Stopped</span>", site), audience
    assert "Olanzapine,10mgatnight(stopped)" in pdf


def test_the_team_dashboard_shows_this_weeks_appointments_and_requests_past_their_deadline(
        workspace: Path, tmp_path: Path) -> None:
    build_site(workspace, tmp_path / "team", audience="team", today=TODAY)
    home = (tmp_path / "team" / "index.html").read_text(encoding="utf-8")
    assert "1 request to other services still open (1 past the date they were needed by)" in home
    assert "1 appointment this week" in home
    week = home.split('id="appointments-this-week"', 1)[1].split("</table>", 1)[0]
    assert "30 November 2026, 09:30" in week and "MARK-APPT-WHAT cholesterol bloods" in week
    assert "Sue Patel (practice nurse)" in week
    waiting = home.split('id="open-requests-to-other-services"', 1)[1].split("</table>", 1)[0]
    assert "Needed by 1 July 2026" in waiting and "Overdue by 5 months" in waiting
    # A week later the appointment has passed and is not "this week" any more.
    build_site(workspace, tmp_path / "later", audience="team", today=date(2026, 12, 7))
    later = (tmp_path / "later" / "index.html").read_text(encoding="utf-8")
    assert "0 appointments this week" in later and "No appointments in the next 7 days." in later


def test_a_time_written_without_quotes_is_read_as_the_time_typed(tmp_path: Path) -> None:
    # YAML 1.1 would read 09:30 as 570 (base 60); a plan means half past nine.
    text = PLAN.read_text(encoding="utf-8").replace('time: "09:30"', "time: 09:30")
    assert "time: 09:30\n" in text
    path = tmp_path / "plans" / "sam.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    loaded, findings = check_plan(path, today=TODAY)
    assert [f for f in findings if f.severity == "error"] == []
    assert loaded.data["appointments"][0]["time"] == "09:30"

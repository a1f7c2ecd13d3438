"""A lithium plan whose level is overdue shows it overdue everywhere: check, the plan page,
the team dashboard and the PDF, each naming the medicine, the check and the source."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from builder.paper.pdf import build_pdf
from builder.record.record import record_edit
from builder.site.build import build_site
from tests.conftest import run_wellplan
from tests.history_fixtures import make_workspace

TODAY = date(2026, 11, 26)
SOURCE = "NICE guideline CG185, Bipolar disorder (2014, updated 2023), section 1.10 on monitoring lithium"


def _plan() -> dict:
    def check(kind: str, *dates: str) -> dict:
        return {"id": kind.replace("_", "-"), "kind": kind,
                "results": [{"id": f"{kind[:4]}-{d}", "date": d, "value": 1} for d in dates]}

    return {
        "schema_version": 2,
        "person": {"name": "Ruth Ellison"},
        "care_team": [{"id": "tom", "name": "Tom Baxter", "role": "care-coordinator", "key_worker": True}],
        "about_me": {"in_my_own_words": "I sing in a choir."},
        "wellbeing": {k: {"in_my_own_words": "Fine."} for k in ("mental_health", "physical_health", "life")},
        "medications": [{"id": "lithium", "name": "Lithium carbonate (Priadel)", "dose": "800 mg",
                         "started": "2025-01-06"}],
        # Level at the start and at 3 months, then nothing: the 6-month level (7 July 2025) is overdue.
        "health_checks": [check("lithium_level", "2025-01-06", "2025-04-07"),
                          *(check(k, "2026-11-01") for k in ("kidney_function", "thyroid_function", "weight",
                                                             "blood_pressure", "hba1c", "cholesterol",
                                                             "smoking", "alcohol"))],
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("lithium"))
    (root / "plans" / "ruth.yaml").write_text(yaml.safe_dump(_plan(), sort_keys=False), encoding="utf-8")
    record_edit(root, "ruth", name="Tom Baxter", role="care-coordinator",
                when=datetime(2026, 11, 1, 10, tzinfo=UTC))
    return root


def test_check_warns_that_the_level_is_overdue(workspace: Path) -> None:
    result = run_wellplan("check", "--today", TODAY.isoformat(), cwd=workspace)
    assert result.returncode == 0
    (line,) = [line for line in result.stdout.splitlines() if "ithium level" in line]
    assert ": warning: health_checks[id=lithium-level]: Lithium level was due on 7 July 2025: overdue by " \
           "17 months." in line
    assert "Lithium carbonate (Priadel) needs lithium level every 3 months for the first year, then every " \
           "6 months" in line and SOURCE in line


def test_the_plan_page_the_dashboard_and_the_pdf_say_it_is_overdue(workspace: Path, tmp_path: Path) -> None:
    build_site(workspace, tmp_path / "team", audience="team", today=TODAY)
    home = (tmp_path / "team" / "index.html").read_text(encoding="utf-8")
    assert "1 health check overdue, never done or missing" in home
    section = home.split("Health checks overdue, never done or missing", 1)[1]
    assert "Lithium carbonate (Priadel)" in section and "Lithium level" in section
    assert 'data-due="2025-07-07" data-state="overdue"' in section and "Overdue by 17 months" in section
    assert "NICE guideline CG185" in section

    build_site(workspace, tmp_path / "person", audience="person", plan_ids=["ruth"], today=TODAY)
    page = next(p.read_text(encoding="utf-8") for p in (tmp_path / "person").rglob("index.html")
                if "Checks the guidance expects" in p.read_text(encoding="utf-8"))
    part = page.split("Checks the guidance expects", 1)[1]
    assert "wp-badge--overdue" in part and ">Overdue by 17 months<" in part
    assert re.search(r"<strong>Lithium level</strong>: .{0,120}7 July 2025 .{0,80}>Overdue by 17 months<",
                     part)
    assert "Last done on 7 April 2025: 1." in part
    # The person reads the guidance in plain words; the citation is for the team and the GP.
    assert "The guidance for Lithium carbonate (Priadel) says this check is needed every 3 months." in part
    assert "NICE guideline CG185" not in part

    pdf = build_pdf(workspace, "ruth", tmp_path / "ruth.pdf", audience="person", today=TODAY)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Lithium level" in text and "Overdue since 7 July 2025 (17 months ago)" in text
    assert "Lithium level: Overdue since 7 July 2025 (17 months ago) Last done on 7 April 2025" in text

"""A plan never drops out: a plan whose file has problems is built and printed from its last
valid recorded version, with a banner, and the team dashboard still counts it."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.errors import BuildError
from builder.paper.pdf import build_pdf
from builder.record.dating import parse_when
from builder.record.record import record_edit
from builder.site.build import build_site
from builder.story.fallback import last_valid_version
from tests.history_fixtures import MINIMAL, edit_text, make_workspace, raw_commit, write_plan
from tests.history_fixtures import day as _day

ROOT = Path(__file__).resolve().parents[1]
ALEX = (ROOT / "tests" / "paper" / "alex-morgan.yaml").read_text(encoding="utf-8")
TODAY = date(2026, 12, 10)
BANNER = ("This plan has problems since 3 December 2026 (recorded by Sam Lee); showing the "
          "version of 20 November 2026. Ask Sam Lee to fix it.")


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Alex's plan, valid on 20 November; a typo in the date of birth committed on 3 December
    by someone using git directly; and Jo's plan, never valid."""
    from datetime import UTC, datetime

    root = make_workspace(tmp_path_factory.mktemp("fallback") / "ws")
    write_plan(root, "alex-morgan", ALEX)
    record_edit(root, "alex-morgan", name="Priya Shah", role="care-coordinator",
                when=datetime(2026, 12, 1, tzinfo=UTC), dated=parse_when("2026-11-20"))
    edit_text(root, "alex-morgan", "date_of_birth: 1990-03-14", "date_of_birth: 1990-03-41")
    raw_commit(root, "Fixed the date of birth", datetime(2026, 12, 3, 10, tzinfo=UTC), "Sam Lee",
               "carer", "plans/alex-morgan.yaml")
    write_plan(root, "jo", MINIMAL.replace("nhs_number:", "nhs_numbr:"))
    raw_commit(root, "Started", _day(1), "Jo Bloggs", "person", "plans/jo.yaml")
    return root


@pytest.fixture(scope="module")
def site(workspace: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("site") / "site"
    return build_site(workspace, out, today=TODAY), out


def test_the_last_valid_version_is_found_with_who_broke_it_and_when(workspace: Path) -> None:
    fallback = last_valid_version(workspace, "alex-morgan", TODAY)
    assert fallback is not None
    assert fallback.data["person"]["date_of_birth"] == "1990-03-14"
    assert fallback.broken is not None and fallback.broken.author == "Sam Lee"
    assert fallback.banner() == BANNER
    assert last_valid_version(workspace, "jo", TODAY) is None


def test_the_site_shows_the_last_valid_version_under_a_banner(site) -> None:
    report, out = site
    assert "alex-morgan" in report.built and report.fallback["alex-morgan"] == BANNER
    assert "alex-morgan" in report.failed  # still reported as a plan with problems
    for page in ("index", "crisis", "history"):
        html = (out / "plans" / "alex-morgan" / f"{page}.html").read_text()
        assert BANNER in visible(html), page
    assert "14 March 1990" in visible((out / "plans" / "alex-morgan" / "index.html").read_text())


def test_a_plan_never_valid_is_reported_as_before(site) -> None:
    report, out = site
    assert "jo" in report.failed and "jo" not in report.fallback
    assert not (out / "plans" / "jo").exists()


def test_the_dashboard_lists_it_under_needs_fixing_and_still_counts_it(site) -> None:
    _, out = site
    home = visible((out / "index.html").read_text())
    start = home.index("Needs fixing")
    fixing = home[start:home.index("Plans and their next review", start)]
    assert "plans/alex-morgan.yaml" in fixing and BANNER in fixing and "plans/jo.yaml" in fixing
    # Alex's blood pressure check (due 1 November), the checks the guidance expects that the
    # plan lacks, and the open request to the GP are counted.
    assert "1 plan. 1 overdue for review, 7 health checks overdue, never done or missing, 1 request " \
           "to other services still open" in home
    start = home.rindex("Health checks overdue, never done or missing")
    overdue = home[start:home.index("Open requests", start)]
    assert "Alex" in overdue


def test_strict_still_fails(workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="--strict"):
        build_site(workspace, tmp_path / "strict", today=TODAY, strict=True)


def test_the_pdf_is_printed_from_the_last_valid_version_with_the_banner(workspace: Path,
                                                                         tmp_path: Path) -> None:
    pdf = build_pdf(workspace, "alex-morgan", tmp_path / "alex.pdf", today=TODAY)
    first = re.sub(r"\s+", " ", PdfReader(pdf).pages[0].extract_text() or "")
    assert "This plan has problems since 3 December 2026 (recorded by Sam Lee)" in first
    every = re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages))
    assert "14 March 1990" in every  # the last valid version's details, after page one's crisis help
    done = subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                           str(tmp_path / "page")], capture_output=True, check=False)
    assert done.returncode == 0

"""A reader's site and printed copy name the same recorded version, even when the last edit is hidden
from them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader

from builder.paper.pdf import build_pdf
from builder.record.record import record_edit
from builder.site.build import build_site
from tests.history_fixtures import MINIMAL, day, edit_text, make_workspace, write_plan
from tests.site.test_site import visible_text

TODAY = date(2025, 2, 1)


def test_carer_site_and_pdf_name_one_version_and_the_last_change_they_see(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo", MINIMAL)
    record_edit(root, "jo", name="Priya Shah", role="key-worker", when=day(1))
    edit_text(root, "jo", "Swim once a week", "Swim twice a week")  # goals are not shared with the carer
    record_edit(root, "jo", name="Jo Bloggs", role="person", when=day(5))

    build_site(root, tmp_path / "carer", audience="carer", plan_ids=["jo"], today=TODAY)
    site = visible_text((tmp_path / "carer" / "index.html").read_text(encoding="utf-8"))
    assert ("Version 2, recorded 5 January 2025. The last change you can see was made on "
            "1 January 2025 by Priya Shah (key worker)") in site
    pdf = build_pdf(root, "jo", tmp_path / "carer.pdf", audience="carer", today=TODAY)
    text = " ".join("".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "version 2, recorded 5 January 2025" in text
    assert "Swim twice" not in site + text

    build_site(root, tmp_path / "person", audience="person", plan_ids=["jo"], today=TODAY)
    mine = visible_text((tmp_path / "person" / "index.html").read_text(encoding="utf-8"))
    assert "Version 2, last updated 5 January 2025 by Jo Bloggs (person)" in mine

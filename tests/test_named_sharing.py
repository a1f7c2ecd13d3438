"""Named sharing: two carers of one person see different things, in every output made for them.

A mother may see the medicines and the appointments, a father a goal the person shares with
him alone; each carer's own needs are for that carer and the team. For every audience, and for
each carer by name (``carer:mum``), the real site, PDF and calendar are searched for canaries:
exactly the ones that audience may see."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.exchange.calendar import export_calendar
from builder.paper.pdf import build_pdf
from builder.plan.validate import check_plan
from builder.record.record import record_edit
from builder.site.build import build_site
from builder.view import view_plan

from .history_fixtures import make_workspace

TODAY = date(2026, 11, 26)
AUDIENCES = ("person", "team", "gp", "carer", "carer:mum", "carer:dad")
CANARIES = {
    "CANARY-MEDS": {"person", "team", "gp", "carer:mum"},  # mum's own sharing settings
    "CANARY-DADGOAL": {"person", "team", "carer:dad"},  # visible_to names dad
    "CANARY-CRISIS": set(AUDIENCES) - {"gp"},  # shared with every carer (not the GP: the default)
    "CANARY-MUMNEEDS": {"team", "carer:mum"},  # a carer's own needs
    "CANARY-DADNEEDS": {"team", "carer:dad"},
    "CANARY-APPT": {"person", "team", "carer:mum"},
    "CANARY-CONSENT": {"person", "team"},
}
PLAN = """\
schema_version: 2
person:
  name: Dan Okafor
  preferred_name: Dan
sharing:
  carer: [care_team, crisis]
  mum: [care_team, crisis, medications, appointments, carers]
care_team:
  - id: priya
    name: Priya Sharma
    role: care-coordinator
    key_worker: yes
  - id: dr-lee
    name: Dr Ruth Lee
    role: gp
  - id: mum
    name: Grace Okafor
    role: carer
  - id: dad
    name: Samuel Okafor
    role: carer
about_me:
  in_my_own_words: I like football.
wellbeing:
  mental_health: {in_my_own_words: Better.}
  physical_health: {in_my_own_words: Tired.}
  life: {in_my_own_words: Busy.}
goals:
  - id: goal-dad
    area: life
    what: CANARY-DADGOAL go to a match with Dad
    expressed_by: me
    status: active
    visible_to: [person, team, dad]
medications:
  - id: clozapine
    name: Clozapine
    dose: 300 mg
    side_effects: CANARY-MEDS sleepy in the mornings
crisis:
  what_helps:
    - id: helps-music
      text: CANARY-CRISIS music and a quiet room
  contacts:
    - id: crisis-line
      name: Crisis line
      phone: "0800 000 0000"
      when: any-time
carers:
  - id: carer-mum
    member: mum
    their_role: Mum.
    their_needs: CANARY-MUMNEEDS a break on Sundays
  - id: carer-dad
    member: dad
    their_role: Dad.
    their_needs: CANARY-DADNEEDS help with the forms
appointments:
  - id: appt-clinic
    date: 2026-12-03
    time: "10:00"
    place: Clozapine clinic
    with: [priya]
    what_for: CANARY-APPT blood count
consent:
  - id: consent-mum
    given_by: me
    shared_with: [mum]
    what: CANARY-CONSENT my medicines and appointments
    given_on: 2026-04-02
    recorded_by: priya
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("named"))
    (root / "plans" / "dan.yaml").write_text(PLAN, encoding="utf-8")
    record_edit(root, "dan", name="Priya Sharma", role="care-coordinator",
                when=datetime(2026, 11, 1, 10, tzinfo=UTC))
    return root


def test_the_plan_is_valid_and_a_name_outside_the_care_team_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plans" / "dan.yaml"
    path.parent.mkdir()
    path.write_text(PLAN, encoding="utf-8")
    _, findings = check_plan(path, today=TODAY)
    assert [f for f in findings if f.severity == "error"] == []
    path.write_text(PLAN.replace("visible_to: [person, team, dad]", "visible_to: [person, team, uncle]")
                    .replace("  mum: [care_team", "  dr-lee: [care_team"), encoding="utf-8")
    errors = [f for f in check_plan(path, today=TODAY)[1] if f.severity == "error"]
    assert [e.message for e in errors] == [
        "'dr-lee' is not a carer in the care team, so it cannot have sharing settings of its own.",
        "'uncle' is neither an audience nor anyone in the care team.",
    ]


def test_each_carer_is_named_only_where_they_may_be() -> None:
    import yaml

    plan = yaml.safe_load(PLAN)
    # Dan shares the carers part with his mum: she sees her father's role, not his own needs.
    mums = {c["member"]: c for c in view_plan(plan, "carer:mum")["carers"]}
    assert set(mums) == {"mum", "dad"} and "their_needs" not in mums["dad"] and mums["mum"]["their_needs"]
    # He does not share it with his dad, who sees only his own needs, and whose they are.
    assert view_plan(plan, "carer:dad")["carers"] == [
        {"id": "carer-dad", "member": "dad", "their_needs": "CANARY-DADNEEDS help with the forms"}]
    assert "carers" not in view_plan(plan, "carer")  # two carers: neither one's needs for "any carer"


def _site_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(folder.rglob("*"))
                     if p.is_file())


@pytest.fixture(scope="module", params=AUDIENCES)
def outputs(request: pytest.FixtureRequest, workspace: Path, tmp_path_factory: pytest.TempPathFactory):
    audience = request.param
    out = tmp_path_factory.mktemp("out-" + audience.replace(":", "-"))
    report = build_site(workspace, out / "site", audience=audience, plan_ids=["dan"], today=TODAY)
    assert not report.failed
    pdf = build_pdf(workspace, "dan", out / "dan.pdf", audience=audience, today=TODAY)
    pdf_text = "".join("".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    calendar = export_calendar(workspace, "dan", audience, TODAY).decode("utf-8")
    return audience, _site_text(out / "site"), pdf_text + pdf.read_bytes().decode("latin-1"), calendar


def test_every_output_holds_exactly_the_canaries_its_audience_may_see(outputs) -> None:
    audience, site, pdf, calendar = outputs
    for canary, allowed in CANARIES.items():
        for name, text in (("site", site), ("pdf", pdf)):
            if audience in allowed:
                assert canary in text, f"{canary} should be in the {audience} {name}"
            else:
                assert canary not in text, f"{canary} leaked into the {audience} {name}"
        if canary != "CANARY-APPT":
            assert canary not in calendar
    assert ("CANARY-APPT" in calendar) == (audience in CANARIES["CANARY-APPT"])


def test_the_consent_record_is_on_the_persons_page(outputs) -> None:
    audience, site, _, _ = outputs
    if audience == "person":
        assert "Consent to share" in site and "Grace Okafor (carer)" in site
        assert "2 April 2026" in site and "Priya Sharma (care coordinator)" in site

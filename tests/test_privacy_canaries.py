"""Nothing leaks: for every audience, every byte of the site and the PDF is searched for canaries.

The plan below hides a unique canary string in each restricted place. For each
audience we build the real site and the real PDF, then read every file the build
wrote (HTML, search index, sitemap — unzipped —, JSON, SVG, and the PDF's text),
and require exactly the canaries that audience may see: no more, no fewer.
History and "what changed" must not leak either: an item hidden from the carer and
later removed appears nowhere in the carer's output, not even through a commit
message.

A second person's plan lives in the same repository (added in the same commit as
the first, and edited since): nothing of it — its id, its name — may reach any byte
of the first person's own, carer's or GP's site or PDF.
"""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.paper.pdf import build_pdf
from builder.record.record import record_edit, record_review
from builder.site.build import build_site

from .history_fixtures import git, make_workspace, raw_commit

TODAY = date(2026, 11, 26)
ALL = {"person", "carer", "gp", "team"}

#: canary -> the audiences that may see it
CANARIES: dict[str, set[str]] = {
    "CANARY-ABOUT": {"person", "team"},  # about_me is not shared with carer or GP
    "CANARY-WEIGHT": {"person", "team", "carer"},  # wellbeing is shared with the carer
    "CANARY-SEXUAL": {"person", "team"},  # item kept private inside a shared part
    "CANARY-PRIVATEGOAL": {"person"},  # only the person
    "CANARY-GOAL": {"person", "team", "carer"},
    "CANARY-TABLETS": {"person", "team", "gp"},  # medications shared with the GP only
    "CANARY-INHALER": {"person", "team", "carer"},  # shared with the carer by the item itself
    "CANARY-REQUEST": {"person", "team", "gp"},
    "CANARY-CARERNEEDS": {"carer", "team"},  # a carer's own needs: that carer and the team
    "CANARY-REVIEW": {"person", "team"},
    "CANARY-CLINIC": {"person", "team"},  # a care team member kept from carer and GP
    "CANARY-RESULT": {"person", "team", "gp"},
}
#: restricted from everyone but the person and team, then removed: never in carer/GP output
GONE = "CANARY-GONE"
#: The other person's plan id and name: never in jo's person, carer or GP output.
OTHER_ID = "zed-quinlan"
OTHER_NAME = "Zedekiah"
OTHER_PLAN = f"""\
# yaml-language-server: $schema=../schema/wellbeing-plan.schema.json
schema_version: 2
person:
  name: {OTHER_NAME} Quinlan
care_team:
  - id: kw
    name: Priya Shah
    role: key-worker
    key_worker: yes
about_me:
  in_my_own_words: I like the sea.
wellbeing:
  mental_health:
    in_my_own_words: Fine.
  physical_health:
    in_my_own_words: Walking more.
  life:
    in_my_own_words: Busy.
"""

PLAN = """\
# yaml-language-server: $schema=../schema/wellbeing-plan.schema.json
schema_version: 2
person:
  name: Jo Bloggs
  preferred_name: Jo
  nhs_number: "999 000 0018"
sharing:
  carer: [care_team, wellbeing, goals, crisis]
  gp: [care_team, medications, requests, health_checks, actions]
care_team:
  - id: priya
    name: Priya Shah
    role: key-worker
    phone: "0161 496 0000"
    key_worker: yes
  - id: sam
    name: Sam Bloggs
    role: carer
  - id: clinic
    name: CANARY-CLINIC Sexual Health Service
    role: other
    visible_to: [person, team]
  - id: drlee
    name: Dr Lee
    role: gp
about_me:
  in_my_own_words: CANARY-ABOUT I like walking my dog.
wellbeing:
  mental_health:
    in_my_own_words: My mood has been steady.
  physical_health:
    in_my_own_words: I want to get fitter.
    concerns:
      - id: weight
        text: CANARY-WEIGHT I have put on weight since the new tablets.
      - id: sexual
        text: CANARY-SEXUAL worried about a sexual health matter.
        visible_to: [person, team]
  life:
    in_my_own_words: I would like to volunteer again.
goals:
  - id: swim
    area: physical_health
    what: CANARY-GOAL Swim once a week
    expressed_by: me
    status: active
  - id: private
    area: life
    what: CANARY-PRIVATEGOAL something just for me
    expressed_by: me
    status: proposed
    visible_to: [person]
medications:
  - id: olanzapine
    name: Olanzapine
    dose: 10 mg at night
    side_effects: CANARY-TABLETS I feel hungry all the time.
    prescriber: priya
  - id: inhaler
    name: Salbutamol
    dose: 2 puffs when needed
    side_effects: CANARY-INHALER a bit shaky.
    visible_to: [person, team, carer]
requests:
  - id: bloods
    what: CANARY-REQUEST bloods and an ECG
    from: priya
    to: drlee
    asked_on: 2026-10-01
    status: requested
health_checks:
  - id: weight
    kind: weight
    unit: kg
    results:
      - id: w1
        date: 2026-09-01
        value: 91
        reading: CANARY-RESULT weighed at the surgery
    next_due: 2027-03-01
carers:
  - id: sam-carer
    member: sam
    their_needs: CANARY-CARERNEEDS Sam needs a break sometimes.
crisis:
  contacts:
    - id: crisis-line
      name: Crisis line
      phone: "0800 000 0000"
      when: any-time
"""


def _moment(day: int) -> datetime:
    return datetime(2026, 6, day, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("canaries") / "ws")
    plan = root / "plans" / "jo.yaml"
    with_gone = PLAN.replace(
        "medications:\n",
        "  - id: gone\n    area: mental_health\n    what: CANARY-GONE a private worry\n"
        "    expressed_by: me\n    status: active\n    visible_to: [person, team]\n"
        "medications:\n",
    )
    plan.write_text(with_gone, encoding="utf-8")
    (root / "plans" / f"{OTHER_ID}.yaml").write_text(OTHER_PLAN, encoding="utf-8")
    # Both plans come in together, as an import would, with the other person named.
    raw_commit(root, f"Imported the plans of Jo and {OTHER_NAME} Quinlan", _moment(1), "Priya Shah",
               "key-worker", "plans/jo.yaml", f"plans/{OTHER_ID}.yaml")
    other = root / "plans" / f"{OTHER_ID}.yaml"
    other.write_text(OTHER_PLAN.replace("Busy.", "Busy at work."), encoding="utf-8")
    record_edit(root, OTHER_ID, name=f"{OTHER_NAME} Quinlan", role="person", when=_moment(1))
    record_review(
        root,
        "jo",
        name="Priya Shah",
        role="key-worker",
        date="2026-06-02",
        attended=["me", "priya"],
        next_review_due="2026-12-01",
        comments="CANARY-REVIEW I felt listened to.",
        when=_moment(2),
    )
    # The restricted goal is removed after the review, so it appears in "what changed".
    text = plan.read_text(encoding="utf-8")
    start = text.index("  - id: gone\n")
    end = text.index("medications:\n")
    plan.write_text(text[:start] + text[end:], encoding="utf-8")
    record_edit(root, "jo", name="Jo Bloggs", role="person", when=_moment(3))
    assert "CANARY-GONE" in git(root, "log", "-p")
    return root


def _site_text(folder: Path) -> str:
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
            parts.append(raw.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def _pdf_text(pdf: Path) -> str:
    """The PDF's text with all white space removed (a narrow column may wrap a canary), plus its raw bytes."""
    # pypdf, not pdftotext: pdftotext drops the hyphen of a word wrapped at its hyphen.
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    return "".join(text.split()) + pdf.read_bytes().decode("latin-1")


@pytest.fixture(scope="module", params=sorted(ALL))
def outputs(request: pytest.FixtureRequest, workspace: Path, tmp_path_factory: pytest.TempPathFactory):
    audience = request.param
    out = tmp_path_factory.mktemp(f"out-{audience}")
    build_site(workspace, out / "site", audience=audience, plan_ids=["jo"], today=TODAY)
    pdf = build_pdf(workspace, "jo", out / "jo.pdf", audience=audience, today=TODAY)
    site = _site_text(out / "site")
    if audience != "team":
        # Built for every plan at once, each plan's folder still stands alone.
        build_site(workspace, out / "all", audience=audience, today=TODAY)
        site += _site_text(out / "all" / "jo")
    return audience, site, _pdf_text(pdf)


def test_each_audience_sees_exactly_its_canaries_in_site_and_pdf(outputs) -> None:
    audience, site, pdf = outputs
    for canary, allowed in CANARIES.items():
        for name, text in (("site", site), ("pdf", pdf)):
            if audience in allowed:
                assert canary in text, f"{canary} should be in the {audience} {name}"
            else:
                assert canary not in text, f"{canary} leaked into the {audience} {name}"


def test_a_hidden_item_that_was_removed_leaks_nowhere(outputs) -> None:
    audience, site, pdf = outputs
    if audience in ("carer", "gp"):
        assert GONE not in site and GONE not in pdf
    else:
        assert GONE in site, "the person and team see that the goal was removed"


def test_nothing_about_another_persons_plan_reaches_one_persons_outputs(outputs) -> None:
    audience, site, pdf = outputs
    if audience == "team":
        return  # the team site is the one place that lists everybody
    for name, text in (("site", site), ("pdf", pdf)):
        for canary in (OTHER_ID, OTHER_NAME):
            assert canary.lower() not in text.lower(), f"{canary} leaked into jo's {audience} {name}"


def test_the_plan_file_is_untouched_by_building(workspace: Path) -> None:
    assert git(workspace, "status", "--porcelain") == ""


def test_what_the_carer_and_gp_may_not_see_is_marked_in_words_on_the_persons_and_teams_copies(
    outputs,
) -> None:
    audience, site, pdf = outputs
    item = "CANARY-SEXUAL worried about a sexual health matter."
    if audience in ("carer", "gp"):
        # Their copies are not marked: there is nothing hidden on them to point at.
        assert 'class="wp-private"' not in site
        assert "seethis" not in pdf and "sharedwith" not in pdf.lower()
        return
    note = {"person": "Only you and your care team see this.",
            "team": "Only the person and the care team see this."}[audience]
    assert f'{item} <span class="wp-private">{note}</span>' in site
    assert "".join((item + note).split()) in pdf


def test_only_those_who_may_see_all_of_a_copy_are_asked_to_sign_it(outputs) -> None:
    audience, _, pdf = outputs
    carer_row = "CarerSamBloggs"
    if audience == "person":
        # Jo's copy holds what Sam may not see, and a goal only Jo sees: Jo alone signs it.
        assert carer_row not in pdf and "KeyworkerPriyaShah" not in pdf
        assert "yourcarer,yourGPandyourcareteammaynotsee,soonlythosewhomayseeallofitsignhere" in pdf
    elif audience in ("team", "gp"):
        # Both hold medicines, which Sam may not see.
        assert carer_row not in pdf and "KeyworkerPriyaShah" in pdf
    else:
        assert carer_row in pdf and "KeyworkerPriyaShah" in pdf

"""One truth about what is due: the site, the printed copy, the calendar, `check`, `due` and the
FHIR bundle say the same due date and state for every obligation, for every example plan and a
generated one, and every count standing above a list equals the list's length."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from icalendar import Calendar
from pypdf import PdfReader

from builder.exchange.calendar import export_calendar
from builder.exchange.fhir_export import OBLIGATION, OBLIGATION_STATE, export_plan
from builder.paper.pdf import build_pdf
from builder.plan.labels import long_date
from builder.record.record import record_edit
from builder.site.build import build_site
from tests.conftest import ROOT, run_wellplan
from tests.history_fixtures import make_workspace

TODAY = date(2026, 11, 26)
AUDIENCES = ("team", "person", "carer", "gp")
EXAMPLES = sorted(p.stem for p in (ROOT / "plans").glob("*.yaml"))
PLANS = [*EXAMPLES, "gen-lee"]
#: A span the site marks with the model's own key, date and state.
MARKED = re.compile(r'data-obligation="([^"]+)" data-due="([^"]*)" data-state="([a-z_]+)"')


def generated_plan() -> dict[str, Any]:
    """A plan made here: clozapine started 5 weeks ago, lithium for years, a pulse in a request,
    a check booked while overdue, a review overdue."""
    started = TODAY - timedelta(weeks=5)

    def day(d: date) -> str:
        return d.isoformat()

    def check(cid: str, kind: str, *results: tuple[date, float], **more: Any) -> dict[str, Any]:
        return {"id": cid, "kind": kind, "responsible": "nurse", **more,
                "results": [{"id": f"{cid}-{i}", "date": day(d), "value": v}
                            for i, (d, v) in enumerate(results)]}

    return {
        "schema_version": 2,
        "person": {"name": "Lee Gen", "preferred_name": "Lee"},
        "sharing": {"carer": ["care_team", "health_checks", "medications", "appointments"],
                    "gp": ["care_team", "health_checks", "medications", "requests", "appointments",
                           "reviews"]},
        "care_team": [
            {"id": "kw", "name": "Kim West", "role": "care-coordinator", "key_worker": True},
            {"id": "nurse", "name": "Nia Shore", "role": "practice-nurse", "organisation": "Hill Surgery"},
            {"id": "gp", "name": "Dr Gil Pratt", "role": "gp", "organisation": "Hill Surgery"},
            {"id": "sis", "name": "Sue Gen", "role": "carer"},
        ],
        "about_me": {"in_my_own_words": "I like maps."},
        "wellbeing": {k: {"in_my_own_words": "All right."}
                      for k in ("mental_health", "physical_health", "life")},
        "medications": [
            {"id": "clozapine", "name": "Clozapine", "dose": "100 mg", "prescriber": "gp",
             "started": day(started)},
            {"id": "lithium", "name": "Lithium carbonate", "dose": "400 mg", "started": "2012-03-01"},
        ],
        "health_checks": [
            check("fbc", "full_blood_count", *((started + timedelta(weeks=w), 1.0) for w in (0, 1, 2))),
            check("weight-check", "weight", (started, 101.0), (started + timedelta(weeks=2), 100.0),
                  range={"high": 90}, unit="kg"),
            check("lithium-level", "lithium_level", (TODAY - timedelta(weeks=30), 0.7), interval="3 months"),
            check("bp", "blood_pressure", (TODAY - timedelta(weeks=60), 150.0),
                  next_due=day(TODAY - timedelta(days=20))),
        ],
        "requests": [{
            "id": "req-heart", "what": "An ECG and a pulse", "from": "kw", "to": "gp",
            "asked_on": day(TODAY - timedelta(weeks=8)), "due_by": day(TODAY - timedelta(weeks=2)),
            "status": "requested",
            "parts": [{"id": "p-ecg", "what": "ECG", "status": "requested"},
                      {"id": "p-pulse", "what": "Pulse", "status": "done",
                       "done_on": day(TODAY - timedelta(days=3)), "result": "Pulse 108 sitting."}],
        }],
        "appointments": [{"id": "appt-bp", "date": day(TODAY + timedelta(days=4)), "time": "09:00",
                          "place": "Hill Surgery, 1 Hill Road", "with": ["nurse"],
                          "what_for": "Blood pressure and an ECG."}],
        "reviews": [{"id": "rev-1", "date": day(TODAY - timedelta(weeks=30)), "attended": ["me", "kw"],
                     "next_review_due": day(TODAY - timedelta(weeks=4))}],
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("agree") / "ws")
    for plan_id in EXAMPLES:
        shutil.copy(ROOT / "plans" / f"{plan_id}.yaml", root / "plans")
    (root / "plans" / "gen-lee.yaml").write_text(yaml.safe_dump(generated_plan(), sort_keys=False),
                                                 encoding="utf-8")
    for plan_id in PLANS:
        record_edit(root, plan_id, name="Kim West", role="care-coordinator",
                    when=datetime(2026, 11, 2, 10, tzinfo=UTC))
    return root


@pytest.fixture(scope="module")
def due(workspace: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """`wellplan due --format json` for each audience: {audience: {plan: {key: obligation}}}."""
    out = {}
    for audience in AUDIENCES:
        done = run_wellplan("due", "--for", audience, "--format", "json", "--today", TODAY.isoformat(),
                            cwd=workspace)
        assert done.returncode == 0, done.stderr
        out[audience] = {p["id"]: {o["key"]: o for o in p["obligations"]} | {"_counts": p["counts"]}
                         for p in json.loads(done.stdout)["plans"]}
    return out


@pytest.fixture(scope="module")
def sites(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for audience in AUDIENCES:
        folder = tmp_path_factory.mktemp(f"site-{audience}")
        report = build_site(workspace, folder, audience=audience, today=TODAY)
        assert not report.failed, report.failed
        out[audience] = folder
    return out


def _page(sites: dict[str, Path], audience: str, plan_id: str) -> str:
    where = sites[audience] / ("plans" if audience == "team" else "") / plan_id / "index.html"
    return where.read_text(encoding="utf-8")


def _obligations(due: dict, audience: str, plan_id: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in due[audience][plan_id].items() if k != "_counts"}


def _listed(found: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in found.values() if o["due"] or o["state"] in ("overdue", "never_done", "not_in_plan")]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("plan_id", PLANS)
def test_the_site_marks_every_obligation_as_due_says(due, sites, audience, plan_id) -> None:
    found = _obligations(due, audience, plan_id)
    page = _page(sites, audience, plan_id)
    marked = MARKED.findall(page)
    for key, when, state in marked:
        assert key in found, f"{key} is on the {audience} page but not in wellplan due"
        assert (when or None, state) == (found[key]["due"], found[key]["state"]), key
    # Every check in the plan has its date on the page.
    for ob in found.values():
        if ob["kind"] == "check":
            assert ob["key"] in {k for k, _, _ in marked}, ob["key"]
    # The guidance block: the count above its list is the list's length, and so is "in date".
    block = page.split('id="checks-the-guidance-expects"', 1)
    if len(block) == 2:
        part = block[1].split("</h2>", 1)[1].split("<h2", 1)[0]
        attention = re.search(r"(\d+) needs? attention now", part)
        items = part.count("<li>")
        assert (int(attention.group(1)) if attention else 0) == items, part
        in_date = re.search(r"(\d+) (?:is|are) in date: (.*?)\.</p>", part, re.S)
        if in_date:
            assert int(in_date.group(1)) == len(MARKED.findall(in_date.group(2)))


@pytest.mark.parametrize("plan_id", PLANS)
def test_the_team_home_counts_what_it_lists(due, sites, plan_id) -> None:
    home = (sites["team"] / "index.html").read_text(encoding="utf-8")
    said = re.search(r"(\d+) health checks? overdue, never done or missing", home)
    table = home.split('id="health-checks-overdue-never-done-or-missing"', 1)[1].split("</table>", 1)[0]
    rows = MARKED.findall(table)
    assert int(said.group(1)) == len(rows)
    for key, when, state in rows:
        matches = [o for p in PLANS for o in _obligations(due, "team", p).values() if o["key"] == key
                   and (o["due"], o["state"]) == (when or None, state)]
        assert matches, key
    pressing = [o for o in _obligations(due, "team", plan_id).values()
                if o["kind"] in ("check", "guidance")
                and o["state"] in ("overdue", "never_done", "not_in_plan")]
    for ob in pressing:
        assert (ob["key"], ob["due"] or "", ob["state"]) in rows


@pytest.mark.parametrize("audience", ("person", "gp"))
@pytest.mark.parametrize("plan_id", PLANS)
def test_the_printed_copy_lists_each_obligation_with_the_same_date_and_counts_it(
        workspace, due, tmp_path, audience, plan_id) -> None:
    pdf = build_pdf(workspace, plan_id, tmp_path / f"{plan_id}.pdf", audience=audience, today=TODAY)
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    above, listed = text.split("Whatisdueoroverdue", 1)
    found = _listed(_obligations(due, audience, plan_id))

    def said_as(ob: dict) -> str:
        return {"overdue": f"Overduesince{long_date(ob['due'])}" if ob["due"] else "",
                "due_soon": f"Duesoon:{long_date(ob['due'])}" if ob["due"] else "",
                "in_date": long_date(ob["due"]) if ob["due"] else "",
                "never_done": "Neverdone", "not_in_plan": "Notintheplan"}[ob["state"]]

    # The next review is said once, on its own line on page one, just above the list.
    for ob in [o for o in found if o["kind"] == "review"]:
        assert said_as(ob).replace(" ", "") in above.split("Nextreviewdue:", 1)[1][:200], ob
    found = [o for o in found if o["kind"] != "review"]
    for ob in found:
        said = said_as(ob)
        words = "".join(ob["what"].split())[:25]
        assert words in listed, f"{ob['what']} is not in the {audience} copy's list"
        assert said.replace(" ", "") in listed.split(words, 1)[1][:400], (ob["what"], said)
    head = listed.split("WhatWhoWhen", 1)[0]
    for state, pattern in (("overdue", r"(\d+)things?(?:is|are)overdue"),
                           ("never_done", r"(\d+)(?:things?)?ha(?:s|ve)notbeendoneyet"),
                           ("not_in_plan", r"(\d+)(?:things?)?(?:is|are)notintheplan")):
        count = re.search(pattern, head)
        assert (int(count.group(1)) if count else 0) == sum(1 for o in found if o["state"] == state), state


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("plan_id", PLANS)
def test_the_calendar_holds_each_obligation_once_and_nothing_due_in_the_past(
        workspace, due, audience, plan_id) -> None:
    found = _obligations(due, audience, plan_id)
    calendar = Calendar.from_ical(export_calendar(workspace, plan_id, audience, TODAY))
    seen: list[str] = []
    appointments = set()
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        key = event.get("x-wellplan-obligation")
        if key is None:
            appointments.add(str(event["uid"]))
            seen += [k for k in str(event.get("x-wellplan-obligations") or "").split(",") if k]
            continue
        key = str(key)
        seen.append(key)
        assert (str(event["x-wellplan-due"]) or None, str(event["x-wellplan-state"])) == \
            (found[key]["due"], found[key]["state"])
        assert start >= TODAY, f"{key} is on a past date ({start})"
    assert len(seen) == len(set(seen)), "an obligation is in the calendar twice"
    assert len(appointments) == len({str(e["uid"]) for e in calendar.walk("VEVENT") if
                                     e.get("x-wellplan-obligation") is None})
    mine = {"person": "me"}.get(audience, audience.split(":")[-1])
    dated = {o["key"] for o in _listed(found) if o["due"] and
             (o["kind"] != "action" or audience in ("team", "gp") or o["who"] == mine)}
    assert set(seen) == dated


def test_check_warns_about_exactly_what_is_pressing_with_the_same_dates(workspace, due) -> None:
    done = run_wellplan("check", "--format", "json", "--today", TODAY.isoformat(), cwd=workspace)
    problems = json.loads(done.stdout)["problems"]
    for plan_id in PLANS:
        mine = {p["obligation"]: (p["due"], p["state"]) for p in problems
                if p["file"].endswith(f"{plan_id}.yaml") and p.get("obligation")}
        pressing = {o["key"]: (o["due"], o["state"]) for o in _obligations(due, "team", plan_id).values()
                    if o["state"] in ("overdue", "never_done", "not_in_plan")}
        assert mine == pressing, plan_id


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("plan_id", PLANS)
def test_the_fhir_bundle_says_the_same(workspace, due, audience, plan_id) -> None:
    bundle = json.loads(export_plan(workspace, plan_id, audience, TODAY))
    # The wellbeing plan itself (the crisis plan is a CarePlan of its own, part of it).
    (care_plan,) = [e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "CarePlan" and not e["resource"].get("partOf")]
    said = {}
    for activity in care_plan.get("activity", []):
        detail = activity.get("detail") or {}
        codes = [c["code"] for c in (detail.get("code") or {}).get("coding", []) if c["system"] == OBLIGATION]
        if codes:
            state = [c["code"] for c in detail["statusReason"]["coding"] if c["system"] == OBLIGATION_STATE]
            said[codes[0]] = ((detail.get("scheduledPeriod") or {}).get("end"), state[0])
    expected = {o["key"]: (o["due"], o["state"]) for o in _listed(_obligations(due, audience, plan_id))
                if o["kind"] in ("check", "guidance", "request", "review")}
    assert said == expected


def test_the_clozapine_test_the_pulse_and_the_ecg_in_dans_plan(due, sites) -> None:
    gp = _obligations(due, "gp", "dan-okafor")
    fbc = [o for o in gp.values() if "full_blood_count" in o["kinds"]]
    assert len(fbc) == 1 and fbc[0]["due"] == "2026-12-10" and fbc[0]["last"] == "2026-11-12"
    pulse = [o for o in gp.values() if "pulse" in o["kinds"] and o["kind"] == "guidance"]
    assert pulse[0]["last"] == "2026-11-20" and pulse[0]["state"] == "in_date"
    ecg = [o for o in gp.values() if "ecg" in o["kinds"]]
    assert len(ecg) == 1 and ecg[0]["request_ids"] == ["req-ecg-2026"]
    assert ecg[0]["said"] == "Overdue by 2 months — booked for 1 December at Canal Street Surgery"
    page = _page(sites, "gp", "dan-okafor")
    assert "Booked for 1 December at Canal Street Surgery" in page
    assert "Pulse 92 lying down and 104 standing" in page
    assert "Above the usual range (100 beats a minute or fewer at rest)" in page


def test_the_guidance_is_cited_for_the_team_and_gp_and_said_calmly_to_the_person_and_carer(sites) -> None:
    for audience in AUDIENCES:
        page = _page(sites, audience, "dan-okafor")
        block = page.split('id="checks-the-guidance-expects"', 1)[1].split("<h2", 1)[0]
        cited = "NHS England: the annual physical health check" in block
        if audience in ("team", "gp"):
            assert cited and 'wp-badge--overdue">Not in the plan' in block, audience
        else:
            assert not cited and "NICE" not in block, audience
            assert "The guidance for the yearly physical health check says this check is needed every " \
                   "year." in block
            assert 'wp-badge--note">Not in the plan' in block and 'wp-badge--overdue">Not in' not in block

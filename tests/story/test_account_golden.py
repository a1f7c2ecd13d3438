"""The account of change over scripted histories: `diff` text and JSON, the "What changed"
page, the History page and the printed copy's text, checked against golden files.

Regenerate with: WELLPLAN_UPDATE_GOLDEN=1 pytest tests/story/test_account_golden.py
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.commands.history import history_json, history_text
from builder.paper.pdf import build_pdf
from builder.record.record import record_edit, record_review
from builder.site.render_story import changes_page, history_page
from builder.story.compare import compare_versions
from builder.story.timeline import plan_story
from tests.history_fixtures import day, edit_text, git, make_workspace, write_plan

GOLDEN = Path(__file__).resolve().parent / "golden" / "account"
UPDATE = os.environ.get("WELLPLAN_UPDATE_GOLDEN") == "1"
TODAY = date(2025, 12, 1)

#: A plan with a care team across services, a check with an agreed range, a medicine, and a
#: crisis plan (which a carer sees by default, unlike the reviews).
BASE = """schema_version: 1
person:
  name: Jo Bloggs
  preferred_name: Jo
care_team:
  - id: priya
    name: Priya Shah
    role: key-worker
    key_worker: yes
  - id: tunde
    name: Dr Tunde Adeyemi
    role: psychiatrist
  - id: helen
    name: Dr Helen Lewis
    role: gp
  - id: janet
    name: Janet Byrne
    role: practice-nurse
  - id: sam
    name: Sam Bloggs
    role: carer
about_me:
  in_my_own_words: I like walking my dog and cooking for friends.
wellbeing:
  mental_health:
    in_my_own_words: My mood has been steady since the summer.
  physical_health:
    in_my_own_words: >-
      I get out of breath on the stairs and I want to get fitter.
      On Saturdays I go to walking football.
  life:
    in_my_own_words: I would like to get back to volunteering.
goals:
  - id: swim
    area: physical_health
    what: Swim once a week
    expressed_by: me
    status: active
health_checks:
  - id: hba1c
    kind: hba1c
    unit: mmol/mol
    range:
      high: 41
    results:
      - id: hba1c-1
        date: 2025-01-02
        value: 41
    next_due: 2025-07-02
    responsible: janet
medications:
  - id: olanzapine
    name: Olanzapine
    dose: 10 mg at night
    prescriber: tunde
crisis:
  early_warning_signs:
    - id: sleep
      text: I stop sleeping
  contacts:
    - id: crisis-line
      name: Riverside crisis line
      phone: "0800 000 1111"
      when: any-time
"""

REQUEST = """requests:
  - id: bloods
    what: Bloods (HbA1c and cholesterol) and an ECG
    from: tunde
    to: helen
    asked_on: 2025-04-06
    status: requested
"""


def record(ws, who, role, n, message=None, share=()):
    return record_edit(ws, "jo", name=who, role=role, message=message, when=day(n),
                       share_note=share)


def started_and_reviewed(ws) -> None:
    write_plan(ws, "jo", BASE)
    record(ws, "Priya Shah", "key-worker", 1)
    record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-01-05",
                  attended=["me", "priya", "sam"], next_review_due="2025-07-05", when=day(5))


def scenario_request_done_by_another(ws):
    started_and_reviewed(ws)
    path = ws / "plans" / "jo.yaml"
    path.write_text(path.read_text() + REQUEST)
    record(ws, "Dr Tunde Adeyemi", "psychiatrist", 96, "Bloods and an ECG before the next review")
    edit_text(ws, "jo", "    status: requested\n", "    status: done\n    done_on: 2025-07-05\n"
              "    result: HbA1c 44, cholesterol 6.3\n")
    record(ws, "Janet Byrne", "practice-nurse", 187)


def scenario_result_with_next_due(ws):
    started_and_reviewed(ws)
    edit_text(ws, "jo", "        value: 41\n", "        value: 41\n      - id: hba1c-2\n"
              "        date: 2025-07-06\n        value: 44\n")
    edit_text(ws, "jo", "next_due: 2025-07-02", "next_due: 2026-01-06")
    record(ws, "Janet Byrne", "practice-nurse", 188)


def scenario_long_text_one_sentence(ws):
    started_and_reviewed(ws)
    edit_text(ws, "jo", "On Saturdays I go to walking football.",
              "On Saturdays I go to walking football. I want to be more active in the week too.")
    record(ws, "Jo Bloggs", "person", 40)


def scenario_medicine_replaced(ws):
    started_and_reviewed(ws)
    edit_text(ws, "jo", "  - id: olanzapine\n    name: Olanzapine\n    dose: 10 mg at night\n",
              "  - id: aripiprazole\n    name: Aripiprazole\n    dose: 10 mg in the morning\n")
    record(ws, "Dr Tunde Adeyemi", "psychiatrist", 60,
           "Olanzapine switched to aripiprazole because of weight gain", share=("person",))


def scenario_carer_without_reviews(ws):
    started_and_reviewed(ws)
    edit_text(ws, "jo", "      text: I stop sleeping\n",
              "      text: I stop sleeping\n    - id: phone\n      text: I stop answering the phone\n")
    record(ws, "Sam Bloggs", "carer", 30, "Something I have noticed before")
    edit_text(ws, "jo", "status: active", "status: achieved")
    record(ws, "Jo Bloggs", "person", 31)


SCENARIOS = {
    "request-done-by-another": (scenario_request_done_by_another, ("team", "gp")),
    "result-with-next-due": (scenario_result_with_next_due, ("team",)),
    "long-text-one-sentence": (scenario_long_text_one_sentence, ("team",)),
    "medicine-replaced": (scenario_medicine_replaced, ("team", "person", "gp")),
    "carer-without-reviews": (scenario_carer_without_reviews, ("carer",)),
}


def render(ws, audience: str, tmp: Path) -> str:
    story = plan_story(ws, "jo", audience)
    comparison = compare_versions(ws, story, None, None)
    account = json.loads(comparison.as_json())
    account.pop("changes")
    pdf = build_pdf(ws, "jo", tmp / f"jo-{audience}.pdf", audience=audience, today=TODAY)
    printed = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    start = printed.index("What changed since the last review")
    ends = [printed.find(h, start) for h in ("\nWhat is due", "\nAbout me", "\nCare team",
                                               "\nCrisis plan", "\nWellbeing", "\nMy wellbeing")]
    end = min(e for e in ends if e > 0)
    # The next part may start a page: the page's footer is not part of what changed.
    footer = re.search(r"\n[^\n]* · wellbeing plan · [^\n]*(\n[0-9a-f]{7})?\n?Page \d+ of \d+\s*$",
                       printed[start:end])
    end = start + footer.start() if footer else end
    out = [f"# for {audience}", "## wellplan diff", comparison.as_text(), "",
           "## wellplan diff --format json (without the net changes)",
           json.dumps(account, indent=2, ensure_ascii=False), "",
           "## wellplan history", history_text(story), "",
           "## notes in wellplan history --format json",
           json.dumps([r["note"] for r in json.loads(history_json(story))["revisions"]]), "",
           "## What changed (page)", changes_page("Jo Bloggs", story), "",
           "## History (page)", history_page("Jo Bloggs", story), "",
           "## the printed copy's What changed", printed[start:end], ""]
    return "\n".join(out)


def stable(ws: Path, text: str) -> str:
    commits = git(ws, "rev-list", "--reverse", "HEAD").split()
    for n, commit in enumerate(commits, 1):
        text = text.replace(commit, f"<commit {n}>").replace(commit[:7], f"<commit {n}>")
    return re.sub(r"printed \d+ \w+ \d{4}", "printed <today>", text)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_account_matches_golden_file(tmp_path, name):
    scenario, audiences = SCENARIOS[name]
    ws = make_workspace(tmp_path / name)
    scenario(ws)
    actual = stable(ws, "\n".join(render(ws, audience, tmp_path) for audience in audiences))
    golden = GOLDEN / f"{name}.txt"
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with WELLPLAN_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_a_request_done_by_someone_else_names_both_people(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    scenario_request_done_by_another(ws)
    comparison = compare_versions(ws, plan_story(ws, "jo", "team"), None, None)
    [line] = comparison.account.lines
    assert line.text() == (
        "“Bloods (HbA1c and cholesterol) and an ECG” — Dr Tunde Adeyemi (psychiatrist) asked "
        "Dr Helen Lewis for this on 6 April 2025 (note: “Bloods and an ECG before the next "
        "review”); Janet Byrne (practice nurse) recorded this as done on 6 July 2025: done on "
        "5 July 2025; result “HbA1c 44, cholesterol 6.3”.")
    # In a list, each edit on a line of its own under the request's name.
    assert comparison.as_text().splitlines()[6:9] == [
        "- “Bloods (HbA1c and cholesterol) and an ECG”:",
        "    - Dr Tunde Adeyemi (psychiatrist) asked Dr Helen Lewis for this on 6 April 2025 "
        "(note: “Bloods and an ECG before the next review”).",
        "    - Janet Byrne (practice nurse) recorded this as done on 6 July 2025: done on "
        "5 July 2025; result “HbA1c 44, cholesterol 6.3”."]


def test_a_result_says_its_value_the_one_before_and_the_range(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    scenario_result_with_next_due(ws)
    text = compare_versions(ws, plan_story(ws, "jo", "team"), None, None).as_text()
    assert ("HbA1c — Janet Byrne (practice nurse) recorded a result on 7 July 2025: 44 mmol/mol on "
            "6 July 2025, was 41; above the aim of 41 mmol/mol or less; next due 6 January 2026."
            ) in text
    assert "Next due" not in text  # folded into the result's line, not a change of its own


def test_a_note_reaches_only_the_audiences_it_was_shared_with(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    scenario_medicine_replaced(ws)
    note = "Olanzapine switched to aripiprazole because of weight gain"
    for audience, shown in (("team", True), ("person", True), ("gp", False), ("carer", False)):
        story = plan_story(ws, "jo", audience)
        said = compare_versions(ws, story, None, None).as_text() + history_json(story) + \
            changes_page("Jo", story) + history_page("Jo", story)
        assert (note in said) is shown, audience


def test_the_printed_copy_keeps_a_space_after_every_bold_label(tmp_path):
    # pypdf reads back what a reader would copy: "Result receivedon 6 July", "Result:HbA1c 44"
    # and "(Carer):Dan says" came from pieces put side by side whose spaces were dropped.
    ws = make_workspace(tmp_path / "ws")
    scenario_request_done_by_another(ws)
    edit_text(ws, "jo", "  life:\n", "    other_views:\n      - id: sam-view\n        by: sam\n"
              "        text: Jo walks more than she says.\n  life:\n")
    edit_text(ws, "jo", "    status: active\n", "    status: active\n    progress:\n"
              "      - id: p1\n        date: 2025-07-01\n        text: Swam twice in June.\n")
    record(ws, "Sam Bloggs", "carer", 190)
    pdf = build_pdf(ws, "jo", tmp_path / "jo.pdf", audience="team", today=TODAY)
    printed = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Done on 5 July 2025" in printed
    assert "Result: HbA1c 44, cholesterol 6.3" in printed
    assert "Sam Bloggs (Carer): Jo walks more than she says." in printed
    assert "1 July 2025: Swam twice in June." in printed
    assert not re.findall(r"[A-Za-z)]:[A-Za-z“\"]", printed), re.findall(r".{30}[A-Za-z)]:[A-Za-z“\"].{10}",
                                                                     printed)
    assert not re.findall(r"[a-z](?:on|by) \d{1,2} [A-Z][a-z]+ \d{4}", printed.replace(" on ", " "))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_what_changed_and_the_history_name_the_same_edits_for_every_audience(tmp_path, name):
    ws = make_workspace(tmp_path / name)
    SCENARIOS[name][0](ws)
    for audience in ("person", "carer", "gp", "team"):
        story = plan_story(ws, "jo", audience)
        account = story.account_since()
        since = [e for e in story.entries if story.is_since_review(e)]
        made = {(s.by, s.when) for line in account.lines for s in line.steps}
        assert made == {(e.revision.author, e.revision.when) for e in since}, audience
        # The History page lists exactly those edits under the same heading as What changed.
        history = history_page("Jo Bloggs", story)
        changes = changes_page("Jo Bloggs", story)
        assert f"## {story.since}" in changes and f"## {story.since}" in history
        recent = history.split(f"## {story.since}")[1].split("## Before that")[0]
        assert recent.count('class="wp-entry"') == len(since), audience


def test_the_since_point_is_said_plainly_unless_the_review_itself_is_kept_private(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    scenario_carer_without_reviews(ws)
    # The carer may not read the reviews, but is told when the last one was.
    assert plan_story(ws, "jo", "carer").since == "Since the last review, on 5 January 2025"
    assert plan_story(ws, "jo", "team").since == "Since the review on 5 January 2025"
    # A review the plan keeps for the team alone: not even its date is said to the carer.
    record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-02-10",
                  attended=["me", "priya"], next_review_due="2025-08-10", when=day(41))
    edit_text(ws, "jo", "    next_review_due: 2025-08-10\n",
              "    next_review_due: 2025-08-10\n    visible_to: [team]\n")
    record(ws, "Priya Shah", "key-worker", 42)
    carer = plan_story(ws, "jo", "carer")
    assert carer.since == "Since the last review"
    assert "10 February 2025" not in changes_page("Jo Bloggs", carer)


def test_a_carer_who_may_not_read_reviews_is_not_promised_a_comparison(tmp_path):
    """Two reviews recorded, none the carer may read: the page must not say "once two reviews
    have been recorded, you can compare them here" (they have been, and the carer never will);
    the team, who may read both, gets the link to compare them."""
    ws = make_workspace(tmp_path / "ws")
    started_and_reviewed(ws)
    record_review(ws, "jo", name="Priya Shah", role="key-worker", date="2025-03-05",
                  attended=["me", "priya"], next_review_due="2025-09-05", when=day(64))
    carer = changes_page("Jo Bloggs", plan_story(ws, "jo", "carer"))
    assert "Since the last review, on 5 March 2025" in carer
    assert "Compare two reviews" not in carer
    assert "Once two reviews have been recorded" not in carer
    team = changes_page("Jo Bloggs", plan_story(ws, "jo", "team"))
    assert "## Compare two reviews" in team
    assert 'href="compare-1-to-2.html"' in team

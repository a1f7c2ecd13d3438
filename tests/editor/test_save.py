"""Saving a page is recording one change: by whom, in what role, only that plan, merged or refused.

These drive the editor's Flask app with its test client (no browser, no network), on a real
git workspace holding the example plan, and read the commits and the file back.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from builder.editor.patch import Edit
from builder.editor.save import recorded, save
from builder.errors import PlanError
from builder.plan.load import load_plan_bytes
from builder.plan.validate import check_plan
from builder.record.record import record_edit
from tests.editor.fixtures import PLAN, Client, editor_for, plan_workspace

HIDDEN_FROM_CARER = ("Clozapine has affected my sex life", "I'm a trained chef")


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    return plan_workspace(tmp_path / "ws")


def _log(workspace: Path, n: int = 1) -> list[str]:
    out = subprocess.run(["git", "log", f"-{n}", "--format=%an|%B%x00"], cwd=workspace,
                         capture_output=True, text=True, check=True).stdout
    return [c.strip() for c in out.split("\x00") if c.strip()]


def _count(workspace: Path) -> int:
    return int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=workspace,
                              capture_output=True, text=True, check=True).stdout)


def _files_in_last_commit(workspace: Path) -> list[str]:
    return subprocess.run(["git", "show", "--format=", "--name-only", "HEAD"], cwd=workspace,
                          capture_output=True, text=True, check=True).stdout.split()


def _plan(workspace: Path) -> dict:
    return load_plan_bytes((workspace / "plans" / f"{PLAN}.yaml").read_bytes(), PLAN).data


def _errors(workspace: Path) -> list:
    _, findings = check_plan(workspace / "plans" / f"{PLAN}.yaml")
    return [f for f in findings if f.severity == "error"]


def test_the_person_writes_their_own_words_in_urdu_and_english(workspace: Path) -> None:
    words = "میں آج ٹھیک محسوس کر رہا ہوں۔\nI feel well today, and I want to cook for Grace."
    client = Client(workspace, "Dan Okafor", "person")
    response = client.post("/part/about_me?q=in_my_own_words", {"f-in_my_own_words": words})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert _plan(workspace)["about_me"]["in_my_own_words"] == words
    [commit] = _log(workspace)
    assert commit.startswith("Dan Okafor|") and "Plan-Role: person" in commit
    assert _files_in_last_commit(workspace) == [f"plans/{PLAN}.yaml"]
    assert _count(workspace) == 2 and not _errors(workspace)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Recorded as Dan Okafor (person)" in page


def test_a_save_changes_only_the_lines_of_the_field_changed(workspace: Path) -> None:
    before = (workspace / "plans" / f"{PLAN}.yaml").read_text(encoding="utf-8").splitlines()
    client = Client(workspace, "Dan Okafor", "person")
    client.post("/part/about_me?q=a_good_day", {"f-a_good_day": "Football."})
    after = (workspace / "plans" / f"{PLAN}.yaml").read_text(encoding="utf-8").splitlines()
    start = before.index("  a_good_day: >-")
    # Everything before and after the field's own lines is byte-for-byte the same, comments too.
    assert after[:start] == before[:start]
    assert after[start] == "  a_good_day: >-" and after[start + 1] == "    Football."
    assert after[start + 2:] == before[start + 4:]


def test_a_save_with_no_change_writes_and_records_nothing(workspace: Path) -> None:
    path = workspace / "plans" / f"{PLAN}.yaml"
    raw = path.read_bytes()
    client = Client(workspace, "Dan Okafor", "person")
    now = _plan(workspace)["about_me"]["what_matters_to_me"]
    response = client.post("/part/about_me?q=what_matters_to_me", {"f-what_matters_to_me": now})
    assert response.status_code == 303
    assert path.read_bytes() == raw and _count(workspace) == 1
    person = editor_for(workspace, "Dan Okafor", "person")
    with pytest.raises(PlanError, match="Nothing was changed"):
        save(person, Edit(("about_me",), "set", {"what_matters_to_me": now}), recorded(person)[0])


def test_the_person_adds_a_goal_and_marks_an_action_done(workspace: Path) -> None:
    client = Client(workspace, "Dan Okafor", "person")
    added = client.post("/add/goals", {"f-area": "life", "f-what": "Cook Sunday lunch for Grace's boys",
                                       "f-expressed_by": "me", "f-status": "active"})
    assert added.status_code == 303, added.get_data(as_text=True)
    assert added.headers["Location"].startswith("/part/goals?saved=")
    goal = _plan(workspace)["goals"][-1]
    assert goal == {"id": "cook-sunday-lunch-for-grace-s-boys", "area": "life",
                    "what": "Cook Sunday lunch for Grace's boys", "expressed_by": "me", "status": "active"}
    done = client.post("/part/actions/act-cook-batch?q=status", {"f-status": "completed"})
    assert done.status_code == 303
    action = next(a for a in _plan(workspace)["actions"] if a["id"] == "act-cook-batch")
    assert action["status"] == "completed"
    commits = _log(workspace, 2)
    assert all(c.startswith("Dan Okafor|") and "Plan-Role: person" in c for c in commits)
    assert _count(workspace) == 3 and not _errors(workspace)


def test_the_carer_adds_a_worry_and_sees_only_what_is_shared(workspace: Path) -> None:
    client = Client(workspace, "Grace Okafor", "carer")
    assert client.editor.audience == "carer:grace"
    response = client.post("/add/crisis/early_warning_signs",
                           {"f-text": "He stops texting me back, even on a Sunday."})
    assert response.status_code == 303, response.get_data(as_text=True)
    signs = _plan(workspace)["crisis"]["early_warning_signs"]
    assert signs[-1]["text"] == "He stops texting me back, even on a Sunday."
    [commit] = _log(workspace)
    assert commit.startswith("Grace Okafor|") and "Plan-Role: carer" in commit
    # The parts Dan has not shared with his carer are not there for her, even by address.
    assert client.get("/part/about_me").status_code == 404
    assert client.get("/part/wellbeing/physical_health").status_code == 404


def test_no_page_a_carer_can_reach_holds_what_is_hidden_from_her(workspace: Path) -> None:
    pages = Client(workspace, "Grace Okafor", "carer").crawl()
    for path, text in pages.items():
        for hidden in HIDDEN_FROM_CARER:
            assert hidden not in text, f"{path} shows {hidden!r}"
    assert len(pages) > 40  # every part, item and add page she may open was read


def test_a_save_never_changes_what_the_reader_cannot_see(workspace: Path) -> None:
    carer = editor_for(workspace, "Grace Okafor", "carer")
    raw = (workspace / "plans" / f"{PLAN}.yaml").read_bytes()
    blob = recorded(carer)[0]
    with pytest.raises(PlanError, match="part of the plan you cannot see"):
        save(carer, Edit(("about_me",), "set", {"a_good_day": "Changed by someone who cannot see it"}), blob)
    with pytest.raises(PlanError, match="part of the plan you cannot see"):
        save(carer, Edit(("wellbeing", "physical_health", "concerns", "ph-sex"), "remove", {}), blob)
    assert (workspace / "plans" / f"{PLAN}.yaml").read_bytes() == raw and _count(workspace) == 1


def test_the_key_worker_adds_a_health_check_result(workspace: Path) -> None:
    client = Client(workspace, "Priya Sharma", "key-worker")
    response = client.post("/add/health_checks/weight/results",
                           {"f-date[day]": "3", "f-date[month]": "12", "f-date[year]": "2026",
                            "f-value": "105.9", "f-by": "priya"})
    assert response.status_code == 303, response.get_data(as_text=True)
    result = _plan(workspace)["health_checks"][0]["results"][-1]
    assert result["date"] == "2026-12-03" and result["value"] == 105.9 and result["by"] == "priya"
    text = (workspace / "plans" / f"{PLAN}.yaml").read_text(encoding="utf-8")
    assert "date: 2026-12-03\n" in text  # a date, written as the plan writes dates
    [commit] = _log(workspace)
    assert commit.startswith("Priya Sharma|") and "Plan-Role: key-worker" in commit


def test_an_invalid_date_is_refused_with_the_error_summary_and_nothing_written(workspace: Path) -> None:
    raw = (workspace / "plans" / f"{PLAN}.yaml").read_bytes()
    client = Client(workspace, "Priya Sharma", "key-worker")
    response = client.post("/add/health_checks/weight/results",
                           {"f-date[day]": "31", "f-date[month]": "2", "f-date[year]": "2026",
                            "f-value": "105"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Error: " in page
    assert '<a href="#f-date-day">Date of the check must be a real date' in page
    assert (workspace / "plans" / f"{PLAN}.yaml").read_bytes() == raw and _count(workspace) == 1


def test_a_plan_problem_is_shown_at_its_field_and_nothing_written(workspace: Path) -> None:
    raw = (workspace / "plans" / f"{PLAN}.yaml").read_bytes()
    client = Client(workspace, "Priya Sharma", "key-worker")
    response = client.post("/part/person?q=nhs_number", {"f-nhs_number": "123 456 7890"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="#f-nhs_number"' in page and "Nothing was saved" in page
    assert (workspace / "plans" / f"{PLAN}.yaml").read_bytes() == raw and _count(workspace) == 1


def test_a_change_recorded_meanwhile_from_the_command_line_is_merged_by_item(workspace: Path) -> None:
    client = Client(workspace, "Dan Okafor", "person")
    page = client.get("/part/about_me?q=a_good_day").get_data(as_text=True)
    base = page.split('name="base" value="', 1)[1].split('"', 1)[0]
    path = workspace / "plans" / f"{PLAN}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: not-started", "status: scheduled", 1),
                    encoding="utf-8")
    record_edit(workspace, PLAN, name="Priya Sharma", role="key-worker")
    response = client.post("/part/about_me?q=a_good_day", {"f-a_good_day": "Cooking for Grace."}, base=base)
    assert response.status_code == 303, response.get_data(as_text=True)
    plan = _plan(workspace)
    assert plan["about_me"]["a_good_day"] == "Cooking for Grace."
    assert next(a for a in plan["actions"] if a["id"] == "act-constipation")["status"] == "scheduled"
    assert _count(workspace) == 3 and _log(workspace)[0].startswith("Dan Okafor|")


def test_the_same_thing_changed_meanwhile_is_refused_showing_both_versions(workspace: Path) -> None:
    client = Client(workspace, "Dan Okafor", "person")
    page = client.get("/part/about_me?q=a_good_day").get_data(as_text=True)
    base = page.split('name="base" value="', 1)[1].split('"', 1)[0]
    path = workspace / "plans" / f"{PLAN}.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  a_good_day: >-")
    end = text.index("  strengths:")
    path.write_text(text[:start] + "  a_good_day: Priya's words.\n" + text[end:], encoding="utf-8")
    record_edit(workspace, PLAN, name="Priya Sharma", role="key-worker")
    theirs = path.read_bytes()
    response = client.post("/part/about_me?q=a_good_day", {"f-a_good_day": "Dan's words."}, base=base)
    assert response.status_code == 409
    shown = response.get_data(as_text=True)
    assert "Dan&#39;s words." in shown and "Priya&#39;s words." in shown and "Priya Sharma" in shown
    assert path.read_bytes() == theirs and _count(workspace) == 2


def test_unrecorded_changes_in_the_file_are_never_taken_in(workspace: Path) -> None:
    path = workspace / "plans" / f"{PLAN}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("he/him", "they/them"), encoding="utf-8")
    raw = path.read_bytes()
    client = Client(workspace, "Dan Okafor", "person")
    page = client.get("/")
    assert page.status_code == 409 and "not recorded yet" in page.get_data(as_text=True)
    assert path.read_bytes() == raw and _count(workspace) == 1


def test_removing_an_item_records_it_and_the_guard_still_applies(workspace: Path) -> None:
    client = Client(workspace, "Dan Okafor", "person")
    response = client.post("/remove/about_me/strengths/strength-cooking", {})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert all(s["id"] != "strength-cooking" for s in _plan(workspace)["about_me"].get("strengths", []))
    # A recorded review is never removed from the editor: the guard of `wellplan record` refuses it.
    reviews = _plan(workspace)["reviews"]
    refused = client.post(f"/remove/reviews/{reviews[0]['id']}", {})
    said = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Nothing was saved, because this would undo the review" in said
    assert _count(workspace) == 2


def test_an_id_of_another_item_is_chosen_from_those_items_by_name(workspace: Path) -> None:
    client = Client(workspace, "Priya Sharma", "key-worker")
    page = client.get("/part/actions/act-cook-batch?q=goal").get_data(as_text=True)
    assert 'value="goal-smoking"' in page and "Cut down to 10 cigarettes a day" in page
    # Beside the item it belongs to: an offer names one of its own check's results.
    offers = client.get("/add/health_checks/weight/offers").get_data(as_text=True)
    assert 'name="f-result"' in offers and 'value="weight-2026-09"' in offers
    assert 'value="goal-smoking"' not in offers
    chosen = client.post("/part/actions/act-cook-batch?q=goal", {"f-goal": "goal-smoking"})
    assert chosen.status_code == 303
    action = next(a for a in _plan(workspace)["actions"] if a["id"] == "act-cook-batch")
    assert action["goal"] == "goal-smoking"
    assert "Cut down to 10 cigarettes" in client.get("/part/actions/act-cook-batch").get_data(as_text=True)
    refused = client.post("/part/actions/act-cook-batch?q=goal", {"f-goal": "no-such-goal"})
    assert refused.status_code == 400 and _count(workspace) == 2

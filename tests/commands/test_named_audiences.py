"""Every command that takes --audience or --for accepts carer:ID and refuses an id that is no
carer of the plan: a typo never makes a copy for nobody."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.demo import make as demo
from builder.view import unknown_carer

PLAN = "dan-okafor"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.make_demo(tmp_path_factory.mktemp("named") / "demo", build=False,
                          today=demo.WRITTEN_AS_OF).workspace


def commands(audience: str, out: Path) -> dict[str, list[str]]:
    """Each command, as a person would type it for this audience, writing (if at all) into out."""
    return {
        "history": ["history", PLAN, "--for", audience],
        "diff": ["diff", PLAN, "--for", audience],
        "pdf": ["pdf", PLAN, "--audience", audience, "--out", str(out / "copy.pdf")],
        "export": ["export", PLAN, "--fhir", "--audience", audience, "--out", str(out / "b.json")],
        "calendar": ["calendar", PLAN, "--audience", audience, "--out", str(out / "c.ics")],
        "build": ["build", "--audience", audience, "--plan", PLAN, "--out", str(out / "site")],
        "serve": ["serve", "--audience", audience, "--plan", PLAN, "--port", "0",
                  "--out", str(out / "preview")],
    }


@pytest.mark.parametrize("command", ["history", "diff", "pdf", "export", "calendar", "build", "serve"])
def test_a_carer_id_that_is_no_carer_of_the_plan_is_refused_with_the_plans_carers(
        command: str, workspace: Path, tmp_path: Path, wellplan) -> None:
    done = wellplan(*commands("carer:grase", tmp_path)[command], cwd=workspace)
    assert done.returncode != 0
    said = done.stderr
    assert "'carer:grase' names no carer of plans/dan-okafor.yaml" in said
    assert "Its carers are carer:grace (Grace Okafor). Did you mean carer:grace?" in said
    assert "Traceback" not in said
    assert not any(tmp_path.iterdir()), "a refused command made something"


@pytest.mark.parametrize("command", ["history", "diff"])
def test_history_and_diff_accept_one_named_carer(command: str, workspace: Path, tmp_path: Path,
                                                 wellplan) -> None:
    done = wellplan(*commands("carer:grace", tmp_path)[command], cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    if command == "history":
        assert "as their carer (grace in the care team) sees it" in done.stdout


def test_a_carers_site_of_every_plan_holds_only_the_plan_they_care_for(
        workspace: Path, tmp_path: Path, wellplan) -> None:
    done = wellplan("build", "--audience", "carer:grace", "--out", str(tmp_path / "site"), cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / PLAN).is_dir()
    assert not (tmp_path / "site" / "jordan-pike").exists()
    nobody = wellplan("build", "--audience", "carer:nobody", "--out", str(tmp_path / "none"),
                      cwd=workspace)
    assert nobody.returncode != 0
    assert "'carer:nobody' names no carer of plans/dan-okafor.yaml" in nobody.stderr
    assert not (tmp_path / "none").exists()


def test_unknown_carer_reads_the_care_team_and_the_carers() -> None:
    plan = {"care_team": [{"id": "sam", "name": "Sam Lee", "role": "carer"},
                          {"id": "kim", "name": "Kim Ray", "role": "friend"},
                          {"id": "priya", "name": "Priya Shah", "role": "key-worker"}],
            "carers": [{"id": "c-kim", "member": "kim"}]}
    assert unknown_carer(plan, "carer:sam") is None
    assert unknown_carer(plan, "carer:kim") is None  # named in the carers part
    assert unknown_carer(plan, "carer") is None and unknown_carer(plan, "team") is None
    said = unknown_carer(plan, "carer:priya")
    assert said is not None and "carer:sam (Sam Lee), carer:kim (Kim Ray)" in said
    lonely = unknown_carer({"care_team": []}, "carer:sam")
    assert lonely is not None and "has no carer" in lonely

"""`wellplan init`: a team's workspace that never overwrites anything, and which schema a check uses."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml

from builder.workspace import SCHEMA_FILE, WORKSPACE_SCHEMA, plan_file
from tests.conftest import CORPUS, run_wellplan

MINIMAL = CORPUS / "valid" / "minimal.yaml"
TYPO = CORPUS / "invalid" / "enum-typo.yaml"  # goals[id=swim].status: actve
TODAY = ["--today", "2026-11-26"]
TYPO_LINE = 'plans/jo.yaml:33:13: goals[id=swim].status: "actve" is not one of the allowed values.'


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def init(tmp_path: Path, name: str = "team") -> Path:
    done = run_wellplan("init", name, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    return tmp_path / name


def test_init_makes_a_workspace_in_a_new_git_repository(tmp_path: Path) -> None:
    done = run_wellplan("init", "team", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Made a wellbeing plans workspace in team (a new git repository)." in done.stdout
    assert "cd team" in done.stdout and "wellplan new" in done.stdout
    ws = tmp_path / "team"
    assert (ws / "plans").is_dir()
    assert (ws / WORKSPACE_SCHEMA).read_bytes() == SCHEMA_FILE.read_bytes()
    assert "wellplan build" in (ws / "README.md").read_text(encoding="utf-8")
    ignored = (ws / ".gitignore").read_text(encoding="utf-8").split()
    assert {"site/", "build/"} <= set(ignored)
    assert "plans/**/*.yaml merge=wellplan" in (ws / ".gitattributes").read_text(encoding="utf-8")
    # This clone merges plans item by item already; the README tells other clones how.
    assert git(ws, "config", "merge.wellplan.driver").strip().endswith("merge-driver %O %A %B %P")
    assert "wellplan merge-driver --install" in (ws / "README.md").read_text(encoding="utf-8")
    [repo] = yaml.safe_load((ws / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    [hook] = repo["hooks"]
    assert hook["id"] == "wellplan-check" and hook["entry"] == "wellplan check"
    # Everything init wrote is committed, and nothing is left over.
    assert git(ws, "status", "--porcelain") == ""
    log = git(ws, "log", "--format=%an|%s").splitlines()
    assert log == ["wellplan init|Set up the wellbeing plans workspace"]
    tracked = set(git(ws, "ls-files").split())
    assert tracked == {".gitattributes", ".gitignore", ".pre-commit-config.yaml", "README.md",
                       "plans/.gitkeep", "schema/wellbeing-plan.schema.json"}


def test_a_plan_started_in_a_new_workspace_is_checked_and_recorded(tmp_path: Path) -> None:
    ws = init(tmp_path)
    assert run_wellplan("check", cwd=ws).returncode == 0  # no plans yet is not an error
    assert run_wellplan("new", "jo-bloggs", "--name", "Jo Bloggs", cwd=ws).returncode == 0
    shutil.copyfile(MINIMAL, plan_file(ws, "jo-bloggs"))  # plans/jo/-b/jo-bloggs.yaml
    done = run_wellplan("record", "jo-bloggs", "--as", "Priya Shah", "--role", "key-worker",
                        "-m", "First plan", cwd=ws)
    assert done.returncode == 0, done.stderr
    assert git(ws, "log", "-1", "--format=%an|%s") == "Priya Shah|First plan\n"


def test_init_never_overwrites_an_existing_workspace(tmp_path: Path) -> None:
    ws = init(tmp_path)
    (ws / "README.md").write_text("Our own notes\n", encoding="utf-8")
    before = git(ws, "rev-parse", "HEAD")
    done = run_wellplan("init", "team", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("wellplan init: ")
    assert "is already a wellbeing plans workspace" in done.stderr and "nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr
    assert (ws / "README.md").read_text(encoding="utf-8") == "Our own notes\n"
    assert git(ws, "rev-parse", "HEAD") == before
    # Nor a new workspace inside it.
    inside = run_wellplan("init", "team/nested", cwd=tmp_path)
    assert inside.returncode == 1 and "is inside the workspace" in inside.stderr
    assert not (ws / "nested").exists()


def test_init_refuses_a_folder_holding_any_workspace_file_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "README.md").write_text("mine\n", encoding="utf-8")
    (folder / ".gitignore").write_text("*.tmp\n", encoding="utf-8")
    done = run_wellplan("init", "notes", cwd=tmp_path)
    assert done.returncode == 1
    assert "already has README.md and .gitignore, so nothing was written" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "README.md"]
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    done = run_wellplan("init", "a-file", cwd=tmp_path)
    assert done.returncode == 1 and "is a file or a link, not a folder" in done.stderr


def test_init_in_an_existing_repository_commits_only_its_own_files(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "staged.txt").write_text("not mine to commit\n", encoding="utf-8")
    git(repo, "add", "staged.txt")
    done = run_wellplan("init", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "(in the git repository already there)" in done.stdout
    assert "staged.txt" not in git(repo, "show", "--name-only", "--format=", "HEAD")
    assert git(repo, "status", "--porcelain") == "A  staged.txt\n"


def test_build_outputs_inside_a_workspace_stay_out_of_git(tmp_path: Path) -> None:
    ws = init(tmp_path)
    path = plan_file(ws, "jo-bloggs")  # plans/jo/-b/jo-bloggs.yaml in a new workspace
    path.parent.mkdir(parents=True)
    shutil.copyfile(MINIMAL, path)
    assert run_wellplan("record", "jo-bloggs", "--as", "Priya Shah", "--role", "key-worker",
                        cwd=ws).returncode == 0
    for args in (["build"], ["build", "--out", "for-jo", "--plan", "jo-bloggs", "--audience", "person"],
                 ["pdf", "--all", "--out", "printed"], ["pdf", "jo-bloggs"]):
        done = run_wellplan(*args, *TODAY, cwd=ws)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (ws / "site" / "index.html").is_file() and (ws / "for-jo" / "index.html").is_file()
    assert (ws / "printed" / "jo-bloggs.pdf").is_file() and (ws / "build" / "pdf" / "jo-bloggs.pdf").is_file()
    assert git(ws, "status", "--porcelain", "--untracked-files=all") == ""
    assert (ws / "for-jo" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    # Outside the workspace, a build leaves no such file: git is not ours to steer there.
    outside = tmp_path / "elsewhere"
    assert run_wellplan("build", "--out", str(outside), *TODAY, cwd=ws).returncode == 0
    assert not (outside / ".gitignore").exists()


# --- which schema a check uses --------------------------------------------------------------


def _older_schema(ws: Path) -> None:
    """A workspace that keeps its own, different schema: here one that also allows 'actve'."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    schema["definitions"]["goal"]["properties"]["status"]["enum"].append("actve")
    (ws / WORKSPACE_SCHEMA).write_text(json.dumps(schema, indent=2), encoding="utf-8")


def test_check_uses_wellplans_own_schema_when_the_workspace_has_none(tmp_path: Path) -> None:
    ws = init(tmp_path)
    shutil.rmtree(ws / "schema")
    shutil.copyfile(TYPO, ws / "plans" / "jo.yaml")
    done = run_wellplan("check", *TODAY, cwd=ws)
    assert done.returncode == 1
    assert TYPO_LINE in done.stdout
    assert "warning" not in done.stdout


def test_check_uses_wellplans_own_schema_and_warns_when_the_workspace_copy_differs(tmp_path: Path) -> None:
    ws = init(tmp_path)
    _older_schema(ws)
    shutil.copyfile(TYPO, ws / "plans" / "jo.yaml")
    shutil.copyfile(MINIMAL, ws / "plans" / "ok.yaml")
    done = run_wellplan("check", *TODAY, cwd=ws)
    assert done.returncode == 1  # the copy allows 'actve'; wellplan's schema does not
    lines = done.stdout.splitlines()
    assert lines[0].startswith("schema/wellbeing-plan.schema.json:1:1: warning: this workspace's copy of "
                               "the schema is not the one that comes with wellplan")
    assert "wellplan init --update-schema" in lines[0]
    assert TYPO_LINE in done.stdout
    # A valid plan still passes (a warning is not an error), and says why the editor may disagree.
    alone = run_wellplan("check", "plans/ok.yaml", *TODAY, cwd=ws)
    assert alone.returncode == 0 and "warning: this workspace's copy" in alone.stdout
    # Bringing the copy up to date ends the warning.
    updated = run_wellplan("init", "--update-schema", cwd=ws)
    assert updated.returncode == 0 and "Updated schema/wellbeing-plan.schema.json" in updated.stdout
    assert (ws / WORKSPACE_SCHEMA).read_bytes() == SCHEMA_FILE.read_bytes()
    assert "warning" not in run_wellplan("check", "plans/ok.yaml", *TODAY, cwd=ws).stdout
    again = run_wellplan("init", "--update-schema", cwd=ws)
    assert again.returncode == 0 and "nothing changed" in again.stdout

"""Helpers for the history, diff, record and edit tests: real git repositories, fixed dates."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
MINIMAL = (CORPUS / "valid" / "minimal.yaml").read_text(encoding="utf-8")


def day(n: int, hour: int = 10) -> datetime:
    """A fixed moment in 2025, so commit ids never depend on when the tests run."""
    return datetime(2025, 1, 1, hour, tzinfo=UTC) + timedelta(days=n - 1)


def make_workspace(root: Path) -> Path:
    """An empty workspace: a git repository with a plans/ folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "plans").mkdir(exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    return root


def git(root: Path, *args: str, when: datetime | None = None, name: str = "Test Person") -> str:
    stamp = (when or day(1)).isoformat()
    env = {
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
        "PATH": "/usr/bin:/bin", "HOME": str(root), "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    if done.returncode:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def raw_commit(root: Path, message: str, when: datetime, name: str, role: str,
               *paths: str) -> str:
    """Commit by hand (bypassing validation), as someone using git directly would."""
    git(root, "add", "--", *paths)
    git(root, "commit", "-q", "-m", f"{message}\n\nPlan-Role: {role}", when=when, name=name)
    return git(root, "rev-parse", "HEAD").strip()


def write_plan(root: Path, plan_id: str, text: str) -> Path:
    path = root / "plans" / f"{plan_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def edit_text(root: Path, plan_id: str, old: str, new: str) -> None:
    from builder.workspace import plan_file

    path = plan_file(root, plan_id)  # in plans/ itself, or in its folder once resharded
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {plan_id}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def scripted_editor(root: Path, actions: list[dict]) -> str:
    """An editor command that, on each run, does the next action from a list.

    Actions: {"replace": [old, new]}, {"write": text}, {"exit": code}, {"kill": true},
    {"also_change_plan": [path, old, new]} (someone else edits the real plan meanwhile), {}.
    """
    script = root.parent / f"{root.name}-editor.py"
    queue = root.parent / f"{root.name}-editor.json"
    queue.write_text(json.dumps(actions), encoding="utf-8")
    script.write_text(
        "import json, os, signal, sys\n"
        f"queue = {str(queue)!r}\n"
        "actions = json.load(open(queue))\n"
        "action = actions.pop(0) if actions else {}\n"
        "json.dump(actions, open(queue, 'w'))\n"
        "path = sys.argv[1]\n"
        "open(path + '.seen', 'a').write(open(path).read() + '\\n=====\\n')\n"
        "if 'also_change_plan' in action:\n"
        "    p, old, new = action['also_change_plan']\n"
        "    t = open(p).read(); open(p, 'w').write(t.replace(old, new, 1))\n"
        "if 'replace' in action:\n"
        "    old, new = action['replace']\n"
        "    t = open(path).read(); assert old in t, old; open(path, 'w').write(t.replace(old, new, 1))\n"
        "if 'write' in action:\n"
        "    open(path, 'w').write(action['write'])\n"
        "if action.get('kill'):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "sys.exit(action.get('exit', 0))\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}"

"""The built wheel works on its own: installed into a fresh virtual environment, used outside the source.

A plain (non-editable) install carries everything the package reads — schema, themes,
site config, templates — or init, new, record, build and pdf fail here.

To keep this to a minute or two, the wheel is installed with ``--no-deps`` and the
fresh environment reaches the dependencies (mkdocs, typst, pandoc, ...) already
installed in this test environment through a ``.pth`` file. A ``.pth`` line only adds
that folder to the end of ``sys.path``; the editable install of this checkout living
there is never switched on, so ``builder`` can only come from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.checkout import PEOPLE, copy_checkout, git
from tests.conftest import CORPUS, ROOT


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """A fresh virtual environment with only the built wheel installed; its bin folder and env."""
    base = tmp_path_factory.mktemp("wheel")
    source, dist, env_dir = base / "source", base / "dist", base / "venv"
    source.mkdir()
    copy_checkout(source)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GIT_", "VIRTUAL_ENV"))}
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(source)],
        base, clean)
    [wheel] = dist.glob("wellbeing_plans-*.whl")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
         str(wheel)], base, clean)
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    base, clean).stdout.strip())
    (site / "dependencies-from-the-test-environment.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {**clean, **PEOPLE, "PATH": f"{env_dir / 'bin'}{os.pathsep}{clean.get('PATH', '')}"}
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return env_dir, env, elsewhere


def test_the_wheel_carries_the_package_data(installed) -> None:
    env_dir, env, elsewhere = installed
    code = ("import builder, builder.workspace as w; print(builder.__file__); "
            "print(w.SCHEMA_FILE.is_file(), w.SITE_CONFIG.is_file(), w.PLAN_TEMPLATE.is_file(), "
            "(w.PRINT_THEME_DIR / 'review-copy.typ').is_file(), (w.SITE_THEME_DIR / 'main.html').is_file())")
    done = run(["python", "-c", code], elsewhere, env)
    where, found = done.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(env_dir.resolve()), where
    assert not Path(where).resolve().is_relative_to(ROOT)
    assert found == "True True True True True"


def test_init_new_record_build_and_pdf_from_the_installed_wheel(installed) -> None:
    env_dir, env, elsewhere = installed
    wellplan = str(env_dir / "bin" / "wellplan")
    made = run([wellplan, "init", "team"], elsewhere, env).stdout
    assert "Made a wellbeing plans workspace in team" in made
    team = elsewhere / "team"
    assert "Created plans/jo/-b/jo-bloggs.yaml" in run([wellplan, "new", "jo-bloggs", "--name", "Jo Bloggs"],
                                                 team, env).stdout
    # The template's blanks filled in: here, with a complete plan.
    shutil.copyfile(CORPUS / "valid" / "minimal.yaml", team / "plans" / "jo" / "-b" / "jo-bloggs.yaml")
    run([wellplan, "check"], team, env)
    run([wellplan, "record", "jo-bloggs", "--as", "Priya Shah", "--role", "key-worker", "-m", "First plan"],
        team, env)
    assert git(team, "log", "-1", "--format=%an|%s") == "Priya Shah|First plan\n"
    # The pre-commit config init wrote runs this wellplan on the plans being committed.
    shutil.copyfile(CORPUS / "invalid" / "enum-typo.yaml", team / "plans" / "sam-typo.yaml")
    hook_env = {**env, "PRE_COMMIT_HOME": str(elsewhere / "pre-commit-home")}
    hook = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", "plans/sam-typo.yaml"],
                          cwd=team, env=hook_env, capture_output=True, text=True, timeout=600)
    assert hook.returncode == 1, hook.stdout + hook.stderr
    assert "plans/sam-typo.yaml:33:13: goals[id=swim].status: " in hook.stdout
    (team / "plans" / "sam-typo.yaml").unlink()
    run([wellplan, "build", "--today", "2026-11-26"], team, env)
    home = (team / "site" / "index.html").read_text(encoding="utf-8")
    assert "Jo Bloggs" in home
    assert (team / "site" / "assets" / "stylesheets" / "wellplan.css").is_file()  # the theme came along
    run([wellplan, "pdf", "jo-bloggs", "--today", "2026-11-26"], team, env)
    pdf = team / "build" / "pdf" / "jo-bloggs.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Jo Bloggs" in text
    # Nothing built is left for git to pick up.
    assert git(team, "status", "--porcelain", "--untracked-files=all") == ""


def test_the_demo_works_from_the_installed_wheel(installed) -> None:
    env_dir, env, elsewhere = installed
    done = run([str(env_dir / "bin" / "wellplan"), "demo", "demo", "--no-build"], elsewhere, env)
    assert "Made a demo workspace" in done.stdout and "with 3 plans" in done.stdout
    assert sorted(p.name for p in (elsewhere / "demo" / "plans").glob("*.yaml")) == sorted(
        p.name for p in (ROOT / "plans").glob("*.yaml"))

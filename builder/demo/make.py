"""Make a demo workspace whose example plans carry a realistic recorded history.

Each example plan has a story in ``demo_story/<plan-id>.yaml``: the edits and
reviews that led to it, oldest first, each with who made it, their role and when.
An edit step says what it *changed*: items and parts it ``added``, values it
``changed`` (giving the value before), items it ``removed`` (giving the item).
Undoing the steps one by one, newest first, from the example plan in ``plans/``
gives every earlier version, so the story always ends exactly at the example.

The history is then written through the same ``record_edit`` and
``record_review`` that people use, and the site and PDFs are built from it.

The examples are written as of ``WRITTEN_AS_OF``. So that what is due and overdue
reads the same whenever the demo is made, every date in the plans and their stories
is moved by the whole weeks from then to today (weekdays stay weekdays).
"""

from __future__ import annotations

import copy
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from builder.errors import PlanError, WellplanError, WorkspaceError
from builder.story.history import git
from builder.workspace import DEMO_STORY_DIR, EXAMPLE_PLANS_DIR, PLANS_DIR, SCHEMA_FILE

STORY_DIR = DEMO_STORY_DIR
EXAMPLES_DIR = EXAMPLE_PLANS_DIR
#: The file that marks a folder as made by ``wellplan demo``, so it may be remade.
MARKER = ".wellplan-demo"
#: Everything a demo is made of; only these are removed when a demo is remade.
DEMO_ENTRIES = (".git", PLANS_DIR, "schema", "site", "pdf", "README.md", ".gitignore", MARKER)
#: Who set up the demo folder (the first commit, which holds no plan).
SETUP_AUTHOR = "Wellbeing Plans demo"
SETUP_EMAIL = "demo@wellbeing-plans.invalid"
SETUP_WHEN = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
#: The day the example plans and their stories are written as of.
WRITTEN_AS_OF = date(2026, 11, 26)

_ISO_DAY = re.compile(r"(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])")

_SEGMENT = re.compile(r"^([a-z_]+)(?:\[id=([a-z0-9][a-z0-9-]*)\])?$")
_TOP_KEY = re.compile(r"^([a-z_]+)\s*:")


@dataclass
class Step:
    """One recorded edit or review in a demo plan's story."""

    plan_id: str
    number: int
    when: datetime
    name: str
    role: str
    message: str | None = None
    review: str | None = None
    added: list[str] = field(default_factory=list)
    changed: dict[str, Any] = field(default_factory=dict)
    removed: list[dict[str, Any]] = field(default_factory=list)

    def where(self) -> str:
        return f"demo story for {self.plan_id}, step {self.number} ({self.when:%Y-%m-%d})"


@dataclass
class DemoResult:
    """What ``make_demo`` made, and anything it could not make."""

    workspace: Path
    plans: list[str]
    edits: int
    reviews: int
    remade: bool = False
    site: Path | None = None
    pdfs: list[Path] = field(default_factory=list)
    pdf_dir: Path | None = None
    notes: list[str] = field(default_factory=list)
    #: True if the website or the PDFs could not be made (the notes say why).
    failed: bool = False
    #: How many days every date in the examples was moved (a whole number of weeks).
    moved_days: int = 0
    #: What checking the plans found, as of today: errors, and warnings by what they are about.
    errors: int = 0
    #: What is overdue, from the one model of what is due (plan/due.py), by kind.
    overdue_checks: int = 0
    overdue_reviews: int = 0
    overdue_requests: int = 0
    overdue_actions: int = 0
    #: Checks never done, or that the guidance expects and the plan lacks.
    monitoring: int = 0
    other_warnings: list[str] = field(default_factory=list)


def make_demo(target: Path, build: bool = True, today: date | None = None) -> DemoResult:
    """Make (or remake) a demo workspace in target, record its history, then build it."""
    target = Path(target).absolute()
    today = today or date.today()
    days = date_shift(today)
    remade = prepare_folder(target)
    start_repository(target, days)
    edits, reviews = write_history(target, days)
    result = DemoResult(target, story_ids(), edits, reviews, remade, moved_days=days)
    check_outputs(result, today)
    if build:
        build_outputs(result, today)
    return result


def date_shift(today: date) -> int:
    """The whole weeks, in days, from the day the examples are written as of to today."""
    return 7 * ((today - WRITTEN_AS_OF).days // 7)


def shift_dates(text: str, days: int) -> str:
    """The text with every YYYY-MM-DD date in it (in values and in ids) moved by days."""
    if not days:
        return text

    def move(match: re.Match[str]) -> str:
        try:
            return (date.fromisoformat(match.group(0)) + timedelta(days=days)).isoformat()
        except ValueError:
            return match.group(0)

    return _ISO_DAY.sub(move, text)


# -- the folder ------------------------------------------------------------------------------


def prepare_folder(target: Path) -> bool:
    """Make target ready for a demo; True if it held an earlier demo, now cleared."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise WorkspaceError(
            f"{target} is a file or a link, not a folder, so it was left alone. "
            "Choose a new folder for the demo."
        )
    if not target.exists():
        target.mkdir(parents=True)
        return False
    if not any(target.iterdir()):
        return False
    if not (target / MARKER).is_file():
        raise WorkspaceError(
            f"{target} already holds files that 'wellplan demo' did not make, so it was left "
            "alone. Give a new or empty folder, for example: wellplan demo demo-plans"
        )
    for name in DEMO_ENTRIES:
        entry = target / name
        if entry.is_symlink() or entry.is_file():
            entry.unlink()
        elif entry.is_dir():
            shutil.rmtree(entry)
    return True


def start_repository(target: Path, days: int = 0) -> None:
    """A fresh git repository holding the schema, a README and the demo marker."""
    # The marker comes first, so that a demo stopped half-way can still be remade.
    (target / MARKER).write_text(
        "This folder was made by 'wellplan demo'. Running 'wellplan demo' on it again\n"
        "deletes and remakes its plans, their history, the website and the PDFs.\n",
        encoding="utf-8",
    )
    (target / PLANS_DIR).mkdir()
    (target / "schema").mkdir()
    # The plans' first line points editors at ../schema/, so the schema travels with them.
    shutil.copyfile(SCHEMA_FILE, target / "schema" / SCHEMA_FILE.name)
    (target / ".gitignore").write_text("site/\npdf/\n", encoding="utf-8")
    (target / "README.md").write_text(_DEMO_README, encoding="utf-8")
    git(target, "-c", "init.defaultBranch=main", "init", "-q")
    for key, value in (
        ("user.name", SETUP_AUTHOR),
        ("user.email", SETUP_EMAIL),
        ("commit.gpgsign", "false"),
    ):
        git(target, "config", key, value)
    git(target, "add", "--", "README.md", ".gitignore", MARKER, "schema")
    stamp = f"{int((SETUP_WHEN + timedelta(days=days)).timestamp())} +0000"
    # Named in full, so the commit (and every id after it) is the same on any machine.
    people = {
        "GIT_AUTHOR_NAME": SETUP_AUTHOR,
        "GIT_AUTHOR_EMAIL": SETUP_EMAIL,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": SETUP_AUTHOR,
        "GIT_COMMITTER_EMAIL": SETUP_EMAIL,
        "GIT_COMMITTER_DATE": stamp,
    }
    git(target, "commit", "-q", "-m", "Set up the demo workspace", env=people)


_DEMO_README = """\
# Wellbeing plans: demo workspace

Three fictional people's wellbeing plans, each with about eighteen months of
recorded edits and reviews by the person, their carer, their key worker, their
psychiatrist and their GP practice. Made by `wellplan demo`.

- `plans/` holds the plans. Try `wellplan history dan-okafor` and `wellplan check`
  (a few checks and a review are overdue on purpose, as in a real team's plans).
- The examples are written as of 26 November 2026; `wellplan demo` moved every date
  in them by whole weeks to the day it was run, so what is due reads the same.
- `site/index.html` is the team's website; `pdf/` holds the printable review copies.
- Running `wellplan demo` on this folder again remakes all of it.
"""


# -- the stories -----------------------------------------------------------------------------


def story_ids() -> list[str]:
    """The plans that have a demo story, sorted by id."""
    return sorted(path.stem for path in STORY_DIR.glob("*.yaml"))


def load_story(plan_id: str, days: int = 0) -> list[Step]:
    """The steps of one plan's story, oldest first, with its dates moved by days."""
    from builder.plan.load import load_plan_text

    path = STORY_DIR / f"{plan_id}.yaml"
    # The plan loader, not yaml.safe_load: dates must stay text, as they are in plans.
    text = shift_dates(path.read_text(encoding="utf-8"), days)
    loaded = load_plan_text(text, f"demo story {path.name}")
    if loaded.findings or not isinstance(loaded.data, dict):
        problem = loaded.findings[0].as_text() if loaded.findings else "it has no steps"
        raise PlanError(f"The demo story for {plan_id} cannot be read: {problem}")
    raw = loaded.data
    steps = []
    for number, entry in enumerate(raw["steps"], 1):
        steps.append(
            Step(
                plan_id=plan_id,
                number=number,
                when=_moment(entry["when"]),
                name=entry["name"],
                role=entry["role"],
                message=entry.get("message"),
                review=entry.get("review"),
                added=list(entry.get("added") or []),
                changed=dict(entry.get("changed") or {}),
                removed=list(entry.get("removed") or []),
            )
        )
    if not steps or steps[-1].review:
        raise PlanError(f"The demo story for {plan_id} must end with an edit, not a review.")
    if steps[0].review or steps[0].added or steps[0].changed or steps[0].removed:
        raise PlanError(f"The demo story for {plan_id} must start by writing the first version.")
    if any(a.when >= b.when for a, b in zip(steps, steps[1:], strict=False)):
        raise PlanError(f"The steps of the demo story for {plan_id} are not in time order.")
    return steps


def example_text(plan_id: str, days: int = 0) -> str:
    return shift_dates((EXAMPLES_DIR / f"{plan_id}.yaml").read_text(encoding="utf-8"), days)


def story_versions(steps: list[Step], final: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan as each step left it: undo the steps from the final plan, newest first."""
    state = copy.deepcopy(final)
    versions: list[dict[str, Any]] = [{} for _ in steps]
    for index in range(len(steps) - 1, -1, -1):
        versions[index] = copy.deepcopy(state)
        undo(steps[index], state)
    return versions


def undo(step: Step, plan: dict[str, Any]) -> None:
    """Turn the plan as this step left it into the plan as it was before."""
    if step.review:
        _drop(plan, f"reviews[id={step.review}]", step)
    for path in reversed(step.added):
        _drop(plan, path, step)
    for path, before in step.changed.items():
        parent, key = _parent(plan, path, step)
        if not isinstance(parent, dict) or isinstance(key, int):
            raise PlanError(f"{step.where()}: 'changed' must name a value, not a list item: {path}")
        if before is None:
            if key not in parent:
                raise PlanError(f"{step.where()}: {path} is not in the plan, so it cannot be new.")
            del parent[key]
        else:
            parent[key] = copy.deepcopy(before)
    for gone in step.removed:
        holder, key = _parent(plan, gone["from"], step)
        items = holder.setdefault(key, [])
        items.insert(min(int(gone.get("index", len(items))), len(items)), copy.deepcopy(gone["item"]))


def _drop(plan: dict[str, Any], path: str, step: Step) -> None:
    parent, key = _parent(plan, path, step)
    del parent[key]
    # A list left empty goes too, as it would have been written before its first item.
    holder, holder_key = _parent(plan, path.rsplit("[", 1)[0], step) if "[" in path else (None, None)
    if holder is not None and holder.get(holder_key) == []:
        del holder[holder_key]


def _parent(plan: dict[str, Any], path: str, step: Step) -> tuple[Any, Any]:
    """The dict or list holding the thing a path names, and its key or index there."""
    node: Any = plan
    parts = path.split(".")
    for position, part in enumerate(parts):
        match = _SEGMENT.match(part)
        if not match or not isinstance(node, dict):
            raise PlanError(f"{step.where()}: cannot follow the path {path}")
        key, item_id = match.groups()
        last = position == len(parts) - 1
        if item_id is None:
            if last:
                return node, key
            if key not in node:
                raise PlanError(f"{step.where()}: {path} is not in the plan.")
            node = node[key]
            continue
        items = node.get(key)
        index = next(
            (i for i, item in enumerate(items or []) if isinstance(item, dict) and item.get("id") == item_id),
            None,
        )
        if index is None:
            raise PlanError(f"{step.where()}: {path} is not in the plan.")
        if last:
            return items, index
        node = items[index]
    raise PlanError(f"{step.where()}: empty path")  # pragma: no cover - split never gives []


def _moment(value: Any) -> datetime:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


# -- writing the history ---------------------------------------------------------------------


def write_history(workspace: Path, days: int = 0) -> tuple[int, int]:
    """Record every story's steps, all plans interleaved in time order; returns (edits, reviews)."""
    from builder.plan.load import load_plan_text
    from builder.record.record import record_edit, record_review

    planned: list[tuple[Step, dict[str, Any], str]] = []
    for plan_id in story_ids():
        text = example_text(plan_id, days)
        final = load_plan_text(text, f"{PLANS_DIR}/{plan_id}.yaml").data
        steps = load_story(plan_id, days)
        for step, version in zip(steps, story_versions(steps, final), strict=True):
            last = step is steps[-1]
            planned.append((step, version, text if last else ""))
    planned.sort(key=lambda entry: (entry[0].when, entry[0].plan_id))
    edits = reviews = 0
    for step, version, final_text in planned:
        path = workspace / PLANS_DIR / f"{step.plan_id}.yaml"
        if step.review:
            review = next(r for r in version["reviews"] if r["id"] == step.review)
            record_review(
                workspace,
                step.plan_id,
                name=step.name,
                role=step.role,
                date=review["date"],
                attended=review["attended"],
                next_review_due=review["next_review_due"],
                comments=review.get("my_comments"),
                involvement=review.get("involvement"),
                when=step.when,
            )
            reviews += 1
            written = load_plan_text(path.read_text(encoding="utf-8"), str(path)).data
            if written != version:
                raise PlanError(f"{step.where()}: the recorded review does not match the story.")
        else:
            path.write_text(final_text or plan_text(version, example_text(step.plan_id, days)),
                            encoding="utf-8")
            record_edit(
                workspace, step.plan_id, name=step.name, role=step.role, message=step.message, when=step.when
            )
            edits += 1
    return edits, reviews


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the example plans are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002
        return super().increase_indent(flow, False)


def plan_text(plan: dict[str, Any], example: str) -> str:
    """An earlier version as YAML, with the example's header and section notes kept."""
    header, notes = section_notes(example)
    parts = [header]
    for key, value in plan.items():
        block = yaml.dump({key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=80)
        parts.append(notes.get(key, "") + re.sub(r"'(\d{4}-\d{2}-\d{2})'", r"\1", block) + "\n")
    return "".join(parts).rstrip("\n") + "\n"


def section_notes(text: str) -> tuple[str, dict[str, str]]:
    """The comments at the top of a plan, and the comment just above each top-level part."""
    lines = text.splitlines(keepends=True)
    header: str | None = None
    notes: dict[str, str] = {}
    block_start: int | None = None
    for index, line in enumerate(lines):
        if line.startswith("#"):
            block_start = index if block_start is None else block_start
            continue
        match = _TOP_KEY.match(line)
        if match:
            begin = index if block_start is None else block_start
            if header is None:
                header = "".join(lines[:begin])
            notes[match.group(1)] = "".join(lines[begin:index])
        block_start = None
    return header or "", notes


# -- building --------------------------------------------------------------------------------


def check_outputs(result: DemoResult, today: date) -> None:
    """Check the recorded plans as of today; count what is due from the one model of it."""
    from builder.plan.due import obligations
    from builder.plan.load import load_plan
    from builder.plan.validate import check_paths
    from builder.workspace import plan_files

    files = plan_files(result.workspace)
    findings, _ = check_paths(files, result.workspace, today)
    for finding in findings:
        if finding.severity == "error":
            result.errors += 1
            result.failed = True
            result.notes.append(f"The example plan has a problem: {finding.as_text()}")
        elif finding.obligation is None:
            result.other_warnings.append(finding.as_text())
    for path in files:
        for ob in obligations(load_plan(path).data or {}, today):
            if ob.state == "overdue" and ob.kind in ("check", "guidance"):
                result.overdue_checks += 1
            elif ob.state == "overdue" and ob.kind == "review":
                result.overdue_reviews += 1
            elif ob.state == "overdue" and ob.kind == "request":
                result.overdue_requests += 1
            elif ob.state == "overdue" and ob.kind == "action":
                result.overdue_actions += 1
            elif ob.state in ("never_done", "not_in_plan"):
                result.monitoring += 1


def build_outputs(result: DemoResult, today: date | None = None) -> None:
    """Build the team website and the person's PDF copies."""
    from builder.paper import pdf
    from builder.site import build as site

    workspace = result.workspace
    try:
        report = site.build_site(workspace, workspace / "site", audience="team", today=today)
    except WellplanError as e:
        result.failed = True
        result.notes.append(f"The website could not be built: {e}")
    else:
        result.site = report.home or workspace / "site" / "index.html"
        for plan_id, problems in report.failed.items():
            result.failed = True
            result.notes.append(f"The website has no pages for {plan_id}: {problems[0]}")
    try:
        result.pdfs = pdf.build_all_pdfs(workspace, workspace / "pdf", audience="person", today=today)
        result.pdf_dir = workspace / "pdf"
    except WellplanError as e:
        result.failed = True
        result.notes.append(f"The PDFs could not be made: {e}")

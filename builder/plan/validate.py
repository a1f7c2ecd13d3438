"""Check plans: the schema, then the rules a schema cannot say. Every problem is a finding."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from builder.plan import rules
from builder.plan.findings import Finding, display_path
from builder.plan.load import LoadedPlan, PathKey, load_plan
from builder.plan.schema import plan_schema, subschema
from builder.workspace import PLANS_DIR


def check_plan(
    path: Path, display: str | None = None, today: date | None = None
) -> tuple[LoadedPlan, list[Finding]]:
    """Load one plan and return it with every problem found in it."""
    loaded = load_plan(path, display)
    findings = list(loaded.findings)
    if loaded.data is not None:
        schema = schema_findings(loaded)
        findings += schema
        findings += rules.rule_findings(loaded, today or date.today(), shape_checked=not schema)
    findings.sort(key=lambda f: (f.line, f.column))
    return loaded, findings


def check_paths(
    paths: Iterable[Path], workspace: Path | None = None, today: date | None = None
) -> tuple[list[Finding], int]:
    """Check many plans; returns all findings (in the order of the paths) and how many files."""
    files = list(enumerate(paths))
    today = today or date.today()
    workers = min(os.cpu_count() or 1, 2) if len(files) >= PARALLEL_FROM else 1
    if workers == 1:
        checked = _check_some(files, workspace, today)
    else:
        # Plans are independent: each core checks every other plan.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        chunks = [files[i::workers] for i in range(workers)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = pool.map(_check_some, chunks, [workspace] * workers, [today] * workers)
            checked = sorted(pair for part in parts for pair in part)
    return [finding for _, found in checked for finding in found], len(files)


#: Below this many plans, starting a second process costs more than it saves.
PARALLEL_FROM = 64


def _check_some(
    files: list[tuple[int, Path]], workspace: Path | None, today: date
) -> list[tuple[int, list[Finding]]]:
    checked = []
    for index, path in files:
        display = _display(path, workspace)
        refusal = _outside_plans(path, workspace, display)
        checked.append((index, [refusal] if refusal else check_plan(path, display, today)[1]))
    return checked


def load_valid_plan(path: Path, today: date | None = None) -> dict[str, Any] | None:
    """The plan's data if it has no errors (warnings allowed), else None."""
    loaded, findings = check_plan(path, today=today)
    if any(f.severity == "error" for f in findings):
        return None
    return loaded.data


def schema_findings(loaded: LoadedPlan) -> list[Finding]:
    """Schema problems, each at the line and column of the key or value concerned."""
    if _fast_validator()(loaded.data):
        return []
    validator = _full_validator()
    findings = []
    for error in validator.iter_errors(loaded.data):
        findings += _explain(error, loaded)
    return _dedupe(findings)


@cache
def _fast_validator():  # noqa: ANN202 - returns a predicate
    """fastjsonschema compiles the schema to Python: ~20x quicker for the usual valid plan."""
    import fastjsonschema

    # plan_schema() is a copy: fastjsonschema rewrites the $refs of the schema it is given.
    compiled = fastjsonschema.compile(plan_schema(), formats={"date": _is_date})

    def is_valid(data: Any) -> bool:
        try:
            compiled(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return is_valid


@cache
def _full_validator():  # noqa: ANN202 - a jsonschema validator
    """jsonschema explains every error; used only when the fast check fails."""
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date")(_is_date)
    return jsonschema.Draft7Validator(plan_schema(), format_checker=checker)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    return _parse_date(value) is not None


def _parse_date(value: str) -> date | None:
    if len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _explain(error: Any, loaded: LoadedPlan) -> list[Finding]:
    path: PathKey = tuple(error.absolute_path)
    data = loaded.data
    kind = error.validator
    instance = error.instance
    schema = error.schema
    title = (subschema(path) or {}).get("title") or schema.get("title")

    def at(p: PathKey, message: str, hint: str = "", key: bool = False) -> Finding:
        line, column = loaded.positions.of_key(p) if key else loaded.positions.of_value(p)
        return Finding(loaded.file, line, column, display_path(data, p), message, hint)

    if kind == "required":
        missing = [name for name in error.validator_value if name not in instance]
        out = []
        for name in missing:
            child = subschema((*path, name)) or {}
            what = child.get("title") or name
            hint = child.get("description") or ""
            parent = title or "this part"
            out.append(
                at(
                    path,
                    f"'{name}' ({what}) is missing from {parent}.",
                    f"Add a line '{name}:' here. {hint}".strip(),
                )
            )
        return out
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        out = []
        for extra in [k for k in instance if k not in allowed]:
            near = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
            hint = (
                f"Did you mean '{near[0]}'?"
                if near
                else "Remove it, or check the spelling. Allowed here: " + ", ".join(allowed) + "."
            )
            out.append(at((*path, extra), f"'{extra}' is not something a plan has here.", hint, key=True))
        return out
    if kind == "format" and error.validator_value == "date":
        return [
            at(
                path,
                f'"{instance}" is not a date.',
                "Write dates as YYYY-MM-DD, e.g. 2026-02-28.",
            )
        ]
    if kind == "enum":
        allowed = [str(v) for v in error.validator_value]
        near = difflib.get_close_matches(str(instance), allowed, n=1, cutoff=0.6)
        hint = f"Did you mean '{near[0]}'? " if near else ""
        return [
            at(
                path,
                f'"{instance}" is not one of the allowed values.',
                f"{hint}Use one of: {', '.join(allowed)}.",
            )
        ]
    if kind == "type":
        wanted = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
        return [
            at(
                path,
                f"{title or 'This'} should be {wanted}, but it is {_describe(instance)}.",
                _TYPE_HINTS.get(str(error.validator_value), ""),
            )
        ]
    if kind == "pattern":
        return [at(path, *_pattern_message(error.validator_value, instance, title))]
    if kind in ("minLength",):
        return [at(path, f"{title or 'This'} is empty.", "Write something here, or remove the line.")]
    if kind == "maxLength":
        return [
            at(
                path,
                f"{title or 'This'} is too long ({len(instance):,} characters; at most "
                f"{error.validator_value:,}).",
                "Shorten it, or split it into several items.",
            )
        ]
    if kind == "minItems":
        return [
            at(
                path,
                f"{title or 'This list'} needs at least {error.validator_value} item.",
                "Add one.",
            )
        ]
    if kind == "maxItems":
        return [
            at(
                path,
                f"{title or 'This list'} has {len(instance):,} items; a plan keeps at most "
                f"{error.validator_value:,}.",
                "Move older items into the history (they stay recorded there) and keep the plan current.",
            )
        ]
    if kind == "uniqueItems":
        return [
            at(
                path,
                f"{title or 'This list'} has the same entry twice.",
                "Remove the repeated entry.",
            )
        ]
    if kind == "const":
        return [
            at(
                path,
                f"This should be {error.validator_value!r}, not {instance!r}.",
                f"Write {error.validator_value!r} here.",
            )
        ]
    if kind in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        kind_of = "a whole number" if schema.get("type") == "integer" else "a number"
        return [
            at(
                path,
                f"{instance:,} is out of range for {title or 'this'}.",
                f"Use {kind_of} from {low:,} to {high:,}.",
            )
        ]
    return [at(path, error.message, "Compare this part with the template from 'wellplan new'.")]


_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "yes or no",
    "array": "a list (lines starting with '- ')",
    "object": "a set of 'name: value' lines",
}
_TYPE_HINTS = {
    "string": "If it looks like a number, date or yes/no, put it in quotes.",
    "number": "Write just the number, e.g. 82.5, without units.",
    "integer": "Write a whole number, e.g. 3.",
    "boolean": "Write yes or no.",
    "array": "Put each item on its own line starting with '- '.",
    "object": "Put each detail on its own indented line as 'name: value'.",
}


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a set of 'name: value' lines"


def _pattern_message(pattern: str, value: Any, title: str | None) -> tuple[str, str]:
    if pattern == r"\S":
        return f"{title or 'This'} is empty.", "Write something here, or remove the line."
    if "[0-9]{3} ?[0-9]{3}" in pattern:
        return (
            f'"{value}" is not an NHS number.',
            "An NHS number has ten digits, e.g. 943 476 5919.",
        )
    if pattern.startswith("^[a-z0-9]"):
        return (
            f'"{value}" is not a valid id.',
            "Use lowercase letters, digits and hyphens, e.g. swim-weekly.",
        )
    return f'"{value}" is not in the expected form.', "Compare it with the example in the template."


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.line, f.column, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _display(path: Path, workspace: Path | None) -> str:
    for base in (Path.cwd(), workspace):
        if base is None:
            continue
        try:
            return str(path.absolute().relative_to(base.absolute()))
        except ValueError:
            continue
    return str(path)


def _outside_plans(path: Path, workspace: Path | None, display: str) -> Finding | None:
    """A link in plans/ that leads outside it is refused, never followed."""
    if workspace is None or not path.parent.absolute().is_relative_to((workspace / PLANS_DIR).absolute()):
        return None
    if path.is_symlink():
        return Finding(
            display,
            1,
            1,
            "",
            "This plan is a link to another file, so it was not read.",
            "Keep the plan itself in the plans folder instead of a link to it.",
        )
    return None

"""Findings: problems found in a plan, and the two ways of printing them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem, pointing at a file, line and column (both 1-based)."""

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    #: For something due: the obligation's key, due date (YYYY-MM-DD) and state, from plan/due.py.
    obligation: str | None = None
    due: str | None = None
    state: str | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("obligation", "due", "state"):
            if data[key] is None and self.obligation is None:
                del data[key]
        return data

    def as_text(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        subject = f"{self.path}: " if self.path else ""
        tail = f" {self.hint}" if self.hint else ""
        label = "" if self.severity == "error" else "warning: "
        return f"{where}: {label}{subject}{self.message}{tail}"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def report_text(findings: list[Finding], files: int) -> str:
    """Every finding on its own line, then a one-line summary."""
    lines = [f.as_text() for f in findings]
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    plans = "plan" if files == 1 else "plans"
    if not findings:
        lines.append(f"Checked {files} {plans}: no problems found.")
    else:
        parts = []
        if errors:
            parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        lines.append(f"Checked {files} {plans}: {' and '.join(parts)}.")
    return "\n".join(lines)


def report_json(findings: list[Finding], files: int) -> str:
    return json.dumps(
        {"files": files, "problems": [f.as_json() for f in findings]},
        indent=2,
        ensure_ascii=False,
    )


def display_path(data: Any, path: Sequence[str | int]) -> str:
    """A path people can read: ``goals[id=swim].target_date``."""
    out = ""
    node = data
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            out += f"[id={ident}]" if isinstance(ident, str) and ident else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else part
            node = node.get(part) if isinstance(node, dict) else None
    return out

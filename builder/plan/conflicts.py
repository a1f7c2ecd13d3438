"""Conflict markers left by a merge (``<<<<<<<``, ``=======``, ``>>>>>>>``), found and explained.

A file with markers is not YAML, so the YAML parser would only say something obscure.
This says instead, at each marked block, that two versions are waiting to be chosen
between, and whose they are when the markers name them.
"""

from __future__ import annotations

import re

from builder.plan.findings import Finding

_START = re.compile(r"^<{7}(?:\s+(?P<label>.*))?$")
_MIDDLE = re.compile(r"^={7}\s*$")
_END = re.compile(r"^>{7}(?:\s+(?P<label>.*))?$")
_HINT = (
    "Keep the version you want between the '<<<<<<<' and '>>>>>>>' lines, delete the other "
    "version and the three marker lines, then run 'wellplan check' again."
)


def has_conflict_markers(text: str) -> bool:
    """Whether any line of the text is a merge's conflict marker."""
    return any(_START.match(line) or _END.match(line) for line in text.splitlines())


def conflict_findings(text: str, file: str) -> list[Finding]:
    """One finding for each block of conflict markers, at the line where it starts."""
    findings: list[Finding] = []
    start: tuple[int, str] | None = None
    seen_middle = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip("\r")
        opened = _START.match(line)
        if opened:
            if start is not None:
                findings.append(_unfinished(file, start[0]))
            start, seen_middle = (number, _who(opened.group("label"))), False
            continue
        if _MIDDLE.match(line) and start is not None:
            seen_middle = True
            continue
        closed = _END.match(line)
        if closed:
            if start is None or not seen_middle:
                findings.append(Finding(
                    file, number, 1, "",
                    "This line is left over from a merge of two copies of the plan "
                    "(it starts with '>>>>>>>').",
                    "Check the lines above it are the version you want, then delete this line.",
                ))
            else:
                first = start[1]
                second = _who(closed.group("label"))
                findings.append(Finding(file, start[0], 1, "", _message(first, second), _HINT))
            start = None
    if start is not None:
        findings.append(_unfinished(file, start[0]))
    return findings


def _message(first: str, second: str) -> str:
    if first and second and first != second:
        whose = f"{first}'s and {second}'s"
        return (f"Two versions of this part of the plan are waiting for someone to choose "
                f"between them: {whose}. They changed the same thing in different ways in "
                "their own copies.")
    return ("Two versions of this part of the plan are waiting for someone to choose between "
            "them: two copies changed the same thing in different ways.")


def _unfinished(file: str, line: int) -> Finding:
    return Finding(
        file, line, 1, "",
        "A merge of two copies of the plan left a '<<<<<<<' line here without its "
        "'=======' and '>>>>>>>' lines.",
        _HINT,
    )


def _who(label: str | None) -> str:
    """'Sam Lee's version (this copy)' -> 'Sam Lee'; a branch name or nothing -> ''."""
    if not label:
        return ""
    found = re.match(r"(?P<name>.+?)'s version\b", label.strip())
    return found.group("name").strip() if found else ""

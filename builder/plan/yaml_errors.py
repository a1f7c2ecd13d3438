"""Turn PyYAML's parser errors into findings a person can act on."""

from __future__ import annotations

import yaml

from builder.plan.findings import Finding


def explain_yaml_error(error: yaml.YAMLError, text: str, file: str) -> Finding:
    """One plain-English finding, at the line and column where the fix belongs."""
    if isinstance(error, yaml.reader.ReaderError):
        line, column = _line_column(text, error.position)
        return Finding(
            file,
            line,
            column,
            "",
            f"This file contains a character that YAML does not allow (code {error.character!r}).",
            "Delete the invisible character, or retype the line.",
        )
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None:
        return Finding(file, 1, 1, "", "This file could not be read as YAML.", "Check its layout.")
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark
    line, column = mark.line + 1, mark.column + 1
    lines = text.splitlines()
    here = lines[mark.line] if mark.line < len(lines) else ""

    if "'\\t'" in problem:
        return Finding(
            file,
            line,
            column,
            "",
            "This line is indented with a tab. YAML only allows spaces for indenting.",
            "Replace the tab with spaces (two spaces for each level).",
        )
    if "quoted scalar" in context and "end of stream" in problem:
        start = error.context_mark or mark
        return Finding(
            file,
            start.line + 1,
            start.column + 1,
            "",
            "A quotation mark here is opened but never closed.",
            "Add the closing quotation mark at the end of the text.",
        )
    if "unknown escape character" in problem:
        return Finding(
            file,
            line,
            column,
            "",
            "A backslash (\\) inside double quotes starts a special code YAML does not know.",
            "Use single quotes around this text instead, or write \\\\ for a backslash.",
        )
    if problem == "mapping values are not allowed here":
        if ": " in here[: mark.column] or here[: mark.column].rstrip().endswith(":"):
            return Finding(
                file,
                line,
                column,
                "",
                "This line has a second colon after its value.",
                "If the value itself contains ': ', put the whole value in quotes, "
                'e.g. note: "Plan: walk daily".',
            )
        return Finding(
            file,
            line,
            column,
            "",
            "This line is indented differently from the lines around it.",
            "Line it up with the other names at the same level (use spaces, two for each level).",
        )
    if "could not find expected ':'" in problem:
        start = error.context_mark or mark
        return Finding(
            file,
            start.line + 1,
            start.column + 1,
            "",
            "This line has no colon, so YAML cannot tell what it is the value of.",
            "Write it as 'name: value', or if it continues the line above, put that text in quotes.",
        )
    if _quote_closed_early(problem, here, mark.column):
        return Finding(
            file,
            line,
            len(here[: mark.column].rstrip()),
            "",
            "A quotation mark inside this quoted text ends the text early, so YAML cannot "
            "read the rest of the line.",
            _inner_quote_hint(here),
        )
    if "expected <block end>" in problem or "expected <block mapping start>" in problem:
        return Finding(
            file,
            line,
            column,
            "",
            "This line is indented differently from the lines around it, or mixes a list (-) "
            "with 'name: value' lines.",
            "Line it up with the other names at the same level (use spaces, two for each level).",
        )
    if "found undefined alias" in problem:
        return Finding(
            file,
            line,
            column,
            "",
            "This refers to an anchor (*) that is not defined.",
            "Write the value out in full instead.",
        )
    if "expected a single document" in context:
        return Finding(
            file,
            line,
            column,
            "",
            "This file holds more than one document (a line with --- in the middle).",
            "A plan file holds one plan: remove the --- line or move the second plan to its own file.",
        )
    if "flow" in context:
        start = error.context_mark or mark
        return Finding(
            file,
            start.line + 1,
            start.column + 1,
            "",
            "A list in [ ] or a mapping in { } that starts here is not closed properly.",
            "Add the closing bracket, or put text containing commas or colons in quotes.",
        )
    return Finding(
        file,
        line,
        column,
        "",
        f"YAML could not read this line ({problem}).",
        "Check the indentation and quotation marks on this line and the one above.",
    )


def _quote_closed_early(problem: str, here: str, column: int) -> bool:
    """True when a quoted value ended and more text follows it on the same line."""
    if "but found '<scalar>'" not in problem or column < 1 or column > len(here):
        return False
    before = here[:column].rstrip()
    return before.endswith(('"', "'")) and before.count(before[-1]) >= 2


def _inner_quote_hint(here: str) -> str:
    """How to quote a value that itself holds quotation marks, using this line's own text."""
    start = min(i for i in (here.find('"'), here.find("'")) if i >= 0)
    prefix, value = here[:start].strip(), here[start:].strip()
    outer = value[:1]
    inner = value[1:-1] if len(value) > 1 and value.endswith(outer) else value[1:]
    if outer == '"' and "'" not in inner:
        return f"Put the text in single quotes instead: {prefix} '{inner}'"
    if outer == "'" and '"' not in inner:
        return f'Put the text in double quotes instead: {prefix} "{inner}"'
    return (
        "Write each quotation mark inside the text twice if the text is in single quotes "
        "(it''s), or put a backslash before it if the text is in double quotes (\\\")."
    )


def _line_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column

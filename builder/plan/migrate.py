"""Older plans brought up to the current plan format: in memory when read, and in the file on request.

Version 2 of the format (issue 15) changed two things a version 1 plan may hold:

- ``crisis.advance_statement`` was one string; it is now an object with ``text``
  (and may carry ``visible_to``);
- ``carers[].carer_assessment_offered`` (yes/no) became ``carers[].assessment.offered``,
  beside the assessment's date, answer and outcome.

Everything else in version 2 is new and optional. :func:`upgrade` makes the version 2
data from version 1 data without changing what it is given (history shares unchanged
parts between versions), so every reader sees one shape. :func:`migrate_text` rewrites
a file's text with ruamel.yaml's round-trip mode so comments and layout are kept.
"""

from __future__ import annotations

import io
import re
from typing import Any

#: The version this program writes and reads natively (the schema's ``const``).
CURRENT_VERSION = 2
#: Versions that can be brought up to date.
OLDER_VERSIONS = (1,)


def needs_migration(data: Any) -> bool:
    """Whether a plan's data is written for an older version of the format."""
    return isinstance(data, dict) and data.get("schema_version") in OLDER_VERSIONS


def upgrade(data: Any) -> Any:
    """The plan in the current format; data already current (or not a plan) is returned as it is."""
    if not needs_migration(data):
        return data
    result = dict(data)
    result["schema_version"] = CURRENT_VERSION
    crisis = data.get("crisis")
    if isinstance(crisis, dict) and isinstance(crisis.get("advance_statement"), str):
        result["crisis"] = {
            key: ({"text": value} if key == "advance_statement" else value) for key, value in crisis.items()
        }
    carers = data.get("carers")
    if isinstance(carers, list) and any(_old_carer(c) for c in carers):
        result["carers"] = [_carer(c) if _old_carer(c) else c for c in carers]
    return result


def _old_carer(carer: Any) -> bool:
    return isinstance(carer, dict) and "carer_assessment_offered" in carer


def _carer(carer: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in carer.items():
        if key == "carer_assessment_offered":
            key, value = "assessment", {"offered": value}
        if key == "visible_to":
            continue
        out[key] = value
    if "visible_to" in carer:
        out["visible_to"] = carer["visible_to"]
    return out


def migrate_text(text: str) -> str:
    """The file's text in the current format, its comments and layout kept."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line the person wrote
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)
    if not needs_migration(data):
        return text
    data["schema_version"] = CURRENT_VERSION
    crisis = data.get("crisis")
    if isinstance(crisis, dict) and isinstance(crisis.get("advance_statement"), str):
        statement = crisis["advance_statement"]
        inner = CommentedMap()
        inner["text"] = statement
        _move_comment(crisis, "advance_statement", inner, "text")
        crisis["advance_statement"] = inner
    for carer in data.get("carers") or []:
        if isinstance(carer, dict) and "carer_assessment_offered" in carer:
            position = list(carer).index("carer_assessment_offered")
            assessment = CommentedMap()
            assessment["offered"] = carer["carer_assessment_offered"]
            _move_comment(carer, "carer_assessment_offered", assessment, "offered")
            del carer["carer_assessment_offered"]
            carer.insert(position, "assessment", assessment)
    out = io.StringIO()
    yaml.dump(data, out)
    return _version_comment(out.getvalue())


def _move_comment(old: Any, old_key: str, new: Any, new_key: str) -> None:
    """The comment after a value that moves (often the next section's heading) moves with it."""
    comment = old.ca.items.pop(old_key, None)
    if comment is not None:
        new.ca.items[new_key] = comment


_LEAVE_AS = re.compile(r"^(#\s*Leave this as )1(\.?)\s*$", re.MULTILINE)


def _version_comment(text: str) -> str:
    """The template's "Leave this as 1." note, kept true."""
    return _LEAVE_AS.sub(lambda m: f"{m.group(1)}{CURRENT_VERSION}{m.group(2)}", text, count=1)

"""Load a plan's YAML safely, keeping the line and column of every key and value.

YAML is composed into nodes (libyaml when available, for speed) and the nodes are
turned into plain data here, so that we can: point at any key or value; refuse
duplicate keys (PyYAML silently keeps the last one); keep dates as the text the
person wrote (so ``1980-02-30`` is a finding, not a crash); refuse ``!!python``
tags without running anything; and stop alias bombs before they eat memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from builder.plan.conflicts import conflict_findings, has_conflict_markers
from builder.plan.findings import Finding
from builder.plan.migrate import CURRENT_VERSION, needs_migration
from builder.plan.migrate import upgrade as upgrade_plan
from builder.plan.yaml_errors import explain_yaml_error

try:  # libyaml is several times faster; PyYAML's wheels ship it.
    from yaml import CSafeLoader as _FastLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _FastLoader  # type: ignore[assignment]

PathKey = tuple[str | int, ...]

#: How many values one plan may expand to. A real plan has a few thousand; an
#: "alias bomb" (anchors that refer to anchors) expands to billions.
MAX_VALUES = 500_000
#: How deep lists and mappings may nest. Real plans nest five or six levels.
MAX_DEPTH = 60

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEXAGESIMAL = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_scalar_constructor = SafeConstructor()


class Positions:
    """Where each value (and each mapping key) starts in the file: 1-based line, column.

    Worked out from the composed YAML when asked (a plan is read many more times than a
    problem in it is pointed at), by following the path through the nodes.
    """

    def __init__(self, root: Node | None = None) -> None:
        self.root = root

    def _walk(self, path: PathKey) -> tuple[list[Node], Node | None]:
        """The nodes along path, as far as it exists, and the key node naming the last one."""
        nodes: list[Node] = [] if self.root is None else [self.root]
        key_node = None
        for part in path:
            node, found, key_node = nodes[-1] if nodes else None, None, None
            if isinstance(node, MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == part:
                        found, key_node = v, k
                        break
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                found = node.value[part]
            if found is None:
                return nodes, None
            nodes.append(found)
        return nodes, key_node

    def of_value(self, path: PathKey) -> tuple[int, int]:
        """The value at path, or the nearest enclosing value that exists."""
        nodes, _ = self._walk(path)
        return _mark(nodes[-1]) if nodes else (1, 1)

    def of_key(self, path: PathKey) -> tuple[int, int]:
        """The key that names path (falling back to its value)."""
        nodes, key_node = self._walk(path)
        if key_node is not None and len(nodes) == len(path) + 1:
            return _mark(key_node)
        return self.of_value(path)


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass
class LoadedPlan:
    """A plan file as read: its data (None if unreadable) and anything wrong with it."""

    file: str
    data: Any
    positions: Positions
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(f.severity == "error" for f in self.findings)


class _Refused(Exception):
    def __init__(self, node: Node, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.node, self.message, self.hint = node, message, hint


def load_plan(path: Path, display: str | None = None) -> LoadedPlan:
    """Read and load one plan file; problems come back as findings, never exceptions."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        return _unreadable(name, f"The file could not be read ({e.strerror or e}).")
    return load_plan_bytes(raw, name)


def load_plan_bytes(raw: bytes, file: str) -> LoadedPlan:
    """Load a plan from its bytes (UTF-8, with or without a byte-order mark)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, column = _line_column(raw, e.start)
        return _unreadable(
            file,
            "This file contains characters that are not UTF-8 text.",
            "Save the file as UTF-8 (most editors have this under 'Save with encoding').",
            line,
            column,
        )
    return load_plan_text(text, file)


def load_plan_text(text: str, file: str, upgrade: bool = True) -> LoadedPlan:
    """Load a plan from text; a plan in an older format is brought up to date in memory (and said so).

    ``upgrade=False`` is for loading a part of a plan on its own (fastload), where the whole
    plan is brought up to date once it is put together.
    """
    if "\x00" in text:
        line, column = _line_column(text.encode("utf-8"), text.encode("utf-8").index(b"\x00"))
        return _unreadable(
            file,
            "This file contains a NUL character, so it is not a text file.",
            "Open it in a text editor and remove the invisible character, or restore it from the history.",
            line,
            column,
        )
    if has_conflict_markers(text):
        return LoadedPlan(file, None, Positions(), conflict_findings(text, file))
    try:
        node = _compose(text)
    except yaml.YAMLError as e:
        return LoadedPlan(file, None, Positions(), [explain_yaml_error(e, text, file)])
    except RecursionError:
        return _unreadable(
            file,
            f"Parts of this file are nested far too deeply (more than {MAX_DEPTH} levels) to be a plan.",
            "Compare the indentation and brackets with the template from 'wellplan new'.",
        )
    if node is None:
        return _unreadable(
            file,
            "The file is empty.",
            "A plan starts with 'schema_version: 2'. Run 'wellplan new <id>' to start from a template.",
        )
    if not isinstance(node, MappingNode):
        return _unreadable(
            file,
            "A plan must be a set of 'name: value' lines, but this file is not.",
            "Start with 'schema_version: 2' and 'person:' on their own lines.",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
        )
    builder = _Builder(file, node)
    try:
        data = builder.build(node)
    except _Refused as r:
        mark = r.node.start_mark
        finding = Finding(file, mark.line + 1, mark.column + 1, "", r.message, r.hint)
        return LoadedPlan(file, None, builder.positions, [*builder.findings, finding])
    if upgrade and needs_migration(data):
        line, column = builder.positions.of_value(("schema_version",))
        builder.findings.append(Finding(
            file, line, column, "schema_version",
            f"This plan is written in version {data['schema_version']} of the plan format; this wellplan "
            f"uses version {CURRENT_VERSION}. It is read as if it were up to date, but it needs migrating.",
            f"Run 'wellplan migrate {Path(file).stem}' to bring it up to date as one recorded change "
            "(your comments are kept).", "warning"))
        data = upgrade_plan(data)
    return LoadedPlan(file, data, builder.positions, builder.findings)


def _compose(text: str) -> Node | None:
    loader = _FastLoader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError:
        if _FastLoader is yaml.SafeLoader:
            raise
    finally:
        loader.dispose()
    # libyaml's messages are terser than PyYAML's: parse again for a better one.
    slow = yaml.SafeLoader(text)
    try:
        return slow.get_single_node()
    finally:
        slow.dispose()


def _unreadable(file: str, message: str, hint: str = "", line: int = 1, column: int = 1) -> LoadedPlan:
    return LoadedPlan(file, None, Positions(), [Finding(file, line, column, "", message, hint)])


def _line_column(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    before = raw[:offset]
    start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[start:].decode("utf-8", "replace")) + 1


class _Builder:
    """Turns composed YAML nodes into plain data (the nodes keep where everything was)."""

    def __init__(self, file: str, root: Node) -> None:
        self.file = file
        self.positions = Positions(root)
        self.findings: list[Finding] = []
        self.count = 0
        self.open: set[int] = set()
        self.path: list[str | int] = []  # where the value being built is, for messages

    def build(self, node: Node) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Refused(
                node,
                "This file expands to far too much data to be a plan; it may repeat anchors (&) "
                "and aliases (*) many times over.",
                "Write each part of the plan out once, without & and *.",
            )
        if len(self.path) > MAX_DEPTH:
            raise _Refused(node, f"This part of the file is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        expected = _SEQ if isinstance(node, SequenceNode) else _MAP
        if node.tag != expected:
            raise _Refused(
                node,
                f"The tag '{_short_tag(node.tag)}' is not supported in a plan"
                + (" (it asks to run Python code, which plans never do)." if "python/" in node.tag else "."),
                "Remove the tag (the word starting with !).",
            )
        if id(node) in self.open:
            raise _Refused(node, "An alias (*) here refers to the part it is inside, which never ends.")
        self.open.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                items = []
                for i, item in enumerate(node.value):
                    self.path.append(i)
                    items.append(self.build(item))
                    self.path.pop()
                return items
            if isinstance(node, MappingNode):
                return self._mapping(node)
        finally:
            self.open.discard(id(node))
        raise _Refused(node, "This kind of YAML value is not supported in a plan.")  # pragma: no cover

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _TIMESTAMP:
            return node.value  # dates stay as written; the schema checks they are real dates
        if node.tag in _SEXAGESIMAL and ":" in node.value and not node.style:
            # YAML 1.1 reads 09:30 as the number 570 (base 60). No plan field wants that: a time
            # of day written without quotes stays the text that was typed.
            return node.value
        if node.tag in _PLAIN_TAGS:
            try:
                return _scalar_constructor.yaml_constructors[node.tag](_scalar_constructor, node)
            except (ConstructorError, ValueError):
                return node.value
        if node.tag.startswith("tag:yaml.org,2002:python/"):
            raise _Refused(
                node,
                f"The tag '{_short_tag(node.tag)}' asks to run Python code, which plans never do.",
                "Remove the tag and write the value as plain text.",
            )
        raise _Refused(
            node,
            f"The tag '{_short_tag(node.tag)}' is not supported in a plan.",
            "Remove the tag (the word starting with !) and write the value as plain text.",
        )

    def _mapping(self, node: MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Refused(key_node, "A name before a colon must be plain text, not a list or mapping.")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(
                    key_node,
                    "Merge keys (<<) are not supported in plans.",
                    "Write the values out in full instead.",
                )
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_seen:
                self.findings.append(
                    Finding(
                        self.file,
                        line,
                        key_node.start_mark.column + 1,
                        _dotted((*self.path, key)),
                        f"'{key}' appears twice here (first on line {first_seen[key]}); "
                        "only one would be kept and the other lost.",
                        "Remove one of them, or merge what they say into one.",
                    )
                )
                continue
            first_seen[key] = line
            self.path.append(key)
            result[key] = self.build(value_node)
            self.path.pop()
        return result


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out

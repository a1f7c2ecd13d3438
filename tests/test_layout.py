"""The package reads as the pipeline: imports run one way, from the commands down to the plan."""

from __future__ import annotations

import ast
from pathlib import Path

import builder

PACKAGE = Path(builder.__file__).resolve().parent

#: Each stage may import only the stages after it in this list (and itself).
LAYERS = ["commands", "editor", "demo", "site", "paper", "exchange", "record", "story", "view", "plan",
          "workspace", "errors"]
#: The site and the printed copy are siblings: neither uses the other.
SIBLINGS = {frozenset(pair) for pair in (("site", "paper"), ("site", "exchange"), ("paper", "exchange"))}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every builder module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("builder"))
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports (builder.…), so the layer is plain"
            if node.module and node.module.startswith("builder"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                              or (PACKAGE.parent / sub.replace(".", "/")).is_dir() else node.module)
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_stages_import_only_the_stages_below_them() -> None:
    wrong = []
    for module, imported in _graph().items():
        here = _layer(module)
        if here is None:
            continue
        for other in imported:
            there = _layer(other)
            if there is None or there == here:
                continue
            if frozenset({here, there}) in SIBLINGS or LAYERS.index(there) < LAYERS.index(here):
                wrong.append(f"{module} imports {other}")
    assert not wrong, "imports that run upwards or sideways:\n" + "\n".join(sorted(wrong))


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first walk meets, each as the modules along it."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return cycles


def test_no_import_cycles_between_modules() -> None:
    cycles = find_cycles(_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_the_cycles_this_layout_removed() -> None:
    graph = {
        "builder.paper.pdf": {"builder.paper.document"},
        "builder.paper.document": {"builder.paper.blocks"},
        "builder.paper.blocks": {"builder.paper.pdf"},
        "builder.plan.validate": {"builder.plan.rules"},
        "builder.plan.rules": {"builder.plan.validate"},
    }
    assert find_cycles(graph) == [
        ["builder.paper.blocks", "builder.paper.pdf", "builder.paper.document", "builder.paper.blocks"],
        ["builder.plan.rules", "builder.plan.validate", "builder.plan.rules"],
    ]


def test_every_stage_says_what_it_takes_and_gives() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        lines = [line for line in doc.splitlines() if line.strip()]
        assert len(lines) == 3, f"{init.parent.name}: say in 3 lines what it does, takes, gives"
        assert lines[1].startswith("Takes") and lines[2].startswith("Gives"), init

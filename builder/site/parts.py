"""A site built in parts, side by side on several machines, then put together as one.

``wellplan build --part I/N`` builds every N-th plan, starting at the I-th (in plan id
order), into a folder of its own: each plan's site, exactly as a whole build makes it, and
a small part file with what that part found out (each plan's input key, its row of the team
home, its problems). ``wellplan build --join DIR...`` checks that the parts are every part
of one build (same audience, same recorded history, 1 to N once each), puts their plans'
sites together, builds the team home from all the rows and writes the site's marker: the
result is byte for byte the site a single build makes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from builder.errors import BuildError, UsageError
from builder.site.store import History, Manifest

#: The part file inside a part's folder (never part of a joined site).
PART_FILE = ".wellplan-part.json"
FORMAT = "wellplan-site-part-1"


def parse_part(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4); anything else is a usage error that says what is meant."""
    number, _, of = text.partition("/")
    try:
        found = int(number), int(of)
    except ValueError:
        found = (0, 0)
    if not (1 <= found[0] <= found[1]):
        raise UsageError(f"--part takes I/N, which part of how many, such as 1/4 (not '{text}').")
    return found


def share(paths: list[Path], part: tuple[int, int], layout: str) -> list[Path]:
    """This part's plans: every N-th in id order, starting at the I-th."""
    if layout == "one":
        raise BuildError("A site of one plan is not built in parts: leave out --part, or build "
                         "every plan (no --plan).")
    number, of = part
    ordered = sorted(paths, key=lambda p: p.stem)
    return [path for index, path in enumerate(ordered) if index % of == number - 1]


def dump_part(folder: Path, manifest: Manifest, part: tuple[int, int], report: Any) -> None:
    data = {
        "format": FORMAT,
        "part": list(part),
        "audience": manifest.audience,
        "layout": manifest.layout,
        "plans": manifest.plans,
        "failed": manifest.failed,
        "rows": manifest.rows,
        "history": {"head": manifest.history.head, "base": manifest.history.base,
                    "keys": manifest.history.keys},
        "built": sorted(report.built),
        "fallback": report.fallback,
    }
    (folder / PART_FILE).write_text(json.dumps(data, sort_keys=True, ensure_ascii=False), encoding="utf-8")


def read_parts(folders: list[Path]) -> tuple[Manifest, list[tuple[Path, dict[str, Any]]]]:
    """The joined site's manifest, and each part's folder with what it says; refusing parts
    that are not every part of one build."""
    found = []
    for folder in folders:
        try:
            data = json.loads((folder / PART_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise BuildError(f"{folder} is not a part of a site: build one there with "
                             "'wellplan build --part I/N --out FOLDER'.") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BuildError(f"{folder} was built by another version of wellplan; build the parts again.")
        found.append((folder, data))
    first = found[0][1]
    for folder, data in found[1:]:
        for what, words in (("audience", "for another audience"), ("layout", "of another kind"),
                            ("history", "from another recorded version of the plans")):
            if data[what] != first[what]:
                raise BuildError(f"{folder} was built {words} than {found[0][0]}, so they cannot be "
                                 "joined. Build every part from the same commit.")
    of = first["part"][1]
    numbers = sorted(data["part"][0] for _, data in found)
    if any(data["part"][1] != of for _, data in found) or numbers != list(range(1, of + 1)):
        raise BuildError(f"The parts given are {', '.join(f'{n}/{of}' for n in numbers)}; joining needs "
                         f"every part from 1/{of} to {of}/{of}, each once.")
    history = History(first["history"]["head"], first["history"]["base"], dict(first["history"]["keys"]))
    manifest = Manifest(first["audience"], history=history, layout=first["layout"])
    for _, data in found:
        manifest.plans.update(data["plans"])
        manifest.rows.update(data["rows"])
        manifest.failed.update(data["failed"])
    manifest.failed = dict(sorted(manifest.failed.items()))
    return manifest, found

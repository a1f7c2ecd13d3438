"""Nothing recorded is undone by accident.

Before ``record``, ``edit`` or ``review`` commits a plan, the new text is compared with
the plan's recorded history. It is refused (unless the person says ``--undo``) when it

- removes a recorded review, or
- removes, or puts back an older value over, something another person recorded after
  the version the new text was made from.

Which version that was is not written anywhere (a copy of a file can be edited for
weeks), so it is worked out: the recorded version the new text differs from least,
the newest of equals. A copy taken before Priya's change and edited a little is much
closer to the version before Priya's change than to the one after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import PlanError
from builder.plan.fastload import VersionLoader
from builder.record.merge import MergeResult, merge_plans
from builder.story import describe
from builder.story.diff import Change, diff_plans
from builder.story.history import Revision, Version, read_blobs, read_versions
from builder.story.merges import own_changes_of
from builder.workspace import plan_rel

#: How far back to look for the version a copy was made from.
LOOK_BACK = 40


class WouldUndo(PlanError):
    """The change would undo recorded work; nothing was written or committed."""


@dataclass(frozen=True)
class Undone:
    """A piece of recorded work the new text would undo, and who recorded it when."""

    revision: Revision
    change: Change
    review: bool = False

    def sentence(self) -> str:
        when = describe.date_text(self.revision.when.date().isoformat())
        who = describe.who(self.revision.author, self.revision.role) or self.revision.author
        if self.review:
            return f"the review {who} recorded on {when}"
        return f"the change {who} recorded on {when} ({self.change.what(short=True)})"


def refuse_undoing(workspace: Path, plan_id: str, new: dict[str, Any], *, name: str,
                   command: str) -> None:
    """Raise WouldUndo, saying whose work of which date and how to go on, if new undoes any."""
    found = undone_by(workspace, plan_id, new, name=name)
    if not found:
        return
    sentences = [u.sentence() for u in found[:5]]
    listed = sentences[0] if len(sentences) == 1 else \
        "; ".join(sentences[:-1]) + "; and " + sentences[-1]
    more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
    reviews = any(u.review for u in found)
    raise WouldUndo(
        f"Nothing was recorded, because this would undo {listed}{more}. "
        + ("" if reviews and all(u.review for u in found) else
           "The plan you are recording seems to be an older copy, made before that was recorded. ")
        + (f"To keep their work and yours, run '{command}' again with --merge: your changes "
           "are merged into the recorded plan, item by item. " if command.startswith("wellplan record")
           else "")
        + f"To start again from the recorded plan, save your copy somewhere else and get it back "
        f"with 'git checkout -- {plan_rel(workspace, plan_id)}'. If you do mean to undo it, run "
        f"'{command}' again with --undo."
    )


def merge_onto_recorded(workspace: Path, plan_id: str, content: bytes, name: str) -> MergeResult | None:
    """An older copy's changes merged into the recorded plan, from the version it was made from.

    None if the plan has no readable recorded version to merge with.
    """
    versions = read_versions(workspace, [plan_id]).get(plan_id, [])[:LOOK_BACK]
    new = VersionLoader().load(content)
    if not versions or new is None:
        return None
    loader = VersionLoader()
    blobs = read_blobs(workspace, [v.blob for v in versions])
    datas = [_data(loader, blobs.get(v.blob)) for v in versions]
    base, latest = blobs.get(versions[_base(datas, new)].blob), blobs.get(versions[0].blob)
    if base is None or latest is None:
        return None
    return merge_plans(base, content, latest, ours_label=f"{name}'s version",
                       theirs_label="the recorded version")


def undone_by(workspace: Path, plan_id: str, new: dict[str, Any], *, name: str) -> list[Undone]:
    """The recorded work that the new version of the plan would undo."""
    versions = read_versions(workspace, [plan_id]).get(plan_id, [])[:LOOK_BACK]
    if not versions:
        return []
    loader = VersionLoader()
    blobs = read_blobs(workspace, [b for v in versions
                                   for b in (v.blob, v.parent_blob, *v.other_parent_blobs) if b])
    datas = [_data(loader, blobs.get(v.blob)) for v in versions]
    latest = datas[0]
    if latest is None:
        return []
    found = _removed_reviews(versions, datas, new)
    base = _base(datas, new)
    if base > 0 and datas[base] is not None:
        def load(blob: str | None) -> dict[str, Any] | None:
            return _data(loader, blobs.get(blob)) if blob else None

        found += _undone_since(versions[: base + 1], datas[: base + 1], new, name,
                               lambda v: own_changes_of(v, load, versions[versions.index(v) + 1:]))
    return found


def _data(loader: VersionLoader, raw: bytes | None) -> dict[str, Any] | None:
    return loader.load(raw) if raw is not None else None


def _review_ids(data: dict[str, Any] | None) -> list[str]:
    reviews = (data or {}).get("reviews") or []
    return [r["id"] for r in reviews if isinstance(r, dict) and isinstance(r.get("id"), str)]


def _removed_reviews(versions: list[Version], datas: list[dict[str, Any] | None],
                     new: dict[str, Any]) -> list[Undone]:
    kept = set(_review_ids(new))
    found = []
    for review_id in _review_ids(datas[0]):
        if review_id in kept:
            continue
        # Who recorded it: the review commit that names it, else the oldest version holding it.
        holders = [v for v, d in zip(versions, datas, strict=True) if review_id in _review_ids(d)]
        maker = next((v for v in holders if v.revision.review_id == review_id), holders[-1])
        change = Change("removed", f"reviews[id={review_id}]", "review", None, None)
        found.append(Undone(maker.revision, change, review=True))
    return found


def _base(datas: list[dict[str, Any] | None], new: dict[str, Any]) -> int:
    """The index of the recorded version the new text differs from least (newest of equals)."""
    best, best_size = 0, None
    for index, data in enumerate(datas):
        if data is None:
            continue
        size = len(diff_plans(data, new))
        if best_size is None or size < best_size:
            best, best_size = index, size
        if size == 0:
            break
    return best


def _undone_since(versions: list[Version], datas: list[dict[str, Any] | None],
                  new: dict[str, Any], name: str,
                  own: Callable[[Version], list[Change] | None]) -> list[Undone]:
    """What was recorded after versions[-1] (the base) that new takes away or sets back."""
    base, latest = datas[-1], datas[0]
    assert base is not None and latest is not None
    later = [c for c in diff_plans(base, latest) if c.op != "moved"]
    mine = [c for c in diff_plans(latest, new) if c.op != "moved"]
    undone = [c for c in later if any(_undoes(m, c) for m in mine)]
    found = []
    for change in undone:
        maker = _maker(versions[:-1], own, change)
        if maker is None or maker.author == name or change.path.startswith("reviews[id="):
            continue  # one's own work, or a review (said above, whatever happened to it)
        found.append(Undone(maker, change))
    return found


def _undoes(mine: Change, later: Change) -> bool:
    """Whether my change takes away, or sets back, a change recorded later than my copy."""
    if mine.path == later.path:
        if mine.op == "removed":
            return later.op in ("added", "changed")
        return _same(mine.new, later.old)
    # Removing a whole item takes away every change recorded inside it.
    return mine.op == "removed" and _inside(later.path, mine.path)


def _inside(path: str, outer: str) -> bool:
    return path.startswith(outer) and path[len(outer): len(outer) + 1] in (".", "[")


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _maker(newer: list[Version], own: Callable[[Version], list[Change] | None],
           change: Change) -> Revision | None:
    """The newest commit after the base whose own changes touched the change's path (a
    merge's own changes are only what the person merging settled)."""
    for version in newer:
        for made in own(version) or []:
            if made.path == change.path or _inside(made.path, change.path) or \
                    _inside(change.path, made.path):
                return version.revision
    return None

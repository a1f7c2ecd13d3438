"""What a merge commit did to a plan by itself, beyond the edits it brought together.

A merge's plan differs from each parent by the other side's edits, which are already
told as the edits of the people who made them, on their side. What the merge adds of
its own is only what the person merging settled:

- a thing both sides changed, differently (a conflict): the value the merge kept, said
  as the person merging choosing it;
- anything the merge holds that neither side had (typed while resolving a conflict).

The merge base is found among the plan's own recorded copies: walking back from each
parent's copy through the copies each version was made from, the first copy both sides
share. Comparing copies, not commits, keeps reading the history one pass over the log.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from builder.story.diff import Change, diff_plans

#: How many recorded copies to walk back looking for the copy both sides share.
LOOK_BACK = 500


class CopyGraph:
    """Which copy (blob) of a plan each recorded copy was made from."""

    def __init__(self, versions: Iterable[Any]) -> None:
        self.made_from: dict[str, list[str]] = {}
        for version in versions:
            parents = [b for b in (version.parent_blob, *version.other_parent_blobs) if b]
            known = self.made_from.setdefault(version.blob, [])
            known += [b for b in parents if b not in known and b != version.blob]

    def ancestors(self, blob: str | None) -> list[str]:
        """The copy and those it was made from, nearest first."""
        if blob is None:
            return []
        order, seen, queue = [], {blob}, deque([blob])
        while queue and len(order) < LOOK_BACK:
            current = queue.popleft()
            order.append(current)
            for parent in self.made_from.get(current, []):
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        return order

    def base(self, blobs: list[str | None]) -> str | None:
        """The nearest copy every one of these copies was made from (None: none in common)."""
        if any(b is None for b in blobs):
            return None
        first, *others = (self.ancestors(b) for b in blobs)
        shared = set.intersection(*(set(o) for o in others)) if others else set(first)
        return next((b for b in first if b in shared), None)


def own_changes(merged: dict[str, Any], parents: list[dict[str, Any] | None],
                base: dict[str, Any] | None) -> list[Change]:
    """What the person merging settled themselves (see the module's docstring)."""
    known = [p for p in parents if p is not None]
    if len(known) < 2:
        return []
    against = [_by_path(diff_plans(p, merged)) for p in known]
    settled: dict[str, Change] = {}
    # Something none of the parents has: typed while merging.
    for path, change in against[0].items():
        if all(_same_change(change, other.get(path)) for other in against[1:]):
            settled[path] = change
    if base is not None:
        sides = [_by_path(diff_plans(base, p)) for p in known]
        for path in set.intersection(*(set(s) for s in sides)):
            news = [s[path].new for s in sides]
            if all(_same(n, news[0]) for n in news[1:]):
                continue  # both sides made the same change: nothing to settle
            # Both changed it, differently: the merge kept one of them, or another value.
            change = next((a[path] for a in against if path in a), None)
            if change is not None and path not in settled:
                settled[path] = change
    return [c for path, c in settled.items() if c.op != "moved" and not _inside_any(path, settled)]


def own_changes_of(version: Any, load: Callable[[str | None], dict[str, Any] | None],
                   older: list[Any]) -> list[Change] | None:
    """A version's own changes: a merge's settled ones, another commit's against its parent.

    ``older`` are the versions recorded before it (newest first), among which a merge's base
    is found: only those, as a merge that keeps one side's copy has that copy's blob too.
    None when the version itself cannot be read."""
    data = load(version.blob)
    if data is None:
        return None
    if version.other_parent_blobs:
        parents = [version.parent_blob, *version.other_parent_blobs]
        base = CopyGraph(older).base(list(parents))
        return own_changes(data, [load(b) for b in parents], load(base))
    before = load(version.parent_blob) if version.parent_blob else {}
    return diff_plans(before or {}, data)


def _by_path(changes: list[Change]) -> dict[str, Change]:
    return {c.path: c for c in changes}


def _same_change(a: Change, b: Change | None) -> bool:
    return b is not None and a.op == b.op and _same(a.new, b.new)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _inside_any(path: str, others: dict[str, Change]) -> bool:
    """Whether a settled change lies inside another settled change (told once, by the outer)."""
    return any(path != o and path.startswith(o) and path[len(o): len(o) + 1] in (".", "[")
               for o in others)

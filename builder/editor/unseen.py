"""What one reader may not see of a plan: the part a save from the editor must leave exactly as it was."""

from __future__ import annotations

from typing import Any

from builder.view import view_plan


class _Seen:
    def __repr__(self) -> str:
        return "SEEN"


SEEN: Any = _Seen()


def unseen(plan: dict[str, Any], audience: str) -> Any:
    """The plan with everything this audience sees taken out: what is left is hidden from them."""
    return _rest(plan, view_plan(plan, audience), True)


def _rest(real: Any, viewed: Any, present: bool) -> Any:
    if not present:
        return real
    if isinstance(real, dict):
        viewed = viewed if isinstance(viewed, dict) else {}
        kept = {k: _rest(v, viewed.get(k), k in viewed) for k, v in real.items()}
        kept = {k: v for k, v in kept.items() if v is not SEEN}
        return kept or SEEN
    if isinstance(real, list):
        viewed = viewed if isinstance(viewed, list) else []
        by_id = {v.get("id"): v for v in viewed if isinstance(v, dict) and "id" in v}
        kept = {}
        for index, item in enumerate(real):
            if isinstance(item, dict) and "id" in item:
                rest = _rest(item, by_id.get(item["id"]), item["id"] in by_id)
                where: Any = ("id", str(item["id"]))
            else:
                rest = _rest(item, viewed[index] if index < len(viewed) else None, index < len(viewed))
                where = ("at", index)
            if rest is not SEEN:
                kept[where] = rest
        return kept or SEEN
    return SEEN if viewed == real else real

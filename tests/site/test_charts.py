"""Chart axes stay small and sane whatever numbers a plan holds."""

from __future__ import annotations

import pytest

from builder.site.charts import MAX_TICKS, _nice_ticks


@pytest.mark.parametrize(
    ("low", "high"),
    [(80, 110), (5, 5), (1e300, 1e300 + 1), (-5.6e-46, 1.5), (3.2e16, 4.2e16), (-1e6, 1e6), (0, 1e-300)],
)
def test_ticks_cover_the_values_in_a_few_steps(low: float, high: float) -> None:
    ticks = _nice_ticks(low, high)
    assert 2 <= len(ticks) <= MAX_TICKS
    assert ticks == sorted(set(ticks))
    assert ticks[0] < ticks[-1]


def test_ordinary_values_get_round_ticks() -> None:
    assert _nice_ticks(80, 110) == [80, 90, 100, 110]

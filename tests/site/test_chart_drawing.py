"""Charts read honestly: read back from the drawn SVG, not from the code that drew it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from builder.plan.labels import People
from builder.site.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, axis_window, chart_html

SVG = "{http://www.w3.org/2000/svg}"
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM


def check(kind: str, unit: str, values: list[float], limits: dict | None = None) -> dict:
    results = [{"id": f"r{i}", "date": f"202{5 + i // 12}-{i % 12 + 1:02d}-10", "value": v}
               for i, v in enumerate(values)]
    made = {"id": kind, "kind": kind, "unit": unit, "results": results}
    if limits:
        made["range"] = limits
    return made


def drawn(made: dict) -> tuple[ET.Element, str]:
    html = chart_html(made, People({}))
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    return ET.fromstring(svg), html


def dots(svg: ET.Element) -> list[float]:
    """The results drawn (not the rings round those outside the aim)."""
    return [float(c.get("cy")) for c in svg.iter(f"{SVG}circle") if c.get("fill") != "none"]


def rings(svg: ET.Element) -> list[float]:
    return [float(c.get("cy")) for c in svg.iter(f"{SVG}circle") if c.get("fill") == "none"]


def axis(svg: ET.Element) -> list[float]:
    """The numbers written up the side, read from the drawing."""
    return [float(t.text) for t in svg.iter(f"{SVG}text")
            if t.get("text-anchor") == "end" and t.get("x") == str(LEFT - 6)]


def test_a_small_change_is_drawn_small_not_as_a_cliff():
    svg, _ = drawn(check("waist", "cm", [121, 117]))
    first, last = dots(svg)
    # 4 cm on a 121 cm waist is 3%: it may take at most a fifth of the chart's height.
    assert 0 < last - first <= PLOT_HEIGHT / 5
    ticks = axis(svg)
    assert ticks[0] < 117 - 5 and ticks[-1] > 121 + 5
    assert ticks[0] > 0  # and zero is not forced in, which would flatten a change that matters


def test_a_change_that_is_large_for_the_measure_still_shows():
    svg, _ = drawn(check("cholesterol", "mmol/L", [6.3, 4.2]))
    first, last = dots(svg)
    assert last - first >= PLOT_HEIGHT / 2


def test_the_window_is_a_fifth_of_the_largest_value_centred_and_never_below_zero():
    assert axis_window([100, 104]) == (pytest.approx(91.6), pytest.approx(112.4))
    assert axis_window([80, 120]) == (80, 120)  # already wide enough: left as it is
    assert axis_window([0.45, 0.5])[0] > 0
    svg, _ = drawn(check("alcohol", "units", [0, 1, 0]))
    assert min(axis(svg)) == 0


def test_an_upper_aim_is_a_line_with_its_words_and_an_open_band_below_it():
    svg, html = drawn(check("hba1c", "mmol/mol", [43, 45, 44], {"high": 41}))
    (line,) = [e for e in svg.iter(f"{SVG}line") if e.get("class") == "wp-aim-line"]
    (band,) = [e for e in svg.iter(f"{SVG}rect") if e.get("class") == "wp-aim-band"]
    (label,) = [e for e in svg.iter(f"{SVG}text") if e.get("class") == "wp-aim-label"]
    assert label.text == "Aim: 41 mmol/mol or less"
    line_y = float(line.get("y1"))
    assert line.get("stroke-dasharray")
    assert float(line.get("x2")) - float(line.get("x1")) == WIDTH - LEFT - RIGHT
    # The band starts at the line and is open: it runs to the bottom of the chart, and is not
    # a thin strip (at least a tenth of the height), with the words inside it.
    assert float(band.get("y")) == pytest.approx(line_y, abs=0.1)
    assert float(band.get("y")) + float(band.get("height")) == pytest.approx(TOP + PLOT_HEIGHT, abs=0.1)
    assert float(band.get("height")) >= PLOT_HEIGHT / 10
    assert line_y < float(label.get("y")) <= TOP + PLOT_HEIGHT
    # Every result is above the aim, and is drawn above its line.
    assert all(cy < line_y for cy in dots(svg))
    assert "Aim: 41 mmol/mol or less." in svg.find(f"{SVG}desc").text


def test_a_lower_aim_is_open_upwards_and_a_range_is_a_band_between_two_lines():
    svg, _ = drawn(check("weight", "kg", [48, 50], {"low": 52}))
    (band,) = [e for e in svg.iter(f"{SVG}rect") if e.get("class") == "wp-aim-band"]
    assert float(band.get("y")) == TOP
    (label,) = [e for e in svg.iter(f"{SVG}text") if e.get("class") == "wp-aim-label"]
    assert label.text == "Aim: at least 52 kg"
    svg, _ = drawn(check("glucose", "mmol/L", [5.0, 6.5], {"low": 4, "high": 7}))
    lines = [float(e.get("y1")) for e in svg.iter(f"{SVG}line") if e.get("class") == "wp-aim-line"]
    (band,) = [e for e in svg.iter(f"{SVG}rect") if e.get("class") == "wp-aim-band"]
    assert len(lines) == 2
    assert float(band.get("y")) == pytest.approx(min(lines), abs=0.1)
    assert float(band.get("y")) + float(band.get("height")) == pytest.approx(max(lines), abs=0.1)
    (label,) = [e for e in svg.iter(f"{SVG}text") if e.get("class") == "wp-aim-label"]
    assert label.text == "Aim: 4 to 7 mmol/L"


def test_a_chart_without_an_aim_draws_no_aim():
    svg, _ = drawn(check("waist", "cm", [121, 117]))
    assert not [e for e in svg.iter() if (e.get("class") or "").startswith("wp-aim")]


def test_every_chart_keeps_its_table_of_numbers_beside_it():
    _, html = drawn(check("hba1c", "mmol/mol", [43, 45, 44], {"high": 41}))
    chart = re.search(r'<div class="wp-chart">.*</div></div>$', html, re.S).group(0)
    assert chart.index("</svg>") < chart.index("<table")
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>.*?</td>", chart)]
    # Date, result, whether it is outside the agreed aim (all three are over 41, and which way
    # each moved since the one before), who did it.
    assert cells[1::4] == ["43 mmol/mol", "45 mmol/mol", "44 mmol/mol"]
    aim = "Above the aim of 41 mmol/mol or less"
    assert cells[2::4] == [aim, f"{aim}, and going up", f"{aim}, and coming down"]


def test_every_result_is_drawn_inside_the_axis_and_the_aim_words_keep_clear_of_it():
    bp = {"id": "bp", "kind": "blood_pressure", "range": {"high": 140}, "results": [
        {"id": "a", "date": "2025-05-06", "systolic": 148, "diastolic": 92},
        {"id": "b", "date": "2025-11-04", "systolic": 141, "diastolic": 88},
        {"id": "c", "date": "2026-05-05", "systolic": 134, "diastolic": 84},
    ]}
    svg, _ = drawn(bp)
    ticks = axis(svg)
    assert ticks[0] <= 84 and ticks[-1] >= 148  # 148 was once drawn above an axis ending at 140
    ys = dots(svg) + [float(r.get("y")) + 4 for r in svg.iter(f"{SVG}rect") if r.get("width") == "8"]
    assert len(ys) == 6 and all(TOP - 0.1 <= cy <= TOP + PLOT_HEIGHT + 0.1 for cy in ys)
    assert len(rings(svg)) == 2  # 148 and 141 are over the agreed 140: ringed
    # The systolic line ends just under the aim's line on the right, so the words go on the left.
    (label,) = [e for e in svg.iter(f"{SVG}text") if e.get("class") == "wp-aim-label"]
    assert (label.get("text-anchor"), float(label.get("x"))) == ("start", LEFT + 6)


@pytest.mark.parametrize(("low", "high"), [(84, 148), (117, 121), (43, 45), (5.7, 6.3), (0, 1), (98, 101)])
def test_ticks_reach_past_the_highest_and_lowest_value(low, high):
    from builder.site.charts import _nice_ticks

    ticks = _nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high

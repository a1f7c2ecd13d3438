"""Charts of physical health measures over time, as SVG with the numbers in a table.

Pure functions: a health check (already filtered for the audience) in, HTML out.
The SVG is drawn inline so it prints and works offline; it carries a title and a
description for screen readers, and the same numbers sit in a table below it.

Honest axes: the value axis does not start at the lowest result, which makes a small
change look like a cliff. It spans at least a fifth of the largest value shown
(``MIN_SPAN``), so a change is drawn in proportion to the measure itself: 4 cm on a
121 cm waist (3%) takes about a sixth of the height, not all of it. Zero is not
forced in: an axis from 0 to 120 kg would flatten a change in weight that matters.

The range a plan agrees is drawn as what it is, with its words ("Aim: 41 mmol/mol or
less"): a low and a high are a band between two lines; a single limit is one line with
an open band on the side the plan aims for, reaching the edge of the chart.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from builder.plan.clinical import offer_words, offers_about, outside_range
from builder.plan.labels import People, check_name, long_date, parse_date
from builder.plan.readings import judge
from builder.site.html_text import attr, badge, plain, table, text
from builder.story.describe import range_words

#: The measures charted, in the order shown; other numeric checks follow.
CHART_ORDER = ("weight", "bmi", "waist", "blood_pressure", "pulse", "hba1c", "glucose", "cholesterol")

WIDTH, HEIGHT = 480, 290
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 44, 44
LINE = "#283593"
SECOND_LINE = "#00695c"
GRID = "#d5d8e0"
INK = "#1f2330"
BAND = "#e3f2e6"
AIM = "#1b5e20"
#: The ring round a result outside the agreed range (dark red, 7:1 on white).
OUTSIDE = "#b71c1c"
#: The value axis spans at least this share of the largest value shown.
MIN_SPAN = 0.2


def chartable(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checks with at least one numeric result, in chart order."""
    found = [c for c in checks if _points(c)]
    rank = {kind: i for i, kind in enumerate(CHART_ORDER)}
    return sorted(found, key=lambda c: (rank.get(c.get("kind"), len(rank)), check_name(c)))


def chart_html(check: dict[str, Any], people: People) -> str:
    """One chart and its data table, side by side."""
    keys = _series(check)
    name = check_name(check)
    unit = str(check.get("unit") or ("mmHg" if check.get("kind") == "blood_pressure" else ""))
    cid = f"chart-{attr(check.get('id', 'check'))}"
    series = [(label, _points(check, key)) for label, key in keys]
    band = check.get("range") if isinstance(check.get("range"), dict) else None
    aim = f"Aim: {range_words(check)}" if range_words(check) else ""
    outside = [r for r in _sorted_results(check) if outside_range(check, r)]
    summary = _summary(name, unit, series) + (f" {aim}." if aim else "")
    if outside:
        count = "1 result is" if len(outside) == 1 else f"{len(outside)} results are"
        summary += f" {count} outside the aim, ringed in red."
    svg = _svg(cid, name, summary, unit, series, band, aim,
               {parse_date(r.get("date")) for r in outside})
    headers = ["Date", *[label for label, _ in keys]] if len(keys) > 1 else ["Date", "Result"]
    if band:
        headers.append("Outside the aim?")
    headers.append("Done by")
    rows = []
    previous = None
    for result in _sorted_results(check):
        values = [_value_cell(result, key, unit) for _, key in keys]
        if all(v == "" for v in values):
            continue
        if band:
            values.append(_outside_cell(check, result, previous))
        previous = result
        by = text(people.name(result["by"])) if result.get("by") else ""
        rows.append([text(long_date(result.get("date"))), *values, by])
    data = table(f"{name}: every result", headers, rows)
    return (
        f'<div class="wp-chart"><figure>{svg}'
        f'<figcaption aria-hidden="true">{text(summary)}</figcaption></figure>'
        f"<div>{data}</div></div>"
    )


def _outside_cell(check: dict[str, Any], result: dict[str, Any], previous: dict[str, Any] | None) -> str:
    """In words: above or below the aim, which way it is moving, and what was offered about it."""
    verdict = judge(check, result, previous)
    if verdict is None:
        return "No"
    offers = [o for o in offers_about(check, result) if o.get("result") == result.get("id")]
    said = badge(verdict.words(), "soon" if verdict.toward else "overdue")
    return said + "".join(f"<br>Offered: {text(offer_words(o))}" for o in offers)


def _sorted_results(check: dict[str, Any]) -> list[dict[str, Any]]:
    results = [r for r in check.get("results") or [] if isinstance(r, dict)]
    return sorted(results, key=lambda r: str(r.get("date", "")))


def _series(check: dict[str, Any]) -> list[tuple[str, str]]:
    if check.get("kind") == "blood_pressure":
        return [("Systolic (top number)", "systolic"), ("Diastolic (bottom number)", "diastolic")]
    return [(check_name(check), "value")]


def _points(check: dict[str, Any], key: str | None = None) -> list[tuple[date, float]]:
    keys = [key] if key else [k for _, k in _series(check)]
    points = []
    for result in _sorted_results(check):
        day = parse_date(result.get("date"))
        for k in keys:
            value = result.get(k)
            if day and isinstance(value, int | float) and not isinstance(value, bool):
                if math.isfinite(value):
                    points.append((day, float(value)))
    return points


def _value_cell(result: dict[str, Any], key: str, unit: str) -> str:
    value = result.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    return text(f"{_number(value)} {unit}".strip())


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"


def _summary(name: str, unit: str, series: list[tuple[str, list[tuple[date, float]]]]) -> str:
    parts = []
    for label, points in series:
        if not points:
            continue
        first, last = points[0], points[-1]
        count = len(points)
        results = "1 result" if count == 1 else f"{count} results"
        lead = name if len(series) == 1 else label
        span = (
            f"on {long_date(first[0])}"
            if count == 1
            else f"from {long_date(first[0])} to {long_date(last[0])}"
        )
        parts.append(f"{lead}: {results} {span}; latest {_number(last[1])} {unit}".strip())
    return ". ".join(parts) + "."


def _svg(
    cid: str,
    name: str,
    summary: str,
    unit: str,
    series: list[tuple[str, list[tuple[date, float]]]],
    band: dict[str, Any] | None,
    aim: str = "",
    outside: set[date | None] | None = None,
) -> str:
    """A line chart: time along the bottom, value up the side, each result a dot."""
    points = [p for _, pts in series for p in pts]
    values = [v for _, v in points]
    low_band, high_band = (_band_edge(band, "low"), _band_edge(band, "high"))
    band_values = [v for v in (low_band, high_band) if v is not None]
    low, high = axis_window(values + band_values)
    ticks = _nice_ticks(low, high)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    if high_band is not None and low_band is None and ticks[0] >= high_band:
        ticks.insert(0, round(ticks[0] - step, 10))  # room below for an "or less" band
    if low_band is not None and high_band is None and ticks[-1] <= low_band:
        ticks.append(round(ticks[-1] + step, 10))  # room above for an "at least" band
    y_min, y_max = ticks[0], ticks[-1]
    days = [d.toordinal() for d, _ in points]
    d_min, d_max = min(days), max(days)
    if d_min == d_max:
        d_min, d_max = d_min - 30, d_max + 30
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + (day.toordinal() - d_min) / (d_max - d_min) * plot_w

    def y(value: float) -> float:
        return TOP + (y_max - value) / (y_max - y_min) * plot_h

    parts = [
        f'<svg id="{cid}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif" font-size="17">',
        f'<title id="{cid}-title">{plain(name)} over time</title>',
        f'<desc id="{cid}-desc">{plain(summary)} The numbers are in the table below this chart.</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    if band_values:
        top = y(high_band) if high_band is not None else TOP
        bottom = y(low_band) if low_band is not None else TOP + plot_h
        parts.append(
            f'<rect class="wp-aim-band" x="{LEFT}" y="{top:.1f}" width="{plot_w}" '
            f'height="{max(bottom - top, 0):.1f}" fill="{BAND}"/>'
        )
    for tick in ticks:
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{plain(_number(tick))}</text>"
        )
    if band_values:
        parts += _aim_lines(low_band, high_band, aim, y, plot_w, [(x(d), y(v)) for d, v in points])
    parts.append(f'<text x="{LEFT}" y="{TOP - 14}" fill="{INK}" font-weight="bold">{plain(unit)}</text>')
    first, last = min(points)[0], max(points)[0]
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 16}" fill="{INK}">{plain(_short_date(first))}</text>')
    if last != first:
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 16}" text-anchor="end" fill="{INK}">'
            f"{plain(_short_date(last))}</text>"
        )
    for index, (label, pts) in enumerate(series):
        colour = LINE if index == 0 else SECOND_LINE
        dash = "" if index == 0 else ' stroke-dasharray="6 4"'
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in pts)
        if len(pts) > 1:
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>'
            )
        for d, v in pts:
            if index == 0 and outside and d in outside:
                # A ring as well as the colour, so it does not depend on seeing red.
                parts.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="9" fill="none" '
                             f'stroke="{OUTSIDE}" stroke-width="2.5"/>')
            shape = (
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="4.5" fill="{colour}"/>'
                if index == 0
                else f'<rect x="{x(d) - 4:.1f}" y="{y(v) - 4:.1f}" width="8" height="8" fill="{colour}"/>'
            )
            parts.append(shape)
        if len(series) > 1:
            lx = LEFT + 70 + index * 140
            parts.append(
                f'<line x1="{lx}" x2="{lx + 24}" y1="{TOP - 18}" y2="{TOP - 18}" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/><text x="{lx + 30}" y="{TOP - 14}" fill="{INK}">'
                f"{plain(label.split(' (')[0])}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _aim_lines(low: float | None, high: float | None, aim: str, y: Any, plot_w: float,
               dots: list[tuple[float, float]]) -> list[str]:
    """Each limit of the agreed range as a line, and its words by it, on the side of the aim."""
    parts = [
        f'<line class="wp-aim-line" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(edge):.1f}" '
        f'y2="{y(edge):.1f}" stroke="{AIM}" stroke-width="2" stroke-dasharray="8 4"/>'
        for edge in (low, high) if edge is not None
    ]
    if high is not None and (low is None or y(low) - y(high) >= 22):
        label_y = y(high) + 18  # inside the band, just under its top line
    else:
        label_y = y(low) - 7  # just above an "at least" line
    # At the end of the chart where the results are furthest from the words, so that a line of
    # results does not run through them.
    ends = [(LEFT + plot_w - 6, "end", LEFT + plot_w * 0.55, LEFT + plot_w),
            (LEFT + 6, "start", LEFT, LEFT + plot_w * 0.45)]

    def room(end: tuple[float, str, float, float]) -> float:
        near = [abs(dy - (label_y - 5)) for dx, dy in dots if end[2] <= dx <= end[3]]
        return min(near, default=float("inf"))

    x_label, anchor, _, _ = max(ends, key=room)
    parts.append(
        f'<text class="wp-aim-label" x="{x_label}" y="{label_y:.1f}" text-anchor="{anchor}" fill="{AIM}" '
        f'font-size="15" font-weight="bold" stroke="#ffffff" stroke-width="4" '
        f'paint-order="stroke">{plain(aim)}</text>'
    )
    return parts


def axis_window(values: list[float]) -> tuple[float, float]:
    """The lowest and highest value the axis must show: at least MIN_SPAN of the largest."""
    low, high = min(values), max(values)
    least = MIN_SPAN * max(abs(low), abs(high))
    if high - low < least:
        middle = (low + high) / 2
        # Centred on the values, so it never reaches below zero for values that cannot.
        low, high = middle - least / 2, middle + least / 2
    return low, high


def _band_edge(band: dict[str, Any] | None, key: str) -> float | None:
    value = (band or {}).get(key)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _short_date(day: date) -> str:
    return f"{day:%b %Y}"


#: More grid lines than this would be unreadable; only extreme values could ask for them.
MAX_TICKS = 12


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if not high - low > 1e-9 * max(1.0, abs(low), abs(high)):
        pad = max(1.0, abs(low) * 0.1)
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    # Counted, not accumulated: near huge values adding a small step changes nothing, and a
    # loop waiting to pass `high` never ended (found with plans generated from the schema).
    # Enough steps to reach the highest value: rounding to the nearest step left a result of
    # 148 above an axis that stopped at 140.
    count = min(math.ceil((high - start) / step - 1e-9) + 1, MAX_TICKS)
    ticks = sorted({round(start + i * step, 10) for i in range(max(count, 1))})
    return ticks if len(ticks) > 1 else [ticks[0], ticks[0] + 1]

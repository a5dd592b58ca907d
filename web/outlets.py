"""The outlet view of the search page: small multiples, one server-drawn SVG row per outlet.

The counts come from the search library (search/attention.py); here each outlet's series is
drawn as bars on one shared time axis and one shared scale, so which outlet covered a story
first and most shows at a glance. Each row is a single ``<path>`` (one subpath per bar), so a
century of months for twenty outlets stays a few dozen elements. ``measure`` is ``count``
(matching articles) or ``share`` (matching articles as a part of the outlet's output).
"""
from __future__ import annotations

from dataclasses import dataclass

from search import attention as counting
from search import request as rules

from . import chart

MEASURES = {"count": "Matching articles", "share": "Share of the outlet's articles"}
PAGE_PERIODS = 120  # the finest interval with at most this many periods is drawn
ROW_WIDTH = 600  # SVG user units; each SVG scales to its box
ROW_HEIGHT = 32
MIN_BAR_HEIGHT = 1.5  # a period with any match stays visible
GAP = 0.15  # share of each slot left empty between bars (none once bars get thinner than this)


@dataclass(frozen=True)
class Row:
    outlet: str
    matches: int
    path: str
    summary: str  # what the row shows, for screen readers


def period_label(name: str | None, interval: str) -> str:
    if name is None:
        return "undated"
    return ("week of " if interval == "week" else "") + chart.label(name)


def interval_for(facet_values) -> str:
    """The finest interval with at most PAGE_PERIODS periods over the months or days of the published facet."""
    values = sorted(value for value in (v["value"] if isinstance(v, dict) else v.value for v in facet_values or ())
                    if value != rules.UNDATED)
    if not values:
        return "month"
    first, last = values[0], values[-1]
    first_day = first if len(first) == 10 else first + "-01"
    last_day = last if len(last) == 10 else chart.period_end(chart.parse_period(last)[0], "month").isoformat()
    return counting.finest_interval(first_day, last_day, PAGE_PERIODS)


def small_multiples(data: dict, measure: str) -> dict | None:
    """Rows to draw from an /api/attention answer; None when no match has a date."""
    interval = data["interval"]
    dated = [[p for p in s["points"] if p["date"] is not None] for s in data["series"]]
    if not dated or not dated[0]:
        return None
    peak = max((p[measure] for points in dated for p in points), default=0) or 1
    slot = ROW_WIDTH / len(dated[0])
    width = slot * (1 - GAP) if slot >= 2 else slot
    rows = []
    for series, points in zip(data["series"], dated):
        bars = []
        for i, p in enumerate(points):
            if p[measure]:
                height = max(MIN_BAR_HEIGHT, ROW_HEIGHT * p[measure] / peak)
                bars.append(f"M{i * slot:.2f} {ROW_HEIGHT}v{-height:.2f}h{width:.2f}v{height:.2f}z")
        matches = sum(p["count"] for p in series["points"])
        undated = matches - sum(p["count"] for p in points)
        top = max(points, key=lambda p: p[measure])
        shown = f"{top['share']:.0%}" if measure == "share" else f"{top['count']:,}"
        summary = (f"{series['outlet']}: {matches:,} matching {'article' if matches == 1 else 'articles'}"
                   + (f", {undated:,} undated" if undated else "")
                   + (f"; most in {period_label(top['date'], interval)} ({shown})" if top[measure] else ""))
        rows.append(Row(series["outlet"], matches, "".join(bars), summary))
    return {"rows": rows, "interval": interval, "measure": measure, "label": MEASURES[measure],
            "first": period_label(dated[0][0]["date"], interval),
            "last": period_label(dated[0][-1]["date"], interval),
            "peak": f"{peak:.0%}" if measure == "share" else f"{peak:,}",
            "width": ROW_WIDTH, "height": ROW_HEIGHT}

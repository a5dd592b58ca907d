"""Attention over time, per outlet: how much of each outlet's output a search matches, period by period.

For every outlet with a match, one series of points — a day, an ISO week (named by its Monday)
or a month — from the first period with a match to the last, empty periods included so gaps
show. ``count`` is the outlet's matching articles in the period (every article counts for its
own outlet: syndicated copies are not folded here), ``total`` all of that outlet's articles in
the period, ``share`` their ratio (0 where the outlet published nothing). Articles without a
date are one last point with ``date`` null, so each series' counts add up to the outlet's
matches. Counted from the per-document ordinals (facets.py), like the facets.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from index import schema as f

from . import facets
from .errors import BadQuery
from .request import SearchRequest

INTERVALS = ("day", "week", "month")
MAX_POINTS = 1200  # periods per series: ~3 years of days, 23 of weeks, a century of months


def period(day: str, interval: str) -> str:
    """The period a ``YYYY-MM-DD`` day falls in, as its name: the day, its week's Monday, or ``YYYY-MM``."""
    if interval == "month":
        return day[:7]
    if interval == "week":
        start = date.fromisoformat(day)
        return (start - timedelta(days=start.weekday())).isoformat()
    return day


def successive(first, last, step, most: int) -> list:
    """``first``, ``step(first)``, … up to ``last`` inclusive, at most ``most`` + 1 of them (one more
    than allowed, so a caller can tell "too many"). Periods as names here, as dates in web/chart.py."""
    found, current = [], first
    while current <= last and len(found) <= most:
        found.append(current)
        current = step(current)
    return found


def periods_from(first: str, last: str, interval: str) -> list[str]:
    """Every period name from ``first`` to ``last`` inclusive, at most MAX_POINTS + 1 of them."""
    return successive(first, last, lambda name: _next(name, interval), MAX_POINTS)


def _next(name: str, interval: str) -> str:
    if interval == "month":
        year, month = int(name[:4]), int(name[5:7])
        return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
    step = timedelta(days=7 if interval == "week" else 1)
    return (date.fromisoformat(name) + step).isoformat()


def attention(engine, request: SearchRequest, interval: str = "month") -> dict:
    """``{"interval", "series": [{"outlet", "points": [{"date", "count", "total", "share"}]}]}``.

    Series are ordered by the outlet's matches, most first (ties by name). Raises BadQuery
    (``interval``) for an unknown interval or one that would need more than MAX_POINTS periods.
    """
    if interval not in INTERVALS:
        raise BadQuery(f"interval must be one of {', '.join(INTERVALS)}", "interval")
    live, matched, _ = engine.matches(replace(request, sort="newest"))  # the order is not needed
    outlets, days = live.column(f.OUTLET), live.column(f.DAY)
    names = live.memo(("attention-periods", interval),
                      lambda: [period(day, interval) for day in days.values])
    totals = live.memo(("attention-totals", interval), lambda: _count(live.all_docs(), outlets, days, names))
    counts = _count(matched, outlets, days, names)
    dated = sorted({name for (_, name) in counts if name is not None})
    span = periods_from(dated[0], dated[-1], interval) if dated else []
    if len(span) > MAX_POINTS:
        raise BadQuery(f"interval={interval} would give more than {MAX_POINTS} points per outlet for these "
                       "matches — choose a longer interval or narrow the dates", "interval")
    per_outlet = Counter()
    for (outlet, _), n in counts.items():
        per_outlet[outlet] += n
    series = []
    for outlet, _ in sorted(per_outlet.items(), key=lambda kv: (-kv[1], kv[0])):
        points = [_point(name, counts[outlet, name], totals[outlet, name]) for name in span]
        if counts[outlet, None]:
            points.append(_point(None, counts[outlet, None], totals[outlet, None]))
        series.append({"outlet": outlet, "points": points})
    return {"interval": interval, "series": series}


def _point(name: str | None, count: int, total: int) -> dict:
    return {"date": name, "count": count, "total": total, "share": round(count / total, 4) if total else 0.0}


def _count(docnums, outlets: facets.Ordinals, days: facets.Ordinals, names: list[str]) -> Counter:
    """(outlet, period name or None) → documents among ``docnums``; documents without an outlet left out."""
    outlet_of, day_of, values = outlets.by_doc, days.by_doc, outlets.values
    counts: Counter = Counter()
    for (o, day), n in Counter((outlet_of[d], day_of[d]) for d in docnums).items():
        if o != facets.NONE:
            counts[values[o], None if day == facets.NONE else names[day]] += n
    return counts


def finest_interval(first_day: str, last_day: str, most: int) -> str:
    """The finest interval that covers ``first_day``..``last_day`` in at most ``most`` periods (else month)."""
    for interval in INTERVALS[:-1]:
        if len(periods_from(period(first_day, interval), period(last_day, interval), interval)) <= most:
            return interval
    return INTERVALS[-1]

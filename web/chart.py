"""The date facet drawn as bars: coverage over time, rendered on the server as SVG.

The search library counts documents per published date (its ``published``
facet: values ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``). Here the counts are put
on a time axis, empty periods included so that gaps in coverage show, and
coarsened from days to months to years until the bars fit. Each bar names the
``published`` filter value (a month or a day) that keeps only its period; year
bars, which that filter cannot name, carry a ``from``/``to`` range instead.
"""
from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from search import attention

MAX_BARS = 40  # more than this and bars get thinner than a finger: coarsen
CHART_WIDTH = 240  # SVG user units; the SVG scales to its box
CHART_HEIGHT = 56
MIN_BAR_HEIGHT = 2  # a period with any coverage stays visible
GAP = 0.15  # share of each slot left empty between bars

UNITS = ("day", "month", "year")


@dataclass(frozen=True)
class Bar:
    start: date
    end: date
    count: int
    unit: str
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0

    @property
    def value(self) -> str | None:
        """The ``published`` filter value naming this period (the API takes months and days)."""
        if self.unit == "day":
            return self.start.isoformat()
        if self.unit == "month":
            return self.start.isoformat()[:7]
        return None

    @property
    def label(self) -> str:
        if self.unit == "day":
            return f"{self.start.day} {self.start:%b %Y}"
        if self.unit == "month":
            return f"{self.start:%b %Y}"
        return f"{self.start:%Y}"


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    unit: str
    total: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def first(self) -> Bar:
        return self.bars[0]

    @property
    def last(self) -> Bar:
        return self.bars[-1]

    @property
    def peak(self) -> int:
        return max(b.count for b in self.bars)


def label(value: str) -> str:
    """A facet or filter value as people write it: ``2020-01`` → ``Jan 2020``."""
    parsed = parse_period(value)
    if parsed is None:
        return value
    return Bar(start=parsed[0], end=parsed[0], count=0, unit=parsed[1]).label


def parse_period(value: str) -> tuple[date, str] | None:
    """The start of the period a facet value names, and its unit; None for anything else."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value), "day"
        if len(value) == 7:
            return date(int(value[:4]), int(value[5:7]), 1), "month"
        if len(value) == 4:
            return date(int(value), 1, 1), "year"
    except ValueError:
        return None
    return None


def period_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def period_end(start: date, unit: str) -> date:
    if unit == "day":
        return start
    if unit == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start.replace(month=12, day=31)


def next_period(start: date, unit: str) -> date:
    return period_end(start, unit) + timedelta(days=1)


def periods_between(first: date, last: date, unit: str) -> list[date]:
    return attention.successive(first, last, lambda start: next_period(start, unit), MAX_BARS)


def build(facet_values) -> Chart | None:
    """A chart from ``[{"value", "count"}]`` (dicts or objects); None when no value is a date."""
    counts: Counter = Counter()
    finest = len(UNITS) - 1
    for item in facet_values or ():
        value = item["value"] if isinstance(item, dict) else item.value
        count = item["count"] if isinstance(item, dict) else item.count
        parsed = parse_period(str(value))
        if parsed and count > 0:
            counts[parsed[0]] += count
            finest = min(finest, UNITS.index(parsed[1]))
    if not counts:
        return None
    for unit in UNITS[finest:]:
        binned: Counter = Counter()
        for start, count in counts.items():
            binned[period_start(start, unit)] += count
        starts = periods_between(min(binned), max(binned), unit)
        if len(starts) <= MAX_BARS or unit == UNITS[-1]:
            break
    if len(starts) > MAX_BARS:  # centuries of years: show only the years with coverage
        starts = sorted(binned)
    return Chart(bars=_lay_out([(s, binned.get(s, 0)) for s in starts], unit), unit=unit,
                 total=sum(binned.values()))


def _lay_out(periods, unit) -> tuple[Bar, ...]:
    peak = max(count for _, count in periods)
    slot = CHART_WIDTH / len(periods)
    bars = []
    for i, (start, count) in enumerate(periods):
        height = 0.0 if count == 0 else max(MIN_BAR_HEIGHT, CHART_HEIGHT * count / peak)
        bars.append(Bar(start=start, end=period_end(start, unit), count=count, unit=unit,
                        x=round(i * slot + slot * GAP / 2, 2), y=round(CHART_HEIGHT - height, 2),
                        width=round(slot * (1 - GAP), 2), height=round(height, 2)))
    return tuple(bars)

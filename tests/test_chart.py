"""web/chart.py: the date facet on a time axis — gaps kept, coarsened until the bars fit."""
from datetime import date

from web import chart


def test_days_of_one_month_with_the_empty_days_between():
    built = chart.build([{"value": "2020-01-01", "count": 4}, {"value": "2020-01-04", "count": 2}])
    assert built.unit == "day"
    assert [(b.start.isoformat(), b.count) for b in built.bars] == [
        ("2020-01-01", 4), ("2020-01-02", 0), ("2020-01-03", 0), ("2020-01-04", 2)]
    assert [b.value for b in built.bars] == ["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04"]
    assert built.bars[0].height == chart.CHART_HEIGHT and built.bars[3].height == chart.CHART_HEIGHT / 2
    assert built.bars[1].height == 0


def test_months_keep_their_order_and_gaps():
    built = chart.build([{"value": "2020-03", "count": 1}, {"value": "2019-12", "count": 100}])
    assert [(b.value, b.count) for b in built.bars] == [("2019-12", 100), ("2020-01", 0), ("2020-02", 0),
                                                         ("2020-03", 1)]
    assert built.bars[3].height == chart.MIN_BAR_HEIGHT  # one article is still visible
    assert (built.first.label, built.last.label) == ("Dec 2019", "Mar 2020")
    assert built.bars[0].end == date(2019, 12, 31)


def test_too_many_months_become_years_which_carry_no_filter_value():
    facet = [{"value": f"{year}-06", "count": year - 1990} for year in range(1991, 2001)]
    built = chart.build(facet)
    assert built.unit == "year" and len(built.bars) == 10
    assert built.bars[0].value is None
    assert (built.bars[0].start, built.bars[0].end) == (date(1991, 1, 1), date(1991, 12, 31))
    assert built.total == sum(range(1, 11))


def test_bars_fit_the_chart_width():
    built = chart.build([{"value": f"2020-01-{d:02d}", "count": d} for d in range(1, 32)])
    assert len(built.bars) == 31
    assert built.bars[-1].x + built.bars[-1].width <= chart.CHART_WIDTH
    assert all(b.width > 0 for b in built.bars)


def test_values_that_are_not_dates_are_ignored():
    assert chart.build([{"value": "unknown", "count": 3}]) is None
    assert chart.build([]) is None
    assert chart.label("2020-01") == "Jan 2020" and chart.label("2020-01-05") == "5 Jan 2020"
    assert chart.label("not a date") == "not a date"

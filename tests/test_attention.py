"""GET /api/attention and the search page's outlet view, over the synthetic newsroom (tests/articles.newsroom)."""
from collections import Counter
from datetime import date, timedelta

import pytest

from articles import newsroom

CORPUS = newsroom()
SEARCHES = [{"q": "embassy"}, {"q": "protest", "match": "any"}, {"q": "embassy", "outlet": "CNN"},
            {"q": "", "published": "2020-02"}, {"q": "report", "from": "2020-01-05", "to": "2020-03-01"}]


def attention(client, **params):
    response = client.get("/api/attention", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def outlet_totals(client, **params):
    data = client.get("/api/search", query_string=params).json
    return {v["value"]: v["count"] for v in data["facets"]["outlet"]}, data["total"]


@pytest.mark.parametrize("interval", ["day", "week", "month"])
@pytest.mark.parametrize("params", SEARCHES, ids=str)
def test_each_series_sums_to_the_outlets_matches(newsroom_client, params, interval):
    data = attention(newsroom_client, **params, interval=interval)
    assert set(data) == {"interval", "series"} and data["interval"] == interval
    per_outlet, total = outlet_totals(newsroom_client, **params)
    sums = {s["outlet"]: sum(p["count"] for p in s["points"]) for s in data["series"]}
    assert sums == per_outlet
    assert sum(sums.values()) == total
    assert [s["outlet"] for s in data["series"]] == sorted(sums, key=lambda o: (-sums[o], o))


def week_of(day: str) -> str:
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


def test_counts_totals_and_shares_match_the_corpus(newsroom_client):
    data = attention(newsroom_client, q="embassy", interval="week")
    says = {a.id for a in CORPUS if "embassy" in f"{a.title} {a.text()}".split()}
    matched = Counter((a.outlet, week_of(a.published) if a.published else None) for a in CORPUS if a.id in says)
    output = Counter((a.outlet, week_of(a.published) if a.published else None) for a in CORPUS)
    for series in data["series"]:
        dates = [p["date"] for p in series["points"]]
        assert dates[-1] is None  # undated matches are the last point
        weeks = dates[:-1]
        assert weeks == sorted(weeks) and all(
            date.fromisoformat(b) - date.fromisoformat(a) == timedelta(days=7) for a, b in zip(weeks, weeks[1:]))
        for p in series["points"]:
            key = (series["outlet"], p["date"])
            assert (p["count"], p["total"]) == (matched[key], output[key])
            assert p["share"] == (round(p["count"] / p["total"], 4) if p["total"] else 0.0)


def test_syndicated_copies_count_for_their_own_outlet(newsroom_client):
    copy = CORPUS[40]  # repeats article 38's text in another outlet
    assert copy.text() == CORPUS[38].text() and copy.outlet != CORPUS[38].outlet
    data = attention(newsroom_client, q="number38", interval="month")
    assert {s["outlet"]: sum(p["count"] for p in s["points"]) for s in data["series"]} == {
        CORPUS[38].outlet: 1, copy.outlet: 1}


def test_month_is_the_default_interval(newsroom_client):
    data = attention(newsroom_client, q="embassy")
    assert data["interval"] == "month"
    assert [p["date"] for p in data["series"][0]["points"]] == ["2020-01", "2020-02", "2020-03", None]


@pytest.mark.parametrize("query", ["interval=year", "interval=Day", "q=*", "outlet=Nowhere"])
def test_bad_attention_parameters_are_400_naming_them(newsroom_client, query):
    response = newsroom_client.get("/api/attention?" + query)
    assert response.status_code == 400
    assert response.json["error"]["param"] == query.split("=")[0]


def test_search_page_draws_one_row_per_outlet(newsroom_client):
    html = newsroom_client.get("/?q=embassy&attention=count").get_data(as_text=True)
    assert html.count('<li class="outlets__row">') == 3
    for name, n in outlet_totals(newsroom_client, q="embassy")[0].items():
        assert f'<span class="outlets__name">{name}</span>\n      <span class="outlets__count">{n:,}</span>' in html
    assert 'href="/api/attention?q=embassy&amp;interval=day"' in html  # ~3 months: drawn per day
    share = newsroom_client.get("/?q=embassy&attention=share").get_data(as_text=True)
    assert "Share of the outlet&#39;s articles per day" in share
    hidden = newsroom_client.get("/?q=embassy").get_data(as_text=True)
    assert 'class="outlets"' not in hidden and 'href="/?q=embassy&amp;attention=count">Outlets over time' in hidden


def test_unknown_outlet_view_is_a_400_on_the_page(newsroom_client):
    response = newsroom_client.get("/?q=embassy&attention=pie")
    assert response.status_code == 400
    assert "attention must be one of count, share" in response.get_data(as_text=True)

"""Filters typed in the query (search/filters.py) are as strict as the parameters, on a real index.

The truth is each hit's own metadata (its outlet, section, date), read from the hits, and the same
request made with the parameters; bad values are the parameters' 400s, message for message.
"""
from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

from index.store import generations
from web import create_app

PER_PAGE = 100


@pytest.fixture(scope="module")
def client(sample_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(sample_index)}).test_client()


def search(client, **params) -> dict:
    response = client.get("/api/search", query_string={"per_page": PER_PAGE, **params})
    assert response.status_code == 200, response.json
    return response.json


def every_hit(client, **params) -> list[dict]:
    """The hits of all pages (collapse off: one hit per matching article)."""
    hits, page = [], 1
    while True:
        data = search(client, collapse="false", page=page, **params)
        hits += data["hits"]
        if page >= data["pages"]:
            return hits
        page += 1


def facet(data, name) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"][name]}


@pytest.mark.parametrize("words", ["oil prices", "wheat tonnes export", "Trump campaign", "said"])
@pytest.mark.parametrize("typed, param, value", [
    ("outlet:CNN", "outlet", "CNN"), ("outlet:reuters", "outlet", "Reuters"),
    ('outlet:"bbc news"', "outlet", "BBC News"), ("section:politics", "section", "Politics"),
])
def test_a_typed_outlet_or_section_is_the_parameter_and_never_loosened(client, words, typed, param, value):
    typed_hits = every_hit(client, q=f"{words} {typed}")
    assert all(h[param] == value for h in typed_hits), "a hit from outside the typed filter"
    assert typed_hits == every_hit(client, q=words, **{param: value})
    # Partial matches (most of the words) stay inside the filter too.
    assert all(h[param] == value for h in typed_hits if h.get("partial"))


def test_texaco_in_cnn_is_nothing_not_every_cnn_article(client):
    reuters = search(client, q="Texaco", outlet="Reuters")
    assert reuters["total"] > 0  # Texaco is in the sample, but not in CNN's articles
    data = search(client, q="Texaco outlet:CNN")
    assert (data["total"], data["partial_total"], data["hits_total"], data["hits"]) == (0, 0, 0, [])


@pytest.mark.parametrize("typed, expected", [
    ("outlet:cnn", {"CNN"}),  # an outlet's name, ignoring case
    ("outlet:telegraph", {"The Telegraph"}),  # no outlet is named that: those whose name holds the words
    ("outlet:news", {"ABC News", "BBC News", "Right Wing News"}),
    ('outlet:"other 98"', {"The Other 98%"}),
])
def test_outlet_names_an_outlet_ignoring_case_else_the_outlets_holding_its_words(client, typed, expected):
    browse = search(client, q=typed)
    assert {h["outlet"] for h in every_hit(client, q=typed)} == expected
    everything = facet(search(client), "outlet")
    assert browse["total"] == sum(everything[name] for name in expected)


@pytest.mark.parametrize("text, low, high", [
    ("published:[1987-03-01 TO 1987-03-05]", "1987-03-01", "1987-03-05"),
    ("published:[2016-09-20 TO]", "2016-09-20", None),
    ("published:1987-03", "1987-03-01", "1987-03-31"),
    ("published:2016-09-26", "2016-09-26", "2016-09-26"),
    ("published:2016", "2016-01-01", "2016-12-31"),
    ("published:{1987-03-01 TO 1987-03-05}", "1987-03-02", "1987-03-04"),
])
@pytest.mark.parametrize("words", ["oil", "said", "Clinton debate"])
def test_a_typed_date_keeps_only_articles_of_those_dates(client, words, text, low, high):
    hits = every_hit(client, q=f"{words} {text}")
    assert all(h["published"] and low <= h["published"] and (high is None or h["published"] <= high)
               for h in hits), "a hit outside the typed dates"
    by_parameters = every_hit(client, q=words, **{"from": low, **({"to": high} if high else {})})
    assert hits == by_parameters


def test_oil_in_1990_is_nothing_not_1987(client):
    data = search(client, q="oil published:[1990-01-01 TO 1990-12-31]")
    assert (data["total"], data["partial_total"], data["hits"]) == (0, 0, [])
    assert search(client, q="oil published:1987")["total"] == search(client, q="oil", outlet="Reuters")["total"]


def test_title_and_byline_restrictions_survive_partial_matching(client):
    data = search(client, q="title:oil prices zzzunheardof")  # no full match: partial ones follow
    assert data["partial_total"] > 0
    assert all("oil" in h["title"].lower() for h in data["hits"])
    assert search(client, q="oil prices zzzunheardof")["partial_total"] > data["partial_total"]


@pytest.mark.parametrize("match", ["all", "any"])
def test_typed_filters_combine_as_the_parameters_do(client, match):
    # One field twice: either value (as outlet=CNN&outlet=Politico); two fields: both.
    assert every_hit(client, q="said trump outlet:CNN outlet:politico", match=match) == every_hit(
        client, q="said trump", outlet=["CNN", "Politico"], match=match)
    across = every_hit(client, q="said trump outlet:CNN published:2016-09", match=match)
    assert across == every_hit(client, q="said trump", outlet="CNN", published="2016-09", match=match)
    assert across and all(h["outlet"] == "CNN" and h["published"].startswith("2016-09") for h in across)


def test_typed_exclusions_take_away_those_articles(client):
    hits = every_hit(client, q='said NOT outlet:Reuters -outlet:"BBC News"')
    assert hits and not {h["outlet"] for h in hits} & {"Reuters", "BBC News"}
    said = search(client, q="said")
    assert len(hits) == said["total"] - facet(said, "outlet")["Reuters"] - facet(said, "outlet")["BBC News"]


#: A filter typed in the query with a bad value → the same request made with the parameters.
BAD_TYPED = [
    ("outlet:Nobody", {"outlet": "Nobody"}),
    ('section:"No Such Section"', {"section": "No Such Section"}),
    ("published:2020-13", {"published": "2020-13"}),
    ("published:2020-02-30", {"published": "2020-02-30"}),
    ("published:yesterday", {"published": "yesterday"}),
    ("published:[2020-02-01 TO 2020-01-01]", {"from": "2020-02-01", "to": "2020-01-01"}),
    ("published:[bogus TO 2020-01-01]", {"from": "bogus"}),
    ("published:[2020-01-01 TO 2020-14-01]", {"to": "2020-14-01"}),
]


@pytest.mark.parametrize("typed, params", BAD_TYPED)
def test_bad_typed_values_are_the_parameters_400_with_the_same_message(client, typed, params):
    by_parameter = client.get("/api/search", query_string={"q": "oil", **params})
    in_query = client.get("/api/search", query_string={"q": f"oil {typed}"})
    assert by_parameter.status_code == in_query.status_code == 400
    expected = by_parameter.json["error"]
    got = in_query.json["error"]
    assert got["code"] == expected["code"] == "bad_request"
    assert got["param"] == "q"
    assert got["message"] == f"{expected['message']} — in q: {typed.replace(chr(34), '')}"


def test_undated_articles_are_a_facet_bucket_a_filter_and_last_under_date_sorts(client, sample_index):
    ix = whoosh_index.open_dir(str(generations.live_generation(sample_index)))
    with ix.searcher() as s:  # the truth: each stored article's own date
        undated = {fields["id"] for fields in s.all_stored_fields() if not fields.get("published")}
    assert undated
    everything = search(client)
    assert facet(everything, "published")["undated"] == len(undated)
    assert everything["facets"]["published"][-1]["value"] == "undated"
    assert {h["id"] for h in every_hit(client, published="undated")} == undated
    assert {h["id"] for h in every_hit(client, q="published:undated")} == undated
    for sort in ("newest", "oldest"):
        hits = every_hit(client, sort=sort, q="said")
        dates = [h["published"] for h in hits]
        dated = [d for d in dates if d]
        assert dates == dated + [None] * (len(dates) - len(dated)), f"an undated hit before a dated one ({sort})"
        assert dated == sorted(dated, reverse=sort == "newest")
        assert dated  # the sample has dated matches too

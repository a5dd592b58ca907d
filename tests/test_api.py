"""The JSON API through Flask's test client, over a real index of the seeds.

The seeds are five articles about the December 2019 Baghdad embassy siege, one
per outlet: CNBC (Politics) and The Washington Post (World) on 2019-12-31; The
Telegraph (World News), Daily Mail (News) and BBC News (World) on 2020-01-01.
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.request import MAX_QUERY_LENGTH

RESULT_KEYS = {"query", "total", "page", "per_page", "took_ms", "hits", "facets", "suggestion", "hits_total",
               "pages"}
HIT_KEYS = {"id", "title", "title_html", "outlet", "section", "published", "url", "byline", "score",
            "snippets", "also_in"}
ALL_OUTLETS = ["BBC News", "CNBC", "Daily Mail", "The Telegraph", "The Washington Post"]


def search(client, **params):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def outlets(data):
    return [h["outlet"] for h in data["hits"]]


def facet(data, name):
    return {v["value"]: v["count"] for v in data["facets"][name]}


# -- health ------------------------------------------------------------------

def test_healthz_counts_the_documents(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["documents"] == 5


def test_healthz_without_an_index_is_503_naming_the_rebuild_command(tmp_path):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "python -m index rebuild" in response.json["message"]
    search_response = client.get("/api/search?q=embassy")
    assert search_response.status_code == 503
    assert search_response.json["error"]["code"] == "index_unavailable"


# -- the response shape ------------------------------------------------------------

def test_search_response_has_exactly_the_documented_keys(client):
    data = search(client, q="embassy")
    assert set(data) - {"partial_total"} == RESULT_KEYS  # the one documented optional extra
    assert (data["query"], data["total"], data["page"], data["per_page"]) == ("embassy", 5, 1, 10)
    assert isinstance(data["took_ms"], (int, float)) and data["took_ms"] >= 0
    assert set(data["facets"]) == {"outlet", "section", "published"}
    for hit in data["hits"]:
        assert set(hit) >= HIT_KEYS
        assert isinstance(hit["snippets"], list) and isinstance(hit["also_in"], list)


def test_search_returns_highlighted_hits_and_facets(client):
    data = search(client, q="teargas")
    assert data["total"] == 1
    hit = data["hits"][0]
    assert (hit["id"], hit["outlet"], hit["section"], hit["published"]) == (
        "004_67ccd451deed0674", "BBC News", "World", "2020-01-01")
    assert any("<mark>teargas</mark>" in s for s in hit["snippets"])
    assert data["facets"]["outlet"] == [{"value": "BBC News", "count": 1}]
    assert data["facets"]["section"] == [{"value": "World", "count": 1}]
    assert data["facets"]["published"] == [{"value": "2020-01", "count": 1}]


def test_title_html_marks_the_matched_words(client):
    hit = search(client, q="teargas Baghdad", match="any")["hits"][0]
    assert hit["title"] == "Iran and US trade blame after militia supporters attack Baghdad embassy"
    assert hit["title_html"] == ("Iran and US trade blame after militia supporters attack "
                                 "<mark>Baghdad</mark> embassy")


# -- ranking and sorting -------------------------------------------------------------

def test_relevance_ranks_by_how_much_each_article_is_about_the_words(client):
    # Exact order where the scores are clearly apart; a set where two are within ~1%
    # (CNBC and BBC News on "embassy"), so that analysis tuning cannot flip a near-tie.
    embassy = outlets(search(client, q="embassy"))
    assert embassy[:3] == ["The Washington Post", "Daily Mail", "The Telegraph"]
    assert set(embassy[3:]) == {"BBC News", "CNBC"}
    assert outlets(search(client, q="tear gas")) == [
        "Daily Mail", "The Telegraph", "BBC News", "The Washington Post"]
    khamenei = outlets(search(client, q="Khamenei"))
    assert set(khamenei[:2]) == {"BBC News", "The Telegraph"} and khamenei[2] == "The Washington Post"
    scores = [h["score"] for h in search(client, q="embassy")["hits"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("sort, first_day, last_day", [
    ("newest", "2020-01-01", "2019-12-31"), ("oldest", "2019-12-31", "2020-01-01")])
def test_sorting_by_date(client, sort, first_day, last_day):
    hits = search(client, q="embassy", sort=sort)["hits"]
    days = [h["published"] for h in hits]
    assert days == sorted(days, reverse=sort == "newest")
    assert (days[0], days[-1]) == (first_day, last_day)
    assert days.count("2020-01-01") == 3 and days.count("2019-12-31") == 2


# -- facets and filters ----------------------------------------------------------------

def test_facet_counts_over_every_match(client):
    data = search(client, q="embassy", per_page=1)
    assert len(data["hits"]) == 1  # counts are over all 5 matches, not the page
    assert data["facets"]["outlet"] == [{"value": o, "count": 1} for o in ALL_OUTLETS]
    assert data["facets"]["section"] == [
        {"value": "World", "count": 2}, {"value": "News", "count": 1},
        {"value": "Politics", "count": 1}, {"value": "World News", "count": 1}]
    assert facet(data, "published") == {"2019-12": 2, "2020-01": 3}


def test_published_facet_lists_days_within_one_month(client):
    data = search(client, q="embassy", **{"from": "2019-12-01", "to": "2019-12-31"})
    assert facet(data, "published") == {"2019-12-31": 2}


@pytest.mark.parametrize("params, expected", [
    ({"outlet": ["CNBC", "BBC News"]}, ["BBC News", "CNBC"]),
    ({"section": "World"}, ["BBC News", "The Washington Post"]),
    ({"section": ["World", "Politics"]}, ["BBC News", "CNBC", "The Washington Post"]),
    ({"section": "World", "outlet": "BBC News"}, ["BBC News"]),
    ({"section": "World", "outlet": "CNBC"}, []),
    ({"from": "2020-01-01"}, ["BBC News", "Daily Mail", "The Telegraph"]),
    ({"to": "2019-12-31"}, ["CNBC", "The Washington Post"]),
    ({"from": "2019-12-31", "to": "2019-12-31", "section": "World"}, ["The Washington Post"]),
    ({"published": "2019-12"}, ["CNBC", "The Washington Post"]),
    ({"published": ["2019-12-31", "2020-01-01"]}, ALL_OUTLETS),
    ({"published": "2020-01", "outlet": ["CNBC", "Daily Mail"]}, ["Daily Mail"]),
])
def test_filter_combinations(client, params, expected):
    data = search(client, q="embassy", **params)
    assert sorted(outlets(data)) == expected
    assert data["total"] == len(expected)


def test_every_facet_value_works_unchanged_as_its_filter(client):
    data = search(client, q="embassy")
    for name in ("outlet", "section", "published"):
        for item in data["facets"][name]:
            filtered = search(client, q="embassy", **{name: item["value"]})
            assert filtered["total"] == item["count"], (name, item)


def test_match_any_finds_articles_with_some_of_the_words(client):
    every = search(client, q="teargas Khamenei")
    some = search(client, q="teargas Khamenei", match="any")
    assert every["total"] == 1  # only BBC News has both words
    assert some["total"] == 3
    assert set(outlets(some)) == {"BBC News", "The Telegraph", "The Washington Post"}


def test_empty_query_browses_every_article(client):
    data = search(client, q="", sort="oldest")
    assert data["total"] == 5
    assert [h["published"] for h in data["hits"]][:2] == ["2019-12-31", "2019-12-31"]


# -- pages -------------------------------------------------------------------------

def test_pages_partition_the_results(client):
    pages = [search(client, q="embassy", per_page=2, page=n) for n in (1, 2, 3)]
    ids = [h["id"] for p in pages for h in p["hits"]]
    assert [len(p["hits"]) for p in pages] == [2, 2, 1]
    assert len(set(ids)) == 5
    assert [h["id"] for h in search(client, q="embassy")["hits"]] == ids
    assert search(client, q="embassy", per_page=2, page=4)["hits"] == []


# -- articles ------------------------------------------------------------------------

def test_article_by_id_has_the_clean_json_shape(client):
    response = client.get("/api/articles/002_c2e6582fa8d69c59")
    assert response.status_code == 200
    article = response.json
    assert set(article) >= {"id", "title", "outlet", "section", "published", "url", "byline",
                            "contributors", "paragraphs", "removed"}
    assert (article["outlet"], article["section"], article["published"]) == ("CNBC", "Politics", "2019-12-31")
    assert article["title"].startswith("Trump blames Iran for attack on US Embassy in Iraq")
    assert all(set(p) == {"kind", "text"} for p in article["paragraphs"])


@pytest.mark.parametrize("path", [
    "/api/articles/no-such-id", "/api/articles/../000_1c53ba83fc47eed3", "/api/articles/%2e%2e/etc/passwd",
    "/api/articles/a%00b", "/api/articles/" + "x" * 5000, "/api/articles/./000_1c53ba83fc47eed3",
])
def test_unknown_or_impossible_article_ids_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert len(response.json["error"]["message"]) < 200


# -- errors ------------------------------------------------------------------------------

BAD_REQUESTS = [
    ("page=0", "page", "page must be an integer from 1 to"),
    ("page=abc", "page", "page must be an integer"),
    ("page=-1", "page", "page must be an integer"),
    ("page=1.5", "page", "page must be an integer"),
    ("per_page=1000", "per_page", "per_page must be an integer from 1 to 100"),
    ("per_page=0", "per_page", "per_page must be an integer from 1 to 100"),
    ("sort=bogus", "sort", "sort must be one of relevance, newest, oldest"),
    ("match=most", "match", "match must be one of all, any"),
    ("from=2020-13-01", "from", "from must be a date in the form YYYY-MM-DD"),
    ("to=yesterday", "to", "to must be a date in the form YYYY-MM-DD"),
    ("from=2020-02-01&to=2020-01-01", "from", "from must not be after to"),
    ("published=2020", "published", "published must be a month (YYYY-MM), a day (YYYY-MM-DD) or undated"),
    ("published=2020-02-30", "published", "published must be"),
    ("collapse=maybe", "collapse", "collapse must be true or false"),
    ("q=embassy&outlet=Nobody", "outlet", "unknown outlet 'Nobody'"),
    ("q=embassy&section=Nowhere", "section", "unknown section 'Nowhere'"),
    ("q=" + "x" * (MAX_QUERY_LENGTH + 1), "q", f"q must be at most {MAX_QUERY_LENGTH} characters"),
    ("q=published:[bogus TO x]", "q", "from must be a date in the form YYYY-MM-DD — in q: published:[bogus TO x]"),
    ("q=*", "q", "wildcard"),
]


@pytest.mark.parametrize("query, param, message", BAD_REQUESTS)
def test_bad_parameters_are_400_with_a_json_error_naming_the_parameter(client, query, param, message):
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    assert response.json == {"error": {"code": "bad_request", "message": response.json["error"]["message"],
                                       "param": param}}
    assert message in response.json["error"]["message"]
    assert param in response.json["error"]["message"]


def test_the_longest_allowed_query_is_answered(client):
    q = "embassy " + "x" * (MAX_QUERY_LENGTH - len("embassy "))
    assert search(client, q=q)["query"] == q


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/", "/api", "/api/search/extra"])
def test_unknown_api_path_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert response.json["error"]["param"] is None


@pytest.mark.parametrize("method, path", [
    ("put", "/api/search"), ("delete", "/api/articles/002_c2e6582fa8d69c59"), ("put", "/healthz"),
    ("post", "/api/openapi.json"),
])
def test_wrong_method_is_a_json_405_listing_the_allowed_ones(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_post_to_an_unknown_api_path_is_404_not_405(client):
    response = client.post("/api/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


PARAM_VALUES = st.one_of(st.text(max_size=40), st.sampled_from(
    ["0", "-1", "1e9", "99999999999999999999", "2020-02-30", "NaN", "\x00", "%", "]", "true"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), name=st.sampled_from(
    ["page", "per_page", "sort", "match", "from", "to", "outlet", "section", "published", "collapse"]),
    value=PARAM_VALUES)
def test_no_input_produces_a_server_error(client, q, name, value):
    response = client.get("/api/search", query_string={"q": q, name: value})
    assert response.status_code in (200, 400), (q, name, value, response.get_data(as_text=True)[:300])
    if response.status_code == 400:
        assert response.json["error"]["param"] in ("q", name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.lists(st.sampled_from(['"', "(", ")", "[", "]", "{", "}", ":", "*", "~", "^", "-", "+", "AND", "OR",
                                   "NOT", "TO", "title:", "published:", "outlet:", "embassy", "2020-01-01", " "]),
                  max_size=12).map("".join))
def test_query_syntax_fragments_never_produce_a_server_error(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code in (200, 400), (q, response.get_data(as_text=True)[:300])

"""GET /api/export over a real index of a synthetic newsroom (tests/articles.newsroom).

The oracle is the corpus itself (which articles say the word) and the search's own ``total``;
CSV is read back with the csv module, JSON Lines with json.
"""
import csv
import io
import json

import pytest

from articles import FORMULA_TITLES, newsroom

CORPUS = newsroom()
COLUMNS = ["id", "title", "outlet", "section", "published", "url", "byline", "score", "story"]


def read_csv(response) -> list[dict]:
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [dict(zip(rows[0], r)) for r in rows[1:]], rows[0]


def read_jsonl(response) -> list[dict]:
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def total(client, **params) -> int:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["total"]


def says(word):
    return {a.id for a in CORPUS if word in a.text().split() or word in a.title.lower().split()}


SEARCHES = [
    ({"q": "embassy"}, says("embassy")),
    ({"q": "embassy protest"}, says("embassy") & says("protest")),
    ({"q": "embassy protest", "match": "any"}, says("embassy") | says("protest")),
    ({"q": "embassy", "outlet": "CNN"}, {a.id for a in CORPUS if a.outlet == "CNN"} & says("embassy")),
    ({"q": "", "published": "2020-02"}, {a.id for a in CORPUS if (a.published or "").startswith("2020-02")}),
    ({"q": "protest", "from": "2020-01-10", "to": "2020-01-31", "sort": "newest"},
     {a.id for a in CORPUS if a.published and "2020-01-10" <= a.published <= "2020-01-31"} & says("protest")),
    ({"q": "", "sort": "oldest"}, {a.id for a in CORPUS}),
]


@pytest.mark.parametrize("params,expected", SEARCHES, ids=lambda v: json.dumps(v) if isinstance(v, dict) else "")
def test_csv_export_has_one_row_per_match_of_the_search(newsroom_client, params, expected):
    response = newsroom_client.get("/api/export", query_string={**params, "format": "csv"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows, header = read_csv(response)
    assert header == COLUMNS
    assert len(rows) == total(newsroom_client, **params) == int(response.headers["X-Total-Count"])
    assert {r["id"].lstrip("'") for r in rows} == expected


@pytest.mark.parametrize("params,expected", SEARCHES, ids=lambda v: json.dumps(v) if isinstance(v, dict) else "")
def test_jsonl_export_has_one_object_per_match(newsroom_client, params, expected):
    response = newsroom_client.get("/api/export", query_string={**params, "format": "jsonl"})
    assert response.status_code == 200
    rows = read_jsonl(response)
    assert len(rows) == total(newsroom_client, **params)
    assert {r["id"] for r in rows} == expected
    assert all(list(r) == COLUMNS for r in rows)


def test_export_lists_syndicated_copies_that_the_search_page_folds(newsroom_client):
    folded = newsroom_client.get("/api/search?q=embassy&per_page=100").json
    assert any(h["also_in"] for h in folded["hits"])  # the page folds copies ...
    rows = read_jsonl(newsroom_client.get("/api/export?q=embassy&format=jsonl"))
    assert len(rows) == folded["total"]  # ... the export lists each one


def test_export_keeps_the_search_order(newsroom_client):
    page = newsroom_client.get("/api/search?q=embassy+protest&match=any&collapse=false&per_page=100").json
    rows = read_jsonl(newsroom_client.get("/api/export?q=embassy+protest&match=any&format=jsonl"))
    assert [r["id"] for r in rows[:100]] == [h["id"] for h in page["hits"]]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    newest = read_jsonl(newsroom_client.get("/api/export?q=report&sort=newest&format=jsonl"))
    dates = [r["published"] for r in newest]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates[len(dated):] == [None] * (len(dates) - len(dated))  # undated last


def test_formula_cells_are_neutralised_in_csv_only(newsroom_client):
    rows, _ = read_csv(newsroom_client.get("/api/export?q=embassy&format=csv"))
    titles = {r["title"] for r in rows}
    for title in FORMULA_TITLES:
        if "embassy" in title or title.startswith("="):
            continue
        assert "'" + title in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())
    everything, _ = read_csv(newsroom_client.get("/api/export?q=&format=csv"))
    by_id = {r["id"]: r for r in everything}
    assert by_id["n0000"]["title"] == "'" + FORMULA_TITLES[0]
    assert by_id["n0007"]["byline"].startswith("'=cmd")
    raw = read_jsonl(newsroom_client.get("/api/export?q=&format=jsonl"))
    assert {r["id"]: r for r in raw}["n0000"]["title"] == FORMULA_TITLES[0]  # JSON stays as written


def test_fields_text_adds_the_cleaned_text(newsroom_client):
    rows = read_jsonl(newsroom_client.get("/api/export?q=number3&format=jsonl&fields=text"))
    assert [r["id"] for r in rows] == ["n0003"]
    assert rows[0]["text"] == CORPUS[3].text()
    csv_rows, header = read_csv(newsroom_client.get("/api/export?q=number3&fields=text"))
    assert header == COLUMNS + ["text"] and csv_rows[0]["text"] == CORPUS[3].text()


@pytest.mark.parametrize("q,name", [
    ('"tear gas" embassy', "lede-tear-gas-embassy.csv"),
    ("", "lede-everything.csv"),
    ("outlet:CNN protest*", "lede-outlet-cnn-protest.csv"),
])
def test_content_disposition_names_the_query(newsroom_client, q, name):
    response = newsroom_client.get("/api/export", query_string={"q": q})
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'


def test_content_disposition_of_a_non_ascii_query_has_filename_star(newsroom_client):
    response = newsroom_client.get("/api/export", query_string={"q": "Zürich", "format": "jsonl"})
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"lede-z_rich.jsonl\"; filename*=UTF-8''lede-z%C3%BCrich.jsonl")


@pytest.mark.parametrize("query,param", [
    ("format=xlsx", "format"), ("fields=body", "fields"), ("q=*", "q"), ("outlet=Nowhere", "outlet"),
    ("from=2020-13-01", "from"),
])
def test_bad_export_parameters_are_400_naming_them(newsroom_client, query, param):
    response = newsroom_client.get("/api/export?" + query)
    assert response.status_code == 400
    assert response.json["error"]["param"] == param

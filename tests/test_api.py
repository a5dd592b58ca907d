"""The JSON API through Flask's test client, over a real index of the seeds."""
import pytest


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


def test_search_returns_highlighted_hits_and_facets(client):
    response = client.get("/api/search?q=teargas")
    assert response.status_code == 200
    data = response.json
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["outlet"] == "BBC News"
    assert any("<mark>teargas</mark>" in s for s in hit["snippets"])
    assert data["facets"]["outlet"] == [{"value": "BBC News", "count": 1}]


def test_outlet_filter_narrows_results(client):
    everything = client.get("/api/search?q=embassy").json
    assert everything["total"] == 5
    only = client.get("/api/search?q=embassy&outlet=CNBC&outlet=BBC+News").json
    assert sorted(h["outlet"] for h in only["hits"]) == ["BBC News", "CNBC"]


@pytest.mark.parametrize("query, param", [
    ("page=0", "page"), ("page=abc", "page"), ("per_page=1000", "per_page"),
    ("sort=bogus", "sort"), ("from=2020-13-01", "from"), ("q=" + "x" * 501, "q"),
])
def test_bad_parameters_are_400_with_a_json_error_naming_the_parameter(client, query, param):
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    error = response.json["error"]
    assert error["param"] == param
    assert param in error["message"]


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_article_by_id(client):
    response = client.get("/api/articles/002_c2e6582fa8d69c59")
    assert response.status_code == 200
    assert response.json["outlet"] == "CNBC"
    assert client.get("/api/articles/no-such-id").status_code == 404

"""Repeated /api/search URLs answered before Flask (web/repeats.py), through the real app."""
import json

from feeds import write_feed

from index.store import build
from web import create_app
from web.repeats import RepeatedSearches


def repeats(app) -> RepeatedSearches:
    return app.wsgi_app


def without_took(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "took_ms"}


def test_a_repeated_url_gets_the_first_answer_with_its_headers_and_a_fresh_took_ms(app):
    client = app.test_client()
    first = client.get("/api/search?q=embassy&outlet=CNBC")
    assert repeats(app).hits == 0
    second = client.get("/api/search?q=embassy&outlet=CNBC")
    assert repeats(app).hits == 1
    assert second.status_code == 200 and second.mimetype == "application/json"
    assert without_took(second.json) == without_took(first.json)
    assert isinstance(second.json["took_ms"], float) and second.json["took_ms"] >= 0
    assert second.headers["Content-Length"] == str(len(second.data))
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert second.headers[name] == first.headers[name]
    other = client.get("/api/search?q=embassy&outlet=BBC+News")  # another URL is searched, not replayed
    assert repeats(app).hits == 1 and other.json["hits"][0]["outlet"] == "BBC News"


def test_errors_other_methods_and_other_paths_always_reach_the_app(app):
    client = app.test_client()
    for _ in range(2):
        bad = client.get("/api/search?q=embassy&page=0")
        assert bad.status_code == 400 and bad.json["error"]["param"] == "page"
        assert client.post("/api/search?q=embassy", json={}).status_code == 200  # searched, never replayed
        assert client.put("/api/search?q=embassy").status_code == 405
        assert client.get("/healthz").status_code == 200
    assert repeats(app).hits == 0


def test_a_new_generation_is_searched_not_answered_from_the_old_one(tmp_path):
    feed = tmp_path / "feed.jsonl"
    items = write_feed(feed, 3)
    index_dir = tmp_path / "index"
    build.rebuild([feed], index_dir)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    url = "/api/search?q=kraken"
    assert client.get(url).json["total"] == 0
    assert client.get(url).json["total"] == 0
    items.append({**items[0], "id": "kraken-1", "text": "Lighthouse keepers report a kraken."})
    feed.write_text("".join(json.dumps(item) + "\n" for item in items))
    build.rebuild([feed], index_dir)
    data = client.get(url).json
    assert data["total"] == 1 and data["hits"][0]["id"] == "kraken-1"

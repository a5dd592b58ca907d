"""Repeated /api/search URLs answered before Flask (web/repeats.py), through the real app; and each
request answered from one generation (web/engine.py), with real rebuilds landing during requests."""
import json
import shutil

from bs4 import BeautifulSoup
from flask import before_render_template

from feeds import write_feed

from conftest import SEEDS
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


def test_a_rebuild_landing_during_a_search_does_not_change_its_answer(tmp_path):
    """CURRENT is read once, as the request begins: a rebuild switching it before the view runs
    leaves the request on the generation it began with, and the answer is stored under that one."""
    feed = tmp_path / "feed.jsonl"
    items = write_feed(feed, 3)
    index_dir = tmp_path / "index"
    build.rebuild([feed], index_dir)
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    rebuilt = []

    @app.before_request
    def rebuild_once():  # after repeats.py has resolved the generation, before the view searches
        if not rebuilt:
            items.append({**items[0], "id": "kraken-1", "text": "Lighthouse keepers report a kraken."})
            feed.write_text("".join(json.dumps(item) + "\n" for item in items))
            build.rebuild([feed], index_dir)
            rebuilt.append(True)

    client = app.test_client()
    url = "/api/search?q=kraken"
    assert client.get(url).json["total"] == 0 and rebuilt  # the generation the request began with
    assert client.get(url).json["total"] == 1  # the next request: the new one, not the stored answer
    assert client.get(url).json["total"] == 1 and repeats(app).hits == 1
    app.extensions["lede_engine"].close()


def test_a_page_shows_its_hits_and_their_story_from_one_generation(tmp_path):
    """The search page reads the index twice — the search, then each hit's story while rendering —
    and a rebuild between the two (here: one that drops the seeds' story) must not split them."""
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    shutil.copytree(SEEDS, seeds)
    build.rebuild([seeds], index_dir)
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    rebuilt = []

    def rebuild_once(sender, template, context, **extra):  # the search is done, the page not yet drawn
        if not rebuilt:
            write_feed(tmp_path / "other.jsonl", 3)
            build.rebuild([tmp_path / "other.jsonl"], index_dir, allow_removal=True)
            rebuilt.append(True)

    client = app.test_client()
    with before_render_template.connected_to(rebuild_once, app):
        page = BeautifulSoup(client.get("/?q=baghdad").data, "html.parser")
    assert rebuilt and page.select(".hit") and len(page.select(".hit__story a")) == len(page.select(".hit"))
    assert client.get("/api/search?q=baghdad").json["total"] == 0  # the next request: the new generation
    app.extensions["lede_engine"].close()

"""End to end: gunicorn started from the Procfile, queried over HTTP."""
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import Server
from index.store import build
from search.request import MAX_QUERY_LENGTH

pytestmark = pytest.mark.server


def fetch(url, method="GET"):
    """(status, headers, body text) — error statuses too."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers, exc.read().decode()


def get_json(url):
    status, _, body = fetch(url)
    return status, json.loads(body)


def test_procfile_gunicorn_serves_search_and_health(server):
    status, health = get_json(server.url + "/healthz")
    assert status == 200 and health["documents"] == 5
    status, data = get_json(server.url + "/api/search?q=Khamenei&sort=newest")
    assert status == 200
    assert {h["outlet"] for h in data["hits"]} >= {"The Telegraph", "BBC News"}


@pytest.mark.parametrize("path, status, param", [
    ("/api/search?page=0", 400, "page"),
    ("/api/search?sort=bogus", 400, "sort"),
    # The longest query allowed, plus one, in 4-byte characters: over 120,000 bytes of URL, still a clean 400.
    ("/api/search?q=" + urllib.parse.quote("\U0001d11e" * (MAX_QUERY_LENGTH + 1)), 400, "q"),
    ("/api/no-such-thing", 404, None),
    ("/api/articles/..%2f..%2fetc%2fpasswd", 404, None),
])
def test_errors_over_http_have_the_json_shape(server, path, status, param):
    got, headers, body = fetch(server.url + path)
    assert got == status
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"]["param"] == param


def test_headers_over_http(server):
    status, headers, body = fetch(server.url + "/?q=embassy")
    assert status == 200 and "<mark>" in body
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    status, headers, _ = fetch(server.url + "/api/search", method="PUT")
    assert status == 405 and {"GET", "POST"} <= set(headers["Allow"].split(", "))


FEED_BEFORE = [{"id": "a1", "outlet": "Gazette", "section": "City", "title": "Council meets",
                "published": "2021-03-01", "text": "The council met on Monday to discuss the budget."}]
FEED_AFTER = FEED_BEFORE + [{"id": "a2", "outlet": "Gazette", "section": "City", "title": "Zebra escapes",
                             "published": "2021-03-02", "text": "A zebra escaped from the city zoo on Tuesday."}]


def write_feed(directory, articles):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "feed.jsonl").write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    return directory


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """gunicorn over an index of its own, with two workers of two threads, and debug asked for."""
    root = tmp_path_factory.mktemp("live")
    build.rebuild([write_feed(root / "before", FEED_BEFORE)], root / "index")
    srv = Server(root / "index", root / "gunicorn.log", extra_env={
        "WEB_CONCURRENCY": "2", "LEDE_THREADS": "2", "FLASK_DEBUG": "1", "LEDE_DEBUG": "true"})
    yield srv, root
    srv.stop()


def test_a_rebuild_is_served_without_restarting(fresh_server):
    srv, root = fresh_server
    status, data = get_json(srv.url + "/api/search?q=zebra")
    assert status == 200 and data["total"] == 0
    build.rebuild([write_feed(root / "after", FEED_AFTER)], root / "index", allow_removal=True)
    # Several requests, so both workers answer: each resolves the live generation per request.
    for _ in range(8):
        status, data = get_json(srv.url + "/api/search?q=zebra")
        assert status == 200 and [h["id"] for h in data["hits"]] == ["a2"]
        assert get_json(srv.url + "/healthz")[1]["documents"] == 2
    assert "Booting worker" in srv.log()


def test_flask_debug_is_never_on_under_gunicorn(fresh_server):
    srv, _ = fresh_server
    _, _, body = fetch(srv.url + "/healthz")
    assert "\n" not in body.strip()  # Flask pretty-prints JSON only in debug mode
    status, _, body = fetch(srv.url + "/api/articles/%00")
    assert status == 404 and "Traceback" not in body and "Werkzeug Debugger" not in body

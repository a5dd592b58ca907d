"""Hostile input to the HTTP API and pages: property-based fuzzing with hypothesis.

Values are arbitrary Unicode, control characters, lone surrogates and invalid UTF-8 (sent as
percent-encoded bytes), huge and negative numbers, query syntax and markup payloads (see
bench/soak.py's HOSTILE lists). Every answer must be below 500, JSON must parse, and no HTML
answer may carry markup that came from the input. Most examples go through Flask's test client
for speed; a sample goes through real gunicorn."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import soak
from web import create_app

pytestmark = pytest.mark.reliability

FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
EXISTING_ID = "000_1c53ba83fc47eed3"  # a seed article, so the article routes are exercised past "not found"


@pytest.fixture(scope="module")
def fuzz_client(seed_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(seed_index)}).test_client()


@pytest.fixture(scope="module")
def search_params(fuzz_client):
    """Every parameter /api/search declares in /api/openapi.json (SEARCH_PARAMS when there is none)."""
    doc = fuzz_client.get("/api/openapi.json")
    if doc.status_code != 200:
        return soak.SEARCH_PARAMS
    params = doc.get_json()["paths"]["/api/search"]["get"]["parameters"]
    names = tuple(p["name"] for p in params if p["in"] == "query")
    assert names, "the OpenAPI document declares no parameters for /api/search"
    return names


def problems(client, path):
    response = client.get(path)
    return soak.response_problems(path, response.status_code, response.content_type, response.get_data())


@FUZZ
@given(data=st.data())
def test_hostile_requests_never_get_a_5xx_or_unescaped_markup(fuzz_client, search_params, data):
    _, requests = soak.hostile_strategies(search_params)
    path = data.draw(requests)
    assert problems(fuzz_client, path) == []


@FUZZ
@given(data=st.data())
def test_each_parameter_alone_is_answered_or_refused_by_name(fuzz_client, search_params, data):
    values, _ = soak.hostile_strategies(search_params)
    name = data.draw(st.sampled_from(search_params))
    value = data.draw(values)
    response = fuzz_client.get(f"/api/search?{name}={soak.encode(value)}")
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    body = response.get_json()
    if response.status_code == 400:
        assert body["error"]["param"] == name, body
        assert name in body["error"]["message"] or name == "q", body


@FUZZ
@given(prefix=st.text(max_size=10), payload=st.sampled_from(soak.MARKUP_PAYLOADS), suffix=st.text(max_size=10),
       where=st.sampled_from(("q", "outlet", "section", "sort", "page", "from")))
def test_markup_in_any_parameter_comes_back_escaped(fuzz_client, prefix, payload, suffix, where):
    value = soak.encode(prefix + payload + suffix)
    for path in (f"/?{where}={value}", f"/?q=embassy&{where}={value}", f"/articles/{value}"):
        assert problems(fuzz_client, path) == []


@pytest.mark.parametrize("trick", soak.PATH_TRICKS)
@pytest.mark.parametrize("route", ("/api/articles/", "/articles/"))
def test_article_ids_with_path_tricks_are_not_found(fuzz_client, route, trick):
    for path in (route + trick, route + soak.encode(trick), f"{route}{EXISTING_ID}/{trick}"):
        response = fuzz_client.get(path, follow_redirects=True)
        assert response.status_code == 404, (path, response.status_code)
        assert "root:" not in response.get_data(as_text=True)
        for hop in response.history:  # Werkzeug merges "//" with a 308; it must stay on this site
            assert hop.status_code == 308 and hop.location.startswith(("/", "http://localhost/")), hop.location


def test_the_known_article_is_found_so_the_trick_test_can_fail(fuzz_client):
    assert fuzz_client.get(f"/api/articles/{EXISTING_ID}").status_code == 200


@pytest.mark.server
def test_hostile_requests_through_gunicorn(server):
    report = soak.fuzz_drill(server.url, examples=80, seconds=60)
    print(f"\nfuzz through gunicorn: {json.dumps(report)}")
    assert report["inputs"] >= 40 and report["failures"] == 0, report["first_problems"]
    assert server_side_tracebacks(server.log()) == []


# Exceptions gunicorn logs for what a client did (hung up mid-request, sent a line its parser
# refuses): no response of ours failed. Anything else in the log is an error of the server's.
CLIENT_FAULTS = ("BrokenPipeError", "ConnectionResetError", "ConnectionAbortedError", "gunicorn.http.errors.")
#: gunicorn's words for an error before any request line arrived: a client that connected and sent
#: nothing (Chromium opens spare connections ahead of need), so a sync worker waited in recv until
#: the arbiter's timeout stopped it. No request was there to answer.
NO_REQUEST = "Error handling request (no URI read)"


def server_side_tracebacks(log: str) -> list[str]:
    """The last line (the exception) of every traceback in a gunicorn log not caused by the client."""
    problems = []
    blocks = log.split("Traceback (most recent call last):")
    for before, block in zip(blocks, blocks[1:]):
        lines = [line for line in block.splitlines() if line.strip()]
        last = next((line.strip() for line in lines if not line.startswith((" ", "\t"))), "?")
        logged_as = next((line for line in reversed(before.splitlines()) if line.strip()), "")
        if not last.startswith(CLIENT_FAULTS) and not logged_as.endswith(NO_REQUEST):
            problems.append(last)
    return problems


def test_server_side_tracebacks_are_told_from_client_faults():
    log = ("[ERROR] Error handling request\nTraceback (most recent call last):\n  File \"x.py\", line 1\n"
           "    send()\nBrokenPipeError: [Errno 32] Broken pipe\n[ERROR] Exception on /api/search\n"
           "Traceback (most recent call last):\n  File \"y.py\", line 2\n    boom()\nKeyError: 'q'\n")
    assert server_side_tracebacks(log) == ["KeyError: 'q'"]
    idle = ("[CRITICAL] WORKER TIMEOUT (pid:7)\n[7] [ERROR] Error handling request (no URI read)\n"
            "Traceback (most recent call last):\n  File \"sync.py\", line 140, in handle\n"
            "    req = next(parser)\nSystemExit: 1\n")
    assert server_side_tracebacks(log + idle) == ["KeyError: 'q'"]
    assert server_side_tracebacks(idle.replace("(no URI read)", "GET /api/search")) == ["SystemExit: 1"]


@pytest.mark.server
@pytest.mark.parametrize("data", soak.RAW_REQUESTS, ids=lambda d: repr(d[:40]))
def test_raw_requests_get_an_answer_and_never_a_5xx(server, data):
    status, content_type, body = soak.raw_request(server.url, data)
    assert 200 <= status < 500, (status, body[:300])
    assert soak.response_problems(repr(data[:60]), status, content_type, body) == []

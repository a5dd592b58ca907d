"""The findings of third-party checkers (Schemathesis, the Nu HTML checker), each kept fixed by a test.

Most run against real gunicorn started from the Procfile (the ``server`` fixture); Schemathesis
and the Nu checker run as their own command-line tools, as CI would run them.
"""
import gzip
import http.client
import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT
from web.printable import FORBIDDEN

CONTROL_QUERIES = ["\x00", "a\x01b\x0bc\x7fd\x80e", "tear\x1bgas \ufdd0\uffff"]
VNU_JAR = Path(os.environ.get("LEDE_VNU_JAR") or ROOT / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build"
               / "dist" / "vnu.jar")


def raw(server, method: str, target: str, headers=None) -> tuple[int, dict, bytes]:
    """One request with nothing added (no Accept-Encoding unless given): status, headers, body as sent."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


# -- Allow lists the real methods --------------------------------------------------------------

@pytest.mark.parametrize("path, methods", [
    ("/api/search", ("GET", "HEAD", "OPTIONS", "POST")), ("/api/articles/004_67ccd451deed0674", ("GET", "HEAD", "OPTIONS")),
    ("/api/export", ("GET", "HEAD", "OPTIONS")), ("/api/attention", ("GET", "HEAD", "OPTIONS"))])
def test_options_and_405_list_only_the_methods_the_endpoint_has(client, path, methods):
    options = client.options(path)
    assert options.status_code == 200
    assert options.headers["Allow"] == ", ".join(methods)
    for method in {"POST", "PUT", "PATCH", "DELETE"} - set(methods):
        refused = client.open(path, method=method)
        assert refused.status_code == 405
        assert refused.headers["Allow"] == ", ".join(methods)


def test_options_on_no_endpoint_is_404(client):
    assert client.options("/api/nothing-here").status_code == 404


# -- the OpenAPI document says what the server does ------------------------------------------

def parameter_schema(spec, name):
    found = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == name)
    return Draft202012Validator(found["schema"], format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("value", ["2019-12", "2020-02-29", "0001-01", "2019-13", "2019-00", "2019-02-30",
                                   "0000-01", " 2020-01", "2020-1", "2020-01-1", "20200101"])
def test_published_schema_and_server_agree(client, value):
    spec = client.get("/api/openapi.json").json
    documented = parameter_schema(spec, "published").is_valid([value])
    accepted = client.get("/api/search", query_string={"published": value}).status_code == 200
    assert documented == accepted, (value, documented, accepted)


@pytest.mark.parametrize("name", ["q", "outlet", "section", "published", "from", "to", "sort", "match", "page",
                                  "per_page", "collapse"])
def test_empty_values_are_documented_as_the_server_reads_them(client, name):
    spec = client.get("/api/openapi.json").json
    schema = parameter_schema(spec, name)
    value = [""] if schema.schema.get("type") == "array" else ""
    assert schema.is_valid(value)
    assert client.get(f"/api/search?{name}=").status_code == 200


@pytest.mark.parametrize("name,value", [("page", "+2"), ("page", " 2"), ("per_page", "1_0"), ("page", "\u0662"),
                                        ("from", "20200101"), ("to", "2020-W01-1"), ("collapse", "maybe")])
def test_values_the_schema_refuses_are_refused(client, name, value):
    spec = client.get("/api/openapi.json").json
    assert not parameter_schema(spec, name).is_valid(value)
    response = client.get("/api/search", query_string={name: value})
    assert response.status_code == 400 and response.json["error"]["param"] == name


def test_filter_values_are_the_live_index_s(client):
    spec = client.get("/api/openapi.json").json
    assert parameter_schema(spec, "outlet").is_valid(["BBC News", "CNBC"])
    assert not parameter_schema(spec, "outlet").is_valid(["Nobody"])  # a 400 from the server
    assert client.get("/api/search?outlet=Nobody").status_code == 400


# -- characters HTML and XML forbid never reach a page -----------------------------------------

@pytest.mark.parametrize("q", CONTROL_QUERIES)
@pytest.mark.parametrize("page", ["/", "/articles/004_67ccd451deed0674"])
def test_control_characters_in_q_are_not_written_into_pages(client, page, q):
    response = client.get(page, query_string={"q": q})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not set(html) & {chr(c) for c in FORBIDDEN}


@pytest.mark.parametrize("q", CONTROL_QUERIES)
def test_control_characters_in_q_leave_the_feed_well_formed(client, q):
    import xml.etree.ElementTree as ET

    response = client.get("/feeds/search.atom", query_string={"q": q})
    ET.fromstring(response.get_data())  # raises on a character XML 1.0 forbids


# -- size limits answered in Lede's shape -----------------------------------------------------------

def error_shape(body: bytes, code: str):
    data = json.loads(body)
    assert set(data) == {"error"} and set(data["error"]) == {"code", "message", "param"}
    assert data["error"]["code"] == code
    return data["error"]["message"]


@pytest.mark.server
def test_an_overlong_request_line_is_414_in_the_json_error_shape(server):
    status, headers, body = raw(server, "GET", "/api/search?q=" + "a" * 140_000)
    assert status == 414
    assert headers["content-type"] == "application/json"
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert "131,072 bytes" in error_shape(body, "uri_too_long")


@pytest.mark.server
def test_oversized_headers_are_431_in_the_json_error_shape_and_real_cookies_pass(server):
    status, headers, body = raw(server, "GET", "/healthz", {"X-Padding": "b" * 40_000})
    assert status == 431
    assert headers["x-content-type-options"] == "nosniff"
    error_shape(body, "request_header_fields_too_large")
    status, _, _ = raw(server, "GET", "/healthz", {"Cookie": "session=" + "c" * 20_000})
    assert status == 200  # gunicorn's default limit (8190 bytes a header) refused this


@pytest.mark.server
def test_a_url_that_fits_still_works(server):
    status, _, body = raw(server, "GET", "/api/search?q=" + "%C3%A9" * 5000)  # 5,000 é: 30,000 bytes
    assert status == 200 and json.loads(body)["query"] == "é" * 5000


# -- compression ---------------------------------------------------------------------------------------

def gunzip_strict(body: bytes) -> bytes:
    """The gzip body decoded, refusing trailing garbage and a wrong CRC or length (zlib checks both)."""
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = decoder.decompress(body)
    assert decoder.eof and not decoder.unused_data
    return data


@pytest.mark.server
@pytest.mark.parametrize("target,mimetype", [
    ("/?q=embassy", "text/html"), ("/static/lede.css", "text/css"), ("/api/openapi.json", "application/json"),
    ("/api/export?q=&format=csv", "text/csv"), ("/api/export?q=&format=jsonl", "application/x-ndjson"),
    ("/feeds/search.atom?q=embassy", "application/atom+xml"), ("/api/attention?q=embassy", "application/json"),
])
def test_text_answers_are_gzipped_when_accepted(server, target, mimetype):
    plain_status, plain_headers, plain = raw(server, "GET", target)
    status, headers, body = raw(server, "GET", target, {"Accept-Encoding": "gzip, deflate, br"})
    assert status == plain_status == 200
    assert headers["content-type"].startswith(mimetype)
    assert "content-encoding" not in plain_headers
    assert headers["content-encoding"] == "gzip" and "Accept-Encoding" in headers["vary"]
    assert len(body) < len(plain)
    assert gunzip_strict(body) == plain or target.startswith("/?")  # the page shows its own time


@pytest.mark.server
def test_repeated_searches_are_gzipped_from_the_stored_answer(server):
    target = "/api/search?q=embassy+siege&per_page=5"
    answers = [raw(server, "GET", target, {"Accept-Encoding": "gzip"}) for _ in range(6)]
    plain = raw(server, "GET", target)[2]
    for status, headers, body in answers:
        assert status == 200 and headers["content-encoding"] == "gzip"
        assert int(headers["content-length"]) == len(body)
        data = json.loads(gunzip_strict(body))
        expected = json.loads(plain)
        assert {**data, "took_ms": 0} == {**expected, "took_ms": 0}


def test_the_repeat_layer_answers_gzip_clients_too(app):
    from web.repeats import RepeatedSearches

    client = app.test_client()
    layer = app.wsgi_app
    assert isinstance(layer, RepeatedSearches)
    before = layer.hits
    bodies = [client.get("/api/search?q=embassy", headers={"Accept-Encoding": "gzip"}) for _ in range(3)]
    assert layer.hits - before == 2  # the first is the app's; both repeats come from the stored bytes
    assert all(r.headers["Content-Encoding"] == "gzip" for r in bodies)
    assert [json.loads(gzip.decompress(r.get_data()))["total"] for r in bodies] == [5, 5, 5]
    plain = client.get("/api/search?q=embassy")
    assert "Content-Encoding" not in plain.headers and plain.json["total"] == 5


# -- the tools themselves ------------------------------------------------------------------------------

@pytest.mark.server
def test_schemathesis_finds_nothing(server, tmp_path):
    """Every check, a bounded number of examples per operation, a fixed seed: zero failures."""
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
           "PYTHONPATH": os.pathsep.join((str(ROOT / "tests"), str(ROOT), os.environ.get("PYTHONPATH", "")))}
    command = [str(Path(sys.executable).parent / "schemathesis"), "run", server.url + "/api/openapi.json",
               "--checks", "all", "--max-examples", "40", "--seed", "17", "--workers", "1", "--no-color",
               "--generation-database", "none", "--request-timeout", "20"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout.split("SUMMARY")[-1]


@pytest.mark.server
def test_the_nu_html_checker_finds_no_error_in_the_main_pages(server, tmp_path):
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        pytest.skip("the Nu HTML checker is not installed (make vnu)")
    pages = ["/", "/?q=embassy", "/?q=embassy&attention=count", "/?q=embassy&attention=share",
             "/?q=embassy&outlet=BBC+News&sort=newest&page=1", "/?q=zzzzqqq", "/?q=*", "/help",
             "/articles/004_67ccd451deed0674?q=embassy+militia", "/articles/none", "/?q=%00",
             "/?q=a%01b%0Bc%7Fd%C2%80e"]
    files = []
    for n, target in enumerate(pages):
        status, _, body = raw(server, "GET", target)
        path = tmp_path / f"page-{n}.html"
        path.write_bytes(body)
        files.append(str(path))
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    assert not messages, json.dumps(messages, indent=1)[:4000]

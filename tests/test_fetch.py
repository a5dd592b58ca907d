"""The polite fetcher against a real HTTP server on 127.0.0.1: delays, robots.txt, retries, bounds."""
from __future__ import annotations

import time

import pytest

from index.extract.fetch import Fetcher, FetchError, FetchSettings, retry_after_seconds
from webserver import Server

QUICK = FetchSettings(delay=0, timeout=1, retries=1, backoff=0.01)


@pytest.fixture
def served(tmp_path):
    for n in range(4):
        (tmp_path / f"p{n}.html").write_text(f"<html><body><p>page {n}</p></body></html>")
    with Server(tmp_path) as server:
        yield tmp_path, server


def test_requests_to_one_host_are_spaced_by_the_delay(served):
    _, server = served
    settings = FetchSettings(delay=0.3, concurrency=4)
    started = time.monotonic()
    with Fetcher(settings) as fetcher:
        for n in range(3):
            assert fetcher.get(f"{server.url}/p{n}.html").status == 200
    # robots.txt, then three pages: three gaps of at least the delay.
    assert time.monotonic() - started >= 0.9
    assert [r.path for r in server.log] == ["/robots.txt", "/p0.html", "/p1.html", "/p2.html"]


def test_conditional_requests_answer_304_for_the_copy_held(served):
    _, server = served
    with Fetcher(QUICK) as fetcher:
        first = fetcher.get(f"{server.url}/p0.html")
        again = fetcher.get(f"{server.url}/p0.html", etag=first.header("etag"))
        by_date = fetcher.get(f"{server.url}/p0.html", last_modified=first.header("last-modified"))
    assert first.status == 200 and first.body.startswith(b"<html>")
    assert again.status == 304 and by_date.status == 304 and not again.body


def test_robots_txt_rules_for_lede_are_obeyed_and_redirect_targets_checked(served):
    root, server = served
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n\nUser-agent: Lede\nDisallow: /p1.html\n"
                                     "Disallow: /moved-to.html\n")
    with Fetcher(QUICK) as fetcher:
        assert fetcher.get(f"{server.url}/p0.html").status == 200
        with pytest.raises(FetchError, match="disallowed by .*/robots.txt"):
            fetcher.get(f"{server.url}/p1.html")
        with pytest.raises(FetchError, match="disallowed"):
            fetcher.get(f"{server.url}/moved")  # allowed itself, but it redirects to a disallowed page
    assert not any(r.path in ("/p1.html", "/moved-to.html") for r in server.log)


def test_a_retry_after_longer_than_allowed_gives_up_at_once(served):
    _, server = served
    with Fetcher(FetchSettings(delay=0, retries=3, max_wait=60)) as fetcher:
        with pytest.raises(FetchError, match="asked to wait 3600s"):
            fetcher.get(f"{server.url}/e429-long")
    assert sum(1 for r in server.log if r.path == "/e429-long") == 1


def test_only_http_and_https(served):
    with Fetcher(QUICK) as fetcher, pytest.raises(FetchError, match="only http and https"):
        fetcher.get("file:///etc/passwd")


@pytest.mark.parametrize("value, seconds", [("120", 120.0), ("", None), ("soon", None), (None, None)])
def test_retry_after_values(value, seconds):
    assert retry_after_seconds(value) == seconds


def test_retry_after_as_an_http_date():
    assert 50 < retry_after_seconds(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))) <= 60


@pytest.mark.parametrize("env, message", [
    ({"LEDE_FETCH_DELAY": "soon"}, "delay must be a float"),
    ({"LEDE_FETCH_RETRIES": "-1"}, "retries must not be negative"),
])
def test_bad_fetch_settings_are_named(env, message):
    with pytest.raises(ValueError, match=message):
        FetchSettings.from_env(environ=env)


def test_settings_come_from_the_sources_file_then_the_environment():
    settings = FetchSettings.from_env({"contact": "a@example.org", "delay": 2}, environ={"LEDE_CONTACT": "b@example.org"})
    assert settings.contact == "b@example.org" and settings.delay == 2.0
    assert "Lede" in settings.user_agent and "b@example.org" in settings.user_agent
    with pytest.raises(ValueError, match="unknown fetch setting 'colour'"):
        FetchSettings.from_env({"colour": "red"}, environ={})


def test_an_unreachable_robots_txt_stops_fetching_from_the_host_with_the_reason(served):
    root, server = served
    (root / "robots.status").write_text("503")
    with Fetcher(QUICK) as fetcher, pytest.raises(FetchError, match="robots.txt could not be read .*503"):
        fetcher.get(f"{server.url}/p0.html")
    assert [r.path for r in server.log] == ["/robots.txt", "/robots.txt"], "retried once, no page requested"


def test_a_missing_robots_txt_allows_everything(served):
    root, server = served
    (root / "robots.status").write_text("404")
    with Fetcher(QUICK) as fetcher:
        assert fetcher.get(f"{server.url}/p0.html").status == 200


def test_robots_txt_behind_a_redirect_is_followed(served):
    root, server = served
    (root / "rules.txt").write_text("User-agent: *\nDisallow: /p2.html\n")
    (root / "robots.redirect").write_text("/rules.txt")
    with Fetcher(QUICK) as fetcher:
        assert fetcher.get(f"{server.url}/p1.html").status == 200
        with pytest.raises(FetchError, match="disallowed"):
            fetcher.get(f"{server.url}/p2.html")

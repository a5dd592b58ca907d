"""End to end: gunicorn started from the Procfile, queried over HTTP."""
import json
import urllib.request

import pytest

pytestmark = pytest.mark.server


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, json.load(response)


def test_procfile_gunicorn_serves_search_and_health(server):
    status, health = get_json(server.url + "/healthz")
    assert status == 200 and health["documents"] == 5
    status, data = get_json(server.url + "/api/search?q=Khamenei&sort=newest")
    assert status == 200
    assert {h["outlet"] for h in data["hits"]} >= {"The Telegraph", "BBC News"}

"""The Xapian backend against the Whoosh backend: the same API answers from three real shard servers.

The corpus — the seeds, a few synthetic articles (syndicated copies, phrases with common words, a
fixed ranking, an undated article) and, when ../shared is present, a sample of the BBC News set — is
built once by each backend's own rebuild (build.py; index/shards/write.py) and served by real
``xapian-tcpsrv`` processes. Every contract test runs on both backends with the same assertions, and
checks against the articles' text and metadata, not against the other backend.
"""
from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import SEEDS, SHARED_DATA
from test_collapse import OTHER, STORY  # the syndicated story and an unrelated one
from index.store import build
from index.shards import write
from web import create_app
from xapian_servers import start_servers

pytestmark = pytest.mark.xapian

SHARDS = 3
SYNTHETIC = [
    {"id": "wire-1", "title": "Protesters storm embassy", "text": STORY, "outlet": "Wire", "published": "2020-01-01"},
    {"id": "paper-1", "title": "Embassy stormed by protesters", "text": "By our staff. " + STORY + " More to follow.",
     "outlet": "Paper", "published": "2020-01-01"},
    {"id": "tv-1", "title": "Embassy attack", "text": STORY.replace("Tuesday", "Tuesday morning"), "outlet": "TV",
     "published": "2020-01-01"},
    {"id": "paper-2", "title": "Embassy services resume", "text": OTHER, "outlet": "Paper", "published": "2020-01-02"},
    {"id": "desk-1", "title": "Zephyrine gales close the port",
     "text": "Zephyrine gales closed the port. The zephyrine season is early. Zephyrine winds, again.",
     "outlet": "Desk", "section": "Weather", "published": "2020-02-03"},
    {"id": "desk-2", "title": "Harbour news",
     "text": "The harbour master spoke about tides, ferries, fishing quotas, the new pier, parking fees, a "
             "lighthouse repair and, in passing, the zephyrine weather that some sailors fear in winter.",
     "outlet": "Desk", "section": "Weather", "published": "2020-02-01"},
    {"id": "desk-3", "title": "Cabinet meeting",
     "text": "The Secretary of State met the Bank of England governor on Monday to talk about rates.",
     "outlet": "Desk", "section": "Politics"},
    {"id": "desk-4", "title": "A state visit",
     "text": "The state secretary said the bank in England would open a branch of its own.",
     "outlet": "Desk", "section": "Politics", "published": "2020-02-05"},
]
BACKENDS = ("whoosh", "xapian")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The sources both backends are built from: seeds, the synthetic feed, and a BBC sample if present."""
    root = tmp_path_factory.mktemp("xapian-sources")
    shutil.copytree(SEEDS, root / "seeds")
    (root / "desk.jsonl").write_text("".join(json.dumps(a) + "\n" for a in SYNTHETIC), encoding="utf-8")
    bbc = SHARED_DATA / "bbc-news"
    if bbc.is_dir():
        for section in ("politics", "business"):
            (root / "bbc" / section).mkdir(parents=True)
            for path in sorted((bbc / section).glob("*.txt"))[:60]:
                shutil.copy(path, root / "bbc" / section / path.name)
    return root


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("xapian-index")
    build.rebuild([corpus], index_dir, jobs=1)
    summary = write.rebuild([corpus], index_dir, SHARDS)
    return index_dir, summary


@pytest.fixture(scope="module")
def servers(built):
    index_dir, _ = built
    running = start_servers(write.shard_paths(index_dir, SHARDS))
    yield running
    running.stop()


@pytest.fixture(params=BACKENDS)
def client(request, built, servers, monkeypatch):
    index_dir, _ = built
    monkeypatch.setenv("LEDE_BACKEND", request.param)
    monkeypatch.setenv("LEDE_XAPIAN_SHARDS", servers.env)
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    yield app.test_client()
    app.extensions["lede_engine"].close()


def search(client, **params) -> dict:
    response = client.get("/api/search", query_string={"per_page": 100, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ids(data: dict) -> list[str]:
    return [h["id"] for h in data["hits"]]


def facet(data: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"][name]}


# -- the writer ------------------------------------------------------------

def test_every_article_is_in_exactly_one_shard_and_the_shards_share_the_load(built):
    import xapian

    index_dir, summary = built
    per_shard = []
    for path in write.shard_paths(index_dir, SHARDS):
        db = xapian.Database(str(path))
        per_shard.append({json.loads(db.get_document(p.docid).get_data())["article"]["id"] for p in db.postlist("")})
    everything = set().union(*per_shard)
    assert sum(map(len, per_shard)) == len(everything) == summary.documents
    assert all(per_shard), "a shard was left empty"


def test_a_second_rebuild_reuses_every_unchanged_article_and_switches_all_shards_at_once(corpus, tmp_path):
    first = write.rebuild([corpus / "desk.jsonl"], tmp_path, SHARDS)
    (corpus / "extra.jsonl").write_text(json.dumps({"id": "extra-1", "title": "Late news", "text": "A late story.",
                                                    "outlet": "Desk"}) + "\n", encoding="utf-8")
    try:
        second = write.rebuild([corpus / "desk.jsonl", corpus / "extra.jsonl"], tmp_path, SHARDS)
    finally:
        (corpus / "extra.jsonl").unlink()
    assert (first.cleaned, second.cleaned, second.reused) == (len(SYNTHETIC), 1, len(SYNTHETIC))
    assert second.documents == first.documents + 1
    assert write.live_generation(tmp_path).name == second.generation != first.generation
    assert [p.resolve().parent.name for p in write.shard_paths(tmp_path, SHARDS)] == [second.generation] * SHARDS


# -- the same answers on both backends ------------------------------------

def test_browsing_counts_every_article_by_outlet(client, built):
    _, summary = built
    data = search(client, q="", collapse="false")
    assert data["total"] == summary.documents
    outlets = facet(data, "outlet")
    assert {k: outlets[k] for k in ("Wire", "Paper", "TV", "Desk")} == {"Wire": 1, "Paper": 2, "TV": 1, "Desk": 4}
    assert outlets["BBC News"] == 1  # a seed


def test_filters_select_exactly_the_matching_articles(client):
    assert sorted(ids(search(client, q="", outlet="Desk", section="Politics"))) == ["desk-3", "desk-4"]
    assert sorted(ids(search(client, q="", outlet="Desk", published="2020-02"))) == ["desk-1", "desk-2", "desk-4"]
    assert ids(search(client, q="", outlet="Desk", **{"from": "2020-02-02", "to": "2020-02-04"})) == ["desk-1"]
    assert ids(search(client, q="outlet:desk published:undated")) == ["desk-3"]
    everywhere = set(ids(search(client, q="embassy", collapse="false")))
    assert set(ids(search(client, q="embassy -outlet:paper", collapse="false"))) == everywhere - {"paper-1", "paper-2"}


def test_dates_sort_newest_and_oldest_first_with_undated_last(client):
    assert ids(search(client, q="", outlet="Desk", sort="newest")) == ["desk-4", "desk-1", "desk-2", "desk-3"]
    assert ids(search(client, q="", outlet="Desk", sort="oldest")) == ["desk-2", "desk-1", "desk-4", "desk-3"]


def test_ranking_puts_the_article_about_the_word_first(client):
    data = search(client, q="zephyrine")
    assert ids(data) == ["desk-1", "desk-2"]
    assert data["hits"][0]["score"] > data["hits"][1]["score"] > 0


@pytest.mark.parametrize("phrase", ["secretary of state", "bank of england", "of the country"])
def test_phrases_with_common_words_find_the_articles_whose_text_has_them(client, phrase):
    data = search(client, q=f'"{phrase}"', collapse="false")
    pattern = re.compile(r"\b" + r"\W+".join(phrase.split()) + r"\b", re.I)
    found = set(ids(data))
    truth = {a["id"] for a in SYNTHETIC if pattern.search(a["title"] + "\n" + a["text"])}
    assert truth <= found  # every article saying it is found …
    for hit in data["hits"]:  # … and every article found says it (stemmed: "secretaries of state" too)
        article = client.get(f"/api/articles/{hit['id']}").get_json()
        text = " ".join([article["title"]] + [p["text"] for p in article["paragraphs"]])
        assert re.search(r"\W+".join(w[:4] + r"\w*" for w in phrase.split()), text, re.I), hit["id"]
    assert "desk-4" not in found  # the words without the phrase


def test_a_phrase_is_highlighted_whole(client):
    data = search(client, q='"secretary of state"')
    hit = next(h for h in data["hits"] if h["id"] == "desk-3")
    assert "<mark>Secretary of State</mark>" in hit["snippets"][0]


def test_words_are_highlighted_in_titles_and_snippets(client):
    hit = search(client, q="zephyrine")["hits"][0]
    assert hit["title_html"] == "<mark>Zephyrine</mark> gales close the port"
    assert hit["snippets"][0].count("<mark>") == 3


def test_syndicated_copies_fold_into_one_hit_listing_the_other_outlets(client):
    copies = {"q": "reception area", "outlet": ["Wire", "Paper", "TV"]}
    folded = search(client, **copies)
    assert folded["total"] == 4  # every matching article is counted …
    assert len(folded["hits"]) == 2 == folded["hits_total"]  # … and the three copies are one hit
    story = next(h for h in folded["hits"] if h["id"] != "paper-2")
    assert sorted([story["outlet"], *story["also_in"]]) == ["Paper", "TV", "Wire"]
    assert search(client, **copies, collapse="false")["hits_total"] == 4


def test_facets_count_every_match(client):
    data = search(client, q="embassy")
    assert facet(data, "outlet")["Paper"] == 2
    assert sum(facet(data, "outlet").values()) == data["total"]
    dated = search(client, q="", outlet="Desk", published="2020-02")
    assert facet(dated, "published") == {"2020-02-01": 1, "2020-02-03": 1, "2020-02-05": 1}


def test_did_you_mean_offers_the_word_the_index_holds(client):
    assert search(client, q="embasy")["suggestion"] == "embassy"


@pytest.mark.parametrize(("params", "param"), [
    ({"q": "embassy", "outlet": "Nowhere"}, "outlet"),
    ({"q": "*"}, "q"),
    ({"q": "published:2020-13"}, "published"),
    ({"q": "outlet:nowhere embassy"}, "outlet"),
    ({"q": "x", "sort": "best"}, "sort"),
])
def test_bad_requests_are_400s_naming_the_parameter(client, params, param):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    assert response.get_json()["error"]["param"] in (param, "q")


def test_both_backends_find_the_same_articles_on_the_shared_sample(built, servers, monkeypatch):
    if not (SHARED_DATA / "bbc-news").is_dir():
        pytest.skip("../shared/data/bbc-news not present")
    index_dir, _ = built
    answers = {}
    for backend in BACKENDS:
        monkeypatch.setenv("LEDE_BACKEND", backend)
        monkeypatch.setenv("LEDE_XAPIAN_SHARDS", servers.env)
        app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
        client = app.test_client()
        answers[backend] = [search(client, q=q, collapse="false") for q in
                            ("election", '"prime minister"', "tax OR budget", "labour -blair", "econom*",
                             '"the end of"', "title:profits")]
        app.extensions["lede_engine"].close()
    for whoosh, xapian in zip(*answers.values()):
        assert (whoosh["total"], sorted(ids(whoosh))) == (xapian["total"], sorted(ids(xapian)))
        assert whoosh["facets"] == xapian["facets"]




def test_exports_list_every_match_in_the_search_order(client):
    rows = [json.loads(line) for line in
            client.get("/api/export?format=jsonl&outlet=Desk&sort=newest").get_data(as_text=True).splitlines()]
    assert [r["id"] for r in rows] == ["desk-4", "desk-1", "desk-2", "desk-3"]
    ranked = [json.loads(line) for line in client.get("/api/export?format=jsonl&q=zephyrine").get_data(
        as_text=True).splitlines()]
    assert [r["id"] for r in ranked] == ["desk-1", "desk-2"] and ranked[0]["score"] > ranked[1]["score"]
    copies = client.get("/api/export?format=jsonl&q=reception+area&outlet=Wire&outlet=Paper&outlet=TV")
    assert len(copies.get_data(as_text=True).splitlines()) == 4  # exports never fold copies


def test_attention_counts_matches_per_outlet_and_period(client):
    data = client.get("/api/attention?q=zephyrine&interval=month").get_json()
    assert data["series"] == [{"outlet": "Desk", "points": [
        {"date": "2020-02", "count": 2, "total": 3, "share": round(2 / 3, 4)}]}]


def test_pages_articles_and_feeds_render(client):
    page = client.get("/?q=zephyrine")
    assert page.status_code == 200 and "<mark>Zephyrine</mark>" in page.get_data(as_text=True)
    article = client.get("/articles/desk-1?q=zephyrine").get_data(as_text=True)
    assert article.count("<mark>Zephyrine</mark>") == 3 and article.count("<mark>zephyrine</mark>") == 1
    text = client.get("/api/export?format=jsonl&fields=text&q=zephyrine").get_data(as_text=True).splitlines()
    assert json.loads(text[0])["text"].startswith("Zephyrine gales closed the port.")
    assert client.get("/api/articles/desk-1").get_json()["title"] == "Zephyrine gales close the port"
    assert client.get("/api/articles/nowhere").status_code == 404
    feed = client.get("/feeds/search.atom?q=zephyrine")
    assert feed.status_code == 200 and feed.get_data(as_text=True).count("<entry>") == 2
    assert client.get("/api/stories?q=embassy").status_code == 200

# -- faults ----------------------------------------------------------------

@pytest.fixture
def own_servers(built):
    """Shard servers of this test's own, which it may kill."""
    index_dir, _ = built
    running = start_servers(write.shard_paths(index_dir, SHARDS))
    yield running
    running.stop()


def xapian_app(built, own_servers, monkeypatch, **env):
    index_dir, _ = built
    for name, value in {"LEDE_BACKEND": "xapian", "LEDE_XAPIAN_SHARDS": own_servers.env, **env}.items():
        monkeypatch.setenv(name, value)
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})


def test_a_shard_killed_mid_test_is_a_503_naming_it(built, own_servers, monkeypatch):
    app = xapian_app(built, own_servers, monkeypatch)
    client = app.test_client()
    assert client.get("/api/search?q=embassy").status_code == 200
    assert client.get("/healthz").get_json()["status"] == "ok"
    own_servers.kill(1)
    response = client.get("/api/search?q=election")
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "shard_unavailable" and own_servers.addresses[1] in error["message"]
    health = client.get("/healthz")
    assert health.status_code == 503
    assert [s["status"] for s in health.get_json()["shards"]] == ["ok", "down", "ok"]
    page = client.get("/?q=budget")
    assert page.status_code == 503 and own_servers.addresses[1] in page.get_data(as_text=True)
    app.extensions["lede_engine"].close()


def test_with_partial_answers_on_the_other_shards_answer_and_say_which_did_not(built, own_servers, monkeypatch):
    app = xapian_app(built, own_servers, monkeypatch, LEDE_XAPIAN_PARTIAL="1")
    app.extensions["lede_engine"].shards.refresh = 0.0  # reconnect on every request: see the shards now
    client = app.test_client()
    whole = search(client, q="", collapse="false")
    assert whole["partial_shards"] == []
    own_servers.kill(2)
    part = search(client, q="", collapse="false")  # the same URL: not the whole answer kept from before
    assert part["partial_shards"] == [own_servers.addresses[2]]
    assert 0 < part["total"] < whole["total"]
    own_servers.restart(2)
    again = search(client, q="", collapse="false")  # nor the partial answer once the shard is back
    assert {**again, "took_ms": 0} == {**whole, "took_ms": 0}
    own_servers.kill(2)
    assert "did not answer" in client.get("/?q=embassy").get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "degraded"
    own_servers.kill(0)
    own_servers.kill(1)
    assert client.get("/api/search?q=tax").status_code == 503  # nothing left to answer from
    app.extensions["lede_engine"].close()


def test_a_shard_that_stops_answering_times_out_as_a_503(built, own_servers, monkeypatch):
    import signal

    app = xapian_app(built, own_servers, monkeypatch, LEDE_XAPIAN_TIMEOUT_MS="300")
    own_servers.procs[0].send_signal(signal.SIGSTOP)  # accepts connections, never answers
    try:
        response = app.test_client().get("/api/search?q=embassy")
    finally:
        own_servers.procs[0].send_signal(signal.SIGCONT)
    assert response.status_code == 503
    assert own_servers.addresses[0] in response.get_json()["error"]["message"]
    app.extensions["lede_engine"].close()


# -- the command -------------------------------------------------------------

def test_the_rebuild_command_writes_the_shards_it_is_asked_for(corpus, tmp_path, capsys):
    from index import cli

    status = cli.main(["rebuild", "--backend", "xapian", "--shards", "2", "--index-dir", str(tmp_path),
                       "--source", str(corpus / "desk.jsonl"), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert status == 0
    assert (summary["shards"], summary["documents"], sum(summary["per_shard"])) == (2, len(SYNTHETIC), len(SYNTHETIC))
    assert [p.is_dir() for p in write.shard_paths(tmp_path, 2)] == [True, True]


def test_a_typed_text_range_is_searched_by_whoosh_and_a_400_naming_q_on_xapian(client, request):
    response = client.get("/api/search", query_string={"q": "title:[aa TO cc]"})
    if request.node.callspec.params["client"] == "whoosh":
        assert response.status_code == 200
    else:  # README, "Scaling out": a difference stated
        assert response.status_code == 400 and response.get_json()["error"]["param"] == "q"

"""Long queries: up to MAX_QUERY_LENGTH characters by GET and POST, a pasted passage searched by its
distinctive words (search/similar.py), and the page's "Find coverage of this text" form.

The truth for a passage is the article text: the first hit must be an article that holds the pasted
words, in order (its source, or an exact copy of it).
"""
from __future__ import annotations

import gc
import json
import random
import re
import sys
import urllib.parse
import urllib.request
import warnings

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, needs_shared
from index.store import build
from search import Engine, SearchRequest, similar
from search.request import MAX_QUERY_LENGTH

PASSAGE_CHARS = 1000  # a pasted paragraph, as in the latency benchmark
REAL_SAMPLE = 600  # articles of ../shared/data in the real-index check
REAL_PASSAGES = 40  # passages pasted from them


def body_text(article: dict) -> str:
    return " ".join(p["text"] for p in article["paragraphs"] if p["kind"] != "caption")


def passage_of(text: str, start: int = 0, size: int = PASSAGE_CHARS) -> str:
    """About ``size`` characters of ``text`` from ``start``, whole words only."""
    piece = text[start:start + size + 1]
    return piece[:piece.rstrip().rfind(" ")].strip() if len(piece) > size else piece.strip()


def holds(article_text: str, passage: str) -> bool:
    words = re.compile(r"\w+")
    return " ".join(words.findall(passage.lower())) in " ".join(words.findall(article_text.lower()))


def without_took(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "took_ms"}


@pytest.fixture(scope="module")
def seed_passages(seed_index):
    """(article id, a passage of its body) for each seed."""
    engine = Engine(seed_index)
    ids = [h.id for h in engine.search(SearchRequest(per_page=10)).hits]
    out = [(i, passage_of(body_text(engine.article(i)))) for i in ids]
    engine.close()
    assert len(out) == 5 and all(similar.is_passage(p) for _, p in out)
    return out


# -- the API ------------------------------------------------------------------------------

def test_a_pasted_passage_finds_its_source_first_by_get(client, seed_passages):
    for article_id, passage in seed_passages:
        response = client.get("/api/search", query_string={"q": passage, "collapse": "false"})
        assert response.status_code == 200, response.json
        data = response.json
        assert data["query"] == passage
        assert data["hits"][0]["id"] == article_id
        assert data["total"] >= 1 and "<mark>" in "".join(data["hits"][0]["snippets"])


def test_post_form_and_json_answer_as_get_does(client, seed_passages):
    _, passage = seed_passages[0]
    params = {"q": passage, "per_page": "2", "page": "2", "collapse": "false", "outlet": ["CNBC", "BBC News"]}
    by_get = client.get("/api/search", query_string=params)
    by_form = client.post("/api/search", data=params)
    by_json = client.post("/api/search", json={"q": passage, "per_page": 2, "page": 2, "collapse": False,
                                               "outlet": ["CNBC", "BBC News"]})
    assert by_get.status_code == by_form.status_code == by_json.status_code == 200
    assert by_get.json["page"] == 2  # page 2 of 2 a page: hits 3 and 4, as many of them as there are
    assert len(by_get.json["hits"]) == min(2, max(0, by_get.json["hits_total"] - 2))
    assert without_took(by_form.json) == without_took(by_get.json) == without_took(by_json.json)
    assert {o["value"] for o in by_json.json["facets"]["outlet"]} <= {"CNBC", "BBC News"}


def test_post_reads_parameters_in_the_url_too_and_the_body_wins(client):
    data = client.post("/api/search?q=embassy&per_page=1&sort=newest", json={"per_page": 3}).json
    assert (data["query"], data["per_page"], data["total"]) == ("embassy", 3, 5)
    assert data["hits"][0]["published"] == "2020-01-01"


def test_the_longest_query_is_answered_by_get_and_post(client, seed_passages):
    text = " ".join(p for _, p in seed_passages)
    q = (text * (MAX_QUERY_LENGTH // len(text) + 1))[:MAX_QUERY_LENGTH]
    for response in (client.get("/api/search", query_string={"q": q}), client.post("/api/search", data={"q": q}),
                     client.post("/api/search", json={"q": q})):
        assert response.status_code == 200
        assert response.json["query"] == q.strip() and response.json["total"] >= 1


@pytest.mark.parametrize("send", ["get", "form", "json"])
def test_over_the_limit_is_a_400_naming_q_and_the_limit(client, send):
    q = "embassy " * (MAX_QUERY_LENGTH // 8) + "x"
    assert len(q) == MAX_QUERY_LENGTH + 1
    response = {"get": lambda: client.get("/api/search", query_string={"q": q}),
                "form": lambda: client.post("/api/search", data={"q": q}),
                "json": lambda: client.post("/api/search", json={"q": q})}[send]()
    assert response.status_code == 400
    error = response.json["error"]
    assert error["param"] == "q" and f"at most {MAX_QUERY_LENGTH} characters" in error["message"]


@pytest.mark.parametrize("kwargs, status, param, words", [
    ({"json": ["embassy"]}, 400, None, "JSON object"),
    ({"data": "{not json", "content_type": "application/json"}, 400, None, "JSON object"),
    ({"json": {"q": {"nested": 1}}}, 400, "q", "q must be a string"),
    ({"json": {"q": "embassy", "page": 0}}, 400, "page", "page must be an integer"),
    ({"json": {"q": "embassy", "collapse": "maybe"}}, 400, "collapse", "collapse must be true or false"),
    ({"data": "q=embassy", "content_type": "text/plain"}, 415, None, "application/json"),
])
def test_bad_post_bodies_are_clear_errors(client, kwargs, status, param, words):
    response = client.post("/api/search", **kwargs)
    assert response.status_code == status
    assert response.json["error"]["param"] == param
    assert words in response.json["error"]["message"]


def test_a_body_over_the_limit_is_a_413_before_it_is_read(client, app):
    response = client.post("/api/search", json={"q": "x" * app.config["MAX_CONTENT_LENGTH"]})
    assert response.status_code == 413
    assert response.json["error"]["code"] == "request_entity_too_large"


def test_long_get_and_post_over_real_gunicorn(server, seed_passages):
    article_id, passage = seed_passages[1]
    q = (passage + " ") * 9  # ~9,000 characters: a URL past gunicorn's default 4,094-byte request line
    url = server.url + "/api/search?" + urllib.parse.urlencode({"q": q, "collapse": "false"})
    assert len(url) > 9000
    with urllib.request.urlopen(url, timeout=20) as response:
        by_get = json.load(response)
    body = json.dumps({"q": q, "collapse": False}).encode()
    request = urllib.request.Request(server.url + "/api/search", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        by_post = json.load(response)
    assert by_get["hits"][0]["id"] == by_post["hits"][0]["id"] == article_id
    assert without_took(by_get) == without_took(by_post)


# -- the page -----------------------------------------------------------------------------

def test_the_search_page_offers_a_paste_form(client):
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    details = soup.select_one("details.paste")
    assert details.summary.get_text(strip=True) == "Find coverage of this text"
    form = details.form
    assert (form["method"], form["action"]) == ("get", "/")
    area = form.select_one("textarea[name=q]")
    assert area["maxlength"] == str(MAX_QUERY_LENGTH) and area.get_text() == ""
    assert soup.select_one(f"label[for={area['id']}]") is not None
    assert not details.has_attr("open")


def test_a_pasted_passage_on_the_page_lists_its_source_first(client, seed_passages):
    article_id, passage = seed_passages[2]
    response = client.get("/", query_string={"q": passage, "outlet": "CNBC"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.select_one("details.paste").has_attr("open")
    assert soup.select_one("textarea[name=q]").get_text() == passage
    assert soup.select_one("input#q")["value"] == passage
    assert "like the pasted text" in soup.h1.get_text()
    assert [i["value"] for i in soup.select("details.paste input[type=hidden]")] == ["CNBC"]
    unfiltered = BeautifulSoup(client.get("/", query_string={"q": passage}).get_data(as_text=True), "html.parser")
    first = unfiltered.select_one(".hit__title a")["href"]
    assert urllib.parse.urlsplit(first).path.endswith("/" + urllib.parse.quote(article_id))


# -- a real index ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_engine(tmp_path_factory):
    """A seeded sample of REAL_SAMPLE articles of the benchmark corpus (BBC, BuzzFeed-Webis, Reuters)."""
    data = needs_shared()
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        corpus = __import__("corpus")
    finally:
        sys.path.remove(str(ROOT / "bench"))
    feed = tmp_path_factory.mktemp("real") / "sample.jsonl"
    with warnings.catch_warnings():  # bench/corpus.py reads Reuters through json.load(open(...))
        warnings.simplefilter("ignore", ResourceWarning)
        articles = corpus.real_articles(data)
        gc.collect()
    sample = random.Random(13).sample(articles, REAL_SAMPLE)
    corpus.write_feed(feed, sample)
    index_dir = tmp_path_factory.mktemp("real-index")
    build.rebuild([feed], index_dir)
    engine = Engine(index_dir)
    yield engine, [a["id"] for a in sample]
    engine.close()


def test_a_pasted_paragraph_finds_an_article_holding_it_first_on_a_real_index(real_engine):
    real_engine, ids = real_engine
    rng = random.Random(5)
    texts = {i: body_text(a) for i in ids if (a := real_engine.article(i)) is not None}
    long_enough = sorted(i for i, t in texts.items() if len(t) > PASSAGE_CHARS + 200)
    assert len(long_enough) >= REAL_PASSAGES
    for article_id in rng.sample(long_enough, REAL_PASSAGES):
        text = texts[article_id]
        start = text.find(" ", rng.randrange(0, len(text) - PASSAGE_CHARS - 100)) + 1
        passage = passage_of(text, start)
        results = real_engine.search(SearchRequest(q=passage, collapse=False))
        first = results.hits[0].id
        assert holds(texts[first], passage), (article_id, first)
        assert article_id in {h.id for h in results.hits}  # the source itself, if copies tie above it


@pytest.mark.browser
def test_pasting_text_in_a_browser_without_javascript(server, browser_without_js, seed_passages):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    article_id, passage = seed_passages[3]
    driver = browser_without_js
    driver.get(server.url + "/")
    area = driver.find_element(By.ID, "paste")
    assert not area.is_displayed()  # folded under its summary until asked for
    driver.find_element(By.CSS_SELECTOR, "details.paste summary").click()
    area.send_keys(passage)
    button = driver.find_element(By.CSS_SELECTOR, ".paste__form button")
    button.click()
    WebDriverWait(driver, 10).until(EC.staleness_of(button))
    first = driver.find_element(By.CSS_SELECTOR, ".hit__title a").get_attribute("href")
    assert urllib.parse.urlsplit(first).path.endswith("/articles/" + urllib.parse.quote(article_id))
    assert driver.find_element(By.ID, "paste").get_attribute("value") == passage


def test_passage_matches_are_the_documents_with_enough_words_scored_as_their_or(real_engine):
    from search.plan import build_query
    from search.ranking import without_minmatch
    from search.fast.matching import matching_docs

    engine, ids = real_engine
    live = engine.live()
    rng = random.Random(11)
    checked = 0
    for article_id in rng.sample(ids, 10):
        text = body_text(engine.article(article_id))
        if not similar.is_passage(text[:PASSAGE_CHARS]):
            continue
        checked += 1
        query = build_query(live, SearchRequest(q=text[:PASSAGE_CHARS]))
        docs, scored = similar.scored_matches(live.scores, query)
        assert docs == matching_docs(query, live.terms)  # at least minmatch of the words, counted apart
        whoosh = {d: s for s, d in live.searcher.search(without_minmatch(query), filter=docs, limit=None).top_n}
        assert {d: s for s, d in scored} == pytest.approx(whoosh, rel=1e-9)  # the same sum, added in word order
    assert checked >= 5


def test_the_paste_form_says_when_a_text_counts_as_a_passage(client):
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert f"more than {similar.LONG_QUERY_WORDS} words" in soup.select_one("#paste-hint").get_text()

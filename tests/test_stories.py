"""Stories over real indexes: the seeds as one story, its quotes, what only one outlet told, copies,
absent outlets, incremental rebuilds and rollback, and the story API, page and links.

The truth is the seed text itself (tests/golden_seeds.py shows how it reads): the Trump tweet is
quoted by CNBC (a fragment), the Daily Mail and the Telegraph, and printed unquoted by the BBC;
"Death to America" by the Telegraph, the Mail and the Post; only CNBC quotes Abbas Mousavi and
only the Post has the steel barrier.
"""
from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from index.store import build, generations
from index import stories as built
from search import Engine

from conftest import SEEDS, needs_shared

SEED_IDS = {"000_1c53ba83fc47eed3", "001_d68e2d4870641a86", "002_c2e6582fa8d69c59",
            "003_07c2f900d2d46056", "004_67ccd451deed0674"}
STORY_KEYS = {"id", "title", "first_published", "last_published", "outlets", "articles", "timeline",
              "quotes", "only_in", "copies", "absent"}
ARTICLE_KEYS = {"id", "title", "outlet", "section", "published", "byline", "url"}


def seed_story(client) -> dict:
    hit = client.get("/api/search?q=embassy").json["hits"][0]
    response = client.get(f"/api/stories/{hit['story']}")
    assert response.status_code == 200
    return response.json


def quotation_with(story: dict, words: str) -> dict:
    """The one quotation with a variant holding ``words`` (case and punctuation aside)."""
    def norm(text):
        return " ".join(re.findall(r"\w+", text.lower()))
    found = [q for q in story["quotes"] if any(norm(words) in norm(v["text"]) for v in q["variants"])]
    assert len(found) == 1, [q["text"] for q in found]
    return found[0]


def carriers(quotation: dict) -> set[str]:
    return {o for v in quotation["variants"] for o in v["outlets"]}


# -- the seeds ---------------------------------------------------------------

def test_the_five_seeds_form_one_story_in_date_order(client):
    story = seed_story(client)
    assert set(story) == STORY_KEYS
    assert {a["id"] for a in story["articles"]} == SEED_IDS
    assert all(set(a) == ARTICLE_KEYS for a in story["articles"])
    dates = [a["published"] for a in story["articles"]]
    assert dates == sorted(dates) and dates[0] == "2019-12-31" and dates[-1] == "2020-01-01"
    assert story["first_published"] == "2019-12-31" and story["last_published"] == "2020-01-01"
    assert [day["date"] for day in story["timeline"]] == ["2019-12-31", "2020-01-01"]
    assert {a["outlet"] for a in story["timeline"][0]["articles"]} == {"CNBC", "The Washington Post"}
    assert len(story["outlets"]) == 5


def test_the_trump_tweet_is_one_quotation_with_variants(client):
    story = seed_story(client)
    tweet = quotation_with(story, "This is not a Warning, it is a Threat")
    assert tweet["speaker"] == "Trump"
    assert {"CNBC", "Daily Mail", "The Telegraph"} <= carriers(tweet)
    cnbc = [v for v in tweet["variants"] if "CNBC" in v["outlets"]]
    mail = [v for v in tweet["variants"] if "Daily Mail" in v["outlets"]]
    assert cnbc and mail and cnbc[0]["text"] != mail[0]["text"]
    assert "BIG PRICE" not in cnbc[0]["text"]  # CNBC's is the fragment
    assert any("BIG PRICE" in v["text"] for v in mail)
    assert "BBC News" in carriers(tweet)  # printed as an embedded tweet, without quote marks
    assert tweet["first"]["outlet"] == "CNBC"  # CNBC published on 31 Dec, the Mail on 1 Jan


def test_death_to_america_is_one_quotation_carried_by_three_outlets(client):
    chant = quotation_with(seed_story(client), "Death to America")
    assert carriers(chant) == {"The Telegraph", "Daily Mail", "The Washington Post"}


def only_in(story: dict) -> dict[str, str]:
    return {item["outlet"]: " ".join(item["passages"]) for item in story["only_in"]}


def test_what_only_one_outlet_reported(client):
    story = seed_story(client)
    alone = only_in(story)
    assert "Mousavi" in alone["CNBC"]
    assert "steel barrier" in alone["The Washington Post"]
    assert all("Mousavi" not in text for outlet, text in alone.items() if outlet != "CNBC")
    # The tweet the Telegraph quotes is printed by the BBC too: reported elsewhere, so in neither.
    assert "lives lost" not in alone["The Telegraph"] and "lives lost" not in alone["BBC News"]


def test_every_other_outlet_is_absent_with_its_window_count(client):
    story = seed_story(client)
    assert story["absent"] == []  # the seeds hold these five outlets only
    assert story["copies"] == []


# -- a mixed feed ----------------------------------------------------------

@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory):
    """The seeds plus every BuzzFeed-Webis 2016 and BBC 2004-05 article (real text, other years)."""
    data = needs_shared("buzzfeed-webis-2016")
    needs_shared("bbc-news")
    from bench import corpus

    feed = tmp_path_factory.mktemp("mixed") / "feed.jsonl"
    with open(feed, "w", encoding="utf-8") as out:
        for item in (*corpus.buzzfeed(data.parent), *corpus.bbc(data.parent)):
            out.write(json.dumps(item) + "\n")
    index_dir = tmp_path_factory.mktemp("mixed-index")
    build.rebuild([SEEDS, feed], index_dir)
    return index_dir


def test_on_a_mixed_feed_the_seed_story_holds_exactly_the_seeds(mixed_index):
    engine = Engine(mixed_index)
    try:
        index = engine.live().stories()
        story_ids = {index.story_of(a) for a in SEED_IDS}
        assert len(story_ids) == 1
        assert set(index.get(story_ids.pop())["articles"]) == SEED_IDS
        # Other stories were made too: the feed's own events group (e.g. the Skittles tweet).
        assert sum(1 for s in index.summaries.values() if len(s["articles"]) > 1) > 10
    finally:
        engine.close()


# -- rebuilds ----------------------------------------------------------------

def write_copy(directory, title="Copy: Trump blames Iran for embassy attack", drop_last=True):
    """A feed with one article: CNBC's seed text re-run by another outlet (a syndicated copy)."""
    paragraphs = [p for p in (SEEDS / "002_c2e6582fa8d69c59.txt").read_text(encoding="utf-8").splitlines() if p]
    kept = [p for p in paragraphs if "contributed to this report" not in p]
    if drop_last:
        kept = kept[:-2]
    directory.mkdir(parents=True, exist_ok=True)
    item = {"id": "copy-1", "outlet": "Syndicator", "section": "World", "published": "2020-01-01",
            "title": title, "text": "\n\n".join(kept + ["A paragraph the copy added at the end of it all."])}
    (directory / "copy.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")


def test_an_incremental_rebuild_places_a_new_article_without_regrouping(tmp_path):
    index_dir, extra = tmp_path / "index", tmp_path / "extra"
    build.rebuild([SEEDS], index_dir)
    first = generations.live_generation(index_dir)
    before = json.loads((first / built.FILENAME).read_text(encoding="utf-8"))["stories"]
    write_copy(extra)
    summary = build.rebuild([SEEDS, extra], index_dir)
    assert summary.mode == "incremental"
    engine = Engine(index_dir)
    try:
        index = engine.live().stories()
        sid = index.story_of("copy-1")
        assert sid in before  # joined the existing story, whose id is unchanged
        assert set(index.get(sid)["articles"]) == SEED_IDS | {"copy-1"}
        story = engine.story(sid)
        copy = [c for c in story["copies"] if c["article"] == "copy-1"]
        assert len(copy) == 1 and copy[0]["of"]["outlet"] == "CNBC"
        assert copy[0]["headline"]["to"] == "Copy: Trump blames Iran for embassy attack"
        assert "A paragraph the copy added at the end of it all." in copy[0]["added"]
        assert len(copy[0]["cut"]) == 2
        assert any("Reuters" in c for c in copy[0]["credit_dropped"])
        absent = {a["outlet"]: a for a in engine.story(sid)["absent"]}
        assert absent == {}  # every outlet is in it now
    finally:
        engine.close()
    # Rollback brings the previous generation's stories back with its index.
    generations.rollback(index_dir)
    engine = Engine(index_dir)
    try:
        assert engine.live().stories().story_of("copy-1") is None
        assert engine.live().stories().summaries == before
    finally:
        engine.close()


def test_absent_outlets_and_their_window_counts(tmp_path):
    """An outlet with articles in the story's days but none in it is silent; one without any was not collected."""
    extra = tmp_path / "extra"
    extra.mkdir()
    items = [{"id": "sport-1", "outlet": "Sports Daily", "published": "2019-12-31", "title": "Cup final tonight",
              "text": "The cup final kicks off tonight at the national stadium with both squads at full strength."},
             {"id": "old-1", "outlet": "Old Gazette", "published": "2015-05-05", "title": "Harvest festival",
              "text": "The harvest festival returned to the village green with record crowds and a brass band."}]
    (extra / "f.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    build.rebuild([SEEDS, extra], tmp_path / "index")
    engine = Engine(tmp_path / "index")
    try:
        index = engine.live().stories()
        story = engine.story(index.story_of("002_c2e6582fa8d69c59"))
        assert {a["outlet"]: (a["articles_in_window"], a["collected"]) for a in story["absent"]} == {
            "Sports Daily": (1, True), "Old Gazette": (0, False)}
        assert index.story_of("old-1") != index.story_of("sport-1")
    finally:
        engine.close()


# -- API, pages, links -------------------------------------------------------

def test_stories_for_a_search(client):
    data = client.get("/api/stories?q=embassy").json
    assert data["total"] == 1
    (story,) = data["stories"]
    assert set(story) == {"id", "title", "first_published", "outlets", "article_count"}
    assert story["article_count"] == 5 and story["first_published"] == "2019-12-31"
    assert client.get("/api/stories?q=zzzznotaword").json["stories"] == []
    bad = client.get("/api/stories?page=0")
    assert bad.status_code == 400 and bad.json["error"]["param"] == "page"


@pytest.mark.parametrize("path", ["/api/stories/nope", "/api/stories/s000000000000", "/api/stories/../x"])
def test_unknown_story_is_a_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_search_hits_link_their_story(client):
    hits = client.get("/api/search?q=embassy").json["hits"]
    assert len({h["story"] for h in hits}) == 1
    page = client.get("/?q=embassy").get_data(as_text=True)
    assert f'href="/stories/{hits[0]["story"]}"' in page and "Covered by 5 outlets" in page


def test_story_page_and_article_page(client):
    story = seed_story(client)
    page = client.get(f"/stories/{story['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Who published when" in html and "Only in CNBC" in html and "Mousavi" in html
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'") and "<script>" not in html
    for a in story["articles"]:
        assert f'href="/articles/{a["id"]}"' in html
    article = client.get("/articles/002_c2e6582fa8d69c59").get_data(as_text=True)
    assert "Other coverage of this story" in article and f'href="/stories/{story["id"]}"' in article
    assert article.count('href="/articles/') >= 4


def test_story_page_escapes_document_text(tmp_path):
    """Markup in titles, quotes and passages is shown as text, never run."""
    source = tmp_path / "src"
    shutil.copytree(SEEDS, source)
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    item = {"id": "evil-1", "outlet": "Evil <b>Outlet</b>", "published": "2020-01-01", "title": evil,
            "text": (source / "002_c2e6582fa8d69c59.txt").read_text(encoding="utf-8")
            + f'\n\n“{evil} said the embassy was stormed by protesters on Tuesday,” he said.'}
    (source / "evil.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")
    build.rebuild([source], tmp_path / "index")
    from web import create_app

    app = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True})
    client = app.test_client()
    sid = client.get("/api/search?q=embassy").json["hits"][0]["story"]
    html = client.get(f"/stories/{sid}").get_data(as_text=True)
    app.extensions["lede_engine"].close()
    assert "evil-1" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Outlet" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("b, img"), "document markup reached the page as markup"
    assert [s.get("src") for s in soup.select("script")] == ["/static/lede.js"]
    assert evil in [a.get_text() for a in soup.select(".story__timeline a")]  # the text, exactly as written
    assert any(evil in q.get_text() for q in soup.select(".story__quote blockquote"))


def test_story_responses_match_the_openapi_document(client):
    from jsonschema import Draft202012Validator

    spec = client.get("/api/openapi.json").json

    def check(path, response):
        schema = spec["paths"][path]["get"]["responses"][str(response.status_code)]["content"][
            "application/json"]["schema"]
        Draft202012Validator({**schema, "components": spec["components"]}).validate(response.json)

    story_id = client.get("/api/search?q=embassy").json["hits"][0]["story"]
    check("/api/stories/{id}", client.get(f"/api/stories/{story_id}"))
    check("/api/stories/{id}", client.get("/api/stories/s000000000000"))
    check("/api/stories", client.get("/api/stories?q=embassy"))
    check("/api/stories", client.get("/api/stories?per_page=1000"))


def test_a_generation_without_stories_gets_them_from_the_next_rebuild(tmp_path):
    """An index built before stories existed: a rebuild that changes nothing else groups it."""
    index_dir = tmp_path / "index"
    build.rebuild([SEEDS], index_dir)
    live = generations.live_generation(index_dir)
    (live / built.FILENAME).unlink()
    (live / built.VECTORS).unlink()
    summary = build.rebuild([SEEDS], index_dir)
    assert summary.made_live and summary.mode == "incremental"
    grouped = generations.live_generation(index_dir)
    assert grouped != live and (grouped / built.FILENAME).is_file()
    assert build.rebuild([SEEDS], index_dir).mode == "unchanged"


def test_story_endpoints_answer_405_and_503_in_the_one_error_shape(client, tmp_path):
    story_id = client.get("/api/search?q=embassy").json["hits"][0]["story"]
    for path in (f"/api/stories/{story_id}", "/api/stories"):
        response = client.post(path)
        assert response.status_code == 405 and response.json["error"]["code"] == "method_not_allowed"
    from web import create_app

    app = create_app({"INDEX_DIR": str(tmp_path / "none"), "TESTING": True})
    for path in (f"/api/stories/{story_id}", "/api/stories?q=x"):
        response = app.test_client().get(path)
        assert response.status_code == 503 and response.json["error"]["code"] == "index_unavailable"
    assert app.test_client().get(f"/stories/{story_id}").status_code == 503

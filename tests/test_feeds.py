"""GET /feeds/search.atom: parsed with feedparser, required Atom 1.0 elements checked in the XML itself."""
import xml.etree.ElementTree as ET

import feedparser
import pytest

from articles import newsroom

ATOM = "{http://www.w3.org/2005/Atom}"
CORPUS = newsroom()


def get_feed(client, query: str):
    response = client.get("/feeds/search.atom?" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/atom+xml"
    return response


def test_feed_parses_and_lists_the_newest_50_matches(newsroom_client):
    response = get_feed(newsroom_client, "q=embassy&outlet=CNN")
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    matches = [a for a in CORPUS if a.outlet == "CNN" and "embassy" in a.text().split()]
    dated = sorted((a for a in matches if a.published), key=lambda a: (a.published, a.id), reverse=True)
    newest_dates = [a.published for a in dated[:50]]
    assert len(parsed.entries) == 50
    assert [e.published[:10] for e in parsed.entries] == newest_dates
    first = parsed.entries[0]
    assert first.author == "CNN"
    assert first.link.startswith("http://localhost/articles/n") and "q=embassy" in first.link
    article = next(a for a in dated if first.link.split("/articles/")[1].split("?")[0] == a.id)
    assert first.title == article.title
    assert first.summary == article.paragraphs[0].text
    assert parsed.feed.updated[:10] == newest_dates[0]


def test_feed_has_the_required_atom_elements(newsroom_client):
    root = ET.fromstring(get_feed(newsroom_client, "q=siege").get_data())
    assert root.tag == ATOM + "feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(ATOM + tag) is not None, tag
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(ATOM + "entry")
    assert entries
    for entry in entries:
        for tag in ("id", "title", "updated", "summary", "author"):
            assert entry.find(ATOM + tag) is not None, tag
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://localhost/articles/")
    updates = [e.find(ATOM + "updated").text for e in entries]
    assert root.find(ATOM + "updated").text == max(updates)


def test_feed_id_is_stable_per_search_and_differs_between_searches(newsroom_client):
    def feed_id(query):
        return feedparser.parse(get_feed(newsroom_client, query).get_data()).feed.id

    one = feed_id("q=embassy&outlet=CNN&outlet=Reuters")
    assert one == feed_id("outlet=CNN&q=embassy&outlet=Reuters&sort=oldest&page=3")
    assert one != feed_id("q=embassy&outlet=CNN")
    assert one != feed_id("q=protest&outlet=CNN&outlet=Reuters")


def test_conditional_get_answers_304_until_the_generation_changes(tmp_path):
    from articles import article, build_index
    from web import create_app

    index_dir = tmp_path / "index"
    build_index(index_dir, CORPUS[:30])
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    first = get_feed(client, "q=report")
    etag = first.headers["ETag"]
    again = client.get("/feeds/search.atom?q=report", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/feeds/search.atom?q=embassy", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another search, another tag
    build_index(index_dir, [*CORPUS[:30], article("late", title="Late report", body="A late report.",
                                                    published="2021-06-01")])
    fresh = client.get("/feeds/search.atom?q=report", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert feedparser.parse(fresh.get_data()).entries[0].title == "Late report"


def test_search_page_links_its_feed(newsroom_client):
    html = newsroom_client.get("/?q=embassy&outlet=CNN&page=2").get_data(as_text=True)
    feed = '/feeds/search.atom?q=embassy&amp;outlet=CNN'
    assert f'<link rel="alternate" type="application/atom+xml" title="Lede: embassy" href="{feed}">' in html
    assert f'<a href="{feed}" type="application/atom+xml">Follow this search</a>' in html
    assert 'href="/api/export?q=embassy&amp;outlet=CNN&amp;format=csv" download>CSV</a>' in html
    assert 'href="/api/export?q=embassy&amp;outlet=CNN&amp;format=jsonl" download>JSON Lines</a>' in html


@pytest.mark.parametrize("query,param", [("from=2020-02-30", "from"), ("outlet=Nowhere", "outlet")])
def test_bad_feed_parameters_are_400(newsroom_client, query, param):
    response = newsroom_client.get("/feeds/search.atom?" + query)
    assert response.status_code == 400

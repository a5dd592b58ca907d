"""Ingestion from the web and from WARC files, against a real HTTP server on 127.0.0.1.

The server serves real article pages (the extraction benchmark's, and the
seeds wrapped in HTML), an RSS feed, an Atom feed, a Google News sitemap
inside a sitemap index, and a robots.txt that disallows one listed page.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import html
import io
import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from whoosh import index as whoosh_index

from index import report
from index.store import build, generations
from index.extract import ingest
from index.extract.fetch import FetchSettings
from index.extract.sourcefile import Source
from index.extract.warc import read_responses, url_id

from conftest import SEEDS, needs_shared
from webserver import Server

#: Polite, but quick: no delay on 127.0.0.1, short timeouts, one retry.
SETTINGS = FetchSettings(contact="tests@example.org", delay=0, timeout=0.5, retries=1, backoff=0.01,
                         max_bytes=1_000_000, concurrency=2)


def benchmark_pages(count: int) -> list[tuple[str, bytes]]:
    """``count`` real article pages with long hand-checked text: (sha id, html bytes)."""
    root = needs_shared("article-extraction-benchmark")
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    chosen = sorted(k for k, v in truth.items() if len(v["articleBody"]) > 2500)[:count]
    return [(k, gzip.decompress((root / "html" / f"{k}.html.gz").read_bytes())) for k in chosen]


def seed_page(name: str) -> bytes:
    """A seed dump as a plain HTML page (the seeds are text; a server would serve HTML)."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return f"<html><head><title>Seed</title></head><body><article>{paragraphs}</article></body></html>".encode()


def rss(items) -> str:
    body = "".join(f"<item><title>{html.escape(t)}</title><link>{u}</link><pubDate>{d}</pubDate></item>"
                   for u, t, d in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title>{body}</channel></rss>'


def atom(items) -> str:
    body = "".join(f'<entry><title>{html.escape(t)}</title><link href="{u}"/><id>{u}</id>'
                   f"<published>{d}</published><updated>{d}</updated></entry>" for u, t, d in items)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Test</title><id>urn:test</id><updated>2020-01-01T00:00:00Z</updated>{body}</feed>")


def news_sitemap(items) -> str:
    body = "".join(f"<url><loc>{u}</loc><news:news><news:publication><news:name>Test</news:name>"
                   f"<news:language>en</news:language></news:publication><news:publication_date>{d}"
                   f"</news:publication_date><news:title>{html.escape(t)}</news:title></news:news></url>"
                   for u, t, d in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{body}</urlset>')


def sitemap_index(urls) -> str:
    body = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'


def write_warc(path: Path, pages: list[tuple[str, bytes]], extra_records: bool = True) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                          http_headers=http))
            if extra_records:
                writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"), length=18))
        if extra_records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("http://warc.example/logo.png", "response",
                                                          payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"), length=8, http_headers=http))


def stored(index_dir: Path) -> dict[str, dict]:
    ix = whoosh_index.open_dir(str(generations.live_generation(index_dir)))
    with ix.searcher() as searcher:
        return {fields["id"]: fields for fields in searcher.all_stored_fields()}


@pytest.fixture
def site(tmp_path):
    """The served folder: pages, feeds, sitemaps, robots.txt; and what each page should become."""
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    (root / "private").mkdir()
    pages = benchmark_pages(7)
    for i, (_, body) in enumerate(pages[:5]):
        (root / "news" / f"a{i}.html").write_bytes(body)
    (root / "private" / "p.html").write_bytes(pages[5][1])
    seeds = sorted(p.name for p in SEEDS.glob("*.txt"))[:3]
    for i, name in enumerate(seeds):
        (root / "news" / f"seed{i}.html").write_bytes(seed_page(name))
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    return root, pages


def layout(url: str, root: Path) -> dict:
    """Write the listings for a server at ``url``; the expected title and date of each article."""
    expected = {
        f"{url}/news/a0.html": ("Feed title of a0", "Tue, 31 Dec 2019 23:30:00 -0500", "2020-01-01"),
        f"{url}/news/a1.html": ("Feed title of a1", "Mon, 30 Dec 2019 10:00:00 GMT", "2019-12-30"),
        f"{url}/news/seed0.html": ("Embassy feed title", "Wed, 01 Jan 2020 08:00:00 +0000", "2020-01-01"),
    }
    (root / "rss.xml").write_text(rss([(u, t, d) for u, (t, d, _) in expected.items()]
                                      + [(f"{url}/private/p.html", "Disallowed", "Mon, 30 Dec 2019 10:00:00 GMT")]))
    atom_items = {f"{url}/news/a1.html": ("Atom title of a1", "2019-12-30T10:00:00Z", "2019-12-30"),
                  f"{url}/news/a2.html": ("Atom title of a2", "2019-12-29T22:00:00-05:00", "2019-12-30"),
                  f"{url}/news/seed1.html": ("Second embassy story", "2020-01-02T09:00:00Z", "2020-01-02")}
    (root / "atom.xml").write_text(atom([(u, t, d) for u, (t, d, _) in atom_items.items()]))
    news = {f"{url}/news/a3.html": ("Sitemap title of a3", "2019-11-19T12:00:00+01:00", "2019-11-19"),
            f"{url}/news/seed2.html": ("Third embassy story", "2020-01-03", "2020-01-03")}
    (root / "news-sitemap.xml").write_text(news_sitemap([(u, t, d) for u, (t, d, _) in news.items()]))
    (root / "sitemap-index.xml").write_text(sitemap_index([f"{url}/news-sitemap.xml"]))
    for u, value in atom_items.items():
        expected.setdefault(u, value)  # the same URL in two feeds: the first source's metadata
    expected.update(news)
    return expected


@contextmanager
def laid_out(site):
    """The test site served on 127.0.0.1, its feeds, sitemaps and robots.txt laid out."""
    root, _ = site
    with Server(root) as server:
        layout(server.url, root)
        yield server


def test_one_rebuild_over_feeds_sitemaps_an_article_and_a_warc(site, tmp_path):
    root, pages = site
    warc_file = tmp_path / "crawl.warc.gz"
    warc_urls = ["http://warc.example/one", "http://warc.example/two"]
    write_warc(warc_file, [(warc_urls[0], pages[6][1]), (warc_urls[1], seed_page(sorted(p.name for p in SEEDS.glob("*.txt"))[3]))])
    index_dir = tmp_path / "index"
    with Server(root) as server:
        expected = layout(server.url, root)
        news = [u for u in expected if "/a3." in u or "/seed2." in u]
        single = f"{server.url}/news/a4.html"
        sources = [f"{server.url}/rss.xml", f"{server.url}/atom.xml", f"{server.url}/sitemap-index.xml",
                   single, str(warc_file)]
        first = build.rebuild(sources, index_dir, fetch=SETTINGS)
        first_log = list(server.log)
        docs = stored(index_dir)
        wanted = {url_id(u) for u in [*expected, single, *warc_urls]}
        assert set(docs) == wanted, ("every allowed article once, nothing else", first.skipped)
        for u, (title, _, day) in expected.items():
            assert docs[url_id(u)]["title"] == title, u
            assert docs[url_id(u)]["published"].date().isoformat() == day, u
        languages = {u: json.loads(docs[url_id(u)]["article"])["language"] for u in news}
        assert set(languages.values()) == {"en"}, "the news sitemap's news:language"
        skipped = dict(first.skipped)
        assert "robots.txt" in skipped[f"{server.url}/private/p.html"]
        assert not any(r.path.startswith("/private/") for r in first_log), "a disallowed page is never requested"
        assert "2 request records" in skipped[str(warc_file)] and "1 responses of other types" in skipped[str(warc_file)]
        assert all("Lede" in r.user_agent and "tests@example.org" in r.user_agent for r in first_log)
        assert sum(1 for r in first_log if r.path == "/news/a1.html") == 1, "the URL two feeds list is fetched once"

        server.log.clear()
        second = build.rebuild(sources, index_dir, fetch=SETTINGS)
        assert second.mode == "unchanged" and not second.made_live
        assert second.generation == first.generation
        assert server.log and all(r.conditional and r.status == 304 for r in server.log), server.log
    assert dict(second.skipped) == skipped, "the skips stay reported"


def test_a_full_rebuild_and_a_rollback_need_no_network(site, tmp_path):
    root, _ = site
    index_dir = tmp_path / "index"
    with Server(root) as server:
        layout(server.url, root)
        source = f"{server.url}/rss.xml"
        first = build.rebuild([source], index_dir, fetch=SETTINGS)
    # The server is gone: the archive beside the index still rebuilds everything.
    full = build.rebuild([Source(source)], index_dir, fetch=SETTINGS, full=True)
    assert full.made_live and set(stored(index_dir)) == {url_id(u) for u in [*layout(server.url, root)][:3]}
    assert full.documents == first.documents == 3
    assert any("kept the copy" in reason for _, reason in full.skipped)


def test_failures_are_reported_with_url_and_reason_while_the_rest_indexes(site, tmp_path):
    root, pages = site
    (root / "big.html").write_bytes(b"<html><body>" + b"<p>big page text</p>" * 60_000 + b"</body></html>")
    (root / "moved-to.html").write_bytes(pages[0][1])
    (root / "bad-feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><link>')
    (root / "bad-sitemap.xml").write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>x</loc></url')
    bad_warc = tmp_path / "bad.warc.gz"
    write_warc(bad_warc, [("http://warc.example/fine", pages[1][1])], extra_records=False)
    with open(bad_warc, "ab") as fh:
        fh.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntruncated")
    with Server(root) as server:
        u = server.url
        names = ["missing.html", "e500", "e429", "slow", "loop-a", "big.html", "moved"]
        (root / "feed.xml").write_text(rss([(f"{u}/{n}", n, "Mon, 30 Dec 2019 10:00:00 GMT") for n in names]))
        s = build.rebuild([f"{u}/feed.xml", f"{u}/bad-feed.xml", f"{u}/bad-sitemap.xml", str(bad_warc)],
                          tmp_path / "index", fetch=SETTINGS)
        log = list(server.log)
    reasons = dict(s.skipped)
    assert "404" in reasons[f"{u}/missing.html"]
    assert "500" in reasons[f"{u}/e500"]
    assert "429" in reasons[f"{u}/e429"]
    assert sum(1 for r in log if r.path == "/e429") == 2, "retried once, as Retry-After allowed"
    assert "timed out" in reasons[f"{u}/slow"]
    assert "redirect loop" in reasons[f"{u}/loop-a"]
    assert "limit per page" in reasons[f"{u}/big.html"]
    assert "malformed feed" in reasons[f"{u}/bad-feed.xml"]
    assert "malformed sitemap" in reasons[f"{u}/bad-sitemap.xml"]
    assert "malformed WARC" in reasons[str(bad_warc)]
    assert set(stored(tmp_path / "index")) == {url_id(f"{u}/moved-to.html"), url_id("http://warc.example/fine")}


def test_status_shows_each_url_source(site, tmp_path):
    from index import status

    index_dir = tmp_path / "index"
    with laid_out(site) as server:
        build.rebuild([f"{server.url}/rss.xml"], index_dir, fetch=SETTINGS)
    st = status.status(index_dir)
    [health] = st["per_source"]
    assert health["source"] == f"{server.url}/rss.xml"
    assert health["http_status"] == 200 and health["articles"] == 3 and health["skipped"] == 1
    assert health["last_fetch"]
    assert f"{server.url}/rss.xml" in status.render(st)


def test_only_http_and_https_are_fetched(tmp_path):
    with pytest.raises(build.BuildFailed) as failed:
        build.rebuild(["ftp://example.org/feed"], tmp_path / "index", fetch=SETTINGS)
    assert "http" in str(failed.value)


def test_refresh_report_names_conditional_requests(site, tmp_path):
    with laid_out(site) as server:
        [first] = ingest.refresh([f"{server.url}/atom.xml"], tmp_path / "index", SETTINGS)
        [second] = ingest.refresh([f"{server.url}/atom.xml"], tmp_path / "index", SETTINGS)
    assert first.changed and first.articles == 3 and first.kind == "feed"
    # robots.txt is not asked for again within a day (RFC 9309); the feed is asked for conditionally.
    assert not second.changed and second.status == 304 and second.requests == second.conditional == 1


def test_articles_that_leave_the_feed_stay_indexed(site, tmp_path):
    root, _ = site
    index_dir = tmp_path / "index"
    with Server(root) as server:
        u = server.url
        (root / "rolling.xml").write_text(rss([(f"{u}/news/a0.html", "First", "Mon, 30 Dec 2019 10:00:00 GMT")]))
        build.rebuild([f"{u}/rolling.xml"], index_dir, fetch=SETTINGS)
        (root / "rolling.xml").write_text(rss([(f"{u}/news/a1.html", "Second", "Tue, 31 Dec 2019 10:00:00 GMT")]))
        server.log.clear()
        s = build.rebuild([f"{u}/rolling.xml"], index_dir, fetch=SETTINGS)
    assert s.made_live and set(stored(index_dir)) == {url_id(f"{u}/news/a0.html"), url_id(f"{u}/news/a1.html")}
    assert [r.path for r in server.log] == ["/rolling.xml", "/news/a1.html"], "the old page is not asked for again"
    assert stored(index_dir)[url_id(f"{u}/news/a0.html")]["title"] == "First"


def test_near_empty_and_listing_pages_from_the_web_are_skipped_with_a_reason(tmp_path):
    body = "<p>" + " ".join(["The river rose overnight and the town's bridge was closed to traffic."] * 5) + "</p>"
    listing = '<script type="application/ld+json">{"@type": "CollectionPage"}</script>'
    pages = [("http://warc.example/story", f"<html><body><article>{body}</article></body></html>"),
             ("http://warc.example/stub", "<html><body><article><p>Bridge closed today.</p></article></body></html>"),
             ("http://warc.example/front", f"<html><head>{listing}</head><body><article>{body}</article></body></html>")]
    warc_file = tmp_path / "pages.warc.gz"
    write_warc(warc_file, [(u, h.encode()) for u, h in pages], extra_records=False)
    s = build.rebuild([warc_file], tmp_path / "ix")
    reasons = dict(s.skipped)
    assert "almost no text (3 words)" in reasons["http://warc.example/stub"]
    assert "listing page (JSON-LD CollectionPage)" in reasons["http://warc.example/front"]
    assert set(stored(tmp_path / "ix")) == {"warc.example-story"}


def test_a_url_source_takes_its_overrides_from_the_sources_file(site, tmp_path):
    index_dir = tmp_path / "index"
    with laid_out(site) as server:
        source = f"{server.url}/atom.xml"
        build.rebuild([Source(source, outlet="The Wire", section="world")], index_dir, fetch=SETTINGS)
        docs = stored(index_dir)
        assert {(d["outlet"], d["section"]) for d in docs.values()} == {("The Wire", "World")}
        renamed = build.rebuild([Source(source, outlet="The Other Wire")], index_dir, fetch=SETTINGS)
    assert renamed.made_live and {d["outlet"] for d in stored(index_dir).values()} == {"The Other Wire"}


def test_dropping_a_url_source_that_holds_most_of_the_index_needs_allow_removal(site, tmp_path):
    index_dir = tmp_path / "index"
    with laid_out(site) as server:
        build.rebuild([f"{server.url}/rss.xml"], index_dir, fetch=SETTINGS)
        with pytest.raises(build.BuildFailed, match=f"remove 3 of the 3 live articles: their sources \\({server.url}/rss.xml\\)"):
            build.rebuild([f"{server.url}/atom.xml"], index_dir, fetch=SETTINGS)
        assert build.rebuild([f"{server.url}/atom.xml"], index_dir, fetch=SETTINGS, allow_removal=True).made_live


def test_recent_articles_are_rechecked_for_edits_and_unchanged_ones_cost_a_304(site, tmp_path):
    root, _ = site
    index_dir = tmp_path / "index"
    recent = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2))
    page = root / "news" / "seed0.html"
    with Server(root) as server:
        u = server.url
        fresh, old = f"{u}/news/seed0.html", f"{u}/news/a0.html"
        (root / "recent.xml").write_text(rss([(fresh, "Fresh story", recent),
                                              (old, "Old story", "Mon, 30 Dec 2019 10:00:00 GMT")]))
        first = build.rebuild([f"{u}/recent.xml"], index_dir, fetch=SETTINGS)
        assert "zebrafinch" not in stored(index_dir)[url_id(fresh)]["article"]
        page.write_bytes(page.read_bytes().replace(
            b"</article>", b"<p>Correction: the zebrafinch survey was revised by the council after publication "
                           b"of this story on Tuesday.</p></article>"))
        server.log.clear()
        edited = build.rebuild([f"{u}/recent.xml"], index_dir, fetch=SETTINGS)
        assert edited.made_live and edited.generation != first.generation
        assert "zebrafinch" in stored(index_dir)[url_id(fresh)]["article"], "the edit is indexed"
        assert sorted((r.path, r.status, r.conditional) for r in server.log) == [
            ("/news/seed0.html", 200, True), ("/recent.xml", 304, True)], "the 2019 page is not asked for again"
        server.log.clear()
        again = build.rebuild([f"{u}/recent.xml"], index_dir, fetch=SETTINGS)
    assert again.mode == "unchanged" and not again.made_live and again.generation == edited.generation
    assert sorted((r.path, r.status, r.conditional) for r in server.log) == [
        ("/news/seed0.html", 304, True), ("/recent.xml", 304, True)]


def test_recheck_schedule_is_every_refresh_when_recent_then_geometric():
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    published, window = start.isoformat(), 7.0
    checks, last = [], start.isoformat()
    for day in range(1, 731):  # a refresh a day for two years
        at = start + dt.timedelta(days=day)
        if ingest.due(published, start.isoformat(), last, window, at=at):
            checks.append(day)
            last = at.isoformat()
    assert checks[:7] == [1, 2, 3, 4, 5, 6, 7], "within the window: every refresh"
    gaps = [b - a for a, b in zip(checks[7:], checks[8:])]
    assert gaps == sorted(gaps) and gaps[-1] > 30, "then further and further apart"
    assert len(checks) < 30 and checks[-1] > 600, "a bounded number of checks, and they never stop"
    assert ingest.due(None, None, None, window), "a page of unknown age is checked"


def test_a_source_may_choose_the_fast_extractor_and_changing_it_recleans(tmp_path):
    truth = json.loads((needs_shared("article-extraction-benchmark") / "ground-truth.json").read_text(encoding="utf-8"))
    pages = benchmark_pages(3)
    warc_file = tmp_path / "pages.warc.gz"
    write_warc(warc_file, [(f"http://warc.example/{key}", body) for key, body in pages], extra_records=False)
    index_dir = tmp_path / "ix"

    def recall_of_truth() -> dict:
        docs = stored(index_dir)
        out = {}
        for key, _ in pages:
            kept = " ".join(p["text"] for p in json.loads(docs[url_id(f"http://warc.example/{key}")]["article"])["paragraphs"])
            wanted = set(truth[key]["articleBody"].lower().split())
            out[key] = len(wanted & set(kept.lower().split())) / len(wanted)
        return out

    full = build.rebuild([Source(str(warc_file))], index_dir)
    full_texts = {k: v["article"] for k, v in stored(index_dir).items()}
    assert full.made_live and min(recall_of_truth().values()) > 0.9
    fast = build.rebuild([Source(str(warc_file), extractor="fast")], index_dir)
    assert fast.made_live and sum(c["updated"] for c in fast.per_outlet.values()) == 3, "changing the extractor re-cleans"
    assert min(recall_of_truth().values()) > 0.9, "the fast extractor keeps the article's text too"
    assert {k: v["article"] for k, v in stored(index_dir).items()} != full_texts
    again = build.rebuild([Source(str(warc_file), extractor="fast")], index_dir)
    assert again.mode == "unchanged"
    assert build.rebuild([Source(str(warc_file), extractor="full")], index_dir).made_live, "back to the default"
    assert {k: v["article"] for k, v in stored(index_dir).items()} == full_texts


def test_the_fetch_cache_is_appended_to_then_compacted_and_pruned(site, tmp_path):
    root, _ = site
    index_dir = tmp_path / "index"
    day = "Mon, 30 Dec 2019 10:00:00 GMT"
    with Server(root) as server:
        u = server.url
        feed = f"{u}/rolling.xml"
        (root / "rolling.xml").write_text(rss([(f"{u}/news/a0.html", "First", day)]))
        build.rebuild([feed], index_dir, fetch=SETTINGS)
        archive = ingest.archive_path(index_dir, feed)
        before = archive.read_bytes()
        # A new item: the new feed and page are appended; the bytes already there stay as they were.
        (root / "rolling.xml").write_text(rss([(f"{u}/news/a1.html", "Second", day), (f"{u}/news/a0.html", "First", day)]))
        [report] = ingest.refresh([feed], index_dir, SETTINGS)
        assert report.written == "appended" and archive.read_bytes().startswith(before)
        held = read_responses(archive)
        assert held.records == 4 and [k.page.requested for k in held.kept] == [
            f"{u}/news/a0.html", feed, f"{u}/news/a1.html"], "the newer feed supersedes the older"
        assert build.rebuild([feed], index_dir, fetch=SETTINGS).made_live
        assert set(stored(index_dir)) == {url_id(f"{u}/news/a0.html"), url_id(f"{u}/news/a1.html")}
        # Superseded feeds pile up only so far: then the archive is rewritten with what is current.
        writes = []
        for n in range(5):
            (root / "rolling.xml").write_text(rss([(f"{u}/news/a1.html", "Second", day),
                                                   (f"{u}/news/a0.html", "First", day)]) + f"<!-- take {n} -->")
            [report] = ingest.refresh([feed], index_dir, SETTINGS)
            writes.append(report.written)
        assert "rewritten" in writes and writes[0] == "appended"
        assert read_responses(archive).records <= 2 * 3
        assert [k.page.body for k in read_responses(archive).kept if k.page.requested == feed] == [
            (root / "rolling.xml").read_bytes()]
        # A retitled item supersedes its page's record (its title is kept with it): rewritten, the old copy gone.
        (root / "rolling.xml").write_text(rss([(f"{u}/news/a1.html", "Second, retitled", day),
                                               (f"{u}/news/a0.html", "First", day)]))
        after = build.rebuild([feed], index_dir, fetch=SETTINGS)
        assert read_responses(archive).records == 3
        assert after.made_live and stored(index_dir)[url_id(f"{u}/news/a1.html")]["title"] == "Second, retitled"
        # A source given up: its archive stays while a kept generation (the previous) was built from it.
        other = f"{u}/atom.xml"
        layout(u, root)
        build.rebuild([other], index_dir, fetch=SETTINGS, allow_removal=True)
        assert archive.exists() and ingest.report_path(archive).exists()
        build.rebuild([other], index_dir, fetch=SETTINGS, full=True)
    assert not archive.exists() and not ingest.report_path(archive).exists()
    assert ingest.archive_path(index_dir, other).exists()


def test_near_empty_and_listing_pages_saved_as_files_are_skipped_too_but_short_text_files_are_not(tmp_path):
    body = "<p>" + " ".join(["The river rose overnight and the town's bridge was closed to traffic."] * 5) + "</p>"
    listing = '<script type="application/ld+json">{"@type": "CollectionPage"}</script>'
    src = tmp_path / "saved"
    src.mkdir()
    (src / "story.html").write_text(f"<html><body><article>{body}</article></body></html>")
    (src / "stub.htm").write_text("<html><body><article><p>Bridge closed today.</p></article></body></html>")
    (src / "front.html.gz").write_bytes(gzip.compress(
        f"<html><head>{listing}</head><body><article>{body}</article></body></html>".encode()))
    (src / "brief.txt").write_text("Bridge closed\n\nThe bridge is closed today.\n")
    s = build.rebuild([src], tmp_path / "ix")
    reasons = dict(s.skipped)
    assert "almost no text (3 words)" in reasons[str(src / "stub.htm")]
    assert "listing page (JSON-LD CollectionPage)" in reasons[str(src / "front.html.gz")]
    assert set(stored(tmp_path / "ix")) == {"story", "brief"}


def test_the_summary_names_the_rechecks_but_not_the_check_times(site, tmp_path):
    root, _ = site
    recent = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1))
    with Server(root) as server:
        feed = f"{server.url}/recent.xml"
        (root / "recent.xml").write_text(rss([(f"{server.url}/news/seed0.html", "Fresh story", recent)]))
        build.rebuild([feed], tmp_path / "index", fetch=SETTINGS)
        (root / "recent.xml").write_text(rss([(f"{server.url}/news/seed0.html", "Fresh story", recent)]) + "<!-- 2 -->")
        second = build.rebuild([feed], tmp_path / "index", fetch=SETTINGS)
    [fetched] = second.fetched
    assert fetched["rechecked"] == 1 and "checked" not in fetched
    assert "1 re-checked for edits" in report.fetch_line(fetched)
    assert list(json.loads(ingest.report_path(ingest.archive_path(tmp_path / "index", feed)).read_text())["checked"]) \
        == [f"{server.url}/news/seed0.html"]

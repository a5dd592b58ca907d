"""scoring.py against Whoosh itself: the same matches and bit-identical scores, on real indexes.

Each check runs one query both ways — Engine._scored_pass(fast=False), Whoosh walking its postings,
and TermScores.score_all — and compares the matched sets and the (score, docnum) multisets exactly.
The synthetic index has one segment over Whoosh's 5,000-document threshold (ORs become trees of
unions) and one under it (ORs are preloaded into arrays), and documents deleted from both.
Phrases (scoring.py with phrases.py) are checked the same way, and their unscored sets (matching.py).
"""
from __future__ import annotations

import gc
import random
import sys
import warnings
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from articles import article, build_index, delete
from conftest import ROOT, needs_shared
from index.store import build
from index.store.document import to_document
from search import Engine, SearchRequest
from search import filters, ranking
from search.parse import parse_query
from search.plan import scored_pass
from search.fast import leaf as leaf_scores, scoring
from search.cache import LRUCache
from search.fast.matching import matching_docs

VOCAB = ("oil gas tax embassy baghdad protest market crowd fire police vote court storm flood bank "
         "rate trade price minister army").split()
OUTLETS, SECTIONS = ("Alpha", "Beta", "Gamma"), ("World", "Business")
BIG, SMALL = 5050, 150  # documents in the first (over Whoosh's 5,000) and second segment
REAL_SAMPLE = 2000  # articles of ../shared/data indexed for the real-data check (~12 s to build)
RARE_EVERY = 401  # every 401st document also has "zebra" in its body: a rare word for ANDs to narrow by
DELETED = ("d00003", "d00100", "d04999", f"d{BIG + 7:05d}")

#: Query texts over VOCAB: words, operators, fields, boosts, absent words, stop words.
QUERIES = (
    "oil", "oil gas", "oil gas tax", "embassy baghdad protest market", "oil OR gas", "oil gas -tax",
    "oil -gas -tax", "oil NOT gas", "NOT oil", "oil AND NOT gas OR tax", "(oil OR gas) AND (tax OR vote)",
    "title:oil", "title:oil gas", "body:storm flood", "captions:fire", "byline:smith oil", "outlet:alpha oil",
    "section:business tax", "title:oil^2 gas", "oil^0 gas", "oil^3 OR gas^0.5", "zzzqqq", "oil zzzqqq",
    "oil OR zzzqqq", "the", "the of and", "a b -c", "-oil", "oil oil", "court storm flood bank rate trade",
    "zebra", "zebra oil gas", "zebra -oil",
)


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(rng.randint(low, high)))


def _articles(start: int, count: int, rng: random.Random):
    for i in range(start, start + count):
        body = _words(rng, 3, 25) + (" zebra" if i % RARE_EVERY == 0 else "")
        yield article(f"d{i:05d}", _words(rng, 1, 4), body, outlet=rng.choice(OUTLETS),
                      section=rng.choice(SECTIONS), captions=_words(rng, 2, 5) if rng.random() < 0.3 else "",
                      byline="Ann Smith" if rng.random() < 0.1 else "")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    """Two segments (BIG then SMALL documents), with DELETED removed without merging."""
    index_dir = tmp_path_factory.mktemp("scoring")
    rng = random.Random(20261121)
    gen = build_index(index_dir, _articles(0, BIG, rng))
    writer = whoosh_index.open_dir(str(gen)).writer()
    for a in _articles(BIG, SMALL, rng):
        writer.add_document(**to_document(a, "hash-" + a.id))
    writer.commit(merge=False)
    delete(gen, *DELETED)
    return index_dir


@pytest.fixture(scope="module")
def engine(index_dir):
    engine = Engine(index_dir)
    yield engine
    engine.close()


def both_ways(engine, text: str, match: str = "all", outlets=(), sections=()):
    """(Whoosh's answer, the fast path's answer) for one request's query and filters."""
    live = engine.live()
    request = SearchRequest(q=text, match=match, outlets=tuple(outlets), sections=tuple(sections))
    query = parse_query(text, live.schema, match)
    allowed = filters.parameter_docs(live, request)
    slow = scored_pass(live, query, allowed, fast=False)
    fast = live.scores.score_all(query, allowed)
    return slow, fast


def assert_same(slow, fast, label):
    assert fast is not None, f"{label}: the fast path was not taken"
    assert fast[0] == slow[0], f"{label}: matched sets differ"
    assert Counter(fast[1]) == Counter(slow[1]), f"{label}: scores differ"
    assert {d for _, d in fast[1]} == fast[0], f"{label}: scored docnums are not the matched set"


def test_index_has_a_tree_segment_a_preloaded_segment_and_deletions(engine):
    reader = engine.live().searcher.reader()
    sizes = [r.doc_count_all() for r, _ in reader.leaf_readers()]
    assert len(sizes) == 2 and sizes[0] > 5000 >= sizes[1], sizes
    assert reader.has_deletions() and reader.doc_count() == BIG + SMALL - len(DELETED)


@pytest.mark.parametrize("match", ["all", "any"])
@pytest.mark.parametrize("text", QUERIES)
def test_fast_path_equals_whoosh(engine, text, match):
    slow, fast = both_ways(engine, text, match)
    assert_same(slow, fast, f"{text!r} match={match}")


@pytest.mark.parametrize("filters", [
    {"outlets": ["Alpha"]}, {"sections": ["Business"]}, {"outlets": ["Beta", "Gamma"], "sections": ["World"]},
])
@pytest.mark.parametrize("text", ["oil gas", "oil OR gas -tax", "title:oil^2 gas", "NOT oil"])
def test_fast_path_equals_whoosh_with_filters(engine, text, filters):
    slow, fast = both_ways(engine, text, **filters)
    assert_same(slow, fast, f"{text!r} {filters}")
    assert slow[0], "a test query that matches nothing compares nothing"


def test_deleted_documents_never_match(engine):
    live = engine.live()
    deleted = {live.searcher.document_number(id=i) for i in DELETED} - {None}
    reader = live.searcher.reader()
    gone = {d for d in range(reader.doc_count_all()) if reader.is_deleted(d)}
    assert len(gone) == len(DELETED) and not deleted  # deleted ids are no longer findable
    for text in ("oil OR gas OR tax OR embassy OR storm", "NOT zzzqqq", "oil -zzzqqq"):
        slow, fast = both_ways(engine, text, "any")
        assert_same(slow, fast, text)
        assert not fast[0] & gone


def test_a_query_after_deleting_more_documents(index_dir, engine):
    """Deletions made after a searcher opened are seen by a new engine, identically both ways."""
    live = engine.live()
    more = ["d00010", f"d{BIG + 20:05d}"]
    gone = {live.searcher.document_number(id=i) for i in more}
    delete(live.path, *more)
    fresh = Engine(index_dir)
    try:
        for text in ("oil gas", "oil OR gas", "NOT oil"):
            slow, fast = both_ways(fresh, text, "any")
            assert_same(slow, fast, text)
            assert not fast[0] & gone
    finally:
        fresh.close()


def test_narrowed_reads_inside_an_and_give_the_same_scores(index_dir, monkeypatch):
    """Common words read only in the blocks holding the rare word's documents: still exact."""
    monkeypatch.setattr(scoring, "NARROW_RATIO", 4)
    fresh = Engine(index_dir)  # nothing cached yet
    try:
        slow, fast = both_ways(fresh, "zebra oil", "all")
        assert_same(slow, fast, "zebra oil")
        assert fast[0]
        cache = fresh.live().scores._cache
        assert cache.get((0, "body", "oil", 1.0)) is None  # read in part, so not cached
        assert cache.get((0, "body", "zebra", 1.0)) is not None
        for text in ("zebra oil", "zebra oil gas", "zebra oil -gas", "zebra (oil OR gas)", "zebra NOT oil",
                     "oil^0 zebra", "title:oil zebra"):
            for match in ("all", "any"):
                slow, fast = both_ways(fresh, text, match)
                assert_same(slow, fast, f"{text!r} match={match}")
    finally:
        fresh.close()


#: Phrases over VOCAB (random text of 20 words: every pair stands side by side somewhere): adjacent
#: and with slop, a repeated word, three and four words, a word missing from the second segment (zebra),
#: in one field or all three (captions boosted 0.5), inside AND / OR / NOT, with explicit boosts.
PHRASES = (
    '"oil gas"', '"gas oil"', '"oil oil"', '"oil oil oil"', '"oil gas tax"', '"oil gas oil gas"',
    '"oil gas"~2', '"oil gas tax"~3', '"oil zebra"', '"zebra oil"', '"zebra zebra"', '"oil zzzqqq"',
    'title:"oil gas"', 'body:"storm flood"', 'captions:"fire police"', 'title:"oil gas"^2',
    '"oil gas"^0.5 tax', 'oil "gas tax"', '"oil gas" OR "tax vote"', '"oil gas" -"gas oil"',
    '"oil gas" NOT tax', 'NOT "oil gas"', '("oil gas" OR storm) AND (tax OR "vote court")',
    '"oil gas" "tax vote" "court storm"', 'zebra "oil gas"', '"the oil"', '"oil of gas"',
    '"oil gas" OR "gas tax" OR "tax vote" OR "vote court"',
)


@pytest.mark.parametrize("match", ["all", "any"])
@pytest.mark.parametrize("text", PHRASES)
def test_phrases_equal_whoosh(engine, text, match):
    slow, fast = both_ways(engine, text, match)
    assert_same(slow, fast, f"{text!r} match={match}")
    live = engine.live()  # the unscored sets (date sorts, partial matches) agree too
    assert matching_docs(parse_query(text, live.schema, match), live.terms) == slow[0]


@pytest.mark.parametrize("filters", [{"outlets": ["Alpha"]}, {"outlets": ["Beta", "Gamma"], "sections": ["World"]}])
@pytest.mark.parametrize("text", ['"oil gas"', '"oil gas" tax', '"oil gas"~2 OR "tax vote"'])
def test_phrases_equal_whoosh_with_filters(engine, text, filters):
    slow, fast = both_ways(engine, text, **filters)
    assert_same(slow, fast, f"{text!r} {filters}")
    assert slow[0], "a test query that matches nothing compares nothing"


def test_phrase_tests_cover_what_they_claim(engine):
    """The phrase cases above compare something: matches in both segments, slop adding matches, a
    repeated word matching, a word absent from the second segment, deleted documents left out."""
    live = engine.live()
    (_, first), (_, second) = live.searcher.leaf_searchers()

    def found(text):
        return both_ways(engine, text)[0][0]
    adjacent, loose = found('"oil gas"'), found('"oil gas"~2')
    assert {d < second for d in adjacent} == {True, False}  # both segments
    assert adjacent < loose
    assert found('"oil oil"') and found('"oil gas tax"')
    assert found('"zebra oil"') or found('"oil zebra"')
    reader = live.searcher.reader()
    assert ("body", b"zebra") not in live.searcher.leaf_searchers()[1][0].reader()
    assert not any(reader.is_deleted(d) for d in found('"oil gas"~3'))


def test_phrases_with_narrowed_reads_give_the_same_scores(index_dir, monkeypatch):
    """A phrase's common words read only in the blocks holding its rarest word's documents: still exact."""
    monkeypatch.setattr(scoring, "NARROW_RATIO", 4)
    fresh = Engine(index_dir)
    try:
        slow, fast = both_ways(fresh, 'body:"zebra oil"')
        assert_same(slow, fast, "zebra oil")
        assert fresh.live().scores._cache.get((0, "body", "oil", 1.0)) is None  # read in part
        for text in ('"zebra oil"', '"oil zebra"', 'zebra "oil gas"', '"oil gas" -zebra', 'zebra OR "oil gas"'):
            for match in ("all", "any"):
                slow, fast = both_ways(fresh, text, match)
                assert_same(slow, fast, f"{text!r} match={match}")
    finally:
        fresh.close()


def test_length_norms_read_whole_equal_whoosh_per_document(engine):
    """The per-docnum length norms read from the lengths column in one piece equal doc_field_length's."""
    k1, b, avgfl = 1.3, 0.7, 6.25
    for leaf in engine.live().scores._leaves:
        length = leaf.reader.doc_field_length
        for field in ("title", "body", "captions", "byline"):
            assert leaf_scores._length_codes(leaf.reader, field, leaf.doc_count_all) is not None  # read whole
            expected = [None if n is None else k1 * ((1 - b) + b * n / avgfl)
                        for n in (length(d, field, 1) for d in range(leaf.doc_count_all))]
            assert leaf._norms(field, k1, b, avgfl) == expected, field


def test_term_documents_read_by_block_equal_whoosh(engine):
    """matching.py's word → documents sets, read a block at a time: Whoosh's, across segments and
    deletions, for the whole index's reader and for each segment's."""
    from search.fast.postings import term_docs

    reader = engine.live().searcher.reader()
    readers = [reader] + [sub for sub, _ in reader.leaf_readers()]
    terms = [t for t in reader.all_terms() if t[0] in ("title", "body", "captions", "byline")]
    assert len(terms) > 20 and len(readers) == 3
    for r in readers:
        for fieldname, text in terms:
            expected = frozenset(r.postings(fieldname, text).all_ids()) if (fieldname, text) in r else frozenset()
            assert term_docs(r, fieldname, text) == expected, (fieldname, text)


def test_phrase_search_results_take_the_fast_path(engine):
    live = engine.live()
    before = live.scores.answered
    results = engine.search(SearchRequest(q='"gas oil" tax', collapse=False, per_page=20))
    assert live.scores.answered == before + 1
    slow = scored_pass(live, parse_query('"gas oil" tax', live.schema, "all"), None, fast=False)
    best = ranking.best(live, slow[1], 20)
    assert [h.id for h in results.hits] == [live.searcher.stored_fields(d)["id"] for d, _ in best]
    assert results.total == len(slow[0]) > 0


@pytest.mark.parametrize("text", ["oil*", "oil~", "published:[2020-01-01 TO 2020-01-31]", 'oil* "gas tax"'])
def test_other_queries_fall_back_to_whoosh(engine, text):
    live = engine.live()
    query = parse_query(text, live.schema, "all")
    assert live.scores.score_all(query, None) is None
    matched, scored = scored_pass(live, query, None)
    assert matched == {d for _, d in scored}


def test_search_results_are_unchanged_by_the_fast_path(engine):
    live = engine.live()
    before = live.scores.answered
    results = engine.search(SearchRequest(q="oil gas", collapse=False, per_page=20))
    assert live.scores.answered == before + 1
    query = parse_query("oil gas", live.schema, "all")
    slow = scored_pass(live, query, None, fast=False)
    best = ranking.best(live, slow[1], 20)
    stored = [live.searcher.stored_fields(d)["id"] for d, _ in best]
    assert [h.id for h in results.hits] == stored and results.total == len(slow[0])


def test_postings_cache_is_bounded_by_postings_and_drops_the_least_recent():
    cache = LRUCache(10)
    cache.put("a", "A", 4)
    cache.put("b", "B", 4)
    assert cache.get("a") == "A"  # now b is the least recent
    cache.put("c", "C", 4)
    assert cache.get("b") is None and cache.get("a") == "A" and cache.get("c") == "C"
    assert cache.held == 8
    cache.put("huge", "H", 11)  # larger than the whole budget: not kept
    assert cache.get("huge") is None and cache.held == 8


def _bench_module(name: str):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(ROOT / "bench"))


@pytest.fixture(scope="module")
def real_feed(tmp_path_factory) -> Path:
    """A seeded sample of REAL_SAMPLE articles of the benchmark corpus (BBC, BuzzFeed-Webis, Reuters)."""
    data = needs_shared()
    corpus = _bench_module("corpus")
    feed = tmp_path_factory.mktemp("real") / "sample.jsonl"
    with warnings.catch_warnings():  # bench/corpus.py reads Reuters through json.load(open(...))
        warnings.simplefilter("ignore", ResourceWarning)
        articles = corpus.real_articles(data)
        gc.collect()
    corpus.write_feed(feed, random.Random(7).sample(articles, REAL_SAMPLE))
    return feed


@pytest.fixture(scope="module")
def real_engine(real_feed, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("real-index")
    build.rebuild([real_feed], index_dir)
    engine = Engine(index_dir)
    yield engine
    engine.close()


def test_fast_path_equals_whoosh_on_real_articles(real_feed, real_engine):
    """The benchmark's own query set (bench/queries.py: 1–3 title words, plain and filtered by the
    source article's outlet or section), plus each plain query with match=any."""
    groups = _bench_module("queries").make_queries(real_feed, count=200)
    taken = 0
    for group in groups:
        for q in group:
            runs = [("all", q)] + ([("any", q)] if q.kind == "plain" else [])
            for match, q in runs:
                slow, fast = both_ways(real_engine, q.q, match, outlets=[q.outlet] if q.outlet else (),
                                       sections=[q.section] if q.section else ())
                assert_same(slow, fast, f"{q.q!r} match={match} outlet={q.outlet} section={q.section}")
                taken += bool(slow[0])
    assert taken > 600  # most queries match something (they are drawn from titles in the index)


@pytest.mark.parametrize("text", ["oil gas zebra", "embassy baghdad protest market", "zebra oil gas -tax",
                                  "court storm flood bank rate trade"])
def test_partial_matches_rank_by_the_scores_whoosh_gives_them(engine, text):
    """Partial matches (most of the words) are ranked from scoring.py, with Whoosh's scores."""
    from search.fast.matching import matching_docs
    from search.partial import relax

    live = engine.live()
    query = parse_query(text, live.schema)
    loose = relax(query)
    docs = matching_docs(loose, live.terms) - matching_docs(query, live.terms)
    assert docs
    before = live.scores.answered
    ranked = ranking.order_of(live, "relevance", loose, docs, 25)
    assert live.scores.answered == before + 1  # the fast path answered
    whoosh = live.searcher.search(loose, limit=None, filter=docs)
    expected = {hit.docnum: hit.score for hit in whoosh}
    assert set(expected) == docs
    assert len(ranked) == min(25, len(docs))
    for docnum, score in ranked:
        assert score == expected[docnum]
    cutoff = ranked[-1][1]
    assert all(score <= cutoff for d, score in expected.items() if d not in dict(ranked))

"""Counts, pager and pages agree (issue 13): every page offered holds hits, the last one is reachable,
and the hits the pages hold add up to ``hits_total`` — with collapsing on and off, on a real index.

The truth for what must be listed is the collapse-off walk: every matching article once. With
collapsing on, each article left out must be a near-duplicate (by the sketches of the two bodies)
of an article listed on some page.
"""
from __future__ import annotations

import math
import re

import pytest

from index import fingerprint
from search import Engine, SearchRequest
from search.request import MAX_PAGE
from web import create_app

QUERIES = [
    dict(q="oil"), dict(q="said", per_page=100), dict(), dict(per_page=100, sort="newest"),
    dict(q="Trump", sort="oldest"), dict(q="government minister", outlet=("BBC News",)),
    dict(q="oil grain zzzunheardof"),  # no full match: partial matches only
    dict(q="section:business profits", per_page=7), dict(q="Clinton", match="any", per_page=25),
]


@pytest.fixture(scope="module")
def engine(sample_index):
    engine = Engine(sample_index)
    yield engine
    engine.close()


def request_of(params: dict, **more) -> SearchRequest:
    params = {**params, **more}
    params["outlets"] = params.pop("outlet", ())
    return SearchRequest(**params)


def walk(engine, params: dict, collapse: bool):
    """(first page's results, every page's hits in order) for pages 1..pages, and page pages+1."""
    first = engine.search(request_of(params, collapse=collapse))
    pages = [first.hits] + [engine.search(request_of(params, collapse=collapse, page=p)).hits
                            for p in range(2, first.pages + 1)]
    beyond = engine.search(request_of(params, collapse=collapse, page=first.pages + 1)) \
        if first.pages < MAX_PAGE else None
    return first, pages, beyond


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: " ".join(f"{k}={v}" for k, v in p.items()) or "browse")
def test_every_offered_page_holds_hits_and_they_add_up(engine, params):
    listed = {}
    for collapse in (False, True):
        first, pages, beyond = walk(engine, params, collapse)
        per_page = first.per_page
        assert first.pages == min(math.ceil(first.hits_total / per_page), MAX_PAGE)
        assert all(pages), "an offered page is empty"
        assert all(len(hits) == per_page for hits in pages[:-1]), "a page before the last is not full"
        ids = [h.id for hits in pages for h in hits]
        assert len(ids) == len(set(ids)), "a hit on two pages"
        assert len(ids) == first.hits_total
        if beyond is not None:
            assert beyond.hits == () and beyond.hits_total == first.hits_total
        listed[collapse] = {h.id: h for hits in pages for h in hits}
        if not collapse:
            assert first.hits_total == first.total + first.partial_total  # every matching article, once
    shown, folded = listed[True], set(listed[False]) - set(listed[True])
    assert set(shown) <= set(listed[False])
    assert not folded or shown != listed[False]
    sketches = {i: sketch_of(engine, i) for i in set(listed[False])}
    for i in folded:  # nothing is lost: a left-out article repeats a listed one
        assert any(fingerprint.is_duplicate(sketches[i], sketches[j]) for j in listed[False] if j != i), i
    outlets_off = {h.outlet for h in listed[False].values()}
    assert {o for h in shown.values() for o in (h.outlet, *h.also_in)} == outlets_off


def sketch_of(engine, article_id: str) -> frozenset:
    body = engine.searcher().document(id=article_id)["body"]
    return fingerprint.unpack(fingerprint.sketch(body))


def test_collapsing_folds_near_duplicates_in_the_sample(engine):
    data = engine.search(SearchRequest(per_page=1))
    assert data.hits_total < data.total  # the sample has near-duplicates: browsing shows fewer hits
    off = engine.search(SearchRequest(per_page=1, collapse=False))
    assert off.hits_total == off.total


def test_the_pager_offers_exactly_the_pages_that_hold_hits(sample_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(sample_index)}).test_client()
    for query in ("q=oil", "q=said&per_page=100", "per_page=100"):
        data = client.get(f"/api/search?{query}").json
        page = client.get(f"/?{query}").get_data(as_text=True)
        numbers = [int(n) for n in re.findall(r'<span class="visually-hidden">Page </span>(\d+)</a>', page)]
        assert max(numbers) == data["pages"]
        assert f"page 1 of {data['pages']}" in page
        last = client.get(f"/?{query}&page={data['pages']}").get_data(as_text=True)
        assert 'class="hit' in last and "past the last page" not in last
        assert "Next ›</a>" not in last
        beyond = client.get(f"/?{query}&page={data['pages'] + 1}").get_data(as_text=True)
        assert "past the last page" in beyond and f"of {data['pages']}</p>" not in beyond

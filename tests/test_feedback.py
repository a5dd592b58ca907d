"""RM3 feedback (search/feedback.py): only the order of a match=any query's matches changes, the new
scores are exactly Whoosh's BM25F scores of the expanded query, and the model is RM3's mixture."""
from __future__ import annotations

import pytest

from articles import article, build_index
from search import Engine, SearchRequest, feedback
from search.plan import build_query, scored_pass

ARTICLES = [
    article("a1", "Embassy stormed", "Protesters stormed the embassy compound in Baghdad. Militia flags flew."),
    article("a2", "Militia retreats", "The militia left the embassy walls in Baghdad after two days."),
    article("a3", "Baghdad streets", "Baghdad militia supporters marched; the compound burned."),  # no "embassy"
    article("a4", "Oil prices", "Oil rose as markets weighed the crisis.", section="Business"),
    article("a5", "Embassy closes", "The embassy in Oslo closed for a holiday.", outlet="Post"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("feedback")
    build_index(index_dir, ARTICLES)
    engine = Engine(index_dir)
    yield engine
    engine.close()


def every_hit(engine, **params):
    results = engine.search(SearchRequest(per_page=100, collapse=False, **params))
    return results, [h.id for h in results.hits]


def test_feedback_words_bring_in_no_article_the_query_did_not_match(engine, monkeypatch):
    results, ids = every_hit(engine, q="embassy", match="any")
    assert sorted(ids) == ["a1", "a2", "a5"] and results.total == 3  # a3 shares "Baghdad militia", not "embassy"
    monkeypatch.setattr(feedback, "FB_DOCS", 0)
    plain, plain_ids = every_hit(engine, q="embassy oil", match="any")
    monkeypatch.undo()
    fed, fed_ids = every_hit(engine, q="embassy oil", match="any")
    assert sorted(fed_ids) == sorted(plain_ids) and fed.total == plain.total
    assert fed.facets == plain.facets


@pytest.mark.parametrize("q", ["embassy", "embassy baghdad", "oil OR militia", "embassy -oslo", "title:embassy"])
def test_reranked_scores_are_whooshs_scores_of_the_expanded_query(engine, q):
    live = engine.live()
    query = build_query(live, SearchRequest(q=q, match="any"))
    matched, scored = scored_pass(live, query, None)
    expanded = feedback.expanded_query(live.searcher, query, scored)
    if q.startswith("title:"):  # no body word to expand: the ranking is left alone
        assert expanded is None and feedback.rerank(live, query, scored) == scored
        return
    fast = dict((d, s) for s, d in feedback.rerank(live, query, scored))
    whoosh = {d: s for s, d in live.searcher.search(expanded, filter=matched, limit=None).top_n}
    assert set(fast) == set(whoosh) == matched
    assert fast == whoosh  # bit for bit: the fast scorer builds Whoosh's tree of the same query


def test_the_mixed_model_is_rm3(engine):
    live = engine.live()
    query = build_query(live, SearchRequest(q="embassy baghdad", match="any"))
    _, scored = scored_pass(live, query, None)
    weights = feedback.mixed_model(live.searcher, feedback._query_words(query), sorted(scored, reverse=True))
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["embassi"] >= feedback.ORIGINAL_WEIGHT / 2 and weights["baghdad"] >= feedback.ORIGINAL_WEIGHT / 2
    assert len(weights) <= 2 + feedback.FB_TERMS
    assert "militia" in weights  # in both best hits: the feedback words come from them
    assert "oslo" not in weights or weights["oslo"] < weights["militia"]


def test_all_words_queries_date_sorts_and_passages_get_no_feedback():
    assert feedback.applies(SearchRequest(q="a b", match="any"))
    assert not feedback.applies(SearchRequest(q="a b"))
    assert not feedback.applies(SearchRequest(q="a b", match="any", sort="newest"))
    assert not feedback.applies(SearchRequest(q=" ".join(["word"] * 61), match="any"))

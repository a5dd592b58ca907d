"""The engine over small real indexes: ranking, filters, sorting, partial matches, paging, cache, refresh."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import article, build_index
from search import BadQuery, Engine, IndexUnavailable, SearchRequest

DOCS = [
    article("a-title", "Embassy siege in Baghdad", "Crowds gathered on Tuesday. Officials spoke.",
            outlet="Alpha", section="World", published="2020-01-01"),
    article("b-body", "Crowds on Tuesday", "Protesters reached the embassy in Baghdad and lit fires.",
            outlet="Beta", section="World", published="2019-12-31"),
    article("c-once", "Market wrap", "Oil rose; the embassy district was calm. Baghdad traders shrugged.",
            outlet="Alpha", section="Business", published="2020-02-03"),
    article("d-other", "Football results", "The home side won in extra time.",
            outlet="Gamma", section="Sport", published="2020-01-20"),
    article("e-undated", "Embassy staff return", "Staff returned to the embassy in Baghdad.",
            outlet="Beta", section="World", published=None),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("search")
    build_index(index_dir, DOCS, segments=2)
    return Engine(index_dir)


@pytest.fixture(scope="module")
def seed_engine(seed_index):
    engine = Engine(seed_index)
    yield engine
    engine.close()


def run(engine, **kw):
    return engine.search(SearchRequest(**{"collapse": False, **kw}))


def ids(results):
    return [h.id for h in results.hits]


def test_title_matches_rank_above_body_matches(engine):
    results = run(engine, q="embassy siege")
    assert ids(results)[0] == "a-title"
    results = run(engine, q="embassy")
    # Words in the title outrank the same words only in the body.
    assert set(ids(results)[:2]) == {"a-title", "e-undated"}
    assert results.total == 4


def test_sort_by_date_with_undated_last_and_ties_by_id(engine):
    assert ids(run(engine, q="baghdad", sort="newest")) == ["c-once", "a-title", "b-body", "e-undated"]
    assert ids(run(engine, q="baghdad", sort="oldest")) == ["b-body", "a-title", "c-once", "e-undated"]
    assert ids(run(engine, q="", sort="newest"))[0] == "c-once"  # an empty query lists everything


def test_relevance_order_is_deterministic(engine):
    first = [(h.id, h.score) for h in run(engine, q="baghdad", per_page=5).hits]
    again = [(h.id, h.score) for h in Engine(engine.index_dir).search(
        SearchRequest(q="baghdad", per_page=5, collapse=False)).hits]
    assert first == again


@pytest.mark.parametrize("filters, expected", [
    ({"outlets": ("Alpha",)}, ["a-title", "c-once"]),
    ({"outlets": ("Alpha", "Beta")}, ["a-title", "b-body", "c-once", "e-undated"]),  # OR within a field
    ({"outlets": ("Alpha", "Beta"), "sections": ("World",)}, ["a-title", "b-body", "e-undated"]),  # AND across
    ({"sections": ("World", "Business")}, ["a-title", "b-body", "c-once", "e-undated"]),
    ({"date_from": __import__("datetime").date(2020, 1, 1)}, ["a-title", "c-once"]),
    ({"date_to": __import__("datetime").date(2019, 12, 31)}, ["b-body"]),
    ({"published": ("2020-01",)}, ["a-title"]),
    ({"published": ("2019-12-31", "2020-02")}, ["b-body", "c-once"]),
    ({"published": ("2020-01",), "outlets": ("Beta",)}, []),
])
def test_filters_combine(engine, filters, expected):
    results = run(engine, q="baghdad", **filters)
    assert sorted(ids(results)) == expected
    assert results.total == len(expected)


def test_filter_values_are_never_read_as_query_syntax(engine):
    with pytest.raises(BadQuery) as info:
        run(engine, q="baghdad", outlets=("Alpha OR Beta",))
    assert info.value.param == "outlet" and "Alpha OR Beta" in info.value.message


def test_partial_matches_follow_full_ones_and_are_marked(engine):
    results = run(engine, q="embassy baghdad zebra")
    assert results.total == 0
    assert results.partial_total == 4
    assert all(h.partial for h in results.hits)
    assert ids(results)[0] in ("a-title", "e-undated")
    mixed = run(engine, q="embassy tuesday")
    full = [h.id for h in mixed.hits if not h.partial]
    partial = [h.id for h in mixed.hits if h.partial]
    assert sorted(full) == ["a-title", "b-body"]
    assert ids(mixed)[:2] == full  # full matches first
    assert set(partial) == {"c-once", "e-undated"}


def test_match_any_ranks_documents_with_any_word(engine):
    results = run(engine, q="football embassy", match="any")
    assert results.total == 5
    assert not any(h.partial for h in results.hits)


def test_paging(engine):
    everything = ids(run(engine, q="baghdad", per_page=10))
    pages = ids(run(engine, q="baghdad", per_page=2, page=1)) + ids(run(engine, q="baghdad", per_page=2, page=2))
    assert pages == everything
    assert ids(run(engine, q="baghdad", per_page=2, page=3)) == []


def test_a_pinned_engine_answers_from_one_generation_across_a_rebuild(tmp_path):
    build_index(tmp_path, DOCS[:2])
    engine = Engine(tmp_path)
    pinned = engine.pinned()
    assert pinned.search(SearchRequest(q="football")).total == 0  # resolves the generation here
    build_index(tmp_path, DOCS)
    assert pinned.search(SearchRequest(q="football")).total == 0
    assert pinned.health()["generation"] != engine.health()["generation"]
    assert engine.search(SearchRequest(q="football")).total == 1
    assert engine.pinned().search(SearchRequest(q="football")).total == 1
    engine.close()


def test_a_new_generation_is_picked_up_without_a_new_engine(tmp_path):
    build_index(tmp_path, DOCS[:2])
    engine = Engine(tmp_path)
    assert engine.search(SearchRequest(q="football")).total == 0
    build_index(tmp_path, DOCS)
    assert engine.search(SearchRequest(q="football")).total == 1
    assert engine.health()["documents"] == 5


def test_no_index_is_index_unavailable_naming_the_rebuild(tmp_path):
    with pytest.raises(IndexUnavailable) as info:
        Engine(tmp_path / "missing").search(SearchRequest(q="x"))
    assert "python -m index rebuild" in info.value.message


def test_article_by_id(engine):
    assert engine.article("b-body")["outlet"] == "Beta"
    assert engine.article("nope") is None


def test_request_published_parameter_is_validated():
    params = {"published": ["2020-13"]}
    with pytest.raises(BadQuery) as info:
        SearchRequest.from_params(lambda k: None, lambda k: params.get(k, []))
    assert info.value.param == "published"
    ok = SearchRequest.from_params(lambda k: None, lambda k: {"published": ["2020-01", "2020-02-03"]}.get(k, []))
    assert ok.published == ("2020-01", "2020-02-03")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.lists(st.sampled_from(["iran", "embassy", "tear-gas", "Iran’s", '"', "(", ")", "-", "+", "*", "ba*",
                                   "embasy~", "OR", "AND", "NOT", "title:", "outlet:", "published:", "2020-01",
                                   "[2019-12-31 TO 2020-01-01]", "zzz", "<script>", ":", "~2", "^3", " "]),
                  max_size=8).map(" ".join),
       match=st.sampled_from(["all", "any"]), sort=st.sampled_from(["relevance", "newest", "oldest"]))
def test_any_query_gives_results_or_a_bad_query(seed_engine, q, match, sort):
    try:
        results = seed_engine.search(SearchRequest(q=q, match=match, sort=sort))
    except BadQuery as exc:
        assert exc.param == "q" and exc.message
        return
    # The first page holds as many hits as there are, up to a page, each article once.
    assert len(results.hits) == min(results.hits_total, results.per_page)
    assert len({hit.id for hit in results.hits}) == len(results.hits)
    for hit in results.hits:
        assert "<script>" not in hit.title_html + "".join(hit.snippets)

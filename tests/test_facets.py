"""Facet counts from in-memory ordinals: per outlet, section and published month/day, deletions honoured."""
import pytest

from articles import article, build_index, delete
from search import Engine, SearchRequest

DOCS = [
    article("1", "Flood warning", "River flood in the north.", outlet="Alpha", section="UK", published="2020-01-02"),
    article("2", "Flood defences", "New flood barriers.", outlet="Alpha", section="UK", published="2020-01-02"),
    article("3", "Flood relief", "Aid after the flood.", outlet="Beta", section="World", published="2020-01-20"),
    article("4", "Flood insurance", "Premiums rise after flood.", outlet="Beta", section="Business",
            published="2020-02-11"),
    article("5", "Drought", "No rain for months.", outlet="Gamma", section="World", published=None),
]


def facet(results, name):
    return [(v.value, v.count) for v in results.facets[name]]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("facets")
    build_index(index_dir, DOCS, segments=2)
    return Engine(index_dir)


def test_counts_for_the_query(engine):
    results = engine.search(SearchRequest(q="flood", collapse=False))
    assert facet(results, "outlet") == [("Alpha", 2), ("Beta", 2)]  # by count, ties by name
    assert facet(results, "section") == [("UK", 2), ("Business", 1), ("World", 1)]
    assert facet(results, "published") == [("2020-01", 3), ("2020-02", 1)]  # months, in date order


def test_counts_follow_the_filters_and_every_value_works_as_a_filter(engine):
    results = engine.search(SearchRequest(q="flood", outlets=("Beta",)))
    assert facet(results, "outlet") == [("Beta", 2)]
    assert facet(results, "section") == [("Business", 1), ("World", 1)]
    for name, param in (("outlet", "outlets"), ("section", "sections"), ("published", "published")):
        for value in engine.search(SearchRequest(q="flood")).facets[name]:
            narrowed = engine.search(SearchRequest(q="flood", **{param: (value.value,)}))
            assert narrowed.total == value.count


def test_within_one_month_the_published_facet_lists_days(engine):
    results = engine.search(SearchRequest(q="flood", published=("2020-01",)))
    assert facet(results, "published") == [("2020-01-02", 2), ("2020-01-20", 1)]
    import datetime
    ranged = engine.search(SearchRequest(q="flood", date_from=datetime.date(2020, 1, 1),
                                         date_to=datetime.date(2020, 1, 31)))
    assert facet(ranged, "published") == [("2020-01-02", 2), ("2020-01-20", 1)]


def test_empty_query_counts_everything_and_undated_articles_in_their_own_bucket(engine):
    results = engine.search(SearchRequest())
    assert results.total == 5
    assert facet(results, "outlet") == [("Alpha", 2), ("Beta", 2), ("Gamma", 1)]
    assert facet(results, "published") == [("2020-01", 3), ("2020-02", 1), ("undated", 1)]  # undated last
    assert sum(n for _, n in facet(results, "published")) == results.total


def test_undated_is_a_filter_value_as_a_parameter_and_in_the_query(engine):
    undated = [a.id for a in DOCS if a.published is None]
    for request in (SearchRequest(published=("undated",)), SearchRequest(q="published:undated"),
                    SearchRequest(q="drought published:undated"), SearchRequest(q="published:Undated")):
        results = engine.search(request)
        assert [h.id for h in results.hits] == undated and results.total == len(undated), request
        assert facet(results, "published") == [("undated", len(undated))]
    either = engine.search(SearchRequest(published=("2020-02", "undated")))  # OR within the parameter
    assert sorted(h.id for h in either.hits) == ["4", "5"]
    assert engine.search(SearchRequest(q="flood published:undated")).total == 0
    dated = engine.search(SearchRequest(q="NOT published:undated"))
    assert sorted(h.id for h in dated.hits) == ["1", "2", "3", "4"]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_undated_articles_come_last_under_date_sorts(engine, sort):
    order = [h.id for h in engine.search(SearchRequest(sort=sort, collapse=False)).hits]
    assert order[-1] == "5" and len(order) == 5
    dates = [next(a.published for a in DOCS if a.id == i) for i in order[:-1]]
    assert dates == sorted(dates, reverse=sort == "newest")


def test_deleted_documents_are_not_counted(tmp_path):
    gen = build_index(tmp_path, DOCS, segments=2)
    delete(gen, "2", "3")
    engine = Engine(tmp_path)
    results = engine.search(SearchRequest(q="flood"))
    assert results.total == 2
    assert facet(results, "outlet") == [("Alpha", 1), ("Beta", 1)]
    assert facet(results, "section") == [("Business", 1), ("UK", 1)]
    assert facet(results, "published") == [("2020-01", 1), ("2020-02", 1)]
    assert facet(engine.search(SearchRequest()), "outlet") == [("Alpha", 1), ("Beta", 1), ("Gamma", 1)]


def test_a_segment_of_undated_articles_only(tmp_path):
    """Such a segment writes no date column; its documents still count as undated and sort last."""
    docs = [article(f"u{i}", "Siege", "Embassy siege.", published=None) for i in range(3)] + \
           [article(f"d{i}", "Siege", "Embassy siege.", published=f"2020-01-0{i + 1}") for i in range(3)]
    build_index(tmp_path, docs, segments=2)
    engine = Engine(tmp_path)
    results = engine.search(SearchRequest(q="siege", sort="newest", collapse=False))
    assert [h.id for h in results.hits] == ["d2", "d1", "d0", "u0", "u1", "u2"]
    assert facet(results, "published") == [("2020-01", 3), ("undated", 3)]

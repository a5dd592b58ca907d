"""Analysis (index/analysis.py): what a word in a document can be found by."""
import pytest

from articles import article, build_index
from index.analysis import text_analyzer
from search import Engine, SearchRequest

DOCS = [
    article("hyphen", "Troops fire tear-gas", "Soldiers fired tear-gas at the crowd outside the compound."),
    article("curly", "Iran’s leader speaks", "Iran’s supreme leader blamed the “Great Satan” for the unrest."),
    article("accent", "A café in Zürich", "The café near the river served protesters all night."),
    article("plain", "Market report", "Shares in the US rose while the pound fell against the euro."),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("analysis")
    build_index(index_dir, DOCS)
    return Engine(index_dir)


def ids(engine, q):
    return sorted(h.id for h in engine.search(SearchRequest(q=q, collapse=False)).hits)


@pytest.mark.parametrize("q, expected", [
    ("tear gas", ["hyphen"]), ('"tear gas"', ["hyphen"]), ("teargas", ["hyphen"]), ("tear-gas", ["hyphen"]),
    ("Iran's", ["curly"]), ("Iran’s", ["curly"]), ("iran", ["curly"]), ('"great satan"', ["curly"]),
    ("“great satan”", ["curly"]),
    ("cafe", ["accent"]), ("CAFÉ", ["accent"]), ("zurich", ["accent"]),
    ("protester", ["accent"]), ("firing", ["hyphen"]), ("share", ["plain"]),
    ("US", ["plain"]),  # the country is not a stop word
])
def test_words_are_found_by_their_variants(engine, q, expected):
    assert ids(engine, q) == expected


def test_phrases_do_not_bridge_unrelated_words(engine):
    assert ids(engine, '"tear crowd"') == []
    assert ids(engine, '"fired gas"') == []


def test_hyphenated_parts_keep_their_own_offsets_and_the_joined_form_spans_the_word():
    text = "fired tear-gas"
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in text_analyzer()(text, positions=True, chars=True, mode="index")]
    assert tokens == [("fire", 0, 0, 5), ("tearga", 1, 6, 14), ("tear", 1, 6, 10), ("gas", 2, 11, 14)]
    query_tokens = [t.text for t in text_analyzer()(text, mode="query")]
    assert query_tokens == ["fire", "tear", "gas"]  # the query side only needs the parts


def test_highlight_marks_the_words_as_written(engine):
    hit = engine.search(SearchRequest(q="Iran's leader")).hits[0]
    assert "<mark>Iran’s</mark>" in hit.title_html and "<mark>leader</mark>" in hit.title_html


def test_a_schema_pickled_before_the_analyzer_moved_still_loads():
    """Generations written before index/analysis.py existed pickled their schema with the analyzer's
    classes under index.schema; they must still open (and analyse alike) until the next rebuild."""
    import pickle

    from index.schema import build_schema

    current = pickle.dumps(build_schema(), 2)  # protocol 2, as Whoosh writes a schema
    assert b"index.analysis\n" in current
    old = current.replace(b"index.analysis\n", b"index.schema\n")
    schema = pickle.loads(old)
    text = "Protesters tear-gassed at the U.S. embassy in Baghdad's Green Zone"
    assert [t.text for t in schema["body"].analyzer(text)] == [t.text for t in build_schema()["body"].analyzer(text)]

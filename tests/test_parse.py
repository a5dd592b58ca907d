"""The query language (search/parse.py): what it reads, and how it refuses what it cannot."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from index.schema import build_schema
from search import BadQuery
from search.parse import parse_query, plain_words

SCHEMA = build_schema()


def terms(q):
    return sorted({(field, text if isinstance(text, str) else text.decode()) for field, text in q.iter_all_terms()})


def test_words_are_all_required_by_default_and_any_with_match_any():
    assert isinstance(parse_query("iran embassy", SCHEMA), wq.And)
    assert isinstance(parse_query("iran embassy", SCHEMA, match="any"), wq.Or)


def test_operators_phrases_and_fields():
    assert isinstance(parse_query("iran OR iraq", SCHEMA), wq.Or)
    assert isinstance(parse_query("iran -trump", SCHEMA), wq.AndNot)
    assert isinstance(parse_query("iran NOT trump", SCHEMA), wq.And)
    phrase = parse_query("“safe room”", SCHEMA)  # curly quotes work like straight ones
    assert all(isinstance(q, wq.Phrase) for q in phrase.subqueries)
    assert terms(parse_query("title:embassy", SCHEMA)) == [("title", "embassi")]
    # Outlet and section are filters: the value as typed, matched against the index's names (filters.py).
    assert terms(parse_query("outlet:telegraph", SCHEMA)) == [("outlet", "telegraph")]
    assert terms(parse_query('section:"World news"', SCHEMA)) == [("section", "World news")]
    assert terms(parse_query("byline:smith", SCHEMA)) == [("byline", "smith")]


def test_hyphens_inside_words_are_not_minus():
    q = parse_query("tear-gas", SCHEMA)
    assert not isinstance(q, wq.AndNot)
    assert {"tear", "gas"} <= {t for _, t in terms(q)}


def test_dates_prefixes_and_fuzzy_words():
    assert isinstance(parse_query("published:[2019-12-31 TO 2020-01-01]", SCHEMA), wq.NumericRange)
    assert parse_query("published:2020-01", SCHEMA) == wq.Term("month", "2020-01")
    assert parse_query("published:2020-01-31", SCHEMA) == wq.Term("day", "2020-01-31")
    assert isinstance(parse_query("published:2020", SCHEMA), wq.NumericRange)
    assert isinstance(parse_query("published:[2020-01-01 TO]", SCHEMA), wq.NumericRange)
    assert all(isinstance(q, wq.Prefix) for q in parse_query("protest*", SCHEMA).subqueries)
    fuzzy = parse_query("embasy~", SCHEMA).subqueries
    assert all(isinstance(q, wq.FuzzyTerm) and q.prefixlength >= 1 for q in fuzzy)


@pytest.mark.parametrize("text", ['"unbalanced quote', "(unbalanced paren", "stray )", "iran AND", "OR iran",
                                  "NOT", "-", "+", "a AND OR NOT b", "foo:bar", "field:", ":", "~", "^",
                                  "iran^", "[", "]", "{}", "hash:abc", "’", "who won?"])
def test_malformed_input_is_read_leniently(text):
    parse_query(text, SCHEMA)  # no exception: read as plain words, or as nothing


@pytest.mark.parametrize("text, named", [
    ("*", "wildcard"), ("x*", "wildcard"), ("*ism", "wildcard"), ("title:*", "wildcard"),
    ("published:garbage", "published:garbage"), ("published:[x TO y]", "published"),
    ("published:[2020-01-01 TO", "published"), ("outlet:[a TO c]", "outlet"),
    ("published:2020-13", "published must be a month"), ("published:[2020-02-01 TO 2020-01]", "from must not"),
])
def test_expensive_or_unreadable_input_is_a_bad_query_naming_the_problem(text, named):
    with pytest.raises(BadQuery) as info:
        parse_query(text, SCHEMA)
    assert named in info.value.message
    assert info.value.param == "q"


def test_plain_words_skip_operators_fields_and_wildcards():
    assert plain_words('embasy -trump OR "safe rom" title:x protest*') == ["embasy", "trump", "safe", "rom"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list('ab:*~^"()[]{}-+ ’“”\'!?/\\é0') + [
    " AND ", " OR ", " NOT ", " TO ", "published:", "title:", "2020-01", "outlet:"]), max_size=30).map("".join)
       | st.text(max_size=200))
def test_parse_never_raises_anything_but_bad_query(text):
    try:
        parse_query(text, SCHEMA)
    except BadQuery as exc:
        assert exc.param == "q" and exc.message

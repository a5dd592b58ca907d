"""The common-word companion fields' analysis: common words and common grams, fast path equal to the chain."""
from __future__ import annotations

import pytest

from conftest import needs_shared
from index.common_grams import CommonGramsAnalyzer, query_analyzer
from test_segment import chain_postings


@pytest.fixture(scope="module")
def analyzer():
    return CommonGramsAnalyzer()


def test_common_words_and_the_pairs_they_make_with_their_neighbours(analyzer):
    got = analyzer.postings("The Bank of England's U.S. state-of-the-art office")
    # (position, start, end): a gram stands at its first word's position and spans both words
    assert got["of"] == [(2, 9, 11), (7, 33, 35)]
    assert got["bank of"] == [(1, 4, 11)] and got["of england"] == [(2, 9, 21)]  # stems, as the text field
    assert got["the bank"] == [(0, 0, 8)]
    assert got["u s"] == [(4, 22, 25)]  # one-letter words are common
    assert got["state of"] == [(6, 27, 35)] and got["stateoftheart of"] == [(6, 27, 35)]  # joined form too
    assert "bank" not in got and "england" not in got and "bank england" not in got  # content words alone: no


# Tricky and generated text: test_segment.py holds the fast path equal to the chain for this analyzer too.


def test_fast_postings_equal_the_chain_on_real_articles(analyzer):
    bbc = needs_shared("bbc-news")
    for path in sorted(bbc.rglob("*.txt"))[::40]:
        text = path.read_text(encoding="latin-1")
        assert analyzer.postings(text) == chain_postings(analyzer, text), path


def test_queries_keep_common_words_marked_and_stem_the_rest():
    assert [t.text for t in query_analyzer()("Secretary of State wills a", mode="query")] == [
        "secretari", "\x1fof", "state", "will", "\x1fa"]  # "wills" stems to "will" but is no stop word

"""phrases.py against Whoosh's SpanNear2 on hand-written texts: which documents hold a phrase in order.

Each case is a text and a phrase where the answer turns on positions: adjacency, order, slop, a
repeated word ("bye bye"), stop words keeping their positions, hyphenated words (indexed joined at
their first part's position too). Every phrase is run both ways and must match the same documents
with the same scores; the expected ids pin what Whoosh itself decides.
"""
from __future__ import annotations

from collections import Counter

import pytest

from articles import article, build_index
from search import Engine, SearchRequest
from search.fast.matching import matching_docs
from search.parse import parse_query
from search.plan import scored_pass

TEXTS = {
    "adjacent": "the prime minister spoke",
    "reversed": "minister prime of nothing",
    "gap": "prime new minister",
    "gap2": "prime big new minister",
    "bye1": "bye said the man",
    "bye2": "bye bye said the man",
    "bye3": "well bye bye bye then",
    "byegap": "bye now bye",
    "stop": "prime of minister",
    "hyphen": "guards fired tear-gas at the crowd",
    "spaced": "guards fired tear gas at the crowd",
    "twice": "minister met prime people then prime minister left",
}

#: (query, ids whose body holds it; for phrases without common words, as Whoosh 2.7.4 decides)
CASES = [
    ('body:"prime minister"', {"adjacent", "twice"}),
    ('body:"minister prime"', {"reversed"}),
    ('body:"prime minister"~2', {"adjacent", "twice", "gap", "stop"}),
    ('body:"prime minister"~3', {"adjacent", "twice", "gap", "gap2", "stop"}),
    ('body:"bye bye"', {"bye2", "bye3"}),
    ('body:"bye bye bye"', {"bye3"}),
    ('body:"bye bye"~2', {"bye2", "bye3", "byegap"}),
    # "of" is a word of the phrase, read from the common-word field (Whoosh alone would drop it and
    # match "prime minister"); the Whoosh side here is MixedPhrase.matcher
    ('body:"prime of minister"', {"stop"}),
    ('body:"the prime minister"', {"adjacent"}),
    ('body:"said the"', {"bye1", "bye2"}),  # only common words after the first
    ('body:"of minister"~2', {"stop"}),  # with slop, read word by word: "of" from body_common
    ('body:"the man"~2', {"bye1", "bye2"}),
    ('body:"said man"~2', {"bye1", "bye2"}),  # "the" between: one word apart is within slop 2
    ('body:"fired tear gas"', {"hyphen", "spaced"}),  # tear-gas is indexed as its parts too
    ('body:"fired tear-gas"', {"hyphen", "spaced"}),
    ('body:"fired teargas"', {"hyphen"}),  # the joined form stands at its first part's position
    ('body:"gas at"', {"hyphen", "spaced"}),
    ('body:"minister left"', {"twice"}),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("phrases")
    build_index(index_dir, [article(i, "", text) for i, text in TEXTS.items()])
    engine = Engine(index_dir)
    yield engine
    engine.close()


@pytest.mark.parametrize("text,expected", CASES)
def test_phrase_matches_and_scores_equal_whoosh(engine, text, expected):
    live = engine.live()
    query = parse_query(text, live.schema)
    before = live.scores.answered
    fast = live.scores.score_all(query, None)
    assert fast is not None and live.scores.answered == before + 1, "the fast path was not taken"
    slow = scored_pass(live, query, None, fast=False)
    assert fast[0] == slow[0]
    assert Counter(fast[1]) == Counter(slow[1])
    assert {live.searcher.stored_fields(d)["id"] for d in fast[0]} == expected
    assert matching_docs(query, live.terms) == fast[0]  # the unscored sets (date sorts) agree


def test_phrases_sorted_by_date_match_what_whoosh_matches(engine):
    """A date sort finds its matches without scores (matching.py): phrases there go by positions too."""
    live = engine.live()
    results = engine.search(SearchRequest(q='"bye bye"', sort="newest", collapse=False))
    expected = set(live.searcher.docs_for_query(parse_query('"bye bye"', live.schema)))
    assert {h.id for h in results.hits} == {live.searcher.stored_fields(d)["id"] for d in expected}
    assert results.total == len(expected) == 2


def test_positions_read_by_block_equal_whoosh_stepping(tmp_path):
    """Phrases read positions only in the blocks holding the candidates, decoded in C: the same lists
    Whoosh's matcher gives, across segments, many blocks and deletions."""
    import random

    from whoosh import index as whoosh_index

    from articles import delete
    from search.cache import LRUCache
    from search.fast.postings import step_values, term_values

    rng = random.Random(11)
    words = "oil gas embassy protest market police storm vote".split()

    def docs(start, count):
        for i in range(start, start + count):
            yield article(f"d{i:04d}", "", " ".join(rng.choice(words) for _ in range(rng.randint(3, 40))))

    gen = build_index(tmp_path, docs(0, 1000), segments=2)
    delete(gen, "d0005", "d0400", "d0850")
    blocks = LRUCache(1000)
    with whoosh_index.open_dir(str(gen)).searcher() as searcher:
        for n, (sub, _) in enumerate(searcher.leaf_searchers()):
            reader = sub.reader()
            live = sorted(reader.all_doc_ids())
            for text in (t for f, t in reader.all_terms() if f == "body"):
                wanted = sorted(rng.sample(live, 40))
                got = list(term_values(reader, "body", text, wanted, "positions", blocks, (n, text)))
                assert got == list(step_values(reader.postings("body", text), wanted, "positions")), text
                assert got
    assert any(len(index[0]) > 1 for index, _ in blocks._entries.values())  # jumps between blocks were tested

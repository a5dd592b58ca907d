"""Long queries: a pasted passage answered by its most distinctive words, as Elasticsearch's more_like_this.

A query of more than LONG_QUERY_WORDS words is not a question in the query
language but a passage: a paragraph a researcher pasted to find who ran it or
who covered the same thing. Read as an all-words query it would find its
source at best; read as an any-word query its cost would grow with its length
(every word's postings, most of the vocabulary for a long text). Instead, as
more_like_this does, the passage is analysed as the index analyses a body, each
word weighed by tf-idf (how often the passage uses it, sublinearly, × how rare it is
in the index), and the MAX_QUERY_TERMS heaviest become an OR over the searched fields:
a query of bounded cost whatever the length, ranked by the usual BM25F. An
article must hold at least MIN_SHOULD_MATCH of those words (more_like_this's
default, 30%), so the total counts articles about the same thing rather than
every article sharing one word.

Operators are not read in a passage: quotes, ``OR``, ``-`` and ``field:`` are text there.
"""
from __future__ import annotations

import heapq
import math
import re
from collections import Counter

from whoosh import query as wq

from index import schema as f

from .parse import FIELD_BOOSTS, QUOTE_FOLD

LONG_QUERY_WORDS = 60  # words; a query with more is a passage (below it, the query language applies)
MAX_QUERY_TERMS = 25  # distinctive words kept (more_like_this's max_query_terms)
MIN_SHOULD_MATCH = 0.3  # share of them an article must hold (more_like_this's minimum_should_match)
_WORD = re.compile(r"\w+")


def is_passage(text: str) -> bool:
    """Whether ``text`` has more words than a query: it is then searched as a passage (``passage_query``)."""
    return len(_WORD.findall(text)) > LONG_QUERY_WORDS


def distinctive_words(text: str, searcher) -> list[tuple[str, float]]:
    """The passage's MAX_QUERY_TERMS most distinctive indexed words as (word, tf-idf), heaviest first.

    tf: 1 + log(uses in the passage) (after the body analyzer: folded, stemmed, stop words gone;
    sublinear, so a pronoun used five times does not outweigh a name used once); idf: log(1 + N / df)
    with df the word's document frequency in bodies. Words no body holds are left
    out (a word found only in titles is too rare to tell coverage apart); ties go alphabetically.
    """
    counts = Counter(t.text for t in searcher.schema[f.BODY].analyzer(text.translate(QUOTE_FOLD), mode="query"))
    total = max(1, searcher.doc_count_all())
    weighed = []
    for word, tf in counts.items():
        df = searcher.doc_frequency(f.BODY, word)
        if df:
            weighed.append(((1 + math.log(tf)) * math.log(1 + total / df), word))
    top = heapq.nsmallest(MAX_QUERY_TERMS, weighed, key=lambda sw: (-sw[0], sw[1]))
    return [(word, score) for score, word in top]


def passage_query(text: str, searcher) -> wq.Query:
    """The more-like-this query for a passage: its distinctive words, each looked for in every searched
    field (with the field boosts a parsed word gets), at least MIN_SHOULD_MATCH of them required."""
    words = [w for w, _ in distinctive_words(text, searcher)]
    if not words:
        return wq.NullQuery
    per_word = [wq.Or([wq.Term(name, w, boost=boost) for name, boost in FIELD_BOOSTS.items()])
                for w in words]
    return wq.Or(per_word, minmatch=max(1, int(MIN_SHOULD_MATCH * len(words))))


def scored_matches(scores, query: wq.Or, allowed=None) -> tuple[set, list[tuple[float, int]]] | None:
    """The documents (within ``allowed``) holding at least ``query.minmatch`` of a passage query's words,
    with their BM25F score, the sum of the words' scores: (docnums, [(score, docnum)]). None when the
    fast scorer (scoring.TermScores) cannot score a word.

    Each word is scored once, from the scorer's cached postings, and its documents counted: reading
    the words' document sets apart (matching.py) would read every posting twice.
    """
    counts: Counter = Counter()
    per_word = []
    for word in query.subqueries:
        found = scores.score_all(word, allowed)
        if found is None:
            return None
        counts.update(found[0])
        per_word.append(found[1])
    enough = query.minmatch
    totals = {d: 0.0 for d, n in counts.items() if n >= enough}
    for items in per_word:
        for score, d in items:
            if d in totals:
                totals[d] += score
    return set(totals), [(score, d) for d, score in totals.items()]

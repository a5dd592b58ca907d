"""Pseudo-relevance feedback (RM3): a ``match=any`` query's matches ranked again with the words of its best hits.

A few words of a natural-language question miss the words the relevant
articles use. The relevance model (Lavrenko & Croft's RM1, mixed with the query
as RM3; its parameters chosen by cross-validation) reads them from the first pass's FB_DOCS
best hits, each weighed by its share of their scores: P(w|R) = Σ weight(d) ·
tf(w, d) / |d| over title and body words, analysed as the index analyses them.
The FB_TERMS likeliest words, normalised, are mixed with the query's own
(ORIGINAL_WEIGHT for the query, the rest for the feedback words) and the
matches are scored again by that weighted query, through the same BM25F.

Only the order changes: the matches (so the total, the facets and the pages)
stay the query's own, and a feedback word never brings in an article the query
did not find. Chosen by cross-validation in bench/relevance.py (README); an
all-words query already says exactly what it wants, and a pasted passage is its
own feedback (similar.py), so neither gets it.
"""
from __future__ import annotations

import heapq
from collections import Counter

from whoosh import query as wq

from index import schema as f

from . import similar
from .parse import FIELD_BOOSTS

FB_DOCS = 5  # first-pass hits read (0: no feedback); Anserini's default 10 drifted on TIME (README)
FB_TERMS = 10  # feedback words kept
ORIGINAL_WEIGHT = 0.8  # the query's share of the mixed model (Anserini's default 0.5 drifted likewise)


def applies(request) -> bool:
    return (FB_DOCS > 0 and request.sort == "relevance" and request.match == "any"
            and not similar.is_passage(request.q))


def rerank(live, query, scored: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """``scored`` ((score, docnum) of every match) scored again by the RM3 query; unchanged when the query
    has no plain words or the fast scorer cannot take the expanded query."""
    expanded = expanded_query(live.searcher, query, scored)
    if expanded is None:
        return scored
    found = live.scores.score_all(expanded, {d for _, d in scored})
    return found[1] if found is not None else scored


def expanded_query(searcher, query, scored: list[tuple[float, int]]) -> wq.Query | None:
    """The RM3 query: each word of the mixed model looked for in the searched fields as a parsed word
    is, weighted by its probability (the heaviest 1.0); None when ``query`` has no plain words."""
    original = _query_words(query)
    top = heapq.nlargest(FB_DOCS, scored)
    if not original or not top:
        return None
    weights = mixed_model(searcher, original, top)
    heaviest = max(weights.values())
    return wq.Or([wq.Or([wq.Term(name, w, boost=b) for name, b in FIELD_BOOSTS.items()], boost=p / heaviest)
                  for w, p in sorted(weights.items())])


def mixed_model(searcher, original: Counter, top: list[tuple[float, int]]) -> dict[str, float]:
    """RM3: {word: ORIGINAL_WEIGHT · P(w|Q) + (1 − ORIGINAL_WEIGHT) · P(w|R)} over the query's words and
    the FB_TERMS likeliest feedback words."""
    analyzer = searcher.schema[f.BODY].analyzer
    total_score = sum(s for s, _ in top) or 1.0
    relevance: Counter = Counter()
    for score, docnum in top:
        stored = searcher.stored_fields(docnum)
        counts = Counter(t.text for t in analyzer(f"{stored.get(f.TITLE) or ''}\n{stored.get(f.BODY) or ''}"))
        length = sum(counts.values())
        if length:
            share = score / total_score / length
            for word, tf in counts.items():
                relevance[word] += share * tf
    kept = heapq.nsmallest(FB_TERMS, relevance.items(), key=lambda wp: (-wp[1], wp[0]))
    kept_total = sum(p for _, p in kept) or 1.0
    query_total = sum(original.values())
    mixed = {w: ORIGINAL_WEIGHT * n / query_total for w, n in original.items()}
    for word, p in kept:
        mixed[word] = mixed.get(word, 0.0) + (1 - ORIGINAL_WEIGHT) * p / kept_total
    return mixed


def _query_words(q) -> Counter:
    """The body words ``q`` looks for (each parsed word is looked for in the body), not those it excludes."""
    if isinstance(q, wq.Not):
        return Counter()
    if isinstance(q, wq.AndNot):
        return _query_words(q.a)
    if type(q) is wq.Term:
        return Counter([q.text]) if q.fieldname == f.BODY else Counter()
    words: Counter = Counter()
    for child in q.children():
        words += _query_words(child)
    return words

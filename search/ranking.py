"""Ranking: BM25F parameters, chosen with bench/relevance.py (TIME and Cranfield), not by feel.

Per-field weights live with the query language (parse.FIELD_BOOSTS: a word in
the title counts index.schema.TITLE_BOOST times a word in the body). Pseudo-relevance feedback for
``match=any`` is feedback.py.
"""
from __future__ import annotations

from math import log

from whoosh import scoring

# The textbook BM25 values. Chosen by cross-validation in bench/relevance.py (tune on TIME, report on
# Cranfield, and the reverse; README): K1 1.6/B 0.9, tuned on both collections at once, fell below FTS5
# on a third; the standard values with RM3 feedback (feedback.py) stay above FTS5 in both directions.
K1 = 1.2  # term-frequency saturation
B = 0.75  # document-length normalisation (0: none, 1: full)
IDF = "robertson"  # "robertson": log(1 + (N - n + 0.5) / (n + 0.5)); "whoosh": log(N / (n + 1)) + 1


class LedeBM25F(scoring.BM25F):
    """Whoosh's BM25F with the Robertson–Sparck Jones idf.

    Whoosh's own idf (log(N/(n+1)) + 1) adds 1 to every word, so common words in
    long natural-language queries weigh nearly as much as rare ones.
    """

    def idf(self, searcher, fieldname, text):
        if IDF != "robertson":
            return super().idf(searcher, fieldname, text)
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return log(1 + (total - n + 0.5) / (n + 0.5))


def weighting() -> scoring.WeightingModel:
    return LedeBM25F(B=B, K1=K1)

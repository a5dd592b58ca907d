"""Ranking: BM25F parameters, chosen with bench/relevance.py (TIME and Cranfield), not by feel, and the
orders a search lists its matches in.

Per-field weights live with the query language (parse.FIELD_BOOSTS: a word in
the title counts index.schema.TITLE_BOOST times a word in the body). Pseudo-relevance feedback for
``match=any`` is feedback.py.

A search ranks by score (BM25F, best first) or by date (newest or oldest first, undated last);
either way equal scores or dates list in article-id order, so a page never shuffles between two
requests. Every full match is scored in one pass (plan.py), so any page's ranking — and the longer
one collapsing needs — is a selection from those scores, never another search.
"""
from __future__ import annotations

import heapq
import operator
from math import log

from whoosh import query as wq
from whoosh import scoring

from index import schema as f

from .collapse import Group

# The textbook BM25 values. Chosen by cross-validation in bench/relevance.py (tune on TIME, report on
# Cranfield, and the reverse; README): K1 1.6/B 0.9, tuned on both collections at once, fell below FTS5
# on a third; the standard values with RM3 feedback (feedback.py) stay above FTS5 in both directions.
K1 = 1.2  # term-frequency saturation
B = f.LENGTH_B  # document-length normalisation (0: none, 1: full), declared with the schema
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


COLLAPSE_OVERFETCH = 3  # rank this many times the hits a page needs, so folded duplicates still leave a full page


def page(search) -> list[Group]:
    """The hits of ``search``'s page (a plan.Search), in order: full matches, then partial ones; one per
    group of near-identical copies when collapsing.

    A group's hit is its best-ranked document, so the first ``page_end`` groups are those of a long
    enough ranked prefix: it is doubled until it holds them or every match.
    """
    request, copies = search.request, search.copies
    page_end = request.page * request.per_page
    need = page_end * (COLLAPSE_OVERFETCH if request.collapse else 1)
    while True:
        if search.scored is not None:
            order = best(search.live, search.scored, need)
        else:  # browsing, or sorting by date
            order = by_date(search.live, search.matched, need, oldest=request.sort == "oldest")
        if len(order) < need and search.partial:
            order += order_of(search.live, request.sort, search.loose, search.partial, need - len(order))
        heads = copies.heads(order)
        if len(heads) >= page_end or len(order) < need:
            return [Group(*order[i]) for i in heads[page_end - request.per_page:page_end]]
        need *= 2


def order_of(live, sort: str, query, docs, limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` of ``docs`` as (docnum, score): BM25F for relevance, date for newest/oldest.

    ``docs`` must be matches of ``query`` (partial matches: plan.py); scored here, as they were not
    in the search's one scored pass.
    """
    if not docs or limit <= 0:
        return []
    if sort == "relevance" and query is not None:
        found = live.scores.score_all(without_minmatch(query), docs)
        if found is not None:
            return best(live, found[1], limit)
        return ranked(live, live.searcher.search(query, limit=limit, filter=docs).top_n)
    return by_date(live, docs, limit, oldest=sort == "oldest")


def best(live, scored: list[tuple[float, int]], limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` of (score, docnum) pairs as (docnum, score), equal scores in article-id order."""
    if limit >= len(scored):
        return ranked(live, scored)
    top = heapq.nlargest(limit, scored)
    if top and len(top) == limit:  # matches tied with the last one may rank above it by id
        cutoff = top[-1][0]
        top = [sd for sd in top if sd[0] > cutoff] + [sd for sd in scored if sd[0] == cutoff]
    return ranked(live, top)[:limit]


def ranked(live, top_n) -> list[tuple[int, float]]:
    """(score, docnum) pairs as (docnum, score), best first, equal scores in article-id order."""
    if not top_n:
        return []
    scores, docs = zip(*top_n)
    # Sorted as (-score, id rank, docnum) tuples built by C loops: a key function per match cost
    # 30 ms for the 18k matches a deep page of a common word ranks.
    keyed = sorted(zip(map(operator.neg, scores), live.id_ranks(docs), docs))
    return [(d, -negated) for negated, _, d in keyed]


def by_date(live, docs, limit: int | None = None, oldest: bool = False) -> list[tuple[int, float]]:
    """``docs`` newest first (``oldest``: oldest first), undated last, ties by article id, as
    (docnum, 0.0); the first ``limit`` of them (None: all)."""
    key = live.date_key(oldest)
    chosen = sorted(docs, key=key) if limit is None else heapq.nsmallest(limit, docs, key=key)
    return [(d, 0.0) for d in chosen]


def without_minmatch(query):
    """``query`` with every ``Or(minmatch=n)`` as a plain ``Or``: the same scores (Whoosh 2.7.4 does
    not implement minmatch when matching), in a form fast/scoring.py handles. Which documents have enough
    of the words is decided apart (fast/matching.py), and passed as the documents to rank."""
    if isinstance(query, wq.Or) and query.minmatch:
        return wq.Or([without_minmatch(q) for q in query.subqueries], boost=query.boost, scale=query.scale)
    return query.apply(without_minmatch)

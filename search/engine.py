"""The search engine: one per process, reading the live index generation.

Stages of a search: parse the query (parse.py; a pasted passage: similar.py) → turn filters into a set of
allowed documents (filter queries, cached per searcher) → find every
matching document (exact total, facet counts) and rank the page's worth of
them (BM25F: both in one scored pass, then for match=any pseudo-relevance feedback, feedback.py;
or by date) → add partial matches when the full ones do not
fill a page (partial.py) → fold near-duplicates (collapse.py) → highlight
the page's hits (highlight.py) → suggest a spelling (suggest.py).

Results are cached per (request, generation) in a small LRU, so a repeated
query costs a dictionary lookup.
"""
from __future__ import annotations

import heapq
import json
import operator
import time
from dataclasses import replace
from pathlib import Path

from whoosh import query as wq

from index import schema as f

from . import facets, feedback, filters, highlight, similar, stories
from .collapse import Group, CopyGroups
from .cache import LRUCache
from .live import LiveIndex, LiveTracker
from .fast.collect import score_every
from .fast.matching import matching_docs
from .parse import parse_query
from .partial import relax
from .request import MAX_PAGE, SearchRequest
from .results import Hit, Results
from .suggest import SUGGEST_BELOW, suggest

CACHE_SIZE = 512  # cached responses per process
COLLAPSE_OVERFETCH = 3  # rank this many times the hits a page needs, so folded duplicates still leave a full page
SNIPPET_FIELDS = (f.BODY, f.CAPTIONS)


class Engine:
    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._tracker = LiveTracker(self.index_dir)
        self._cache = LRUCache(CACHE_SIZE)

    # -- lifecycle -------------------------------------------------------
    def live(self) -> LiveIndex:
        """The live generation as this process sees it (raises IndexUnavailable when there is none)."""
        return self._tracker.current()

    def close(self) -> None:
        """Close this process's searchers (the engine reopens one if used again)."""
        self._tracker.close()

    def searcher(self):
        return self.live().searcher

    def warm(self) -> None:
        """Open the live generation and load what its first search would otherwise wait for.

        Called once per web worker after the fork (gunicorn.conf.py), so the first request does not
        pay for opening the searcher (~0.5 s with facet ordinals, ~0.6 s more putting the 22.9k
        feed's documents into near-duplicate copy groups) and reading the did-you-mean
        vocabulary (~1 s on the real corpus), listing the live documents for browsing (~0.2 s), and
        loading what a story's first answer needs (stories.warm, ~0.15 s). Raises IndexUnavailable
        when there is no index yet.
        """
        live = self.live()
        live.words()
        live.all_docs()
        stories.warm(live)

    def health(self) -> dict:
        live = self.live()
        return {"status": "ok", "documents": live.doc_count, "generation": live.generation}

    # -- queries ---------------------------------------------------------
    def search(self, request: SearchRequest) -> Results:
        """Ranked, faceted, highlighted results for ``request``; raises BadQuery or IndexUnavailable.

        ``total`` is the number of documents matching the whole query and
        filters — every one of them, including near-duplicates folded into
        another hit's ``also_in`` and excluding partial matches (counted in
        ``partial_total``). Facets count the same documents plus, when partial
        matches are shown, those. ``hits_total`` counts the hits all pages hold
        together (full and partial matches, one per group of near-identical copies when collapsing) and
        ``pages`` the pages that hold them: every page up to it has hits.
        """
        started = time.perf_counter()
        live = self.live()
        key = (request, live.generation)
        cached = self._cache.get(key)
        if cached is not None:
            return replace(cached, took_ms=_ms(started))
        results = self._search(live, request, started)
        self._cache.put(key, results)
        return results

    def _search(self, live: LiveIndex, request: SearchRequest, started: float) -> Results:
        passage = similar.is_passage(request.q)
        query, allowed = self._plan(live, request)
        page_end = request.page * request.per_page
        matched, scored = self._matched(live, request, query, allowed)
        loose, partial_docs = None, set()
        if query is not None and request.match == "all" and len(matched) < request.per_page:
            loose = relax(query)
            if loose is not None:
                partial_docs = matching_docs(loose, live.terms) - matched
                if allowed is not None:
                    partial_docs &= allowed

        shown = matched | partial_docs if partial_docs else matched
        copies = live.copies if request.collapse else CopyGroups()
        page = self._rank(live, request, query, matched, allowed, loose, partial_docs, page_end, copies, scored)
        copies.gather(page, shown)
        hits = self._hits(live, query, page, partial_docs)
        if query is None:  # browsing: the same facets and hits for every page and sort, so count them once
            facet_counts, hit_total = live.memo(
                ("browse", self._filter_key(request), request.q, request.match, request.single_month,
                 request.collapse),
                lambda: (facets.count_facets(live.ordinals, shown, request.single_month), copies.count(shown)))
        else:
            facet_counts = facets.count_facets(live.ordinals, shown, request.single_month)
            hit_total = copies.count(shown)
        suggestion = None
        if query is not None and len(matched) < SUGGEST_BELOW and not passage:
            suggestion = suggest(live.words(), request.q)
        return Results(
            query=request.q, total=len(matched), page=request.page, per_page=request.per_page,
            took_ms=_ms(started), hits=hits,
            facets=facet_counts,
            suggestion=suggestion, partial_total=len(partial_docs),
            hits_total=hit_total, pages=min(-(-hit_total // request.per_page), MAX_PAGE),
        )

    def _allowed(self, live: LiveIndex, request: SearchRequest) -> set | None:
        """The documents the request's filter parameters allow (None: no filter); see filters.py."""
        return filters.parameter_docs(live, request)

    @staticmethod
    def _filter_key(request: SearchRequest) -> tuple:
        return (request.outlets, request.sections, request.date_from, request.date_to, request.published)

    def _scored_pass(self, live, query, allowed, fast: bool = True) -> tuple[set, list[tuple[float, int]]]:
        """Every document ``query`` matches within ``allowed``, with its score: (docnums, [(score, docnum)]).

        One pass gives the exact total, the facet counts and any page's ranking (``_best``), so
        collapsing that needs a longer ranking never searches again. Plain queries (words, AND, OR,
        NOT) are scored from cached per-word scores (scoring.py, identical to Whoosh's); the rest,
        or ``fast=False``, walk Whoosh's postings with block-quality skipping off, or matches that
        cannot reach the top would go uncounted.
        """
        if isinstance(query, wq.Or) and query.minmatch:  # a passage (similar.py): Whoosh ignores minmatch
            found = similar.scored_matches(live.scores, query, allowed) if fast else None
            if found is not None:
                return found
            enough = matching_docs(query, live.terms)
            allowed, query = (enough if allowed is None else enough & allowed), _without_minmatch(query)
        if allowed is not None and not allowed:  # Whoosh reads an empty allow set as "no filter"
            return set(), []
        if fast:
            found = live.scores.score_all(query, allowed)
            if found is not None:
                return found
        return score_every(live.searcher, query, allowed)

    @staticmethod
    def _best(live, scored: list[tuple[float, int]], limit: int) -> list[tuple[int, float]]:
        """The best ``limit`` of (score, docnum) pairs as (docnum, score), equal scores in article-id order."""
        if limit >= len(scored):
            return Engine._ranked(live, scored)
        top = heapq.nlargest(limit, scored)
        if top and len(top) == limit:  # matches tied with the last one may rank above it by id
            cutoff = top[-1][0]
            top = [sd for sd in top if sd[0] > cutoff] + [sd for sd in scored if sd[0] == cutoff]
        return Engine._ranked(live, top)[:limit]

    @staticmethod
    def _ranked(live, top_n) -> list[tuple[int, float]]:
        """Whoosh's (score, docnum) pairs as (docnum, score), best first, equal scores in article-id order."""
        if not top_n:
            return []
        scores, docs = zip(*top_n)
        # Sorted as (-score, id rank, docnum) tuples built by C loops: a key function per match cost
        # 30 ms for the 18k matches a deep page of a common word ranks.
        keyed = sorted(zip(map(operator.neg, scores), map(live.ordinals[f.ID].by_doc.__getitem__, docs), docs))
        return [(d, -negated) for negated, _, d in keyed]

    def _rank(self, live, request, query, matched, allowed, loose, partial_docs, page_end, copies,
              scored=None) -> list[Group]:
        """The page's hits, in order: full matches, then partial ones; one per group of near-identical copies when collapsing.

        ``scored``: every full match's (score, docnum) from ``_scored_pass``, ranked here without searching.
        A group's hit is its best-ranked document, so the first ``page_end`` groups are those of a long
        enough ranked prefix: it is doubled until it holds them or every match.
        """
        need = page_end * (COLLAPSE_OVERFETCH if request.collapse else 1)
        while True:
            if scored is not None:
                order = self._best(live, scored, need)
            else:
                order = self._order(live, request, query, matched, need, restrict=allowed is not None)
            if len(order) < need and partial_docs:
                order += self._order(live, request, loose, partial_docs, need - len(order))
            heads = copies.heads(order)
            if len(heads) >= page_end or len(order) < need:
                return [Group(*order[i]) for i in heads[page_end - request.per_page:page_end]]
            need *= 2

    def _order(self, live, request, query, docs, limit, restrict=True) -> list[tuple[int, float]]:
        """The best ``limit`` of ``docs`` as (docnum, score): BM25F for relevance, date for newest/oldest.

        ``docs`` must be the query's matches; ``restrict=False`` says they are all of them (no filter),
        which spares Whoosh a set lookup per match. Ties are broken by article id, so equal scores or
        dates always list in the same order.
        """
        if not docs or limit <= 0:
            return []
        if request.sort == "relevance" and query is not None:
            found = live.scores.score_all(_without_minmatch(query), docs if restrict else None)
            if found is not None:
                return self._best(live, found[1], limit)
            results = live.searcher.search(query, limit=limit, filter=docs if restrict else None)
            return self._ranked(live, results.top_n)
        rank = live.oldest_rank if request.sort == "oldest" else live.newest_rank
        return [(d, 0.0) for d in heapq.nsmallest(limit, docs, key=rank.__getitem__)]

    def _hits(self, live: LiveIndex, query, groups: list[Group], partial_docs: set) -> tuple[Hit, ...]:
        searcher = live.searcher
        docnums = [g.docnum for g in groups]
        terms = highlight.positive_terms(query, searcher.reader()) if query is not None else set()
        spans = {name: highlight.match_spans(searcher, terms, name, docnums, live.blocks)
                 for name in (f.TITLE, *SNIPPET_FIELDS)}
        outlets = live.ordinals[f.OUTLET]
        hits = []
        for g in groups:
            d = g.docnum
            stored = searcher.stored_fields(d)
            snippets = []
            for name in SNIPPET_FIELDS:
                snippets += highlight.snippets(stored.get(name) or "", spans[name][d],
                                               top=highlight.MAX_SNIPPETS - len(snippets))
            if not snippets:
                opening = highlight.lead(stored.get(f.BODY) or stored.get(f.CAPTIONS) or "")
                snippets = [opening] if opening else []
            title = stored.get(f.TITLE) or ""
            own = stored.get(f.OUTLET, "")
            also_in = tuple(dict.fromkeys(
                outlets.values[outlets.by_doc[m]] for m in g.members
                if outlets.by_doc[m] != facets.NONE and outlets.values[outlets.by_doc[m]] != own))
            published = stored.get(f.PUBLISHED)
            hits.append(Hit(
                id=stored[f.ID], title=title, title_html=highlight.mark(title, spans[f.TITLE][d]),
                outlet=own, section=stored.get(f.SECTION, ""),
                published=published.date().isoformat() if published else None,
                url=stored.get(f.URL, ""), byline=stored.get(f.BYLINE, ""),
                score=round(float(getattr(g, "score", 0.0) or 0.0), 4), snippets=tuple(snippets),
                also_in=also_in, partial=d in partial_docs, story=live.stories().story_of(stored[f.ID]),
            ))
        return tuple(hits)

    def matches(self, request: SearchRequest) -> tuple[LiveIndex, set, list[tuple[float, int]] | None]:
        """Every document ``request`` matches, unpaged: the documents ``search(request).total`` counts.

        Returns the LiveIndex the docnums belong to (they mean nothing in another generation), the
        docnums, and their (score, docnum) pairs when the request ranks by relevance (else None).
        No folding and no partial matches. Raises BadQuery or IndexUnavailable. Used by exports,
        feeds, attention counts and stories (export.py, attention.py, stories.py).
        """
        live = self.live()
        query, allowed = self._plan(live, request)
        return (live, *self._matched(live, request, query, allowed))

    def _plan(self, live: LiveIndex, request: SearchRequest):
        """The request's query (None: browse) and allowed documents (None: all): the parameters'
        filters and those typed in the query (filters.py) together."""
        query = build_query(live, request)
        allowed = self._allowed(live, request)
        if query is not None:
            query, typed = filters.split(query, live, request.match)
            if typed is not None:
                allowed = typed if allowed is None else allowed & typed
        return query, allowed

    def _matched(self, live, request, query, allowed) -> tuple[set, list[tuple[float, int]] | None]:
        """Every full match, and (score, docnum) for each when ranking by relevance (else None)."""
        if query is None:
            return (set(allowed) if allowed is not None else live.all_docs()), None
        if request.sort == "relevance":
            matched, scored = self._scored_pass(live, query, allowed)
            if feedback.applies(request):
                scored = feedback.rerank(live, query, scored)
            return matched, scored
        matched = matching_docs(query, live.terms)
        return (matched & allowed if allowed is not None else matched), None

    def stories(self, request: SearchRequest) -> list[dict]:
        """The stories the request's matches belong to, biggest coverage first (search/stories.py)."""
        live, docs, _ = self.matches(request)
        return stories.stories_of(live, docs)

    def story(self, story_id: str) -> dict | None:
        """A story's coverage (search/stories.py), or None; computed once per generation."""
        live = self.live()
        key = ("story", story_id, live.generation)
        found = self._cache.get(key)
        if found is None:
            found = stories.coverage_of(live, story_id)
            if found is not None:
                self._cache.put(key, found)
        return found

    def article(self, article_id: str) -> dict | None:
        fields = self.searcher().document(id=article_id)
        return json.loads(fields[f.ARTICLE]) if fields else None


def _without_minmatch(query):
    """``query`` with every ``Or(minmatch=n)`` as a plain ``Or``: the same scores (Whoosh 2.7.4 does
    not implement minmatch when matching), in a form scoring.py handles. Which documents have enough
    of the words is decided apart (matching.py), and passed as the documents to rank."""
    if isinstance(query, wq.Or) and query.minmatch:
        return wq.Or([_without_minmatch(q) for q in query.subqueries], boost=query.boost, scale=query.scale)
    return query.apply(_without_minmatch)


def build_query(live: LiveIndex, request: SearchRequest):
    """The query for ``request.q``: None (browse), a passage's more-like-this query, or the parsed query."""
    if not request.q:
        return None
    if similar.is_passage(request.q):
        return similar.passage_query(request.q, live.searcher)
    return parse_query(request.q, live.schema, request.match)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)

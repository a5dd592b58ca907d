"""One search, planned once: what a request asks of one generation, and which documents answer it.

``plan(live, request)`` runs the first stages of a search — parse the query
(parse.py; a pasted passage: similar.py), turn filters into a set of allowed
documents (filters.py: the parameters and those typed in the query), find every
full match with its score (one scored pass: the exact total, facet counts and
any page's ranking), and, for an all-words query finding less than a page, the
partial matches (partial.py) — and returns them as one ``Search`` value. The
later stages (ranking.py, collapse.py, highlighting and facets in engine.py)
take that value rather than a list of its parts, and every docnum in it belongs
to its ``live`` generation.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from . import feedback, filters, similar
from .collapse import CopyGroups
from .fast.collect import score_every
from .fast.matching import matching_docs
from .live import LiveIndex
from .parse import parse_query
from .partial import relax
from .ranking import without_minmatch
from .request import SearchRequest


@dataclass(frozen=True)
class Search:
    """A request planned against one generation. Read-only once built."""

    live: LiveIndex
    request: SearchRequest
    query: wq.Query | None  # None: browsing (no words, filters only)
    allowed: set | None  # what the filters allow (None: every document)
    matched: set  # every full match within ``allowed``: the documents ``total`` counts
    scored: list[tuple[float, int]] | None  # (score, docnum) of every full match when ranking by relevance
    loose: wq.Query | None = None  # the most-of-the-words query partial matches come from
    partial: set = field(default_factory=set)  # its matches that are not full matches

    @property
    def shown(self) -> set:
        """The documents a page may show and the facets count: full matches, then partial ones."""
        return self.matched | self.partial if self.partial else self.matched

    @property
    def copies(self) -> CopyGroups:
        """Near-duplicate copy groups to fold hits by: the generation's, or none when not collapsing."""
        return self.live.copies if self.request.collapse else CopyGroups()

    @property
    def browse_key(self) -> tuple:
        """What a browse (no query) answer depends on besides the page and sort: its facets and hit count."""
        r = self.request
        return ("browse", (r.outlets, r.sections, r.date_from, r.date_to, r.published), r.q, r.match,
                r.single_month, r.collapse)


def plan(live: LiveIndex, request: SearchRequest, partial: bool = True) -> Search:
    """``request`` parsed, filtered and matched against ``live``; with ``partial``, partial matches too.

    Raises BadQuery for a query or filter value that cannot be read.
    """
    query, allowed = _filtered(live, request)
    matched, scored = _matched(live, request, query, allowed)
    found = Search(live, request, query, allowed, matched, scored)
    if not partial or query is None or request.match != "all" or len(matched) >= request.per_page:
        return found
    loose = relax(query)
    if loose is None:
        return found
    docs = matching_docs(loose, live.terms) - matched
    if allowed is not None:
        docs &= allowed
    return Search(live, request, query, allowed, matched, scored, loose, docs)


def build_query(live: LiveIndex, request: SearchRequest):
    """The query for ``request.q``: None (browse), a passage's more-like-this query, or the parsed query."""
    if not request.q:
        return None
    if similar.is_passage(request.q):
        return similar.passage_query(request.q, live.searcher)
    return parse_query(request.q, live.schema, request.match)


def _filtered(live: LiveIndex, request: SearchRequest):
    """The request's query (None: browse) and allowed documents (None: all): the parameters'
    filters and those typed in the query (filters.py) together."""
    query = build_query(live, request)
    allowed = filters.parameter_docs(live, request)
    if query is not None:
        query, typed = filters.split(query, live, request.match)
        if typed is not None:
            allowed = typed if allowed is None else allowed & typed
    return query, allowed


def _matched(live, request, query, allowed) -> tuple[set, list[tuple[float, int]] | None]:
    """Every full match, and (score, docnum) for each when ranking by relevance (else None)."""
    if query is None:
        return (set(allowed) if allowed is not None else live.all_docs()), None
    if request.sort == "relevance":
        matched, scored = scored_pass(live, query, allowed)
        if feedback.applies(request):
            scored = feedback.rerank(live, query, scored)
        return matched, scored
    matched = matching_docs(query, live.terms)
    return (matched & allowed if allowed is not None else matched), None


def scored_pass(live, query, allowed, fast: bool = True) -> tuple[set, list[tuple[float, int]]]:
    """Every document ``query`` matches within ``allowed``, with its score: (docnums, [(score, docnum)]).

    One pass gives the exact total, the facet counts and any page's ranking (ranking.best), so
    collapsing that needs a longer ranking never searches again. Plain queries (words, AND, OR,
    NOT) are scored from cached per-word scores (fast/scoring.py, identical to Whoosh's); the rest,
    or ``fast=False``, walk Whoosh's postings with block-quality skipping off, or matches that
    cannot reach the top would go uncounted.
    """
    if isinstance(query, wq.Or) and query.minmatch:  # a passage (similar.py): Whoosh ignores minmatch
        found = similar.scored_matches(live.scores, query, allowed) if fast else None
        if found is not None:
            return found
        enough = matching_docs(query, live.terms)
        allowed, query = (enough if allowed is None else enough & allowed), without_minmatch(query)
    if allowed is not None and not allowed:  # Whoosh reads an empty allow set as "no filter"
        return set(), []
    if fast:
        found = live.scores.score_all(query, allowed)
        if found is not None:
            return found
    return score_every(live.searcher, query, allowed)

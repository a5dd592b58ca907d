"""The search engine: one per process, reading the live index generation.

A search runs as stages, each in a module of its name:

    parse → filter → match       plan.py (parse.py, similar.py, filters.py, partial.py): one ``Search`` value
    rank                         ranking.py (BM25F from the one scored pass, or by date; feedback.py)
    collapse                     collapse.py (one hit per group of near-identical copies)
    highlight                    highlight.py (the page's titles and snippets, marked)
    facet                        facets.py (counted from per-document ordinals)
    suggest                      suggest.py (a spelling, when a query finds little)

Every docnum of a search belongs to the one generation its ``Search`` was planned
on; ``pinned()`` holds an engine to one generation across calls, so everything
one web request asks (a page and its story links, a feed and its ETag) comes from
one rebuild, and CURRENT is looked at once per request.

Results are not cached here. What a later search can reuse is kept per
generation on the LiveIndex (filter sets, browse facets, each word's scores,
stories); a repeated answer as a whole is kept by its one owner, the web layer
(web/repeats.py), which replays a repeated search URL's bytes before Flask runs
at all — the part of a repeat a cache of Results here could never save.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from index import schema as f

from . import highlight, ranking, similar, stories
from .collapse import Group
from .live import LiveIndex, LiveTracker
from .plan import Search, plan
from .request import MAX_PAGE, SearchRequest
from .results import Hit, Results
from .suggest import SUGGEST_BELOW, suggest

SNIPPET_FIELDS = (f.BODY, f.CAPTIONS)


class Engine:
    """Searches over the live generation of ``index_dir``; one per process (web/engine.py)."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._tracker = LiveTracker(self.index_dir)

    # -- lifecycle -------------------------------------------------------
    def live(self) -> LiveIndex:
        """The live generation as this process sees it (raises IndexUnavailable when there is none)."""
        return self._tracker.current()

    def pinned(self) -> Engine:
        """This engine held to one generation: the one live at its first use, for every later call.

        One per web request (web/engine.py): CURRENT is read once, and a rebuild that lands while
        the request runs cannot give it answers from two generations.
        """
        return _Pinned(self)

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
        search = plan(self.live(), request)  # parse → filter → match (plan.py)
        page = ranking.page(search)  # rank, one hit per copy group (ranking.py)
        search.copies.gather(page, search.shown)  # collapse: each hit's folded copies
        hits = _hits(search, page)  # highlight
        facet_counts, hit_total = _counts(search)  # facet
        return Results(
            query=request.q, total=len(search.matched), page=request.page, per_page=request.per_page,
            took_ms=_ms(started), hits=hits, facets=facet_counts, suggestion=_suggestion(search),
            partial_total=len(search.partial), hits_total=hit_total,
            pages=min(-(-hit_total // request.per_page), MAX_PAGE),
        )

    def matches(self, request: SearchRequest) -> tuple[LiveIndex, set, list[tuple[float, int]] | None]:
        """Every document ``request`` matches, unpaged: the documents ``search(request).total`` counts.

        Returns the LiveIndex the docnums belong to (they mean nothing in another generation), the
        docnums, and their (score, docnum) pairs when the request ranks by relevance (else None).
        No folding and no partial matches. Raises BadQuery or IndexUnavailable. Used by exports,
        feeds, attention counts and stories (export.py, attention.py, stories.py).
        """
        search = plan(self.live(), request, partial=False)
        return search.live, search.matched, search.scored

    def stories(self, request: SearchRequest) -> list[dict]:
        """The stories the request's matches belong to, biggest coverage first (search/stories.py)."""
        live, docs, _ = self.matches(request)
        return stories.stories_of(live, docs)

    def story(self, story_id: str) -> dict | None:
        """A story's coverage (search/stories.py), or None; computed once per generation (kept with
        the generation's other derived data, live.memo)."""
        live = self.live()
        return live.memo(("story", story_id), lambda: stories.coverage_of(live, story_id))

    def article(self, article_id: str) -> dict | None:
        """The stored article (index/article.Article as JSON), or None."""
        fields = self.live().searcher.document(id=article_id)
        return json.loads(fields[f.ARTICLE]) if fields else None


class _Pinned(Engine):
    """An engine that resolves the live generation once, at its first use, and keeps it (Engine.pinned)."""

    def __init__(self, engine: Engine):
        self.index_dir = engine.index_dir
        self._tracker = engine._tracker  # shared: closing either closes the process's searchers
        self._live: LiveIndex | None = None

    def live(self) -> LiveIndex:
        if self._live is None:
            self._live = self._tracker.current()
        return self._live

    def pinned(self) -> Engine:
        return self


def _hits(search: Search, groups: list[Group]) -> tuple[Hit, ...]:
    """The page's hits with their titles and snippets marked (highlight.py), each listing the other
    outlets of the copies folded into it."""
    live = search.live
    searcher = live.searcher
    docnums = [g.docnum for g in groups]
    terms = highlight.positive_terms(search.query, searcher.reader()) if search.query is not None else set()
    spans = {name: highlight.match_spans(searcher, terms, name, docnums, live.blocks)
             for name in (f.TITLE, *SNIPPET_FIELDS)}
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
        also_in = tuple(dict.fromkeys(o for o in map(live.outlet_of, g.members) if o is not None and o != own))
        published = stored.get(f.PUBLISHED)
        hits.append(Hit(
            id=stored[f.ID], title=title, title_html=highlight.mark(title, spans[f.TITLE][d]),
            outlet=own, section=stored.get(f.SECTION, ""),
            published=published.date().isoformat() if published else None,
            url=stored.get(f.URL, ""), byline=stored.get(f.BYLINE, ""),
            score=round(float(getattr(g, "score", 0.0) or 0.0), 4), snippets=tuple(snippets),
            also_in=also_in, partial=d in search.partial, story=live.stories().story_of(stored[f.ID]),
        ))
    return tuple(hits)


def _counts(search: Search) -> tuple[dict, int]:
    """The facet counts and the number of hits (copy groups) over the documents shown."""
    live, request, shown, copies = search.live, search.request, search.shown, search.copies
    if search.query is None:  # browsing: the same facets and hits for every page and sort, so count them once
        return live.memo(search.browse_key,
                         lambda: (live.facet_counts(shown, request.single_month), copies.count(shown)))
    return live.facet_counts(shown, request.single_month), copies.count(shown)


def _suggestion(search: Search) -> str | None:
    """A spelling to try instead, when a typed query finds little (suggest.py)."""
    if search.query is None or len(search.matched) >= SUGGEST_BELOW or similar.is_passage(search.request.q):
        return None
    return suggest(search.live.words(), search.request.q)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)

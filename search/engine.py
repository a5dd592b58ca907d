"""The search engine: one per process, reading the live index generation.

Stages of a search: parse the query (parse.py) → apply filters as filter
queries → run it → count facets → highlight the hits (highlight.py).

The Whoosh searcher is opened lazily, on first use, so that each forked web
worker opens its own, and it is reopened when a new generation goes live.
"""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from index import generations
from index import schema as f

from . import highlight
from .errors import IndexUnavailable
from .parse import parse_query
from .request import SearchRequest
from .results import FacetValue, Hit, Results

FACET_FIELDS = (f.OUTLET, f.SECTION)


class Engine:
    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._searcher = None

    # -- lifecycle -------------------------------------------------------
    def searcher(self):
        """The searcher for the live generation, reopened when CURRENT points elsewhere."""
        try:
            gen = generations.live_generation(self.index_dir)
        except generations.NoIndex as exc:
            raise IndexUnavailable(str(exc)) from None
        if gen.name != self._generation:
            with self._lock:
                if gen.name != self._generation:
                    try:
                        ix = whoosh_index.open_dir(str(gen))
                        searcher = ix.searcher()
                    except Exception as exc:  # a corrupt or half-deleted generation
                        raise IndexUnavailable(
                            f"the index at {gen} cannot be opened ({exc}) — "
                            "run `python -m index rebuild`") from None
                    old, self._searcher, self._generation = self._searcher, searcher, gen.name
                    if old is not None:
                        old.close()
        return self._searcher

    def health(self) -> dict:
        searcher = self.searcher()
        return {"status": "ok", "documents": searcher.doc_count(), "generation": self._generation}

    # -- queries ---------------------------------------------------------
    def search(self, request: SearchRequest) -> Results:
        started = time.perf_counter()
        searcher = self.searcher()
        query = parse_query(request.q, searcher.schema, match=request.match) if request.q else wq.Every()
        filt = build_filter(request)
        sortedby, reverse = None, False
        if request.sort in ("newest", "oldest"):
            sortedby, reverse = f.PUBLISHED, request.sort == "newest"
        results = searcher.search_page(query, request.page, pagelen=request.per_page, filter=filt,
                                       sortedby=sortedby, reverse=reverse, terms=True)
        highlight.configure(results.results)
        hits = tuple(self._hit(h) for h in results)
        facets = count_facets(searcher, query, filt)
        return Results(
            query=request.q, total=results.total, page=request.page, per_page=request.per_page,
            took_ms=round((time.perf_counter() - started) * 1000, 2), hits=hits, facets=facets,
        )

    def _hit(self, hit) -> Hit:
        published = hit.get(f.PUBLISHED)
        snippets = highlight.snippets(hit, f.BODY) or highlight.snippets(hit, f.CAPTIONS)
        return Hit(
            id=hit[f.ID], title=hit.get(f.TITLE, ""), title_html=highlight.title_html(hit, f.TITLE),
            outlet=hit.get(f.OUTLET, ""), section=hit.get(f.SECTION, ""),
            published=published.date().isoformat() if published else None,
            url=hit.get(f.URL, ""), byline=hit.get(f.BYLINE, ""),
            score=round(float(hit.score or 0.0), 4), snippets=tuple(snippets),
        )

    def article(self, article_id: str) -> dict | None:
        fields = self.searcher().document(id=article_id)
        return json.loads(fields[f.ARTICLE]) if fields else None


def build_filter(request: SearchRequest):
    parts = []
    if request.outlets:
        parts.append(wq.Or([wq.Term(f.OUTLET, v) for v in request.outlets]))
    if request.sections:
        parts.append(wq.Or([wq.Term(f.SECTION, v) for v in request.sections]))
    if request.date_from or request.date_to:
        start = datetime.combine(request.date_from, datetime.min.time()) if request.date_from else None
        end = (datetime.combine(request.date_to, datetime.min.time()) + timedelta(days=1, microseconds=-1)
               if request.date_to else None)
        parts.append(wq.DateRange(f.PUBLISHED, start, end))
    return wq.And(parts) if parts else None


def count_facets(searcher, query, filt) -> dict:
    """Counts per outlet and section over every matching document (first cut: walks stored fields)."""
    counts = {name: Counter() for name in FACET_FIELDS}
    for docnum in searcher.search(query, filter=filt, limit=None, scored=False).docs():
        stored = searcher.stored_fields(docnum)
        for name in FACET_FIELDS:
            counts[name][stored.get(name, "")] += 1
    return {name: tuple(FacetValue(v, n) for v, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
            for name, c in counts.items()}

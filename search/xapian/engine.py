"""The Xapian backend: ``search.Engine``'s public methods, answered by remote Xapian shards.

Stages, as the Whoosh engine's: parse the query with Lede's parser (parse.py; a pasted passage:
similar.py) → translate it (translate.py) → filters as boolean terms and value ranges → one Enquire
over every shard: exact totals and facet counts (``ValueCountMatchSpy``, every match checked),
BM25 ranking (K1 and B of ranking.py) or date order, near-duplicates collapsed on the copy-group
value → highlight the page's hits (marks.py, highlight.py) → suggest a spelling (suggest.py, over
the shards' ``W`` terms). What differs from the Whoosh backend is listed in the README ("Scaling
out"): no partial matches, no stories.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from types import SimpleNamespace

import xapian

from index import schema as f
from index.shards import layout

from .. import facets, feedback, highlight, ranking, similar
from ..errors import BadQuery, IndexUnavailable
from ..parse import parse_query
from ..request import MAX_PAGE, UNDATED, SearchRequest
from ..results import FacetValue, Hit, Results
from ..stories import StoryIndex
from ..suggest import SUGGEST_BELOW, suggest
from . import marks
from .shards import ShardSet, ShardUnavailable
from .translate import Translator, and_all, exact, or_all
from .view import MatchView, column

SNIPPET_FIELDS = (f.BODY, f.CAPTIONS)
SCHEMA = layout.SCHEMA


@dataclass(frozen=True)
class ShardResults(Results):
    """Results, plus the shards a partial answer (LEDE_XAPIAN_PARTIAL=1) was given without."""

    partial_shards: tuple[str, ...] = ()

    def to_json(self) -> dict:
        data = super().to_json()
        data["partial_shards"] = list(self.partial_shards)
        return data


class ShardLive:
    """What views read from ``engine.live()``: the generation, the filter values, the (absent) stories."""

    def __init__(self, engine: "XapianEngine", snapshot):
        # What answers are cached under (web/repeats.py, feeds' ETags): a partial answer is not the
        # whole generation's, so the shards it lacks are part of the name.
        down = ",".join(sorted(snapshot.down))
        self.generation = snapshot.generation + (f" without {down}" if down else "")
        self.doc_count = snapshot.db.get_doccount()
        self._engine, self._snapshot = engine, snapshot
        self.path = _Built(snapshot.db)  # feeds date themselves by ``path.stat().st_mtime``

    def filter_values(self, name: str) -> tuple[str, ...]:
        return tuple(self._engine.values(self._snapshot, facets.FACET_FIELDS[name]))

    def stories(self) -> StoryIndex:
        return StoryIndex({})


class _Built:
    """When the live shards were written, where the Whoosh backend has its generation's directory."""

    def __init__(self, db):
        self._db = db

    def stat(self):
        built = self._db.get_metadata(layout.BUILT_KEY).decode("ascii") or "0"
        return SimpleNamespace(st_mtime=float(built))


class _Statistics:
    """The three things similar.passage_query asks of a Whoosh searcher, from the shards."""

    def __init__(self, db):
        self.db, self.schema = db, SCHEMA

    def doc_count_all(self) -> int:
        return self.db.get_doccount()

    def doc_frequency(self, fieldname: str, word: str) -> int:
        return self.db.get_termfreq(layout.bounded(layout.PREFIXES[fieldname] + word))


class XapianEngine:
    def __init__(self, shards: ShardSet, index_dir):
        self.shards, self.index_dir = shards, index_dir

    # -- lifecycle -------------------------------------------------------
    def live(self) -> ShardLive:
        return self._on_shards(lambda snapshot: ShardLive(self, snapshot))

    def close(self) -> None:
        self.shards.forget()

    def pinned(self) -> "XapianEngine":
        """This engine, for a request (main's ``Engine.pinned``). Not pinned to a generation: the
        thread's connection (one generation on every shard) is renewed when older than REFRESH
        seconds, which may fall inside a request that searches twice."""
        return self

    def warm(self) -> None:
        """Connect, and read the outlet and section names and the did-you-mean words once."""
        snapshot = self.shards.current()
        self.values(snapshot, f.OUTLET), self.values(snapshot, f.SECTION), self.words(snapshot)

    def health(self) -> dict:
        """Every shard's state; "degraded" when some are down and partial answers are on, else
        "unavailable" (the web layer answers 503) when any is down."""
        report = self.shards.health()
        down = [s for s in report if s["status"] != "ok"]
        status = "ok" if not down else ("degraded" if self.shards.partial and len(down) < len(report)
                                        else "unavailable")
        generations = sorted({s["generation"] for s in report if s["status"] == "ok"})
        if status == "unavailable":
            return {"status": status, "message": ShardUnavailable({s["shard"]: s["message"] for s in down}).message,
                    "backend": "xapian", "shards": report}
        return {"status": status, "backend": "xapian",
                "documents": sum(s.get("documents", 0) for s in report),
                "generation": generations[0] if len(generations) == 1 else ",".join(generations),
                "shards": report}

    # -- queries ---------------------------------------------------------
    def search(self, request: SearchRequest) -> ShardResults:
        """As ``search.Engine.search``; raises BadQuery, ShardUnavailable or IndexUnavailable."""
        started = time.perf_counter()
        return self._on_shards(lambda snapshot: self._search(snapshot, request, started))

    def _on_shards(self, work):
        """``work(snapshot)``, connecting again once when a shard fails mid-way (the second connection
        finds which shard is down: a 503 naming it, or a partial answer)."""
        try:
            return work(self.shards.current())
        except (xapian.NetworkError, xapian.DatabaseError):
            self.shards.forget()
        try:
            return work(self.shards.current())
        except xapian.Error as exc:
            self.shards.forget()
            raise IndexUnavailable(f"a shard failed during the search ({exc}) — retry") from None

    def _search(self, snapshot, request: SearchRequest, started: float) -> ShardResults:
        parsed, query, allowed = self._plan(snapshot, request)
        db = snapshot.db
        matcher = _matcher(query, allowed)
        total, hits_total, facet_counts = self._count(db, matcher, request)
        enquire = self._enquire(db, self._ranking(snapshot, request, parsed, matcher), request.collapse)
        self._order(enquire, request, query is not None)
        mset = enquire.get_mset((request.page - 1) * request.per_page, request.per_page)
        ranked = parsed is not None and request.sort == "relevance"
        hits = tuple(self._hit(snapshot, parsed, matcher, item, request.collapse, ranked) for item in mset)
        suggestion = None
        if parsed is not None and total < SUGGEST_BELOW and not similar.is_passage(request.q):
            suggestion = suggest(self.words(snapshot), request.q)
        return ShardResults(
            query=request.q, total=total, page=request.page, per_page=request.per_page, took_ms=_ms(started),
            hits=hits, facets=facet_counts, suggestion=suggestion, hits_total=hits_total,
            pages=min(-(-hits_total // request.per_page), MAX_PAGE), partial_shards=tuple(sorted(snapshot.down)))

    def _ranking(self, snapshot, request: SearchRequest, parsed, matcher):
        """The query to rank ``matcher``'s matches by: itself, or for ``match=any`` its RM3 expansion
        (feedback.py: the same model, read from the first pass's best hits) restricted to them."""
        if parsed is None or not feedback.applies(request):
            return matcher
        first = self._enquire(snapshot.db, matcher, collapse=False)
        top = [(item.weight, item.docid) for item in first.get_mset(0, feedback.FB_DOCS)]
        expanded = feedback.expanded_query(MatchView(snapshot, matcher), parsed, top)
        if expanded is None:
            return matcher
        translator = Translator(snapshot.db, self.values(snapshot, f.OUTLET), self.values(snapshot, f.SECTION))
        return xapian.Query(xapian.Query.OP_FILTER, translator.query(expanded), matcher)

    @staticmethod
    def _enquire(db, matcher, collapse: bool):
        enquire = xapian.Enquire(db)
        # b = 0: each field's length is already in the term weights (BM25F, index/shards/layout.py).
        enquire.set_weighting_scheme(xapian.BM25Weight(ranking.K1 * layout.LENGTH_SCALE, 0, 1, 0, 0))
        enquire.set_query(matcher)
        if collapse:
            enquire.set_collapse_key(layout.SLOTS["copy"])
        return enquire

    def _count(self, db, matcher, request: SearchRequest) -> tuple[int, int, dict]:
        """(matching articles, hits after folding copies, facet counts), every match checked.

        An Enquire of its own, unsorted: match spies see every match before collapsing, but over
        remote shards a value-sorted Enquire hands them some matches twice (Xapian 1.4.22).
        """
        enquire = self._enquire(db, matcher, request.collapse)
        spies = {name: xapian.ValueCountMatchSpy(layout.SLOTS[field])
                 for name, field in (*facets.FACET_FIELDS.items(),
                                     ("published", f.DAY if request.single_month else f.MONTH))}
        for spy in spies.values():
            enquire.add_matchspy(spy)
        mset = enquire.get_mset(0, 0, db.get_doccount())
        total = mset.get_uncollapsed_matches_estimated() if request.collapse else mset.get_matches_estimated()
        return total, mset.get_matches_estimated(), _facets(spies, total)

    def _plan(self, snapshot, request: SearchRequest):
        """(the parsed Whoosh query or None, the scored Xapian query or None, the filter or None)."""
        allowed = self._parameters(snapshot, request)
        if not request.q:
            return None, None, allowed
        translator = Translator(snapshot.db, self.values(snapshot, f.OUTLET), self.values(snapshot, f.SECTION))
        if similar.is_passage(request.q):  # at least MIN_SHOULD_MATCH of its words: not in Xapian 1.4
            parsed = similar.passage_query(request.q, _Statistics(snapshot.db))
        else:
            parsed = parse_query(request.q, SCHEMA, request.match)
        query, typed = translator.split(parsed, request.match)
        return parsed, query, and_all([q for q in (allowed, typed) if q is not None])

    def _parameters(self, snapshot, request: SearchRequest):
        """The filter parameters as one boolean query (None: none); BadQuery for an unknown value."""
        parts = []
        for param, field, values in (("outlet", f.OUTLET, request.outlets), ("section", f.SECTION, request.sections)):
            known = set(self.values(snapshot, field))
            for value in values:
                if value not in known:
                    raise BadQuery(f"unknown {param} {value!r} — use a value listed in the {param} facet", param)
            if values:
                parts.append(or_all([xapian.Query(exact(field, v)) for v in values]))
        if request.published:
            parts.append(or_all([xapian.Query(layout.UNDATED_TERM) if v == UNDATED else
                                 xapian.Query(exact(f.DAY if len(v) == 10 else f.MONTH, v))
                                 for v in request.published]))
        if request.date_from or request.date_to:
            slot = layout.SLOTS[f.DAY]
            low, high = request.date_from, request.date_to
            parts.append(xapian.Query(xapian.Query.OP_VALUE_RANGE, slot, low.isoformat(), high.isoformat())
                         if low and high else
                         xapian.Query(xapian.Query.OP_VALUE_GE, slot, low.isoformat()) if low else
                         xapian.Query(xapian.Query.OP_VALUE_LE, slot, high.isoformat()))
        return and_all(parts)

    @staticmethod
    def _order(enquire, request: SearchRequest, scored: bool) -> None:
        """Best match first, ties by article id; or by date (undated last in both orders), ties by id."""
        ids = layout.SLOTS[f.ID]
        if request.sort == "relevance" and scored:
            enquire.set_sort_by_relevance_then_value(ids, False)
            return
        enquire.set_sort_by_value(layout.SLOTS["oldest" if request.sort == "oldest" else "newest"], False)

    def _hit(self, snapshot, parsed, matcher, item, collapse: bool, ranked: bool) -> Hit:
        stored = layout.stored_fields(item.document.get_data())
        parts = marks.positive_parts(parsed)
        snippets: list = []
        for name in SNIPPET_FIELDS:
            text = stored.get(name) or ""
            snippets += highlight.snippets(text, marks.spans(parts, name, text),
                                           top=highlight.MAX_SNIPPETS - len(snippets))
        if not snippets:
            opening = highlight.lead(stored.get(f.BODY) or stored.get(f.CAPTIONS) or "")
            snippets = [opening] if opening else []
        title, own = stored.get(f.TITLE) or "", stored.get(f.OUTLET, "")
        also_in = self._also_in(snapshot, matcher, item, own) if collapse and item.collapse_count else ()
        published = stored.get(f.PUBLISHED)
        return Hit(id=stored[f.ID], title=title, title_html=highlight.mark(title, marks.spans(parts, f.TITLE, title)),
                   outlet=own, section=stored.get(f.SECTION, ""),
                   published=published.date().isoformat() if published else None,
                   url=stored.get(f.URL, ""), byline=stored.get(f.BYLINE, ""),
                   score=round(float(item.weight), 4) if ranked else 0.0,
                   snippets=tuple(snippets), also_in=also_in)

    @staticmethod
    def _also_in(snapshot, matcher, item, own: str) -> tuple[str, ...]:
        """The other outlets among the matching copies folded into this hit, in article-id order."""
        group = item.document.get_value(layout.SLOTS["copy"]).decode("utf-8")
        enquire = xapian.Enquire(snapshot.db)
        enquire.set_query(xapian.Query(xapian.Query.OP_FILTER, matcher,
                                       xapian.Query(layout.bounded(layout.COPY_PREFIX + group))))
        enquire.set_sort_by_value(layout.SLOTS[f.ID], False)
        outlets = [m.document.get_value(layout.SLOTS[f.OUTLET]).decode("utf-8")
                   for m in enquire.get_mset(0, snapshot.db.get_doccount())]
        return tuple(dict.fromkeys(o for o in outlets if o and o != own))

    # -- per-snapshot values ---------------------------------------------
    def values(self, snapshot, field: str) -> list[str]:
        """Every value of an exact-value field the shards hold (outlet or section names), sorted."""
        prefix = layout.BOOLEAN_PREFIXES[field]
        return snapshot.memo(("values", field), lambda: sorted(
            t.term.decode("utf-8")[len(prefix):] for t in snapshot.db.allterms(prefix)))

    def words(self, snapshot) -> dict[str, int]:
        """The did-you-mean words: word → documents holding it, over every shard."""
        prefix = layout.WORD_PREFIX
        return snapshot.memo(("words",), lambda: {
            t.term.decode("utf-8")[len(prefix):]: t.termfreq for t in snapshot.db.allterms(prefix)})

    # -- articles and stories ----------------------------------------------
    def article(self, article_id: str) -> dict | None:
        stored = self._stored(article_id)
        return json.loads(stored[f.ARTICLE]) if stored is not None else None

    def _stored(self, article_id: str) -> dict | None:
        """The stored fields of the article with this id, or None."""
        def find(snapshot):
            for post in snapshot.db.postlist(exact(f.ID, article_id)):
                return layout.stored_fields(snapshot.db.get_document(post.docid).get_data())
            return None
        return self._on_shards(find)

    def matches(self, request: SearchRequest) -> tuple[MatchView, set, list[tuple[float, int]] | None]:
        """As ``search.Engine.matches``: (the view the docids belong to, every matching docid, their
        (score, docid) when ranking by relevance, else None). For exports and attention counts."""
        def run(snapshot):
            parsed, query, allowed = self._plan(snapshot, request)
            matcher = _matcher(query, allowed)
            docs = set(column(snapshot.db, layout.SLOTS[f.ID], matcher))
            scored = None
            if query is not None and request.sort == "relevance":
                enquire = self._enquire(snapshot.db, self._ranking(snapshot, request, parsed, matcher), False)
                scored = [(item.weight, item.docid) for item in enquire.get_mset(0, max(1, len(docs)))]
            return MatchView(snapshot, matcher), docs, scored
        return self._on_shards(run)

    def article_spans(self, article_id: str, q: str, match: str) -> tuple[dict, dict, dict] | None:
        """(the article's JSON, its stored fields, the spans ``q`` marks in each text field) for the
        article page (reading.py), or None when there is no such article; an unreadable q marks nothing."""
        stored = self._stored(article_id)
        if stored is None:
            return None
        try:
            parts = marks.positive_parts(parse_query(q, SCHEMA, match)) if q.strip() else []
        except BadQuery:
            parts = []
        spans = {name: marks.spans(parts, name, stored.get(name) or "") for name in (f.TITLE, f.BODY, f.CAPTIONS)}
        return json.loads(stored[f.ARTICLE]), stored, spans

    def stories(self, request: SearchRequest) -> list[dict]:
        """Stories are not grouped on shards yet: none, as for a generation built before stories."""
        self._on_shards(lambda snapshot: self._plan(snapshot, request))  # the same 400s for a bad request
        return []

    def story(self, story_id: str) -> dict | None:
        return None


def _matcher(query, allowed):
    """The Xapian query of a request: its scored part (everything, when browsing) within its filters."""
    matcher = query if query is not None else xapian.Query.MatchAll
    return matcher if allowed is None else xapian.Query(xapian.Query.OP_FILTER, matcher, allowed)


def _facets(spies: dict, total: int) -> dict:
    """The response's facets from the match spies: as facets.count_facets orders them."""
    found = {}
    for name, spy in spies.items():
        counts = [(item.term.decode("utf-8"), item.termfreq) for item in spy.values()]
        if name == "published":
            found[name] = tuple(FacetValue(v, n) for v, n in sorted(counts))
            undated = total - sum(n for _, n in counts)
            if undated:
                found[name] += (FacetValue(UNDATED, undated),)
        else:
            found[name] = tuple(FacetValue(v, n) for v, n in sorted(counts, key=lambda vn: (-vn[1], vn[0])))
    return found


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


__all__ = ["XapianEngine", "ShardResults", "ShardUnavailable"]

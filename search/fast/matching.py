"""Every document a query matches, as a set of docnums — for exact totals and facet counts.

Whoosh can list a query's matches (``searcher.docs_for_query``), but it
walks its tree of union and intersection matchers one document at a time in
Python. Here each word's documents are read once from its postings into a
set (kept in a small per-searcher cache: the same words recur across
queries), and the query's ANDs, ORs and NOTs become set operations, which
run in C. Phrases are checked against positions (phrases.py); anything else (prefixes, ranges)
is handed to Whoosh.

Whoosh's postings already leave out deleted documents.
"""
from __future__ import annotations

from collections import Counter

from whoosh import query as wq

from . import phrases, postings
from ..cache import LRUCache

TERM_CACHE_SIZE = 4096  # words whose document sets are kept per searcher
TERM_CACHE_MAX_DOCS = 50_000  # words in more documents than this are re-read instead of cached


class TermDocs:
    """A per-searcher cache of word → set of docnums."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self._cache = LRUCache(TERM_CACHE_SIZE)
        self._all: frozenset | None = None

    def term(self, fieldname: str, text) -> frozenset:
        key = (fieldname, text)
        docs = self._cache.get(key)
        if docs is not None:
            return docs
        try:
            btext = self.searcher.schema[fieldname].to_bytes(text) if isinstance(text, str) else text
            docs = postings.term_docs(self.reader, fieldname, btext)
        except KeyError:  # a field this index does not have
            docs = frozenset()
        if len(docs) <= TERM_CACHE_MAX_DOCS:
            self._cache.put(key, docs)
        return docs

    def all(self) -> frozenset:
        """Every live (undeleted) docnum."""
        if self._all is None:
            self._all = frozenset(self.reader.all_doc_ids())
        return self._all


def matching_docs(query, terms: TermDocs) -> set:
    """The docnums ``query`` matches (never deleted ones)."""
    return set(_docs(query, terms))


def _docs(q, terms: TermDocs):
    if isinstance(q, wq.Term):
        return terms.term(q.fieldname, q.text)
    if isinstance(q, wq.And):
        positive = [c for c in q.subqueries if not isinstance(c, wq.Not)]
        negative = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
        sets = sorted((_docs(c, terms) for c in positive), key=len) if positive else [terms.all()]
        result = set(sets[0])
        for s in sets[1:]:
            if not result:
                break
            result &= s
        for c in negative:
            if not result:
                break
            result -= _docs(c, terms)
        return result
    if isinstance(q, wq.Or) and not any(isinstance(c, wq.Not) for c in q.subqueries):
        sets = [_docs(c, terms) for c in q.subqueries]
        if q.minmatch and q.minmatch > 1:
            counts = Counter()
            for s in sets:
                counts.update(s)
            return {d for d, n in counts.items() if n >= q.minmatch}
        result = set()
        for s in sets:
            result |= s
        return result
    if isinstance(q, wq.AndNot):
        return set(_docs(q.a, terms)) - _docs(q.b, terms)
    if isinstance(q, wq.AndMaybe):
        return _docs(q.a, terms)
    if isinstance(q, wq.Not):
        return set(terms.all()) - _docs(q.query, terms)
    if isinstance(q, type(wq.NullQuery)):
        return frozenset()
    if type(q) in (wq.Phrase, phrases.MixedPhrase):
        return phrases.phrase_docs(terms.searcher, q, terms.term)
    return set(terms.searcher.docs_for_query(q))

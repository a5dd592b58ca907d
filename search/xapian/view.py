"""What exports and attention counts read from ``engine.matches()``, over Xapian shards.

search/export.py and search/attention.py ask the Whoosh backend's LiveIndex about documents by
docnum (``column``, ``article_id``, ``id_ranks``, ``date_key``) and read their stored fields.
``MatchView`` answers the same questions, keyed by the combined shards' docids. A column is read without fetching any document:
an Enquire over the documents, collapsing on the column's value slot with room for every document in
a group, gives each match's value as its collapse key — one exchange per shard, not one per document.
"""
from __future__ import annotations

import xapian

from index import schema as f
from index.shards import layout

from ..facets import NONE
from ..stories import StoryIndex


class Column:
    """A value slot as facets.Ordinals has it: ``values`` sorted, ``by_doc`` docid → ordinal (NONE: no value)."""

    def __init__(self, found: dict[int, str]):
        self.values = sorted({v for v in found.values() if v})
        self.index = {value: ordinal for ordinal, value in enumerate(self.values)}
        self.by_doc = _Missing({d: self.index[v] for d, v in found.items() if v})


class _Missing(dict):
    def __missing__(self, key):
        return NONE


def column(db, slot: int, matcher=None) -> dict[int, str]:
    """docid → the value in ``slot`` of every document ``matcher`` (default: all) matches."""
    enquire = xapian.Enquire(db)
    enquire.set_query(matcher if matcher is not None else xapian.Query.MatchAll)
    enquire.set_weighting_scheme(xapian.BoolWeight())
    size = db.get_doccount()
    enquire.set_collapse_key(slot, size)  # nothing is folded: only the key is wanted
    return {item.docid: item.collapse_key.decode("utf-8") for item in enquire.get_mset(0, size)}


class MatchView:
    """The live shards as exports and attention counts see them (``engine.matches()[0]``)."""

    def __init__(self, snapshot, matcher):
        self._db, self._matcher = snapshot.db, matcher
        self.generation = snapshot.generation
        self.searcher = self  # exports read ``live.searcher.stored_fields``, feedback.py its schema too
        self.schema = layout.SCHEMA
        self._memo: dict = {}

    def stored_fields(self, docid: int) -> dict:
        return layout.stored_fields(self._db.get_document(docid).get_data())

    def stories(self) -> StoryIndex:
        return StoryIndex({})

    def memo(self, key, build):
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def all_docs(self) -> set:
        return self.memo(("all",), lambda: set(column(self._db, layout.SLOTS[f.ID])))

    def article_id(self, docid: int) -> str:
        ids = self.column(f.ID)
        return ids.values[ids.by_doc[docid]]

    def id_ranks(self, docids):
        """Each document's position in article-id order (ranking.py breaks ties by it)."""
        return map(self.column(f.ID).by_doc.__getitem__, docids)

    def date_key(self, oldest: bool = False):
        """docid → position when sorted newest (``oldest``: oldest) first, ties by article id."""
        order = "oldest" if oldest else "newest"
        return self.memo(("rank", order), lambda: self._rank(order)).__getitem__

    def _rank(self, order: str) -> dict[int, int]:
        keys = column(self._db, layout.SLOTS[order], self._matcher)  # the date, then the id
        return {d: rank for rank, d in enumerate(sorted(keys, key=keys.__getitem__))}

    def column(self, field: str) -> Column:
        """A value slot over every document, read on first use (LiveIndex.column's counterpart)."""
        return self.memo(("column", field), lambda: Column(column(self._db, layout.SLOTS[field])))

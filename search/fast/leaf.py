"""One segment of the index (a Whoosh "leaf"): each word's exact BM25F scores, read from its postings blocks.

The per-word half of scoring.py's contract (that module's docstring states it
whole): a word's score in each document of a segment is the same
BM25FScorer expression on the same stored weights and the same quantised
field lengths as Whoosh 2.7.4 computes, so bit for bit the same floats, but
computed a block at a time in C loops instead of a matcher step per posting.
It reads Whoosh's private block layout (postings.py) and its lengths column
(``_length_codes``); postings of any other format, or any other scorer, are
stepped through Whoosh's own matcher instead. scoring.py shapes the query tree
over these per-word scores.
"""
from __future__ import annotations

from itertools import repeat
from operator import add, mul, truediv

from whoosh import columns
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

from . import postings


class Leaf:
    """One segment: its searcher, docnum offset, and live documents (read on first use)."""

    def __init__(self, index: int, searcher, offset: int):
        self.index = index
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.doc_count = self.reader.doc_count()  # undeleted
        self.doc_count_all = searcher.doc_count_all()
        self._live: frozenset | None = None
        self._deleted: frozenset | None = None
        self._norm_cache: dict = {}  # (field, K1, B, avgfl) → per-docnum length norms

    def live(self) -> frozenset:
        if self._live is None:
            offset = self.offset
            self._live = frozenset(offset + d for d in self.reader.all_doc_ids())
        return self._live

    def read(self, q, within=None) -> tuple[dict, bool]:
        """({global docnum: score}, complete) of term ``q`` (boost 1) in this segment, as Whoosh scores it.

        BM25F (the index's weighting) is computed here from the postings' blocks and each field's
        length norms, read once: the same expression on the same floats as BM25FScorer._score, at a
        fraction of a matcher step per posting. Any other scorer, or postings of another codec, go
        through Whoosh's own matcher one posting at a time. ``within`` (docnums): read only the
        blocks holding one of them (complete is then False).
        """
        field = self.searcher.schema[q.fieldname] if q.fieldname in self.searcher.schema else None
        try:
            btext = field.to_bytes(q.text) if field is not None else None
        except ValueError:
            btext = None
        if btext is None or (q.fieldname, btext) not in self.reader:
            return {}, True
        scorer = self.searcher.weighting.scorer(self.searcher, q.fieldname, btext)
        found = self._postings(q.fieldname, btext, within) if type(scorer) is scoring.BM25FScorer else None
        offset = self.offset
        if found is None:
            out = {}
            m = q.matcher(self.searcher, self.searcher.context())
            is_active, next_, id_, score = m.is_active, m.next, m.id, m.score
            while is_active():
                out[offset + id_()] = score()
                next_()
            return out, True
        ids, weights, complete = found
        norm = self._norms(q.fieldname, scorer.K1, scorer.B, scorer.avgfl)
        # bm25(): idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))), norm[d] the K1 * (...),
        # as a chain of C-level maps: the same operations on the same floats, in the same order
        k1p1 = scorer.K1 + 1
        ratios = map(truediv, map(mul, weights, repeat(k1p1)), map(add, weights, map(norm.__getitem__, ids)))
        keys = map(add, ids, repeat(offset)) if offset else ids
        scores = dict(zip(keys, map(mul, repeat(scorer.idf), ratios)))
        deleted = self.deleted()
        if deleted:  # Whoosh's reader filters them out of the postings
            if len(deleted) < len(scores):
                for d in deleted:
                    scores.pop(offset + d, None)
            else:
                scores = {d: v for d, v in scores.items() if d - offset not in deleted}
        return scores, complete

    def deleted(self) -> frozenset:
        """This segment's deleted docnums (segment-local)."""
        if self._deleted is None:
            reader = self.reader
            self._deleted = (frozenset(range(self.doc_count_all)) - frozenset(reader.all_doc_ids())
                             if reader.has_deletions() else frozenset())
        return self._deleted

    def _postings(self, fieldname, btext, within=None):
        """(docnums, weights, complete) of a term, deleted documents included, read a block at a time;
        None when the postings are not Whoosh 2.7's block format (the caller steps a matcher instead)."""
        m = postings.leaf_postings(self.reader, fieldname, btext)
        if not all(hasattr(m, a) for a in postings.BLOCK_API + ("_read_weights", "_next_block", "reset")):
            return None
        m.reset()
        ids, weights = [], []
        read_ids, read_weights, next_block = postings.read_ids, m._read_weights, m._next_block
        if within is None:
            while m.is_active():
                ids += read_ids(m)
                read_weights()
                weights += m._weights
                next_block()
        else:
            offset, end = self.offset, self.offset + self.doc_count_all
            wanted = sorted(d - offset for d in within if offset <= d < end)
            j, n, last = 0, len(wanted), -1
            while m.is_active() and j < n:
                top = m._maxid  # from the block's header: no need to unpickle a block to skip it
                while j < n and wanted[j] <= last:
                    j += 1
                if j < n and wanted[j] <= top:
                    ids += read_ids(m)
                    read_weights()
                    weights += m._weights
                last = top
                next_block()
        return ids, weights, within is None

    def _norms(self, fieldname, k1, b, avgfl) -> list:
        """K1 * ((1 - B) + B * length / avgfl) for every docnum of this segment, for one field."""
        key = (fieldname, k1, b, avgfl)
        norms = self._norm_cache.get(key)
        if norms is None:
            codes = _length_codes(self.reader, fieldname, self.doc_count_all)
            if codes is not None:  # one norm per length byte (None: an empty field), looked up per docnum
                table = [None] + [k1 * ((1 - b) + b * byte_to_length(c) / avgfl) for c in range(1, 256)]
                norms = list(map(table.__getitem__, codes))
            else:
                length = self.reader.doc_field_length  # the quantised length BM25FScorer.dfl reads
                norms = [None if n is None else k1 * ((1 - b) + b * n / avgfl)
                         for n in (length(d, fieldname, 1) for d in range(self.doc_count_all))]
            self._norm_cache[key] = norms
        return norms


def _length_codes(reader, fieldname: str, count: int) -> bytes | None:
    """The length byte of ``fieldname`` for each of the segment's ``count`` docnums, read as one string
    from Whoosh 2.7's lengths column (what doc_field_length reads a byte at a time, through three
    calls); None when the column is not there or not in that layout."""
    perdoc = getattr(reader, "_perdoc", None)
    cached = getattr(perdoc, "_cached_reader", None)
    if cached is None:
        return None
    column = cached("_%s_len" % fieldname, LENGTHS_COLUMN)
    if (type(column) is not columns.NumericColumn.Reader or column._typecode != "B"
            or column._fixedlen != 1 or column._count > count):
        return None
    return column._dbfile.get(column._basepos, column._count) + bytes(count - column._count)

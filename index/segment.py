"""Segment writing: documents into one new Whoosh segment, with the postings held compactly in memory.

Whoosh's ``SegmentWriter`` hands every posting to an external-sort pool as a
tuple: each is sized, pickled to a run file when the pool is full, unpickled
and heap-merged back at the end, and then, one by one, has its document's
field length looked up in the length column on disk. On the real corpus that
bookkeeping cost more than analysing the text. Here each field keeps, per
term, its documents and weights in arrays and its encoded values in one
bytearray; at the end terms are written in sorted order, a block at a time,
with field lengths taken from memory.

The segment written is the one Whoosh would write: the same terms, postings,
weights, values, block statistics, field lengths, stored fields and columns
(tests/test_segment.py compares the two writers' segments posting by posting).
Fields whose analyzer has a fast indexing path (``schema.NewsAnalyzer.postings``)
skip Whoosh's token stream; every other field is indexed by Whoosh's own code.

It relies on Whoosh 2.7.4's private writer steps (the postings writer's block
buffer), which is one reason Whoosh is pinned.
"""
from __future__ import annotations

from array import array
from pickle import dumps

from whoosh.codec.whoosh3 import W3TermInfo, byte_to_length, length_to_byte
from whoosh.fields import FieldType
from whoosh.formats import Characters, Existence, Positions
from whoosh.system import emptybytes, pack_uint
from whoosh.writing import SegmentWriter


#: Posting lists of fewer postings than this are written uncompressed. Whoosh 2.7.4 means to skip
#: compressing tiny blocks but never does (it resets the flag), so every one-posting list — half
#: of all terms are in a single document — paid for a zlib call to save a few bytes. (Readers
#: decompress a block only when its header says it is compressed.)
COMPRESS_FROM = 4


def encode_characters(poslist) -> bytes:
    """Whoosh's ``Characters.encode``, byte for byte, with a shortcut for a word that occurs once."""
    if len(poslist) == 1:
        pos, start, end = poslist[0]
        return _ONE + dumps([(pos, start, end - start)], 2)
    deltas = []
    posbase = charbase = 0
    for pos, start, end in poslist:
        deltas.append((pos - posbase, start - charbase, end - start))
        posbase, charbase = pos, end
    return pack_uint(len(deltas)) + dumps(deltas, 2)


_ONE = pack_uint(1)


def _plain_index(field) -> bool:
    """True when the field indexes through the format's word_values (numeric and date fields do not)."""
    return type(field).index is FieldType.index


class _Term:
    """One term's postings so far: document numbers, weights, and the encoded values end to end."""

    __slots__ = ("docs", "weights", "values", "ends")

    def __init__(self):
        self.docs = array("I")
        self.weights = array("f")  # Whoosh's blocks hold weights as 32-bit floats too
        self.values = bytearray()
        self.ends = array("I")  # end offset of each posting's value in ``values``


class FastSegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` (``_lk=False``: the caller holds the lock) whose postings stay in memory.

    Use ``add_document`` as usual, then ``_finalize_segment()`` (or
    ``_close_segment()`` to abandon it), as a sub-writer of a multi-segment commit.
    """

    def __init__(self, ix, compress_from: int = COMPRESS_FROM, **kwargs):
        super().__init__(ix, _lk=False, **kwargs)
        self.compress_from = compress_from
        self.compression = self.codec._compression
        self._terms: dict[str, dict[bytes, _Term]] = {}
        self._lengths: dict[str, array] = {}  # scorable field → per-document length, as Whoosh rounds it
        self._plans: dict[tuple, list] = {}  # field names of a document → how to index each field

    def add_document(self, **fields):
        self._check_state()
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        names = tuple(fields)
        plan = self._plans.get(names)
        if plan is None:
            plan = self._plans[names] = self._plan(names)
        perdocwriter.start_doc(docnum)
        for fieldname, field, how in plan:
            value = fields[fieldname]
            if value is None:
                continue
            length = 0
            if how is not None:
                length = how(fieldname, field, value, docnum)
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _plan(self, names: tuple) -> list:
        """(name, field, indexing function or None) for each field, in Whoosh's (sorted) order."""
        schema = self.schema
        plan = []
        for name in sorted(n for n in names if not n.startswith("_")):
            field = schema[name]  # KeyError: a field the schema does not have
            if field.separate_spelling() or field.vector:
                raise ValueError(f"field {name!r}: spelling or vector fields are not supported here")
            if not field.indexed:
                how = None
            elif _plain_index(field) and type(field.format) in (Characters, Positions) \
                    and hasattr(field.analyzer, "postings"):
                how = self._index_text
            elif _plain_index(field) and type(field.format) is Existence:
                how = self._index_words
            else:
                how = self._index_generic
            plan.append((name, field, how))
        return plan

    # -- indexing one field of one document; each returns the field's length -----------
    def _index_text(self, fieldname, field, value, docnum) -> int:
        """Text through the analyzer's fast path: the postings Characters.word_values (or
        Positions.word_values) would give."""
        fmt = field.format
        if type(fmt) is Characters:
            encode = encode_characters
        else:  # Positions: the same postings without the character offsets
            def encode(poslist, positions=fmt.encode):
                return positions([p for p, _, _ in poslist])
        fb = fmt.field_boost
        terms = self._field_terms(fieldname)
        length = 0
        for word, poslist in field.analyzer.postings(value).items():
            freq = len(poslist)
            tbytes = word.encode("utf-8")
            term = terms.get(tbytes)
            if term is None:
                term = terms[tbytes] = _Term()
            term.docs.append(docnum)
            term.weights.append(freq * fb)
            term.values += encode(poslist)
            term.ends.append(len(term.values))
            length += freq
        if field.scorable:
            self._set_length(fieldname, docnum, length)
            return length
        return 0

    def _index_words(self, fieldname, field, value, docnum) -> int:
        """Presence-only fields (ids, keys, word lists): each distinct word once, weight = field boost."""
        if isinstance(value, (list, tuple)):
            words = set(value)
        else:
            words = {t.text for t in field.analyzer(value, mode="index") if not t.stopped}
        terms = self._field_terms(fieldname)
        fb = field.format.field_boost
        for word in words:
            tbytes = word.encode("utf-8")
            term = terms.get(tbytes)
            if term is None:
                term = terms[tbytes] = _Term()
            term.docs.append(docnum)
            term.weights.append(fb)
        if field.scorable and words:
            self._set_length(fieldname, docnum, len(words))
            return len(words)
        return 0

    def _index_generic(self, fieldname, field, value, docnum) -> int:
        """Any other field: Whoosh's own ``field.index``."""
        terms = self._field_terms(fieldname)
        length = 0
        for tbytes, freq, weight, vbytes in field.index(value):
            self._add(terms, tbytes, docnum, weight, vbytes or emptybytes)
            length += freq
        if field.scorable and length:
            self._set_length(fieldname, docnum, length)
            return length
        return 0

    def _field_terms(self, fieldname) -> dict:
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
        return terms

    @staticmethod
    def _add(terms: dict, tbytes: bytes, docnum: int, weight: float, vbytes: bytes) -> None:
        term = terms.get(tbytes)
        if term is None:
            term = terms[tbytes] = _Term()
        term.docs.append(docnum)
        term.weights.append(weight)
        if vbytes:
            term.values += vbytes
            term.ends.append(len(term.values))

    def _set_length(self, fieldname, docnum, length) -> None:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = array("I")
        missing = docnum - self.docbase + 1 - len(lengths)
        if missing > 0:
            lengths.extend([0] * missing)
        # What Whoosh's postings writer is given: the length as stored in the length column (one byte).
        lengths[docnum - self.docbase] = byte_to_length(length_to_byte(length))

    # -- writing the segment ---------------------------------------------------------
    def _flush_segment(self):
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self._terms):
            fieldobj = self.schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            lengths = self._lengths.get(fieldname)
            terms = self._terms[fieldname]
            for tbytes in sorted(terms):
                fieldwriter._btext = tbytes
                postwriter = fieldwriter._postwriter
                postwriter.start_postings(fieldobj.format, W3TermInfo())
                self._write_postings(postwriter, terms[tbytes], lengths)
                fieldwriter.finish_term()
            fieldwriter.finish_field()
            self._terms[fieldname] = {}  # its memory can go now
        fieldwriter.close()

    def _write_postings(self, postwriter, term: _Term, lengths) -> None:
        """Fill the postings writer's block buffer a block at a time, as add_posting() would one by one."""
        limit = postwriter._blocklimit
        docs, weights, values, ends = term.docs, term.weights, term.values, term.ends
        # Only the last block can be short; the writer reads this when it writes a block.
        postwriter._compression = self.compression if len(docs) >= self.compress_from else 0
        base = self.docbase
        for start in range(0, len(docs), limit):
            if start:
                postwriter._write_block()
            stop = start + limit
            postwriter._ids = docs[start:stop]
            postwriter._weights = weights[start:stop]
            postwriter._maxweight = max(0, max(postwriter._weights))
            if ends:
                begin = ends[start - 1] if start else 0
                block_ends = ends[start:stop]
                postwriter._values = [bytes(values[b:e]) for b, e in zip([begin, *block_ends[:-1]], block_ends)]
            if lengths is not None:
                block = [lengths[d - base] for d in postwriter._ids]
                postwriter._minlength = min(block)
                postwriter._maxlength = max(block)

    def _close_segment(self):
        self._terms = {}
        super()._close_segment()

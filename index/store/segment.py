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
Fields whose analyzer has a fast indexing path (``analysis.NewsAnalyzer.postings``)
skip Whoosh's token stream; every other field is indexed by Whoosh's own code.

Whoosh 2.7.4 internals, like blocks.py (the posting blocks, byte for byte),
commit.py (committing the segments) and search/fast/: it subclasses
``SegmentWriter`` and fills its private term index and postings file
directly. A Whoosh upgrade must re-check these files first; Whoosh is pinned.
"""
from __future__ import annotations

import struct
from array import array
from collections import Counter, defaultdict
from datetime import datetime
from functools import partial
from itertools import repeat
from operator import mul

from whoosh.codec.whoosh3 import byte_to_length, length_to_byte
from whoosh.fields import FieldType
from whoosh.formats import Characters, Existence, Positions
from whoosh.system import emptybytes, pack_ushort
from whoosh.writing import SegmentWriter

from .blocks import COMPRESS_FROM, BlockWriter, encode_characters


#: Texts of at most this many characters, in fields whose words are not counted, have their encoded
#: postings remembered (outlets, sections, bylines repeat); up to SHORT_TEXTS_KEPT of them.
SHORT_TEXT = 200
SHORT_TEXTS_KEPT = 20_000
#: Values whose terms or column value are remembered (FastSegmentWriter._remembered), at most.
DERIVED_KEPT = 20_000

_KEY_VALUE_LENGTHS = struct.Struct("!ii").pack  # filetables.HashWriter's row header


def _positions_encoder(fmt):
    """``Positions.encode`` over (position, startchar, endchar) postings."""
    def encode(poslist, positions=fmt.encode):
        return positions([p for p, _, _ in poslist])
    return encode


def _analysed_words(analyzer, value: str) -> set[str]:
    return {t.text for t in analyzer(value, mode="index") if not t.stopped}


def _plain_index(field) -> bool:
    """True when the field indexes through the format's word_values (numeric and date fields do not)."""
    return type(field).index is FieldType.index


class _Term:
    """One term's postings so far: document numbers, weights, and the encoded values end to end."""

    __slots__ = ("docs", "weights", "values", "ends")

    def __init__(self):
        self.docs = array("I")
        self.weights = array("d")  # as given: blocks hold them as 32-bit floats, their maximum as given
        self.values = bytearray()
        self.ends = array("I")  # end offset of each posting's value in ``values``


class _TextTerm:
    """A text field's term: (document number, frequency, end of its value in ``values``) per
    posting, in one array (one call to add a posting), and the encoded values end to end.
    Its weights are the frequencies times the field boost."""

    __slots__ = ("postings", "values")

    def __init__(self):
        self.postings = array("I")
        self.values = bytearray()


class FastSegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` (``_lk=False``: the caller holds the lock) whose postings stay in memory.

    Use ``add_document`` as usual, then ``_finalize_segment()`` (or
    ``_close_segment()`` to abandon it), as a sub-writer of a multi-segment commit.

    ``count_words``: text fields whose did-you-mean words (``analysis.spell_words``) are
    counted in ``words`` (documents per word) from the analysis that indexes them, which
    sees each distinct raw word anyway; tokenizing the text again cost a tenth of indexing.
    """

    def __init__(self, ix, compress_from: int = COMPRESS_FROM, count_words=(), **kwargs):
        super().__init__(ix, _lk=False, **kwargs)
        self.count_words = frozenset(count_words)
        self.words: Counter = Counter()
        self._docwords: set[str] = set()  # the words of the document being added
        self.compress_from = compress_from
        self.compression = self.codec._compression
        self.blocklimit = self.codec._blocklimit
        if self.codec._inlinelimit > 1:  # _write_term never inlines postings into the term index
            raise ValueError(f"inlinelimit {self.codec._inlinelimit}: only codecs that never inline "
                             "postings (inlinelimit <= 1, Whoosh's default) are supported")
        self._terms: dict[str, dict[str | bytes, _Term]] = {}  # field → term (str for text fields)
        self._short_texts: dict[tuple[str, str], tuple] = {}  # (field, short text) → (postings, length)
        self._derived: dict[tuple, object] = {}  # see _remembered
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
        docwords = self._docwords
        docwords.clear()  # (words of a document whose adding failed halfway never count)
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
                if value.__class__ is datetime:
                    cv = self._remembered("column", fieldname, value, field.to_column_value)
                else:
                    cv = field.to_column_value(value)
                perdocwriter.add_column_value(fieldname, column, cv)
        perdocwriter.finish_doc()
        if docwords:
            self.words.update(docwords)
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
            if name in self.count_words and how != self._index_text:
                raise ValueError(f"field {name!r}: words can be counted only in text fields "
                                 "analysed by analysis.NewsAnalyzer")
            plan.append((name, field, how))
        return plan

    # -- indexing one field of one document; each returns the field's length -----------
    def _index_text(self, fieldname, field, value, docnum) -> int:
        """Text through the analyzer's fast path: the postings Characters.word_values (or
        Positions.word_values) would give."""
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = defaultdict(_TextTerm)
        fmt = field.format
        if fieldname in self.count_words or len(value) > SHORT_TEXT:
            found = field.analyzer.postings(value, self._docwords if fieldname in self.count_words else None)
            encode = encode_characters if type(fmt) is Characters else _positions_encoder(fmt)
            for word, poslist in found.items():
                term = terms[word]
                values = term.values
                values += encode(poslist)
                term.postings.extend((docnum, len(poslist), len(values)))
            length = sum(map(len, found.values()))
        else:
            encoded = self._short_texts.get((fieldname, value))
            if encoded is None:
                encoded = self._encode_short(fieldname, field, value)
            words, length = encoded
            for word, freq, vbytes in words:
                term = terms[word]
                values = term.values
                values += vbytes
                term.postings.extend((docnum, freq, len(values)))
        if field.scorable:
            self._set_length(fieldname, docnum, length)
            return length
        return 0

    def _encode_short(self, fieldname, field, value) -> tuple[list, int]:
        """A short text's postings, encoded, and its length; remembered, as short fields repeat
        from document to document (an outlet, a section, a byline)."""
        fmt = field.format
        encode = encode_characters if type(fmt) is Characters else _positions_encoder(fmt)
        found = field.analyzer.postings(value)
        encoded = ([(word, len(poslist), encode(poslist)) for word, poslist in found.items()],
                   sum(map(len, found.values())))
        if len(self._short_texts) >= SHORT_TEXTS_KEPT:
            self._short_texts.clear()
        self._short_texts[fieldname, value] = encoded
        return encoded

    def _index_words(self, fieldname, field, value, docnum) -> int:
        """Presence-only fields (ids, keys, word lists): each distinct word once, weight = field boost."""
        if isinstance(value, (list, tuple)):
            words = set(value)
        elif field.unique:
            words = _analysed_words(field.analyzer, value)
        else:  # (keys like an outlet or a month repeat)
            words = self._remembered("words", fieldname, value, partial(_analysed_words, field.analyzer))
        terms = self._field_terms(fieldname)
        fb = field.format.field_boost
        for word in words:
            term = terms[word]
            term.docs.append(docnum)
            term.weights.append(fb)
        if field.scorable and words:
            self._set_length(fieldname, docnum, len(words))
            return len(words)
        return 0

    def _index_generic(self, fieldname, field, value, docnum) -> int:
        """Any other field: Whoosh's own ``field.index`` (remembered for dates, which repeat)."""
        terms = self._field_terms(fieldname)
        if value.__class__ is datetime:
            postings = self._remembered("index", fieldname, value, field.index)
        else:
            postings = field.index(value)
        length = 0
        for tbytes, freq, weight, vbytes in postings:
            self._add(terms, tbytes, docnum, weight, vbytes or emptybytes)
            length += freq
        if field.scorable and length:
            self._set_length(fieldname, docnum, length)
            return length
        return 0

    def _remembered(self, kind: str, fieldname: str, value, make) -> tuple:
        """``make(value)`` (as a tuple for "index"), remembered per (kind, field, value): for what
        Whoosh derives from a value alone, at a cost (a date's terms and column value, a key's words)."""
        key = (kind, fieldname, value)
        found = self._derived.get(key)
        if found is None:
            if len(self._derived) >= DERIVED_KEPT:
                self._derived.clear()
            found = self._derived[key] = tuple(make(value)) if kind == "index" else make(value)
        return found

    def _field_terms(self, fieldname) -> dict:
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = defaultdict(_Term)
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
        """Every term's postings, in sorted order, and its row in the term index.

        What ``W3FieldWriter`` and ``W3PostingsWriter`` write, byte for byte, a term at a
        time: each block is built from slices of the term's arrays, a term's blocks go to
        the postings file in one write, and file offsets are counted rather than asked of
        the file (``tell`` is a system call; Whoosh asks several times per term).
        """
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        tindex = fieldwriter._tindex
        blocks = BlockWriter(fieldwriter._postfile, self.compression, self.compress_from, self.blocklimit,
                             self.docbase)
        keys = tindex.index
        index_pos = tindex.dbfile.tell()
        hashfn, buckets, write_index = tindex.hashfn, tindex.buckets, tindex.dbfile.write
        key = tindex.lastkey
        for fieldname in sorted(self._terms):
            fieldobj = self.schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            prefix = pack_ushort(fieldwriter._fieldid)
            lengths = self._lengths.get(fieldname)
            fixedsize = fieldobj.format.fixed_value_size()
            boost = fieldobj.format.field_boost
            # Text fields' terms are held as str (encoded here once, not at every posting).
            terms = sorted((k.encode("utf-8") if k.__class__ is str else k, v)
                           for k, v in self._terms[fieldname].items())
            self._terms[fieldname] = {}  # their memory goes with this field's list
            for tbytes, term in terms:
                if term.__class__ is _TextTerm:
                    postings = term.postings
                    if len(postings) == 3 and (fixedsize is None or fixedsize < 0):  # one posting
                        info = blocks.write_one(postings[0], postings[1] * boost, bytes(term.values), lengths,
                                                self.compression if self.compress_from <= 1 else 0)
                    else:
                        info = blocks.write_term(postings[0::3], array("d", map(mul, postings[1::3], repeat(boost))),
                                                 term.values, postings[2::3], lengths, fixedsize)
                else:
                    info = blocks.write_term(term.docs, term.weights, term.values, term.ends, lengths, fixedsize)
                # OrderedHashWriter.add: the key's offset, then lengths, key and value.
                key = prefix + tbytes
                keys.append(index_pos)
                row = _KEY_VALUE_LENGTHS(len(key), len(info)) + key + info
                write_index(row)
                h = hashfn(key)
                buckets[h & 255].append((h, index_pos))
                index_pos += len(row)
            fieldwriter.finish_field()
            del terms
        tindex.lastkey = key
        fieldwriter.close()

    def finish_segment(self):
        """The finished segment, to commit with others (commit.py); None when no document was added."""
        if not self._added:
            self._close_segment()
            return None
        return self._finalize_segment()

    def abandon(self) -> None:
        """Close the segment's files without a segment (the generation is deleted next)."""
        self._close_segment()

    def _close_segment(self):
        self._terms = {}
        super()._close_segment()

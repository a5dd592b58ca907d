"""Reading a word's postings only in the blocks that hold given documents.

Whoosh 2.7 writes a word's postings in blocks of ~128 documents, each with
a header naming its last docnum. Its matchers find a document by stepping
(``skip_to`` reads every header on the way and decodes the block it starts
from); here a block index — each block's last docnum and file position,
read from the headers once and kept by the caller — says which blocks hold
the wanted documents, and only those are decoded. Highlighting reads
character offsets this way (highlight.py), phrase matching reads positions
(phrases.py).
"""
from __future__ import annotations

from array import array
from bisect import bisect_left
from itertools import accumulate, repeat
from operator import add, itemgetter
from pickle import loads

from whoosh import formats
from whoosh.matching import FilterMatcher
from whoosh.system import _INT_SIZE

#: Attributes of Whoosh 2.7's block-format leaf matcher that jumping to a block relies on.
BLOCK_API = ("_goto", "_read_data", "_data", "_byteids", "_baseoffset", "_nextoffset", "_maxid")
_FIRST = itemgetter(0)


def term_values(reader, fieldname: str, text: bytes, docnums, kind: str, blocks=None, key=None):
    """(docnum, the posting's value decoded as ``kind``) for each of the sorted segment ``docnums``
    that has the term, e.g. kind "positions" or "characters".

    ``docnums`` must be live (not deleted) documents. ``blocks``: an LRUCache of block indexes
    (cost = blocks), stored under ``key``; None reads the headers each time.
    """
    m = leaf_postings(reader, fieldname, text)  # the wanted documents are never deleted
    if not all(hasattr(m, a) for a in BLOCK_API):
        yield from step_values(m, docnums, kind)  # not Whoosh 2.7's block format
        return
    index = blocks.get(key) if blocks is not None else None
    if index is None:
        index = block_index(m)
        if blocks is not None:
            blocks.put(key, index, len(index[0]))
    maxids, positions = index
    decode = decoder(m.format, kind)
    current = ids = None
    for d in docnums:
        b = bisect_left(maxids, d)
        if b == len(maxids):
            break
        if b != current:
            m._goto(positions[b])
            ids = read_ids(m)
            current = b
        i = bisect_left(ids, d)
        if i < len(ids) and ids[i] == d:
            m._i = i
            yield d, decode(m.value())


def leaf_postings(reader, fieldname: str, text: bytes):
    """A present term's postings matcher *without* Whoosh's deletion filter, which decodes the first
    block as soon as it is made (to step past deleted documents): the caller skips those itself."""
    terms = getattr(reader, "_terms", None)
    if terms is not None and hasattr(terms, "matcher") and fieldname in reader.schema:
        return terms.matcher(fieldname, text, reader.schema[fieldname].format)
    m = reader.postings(fieldname, text)
    return m.child if isinstance(m, FilterMatcher) and m._exclude else m


def read_ids(m) -> tuple:
    """The docnums of the block a Whoosh 2.7 leaf matcher is at (its _read_ids, with the deltas
    summed in C rather than by a generator)."""
    if m._data is None:
        m._read_data()
    ids = m._data[0]
    m._ids = ids if m._byteids else tuple(accumulate(ids))
    return m._ids


def decoder(fmt, kind: str):
    """``fmt.decoder(kind)``, or for positions in Whoosh's Positions/Characters formats the same
    list decoded with the deltas summed in C (a phrase decodes thousands)."""
    if kind != "positions" or type(fmt) not in (formats.Positions, formats.Characters):
        return fmt.decoder(kind)
    chars = type(fmt) is formats.Characters  # codes are (position delta, start delta, length)

    def positions(value: bytes) -> list[int]:
        if not value.endswith(b"."):
            value += b"."
        codes = loads(value[_INT_SIZE:])
        return list(accumulate(map(_FIRST, codes) if chars else codes))
    return positions


def term_docs(reader, fieldname: str, text: bytes) -> frozenset:
    """Every live docnum holding the term, for a segment's reader or a multi-segment one: the same set
    as ``reader.postings(fieldname, text).all_ids()``, read a block at a time (docnums summed in C)
    where Whoosh steps its deletion filter and matcher one document at a time."""
    docs: set = set()
    for sub, offset in ([(reader, 0)] if reader.is_atomic() else reader.leaf_readers()):
        if (fieldname, text) not in sub:
            continue
        m = leaf_postings(sub, fieldname, text)
        if not all(hasattr(m, a) for a in BLOCK_API + ("_next_block",)):
            ids = list(sub.postings(fieldname, text).all_ids())  # filtered by Whoosh
        else:
            ids = []
            while m.is_active():
                ids += read_ids(m)
                m._next_block()
            if sub.has_deletions():
                deleted = sub._perdoc.deleted_docs() if hasattr(sub, "_perdoc") else filter(sub.is_deleted, ids)
                ids = set(ids).difference(deleted)
        docs.update(map(add, ids, repeat(offset)) if offset else ids)
    return frozenset(docs)


def block_index(m) -> tuple[array, array]:
    """(last docnum, file position) of every block of a Whoosh 2.7 leaf matcher's postings."""
    maxids, positions = array("q"), array("q")
    position = m._baseoffset
    while True:
        m._goto(position)
        maxids.append(m._maxid)
        positions.append(position)
        if m._lastblock:
            return maxids, positions
        position = m._nextoffset


def step_values(m, docnums, kind: str):
    """The same as term_values, stepping a matcher of any kind forward with skip_to."""
    for d in docnums:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            yield d, m.value_as(kind)

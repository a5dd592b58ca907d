"""Posting blocks: one term's postings written as whoosh3's ``W3PostingsWriter`` writes them, byte for byte.

Whoosh 2.7.4 internals, with segment.py (which calls this for every term when
it writes a segment) and commit.py: the block layout, the pickled block
header, the minified weights, the ``W3TermInfo`` statistics and the value
encoding of ``Characters`` are Whoosh's private formats, reproduced here so
that a term is written in one go from arrays rather than one posting at a
time. tests/test_segment.py compares the result with Whoosh's own writer.
"""
from __future__ import annotations

from array import array
from operator import sub
from pickle import dumps
from zlib import compress

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC as _BLOCK_MAGIC
from whoosh.codec.whoosh3 import W3TermInfo, length_to_byte
from whoosh.system import emptybytes, pack_int, pack_long, pack_uint

#: Posting lists of fewer postings than this are written uncompressed. Whoosh 2.7.4 means to skip
#: compressing tiny blocks but never does (it resets the flag), so every one-posting list — half
#: of all terms are in a single document — paid for a zlib call to save a few bytes. (Readers
#: decompress a block only when its header says it is compressed.)
COMPRESS_FROM = 4

_TERMINFO = W3TermInfo._struct.pack


def encode_characters(poslist) -> bytes:
    """Whoosh's ``Characters.encode``, byte for byte.

    A word that occurs once (most words of an article) has its pickle assembled from
    parts: the pickle of ``[(position, start, length)]`` at protocol 2 is a fixed head
    and tail around its three numbers, each of them below 65,536 in any article.
    """
    if len(poslist) == 1:
        pos, start, end = poslist[0]
        end -= start
        if pos < _SMALL and start < _SMALL and end < _SMALL:
            ints = _PICKLED_INTS
            return b"".join((_ONE_HEAD, ints[pos], ints[start], ints[end], _ONE_TAIL))
        return _ONE + dumps([(pos, start, end)], 2)
    deltas = []
    posbase = charbase = 0
    for pos, start, end in poslist:
        deltas.append((pos - posbase, start - charbase, end - start))
        posbase, charbase = pos, end
    return pack_uint(len(deltas)) + dumps(deltas, 2)


_ONE = pack_uint(1)
# Pickle protocol 2: PROTO 2, EMPTY_LIST, BINPUT 0 … TUPLE3, BINPUT 1, APPEND, STOP; a number below
# 256 is BININT1 and one byte, below 65,536 BININT2 and two bytes (little-endian).
_ONE_HEAD, _ONE_TAIL = _ONE + b"\x80\x02]q\x00", b"\x87q\x01a."
_SMALL = 65536
_PICKLED_INTS = [b"K" + bytes((n,)) for n in range(256)] + [b"M" + n.to_bytes(2, "little")
                                                             for n in range(256, _SMALL)]


class BlockWriter:
    """Writes terms' posting blocks to a segment's postings file, counting its offset as it goes.

    File offsets are counted rather than asked of the file (``tell`` is a system
    call; Whoosh asks several times per term).
    """

    def __init__(self, postfile, compression: int, compress_from: int, blocklimit: int, docbase: int):
        self.postfile, self.position = postfile, postfile.tell()
        self.compression, self.compress_from, self.blocklimit = compression, compress_from, blocklimit
        self.docbase = docbase

    def write_term(self, docs, weights, values, ends, lengths, fixedsize) -> bytes:
        """Write one term's posting blocks; returns its W3TermInfo bytes.

        ``W3PostingsWriter._write_block`` per block (ids delta-coded, weights
        minified, values as a tuple, pickled, compressed, behind a pickled block
        header), and ``W3TermInfo.add_block`` / ``to_bytes`` for the statistics.
        """
        limit = self.blocklimit
        count = len(docs)
        comp = self.compression if count >= self.compress_from else 0
        values = bytes(values) if ends else None
        base = self.docbase
        if count == 1 and ends and (fixedsize is None or fixedsize < 0):
            return self.write_one(docs[0], weights[0], values, lengths, comp)
        chunks = [_BLOCK_MAGIC]
        total_weight = 0
        minlength, maxlength, maxweight = None, 0, 0
        for start in range(0, count, limit):
            stop = start + limit
            ids = docs[start:stop]
            given = weights[start:stop]
            ws = array("f", given)  # the block's weights, as W3PostingsWriter holds them
            n = len(ids)
            first = ws[0]
            if ws.count(first) == n:
                mini_weights = None if first == 1.0 else first
            else:
                mini_weights = tuple(ws)
            if fixedsize == 0:
                mini_values = None
            elif not ends:
                mini_values = () if fixedsize is None or fixedsize < 0 else emptybytes
            else:
                begin = ends[start - 1] if start else 0
                block_ends = ends[start:stop]
                if fixedsize is None or fixedsize < 0:  # a tuple of each posting's value
                    mini_values = tuple(map(values.__getitem__,
                                            map(slice, (begin, *block_ends[:-1]), block_ends)))
                else:  # fixed-size values end to end
                    mini_values = values[begin:block_ends[-1]]
            data = dumps((tuple(map(sub, ids, (0, *ids[:-1]))) if n > 1 else (ids[0],),
                          mini_weights, mini_values), 2)
            if comp:
                data = compress(data, comp)
            top = max(given)
            block_maxweight = top if top > 0 else 0  # add_posting's running maximum (of weights as given)
            if lengths is not None:
                block = [lengths[d - base] for d in ids] if base else list(map(lengths.__getitem__, ids))
                block_min, block_max = min(block), max(block)
            else:
                block_min, block_max = None, 0
            info = dumps((n, ids[-1], block_maxweight, comp, length_to_byte(block_min),
                          length_to_byte(block_max)), 2)
            size = len(info) + len(data)
            chunks.append(pack_int(-size if stop >= count else size))
            chunks.append(info)
            chunks.append(data)
            total_weight += sum(ws)
            minlength = block_min if minlength is None else min(minlength, block_min)
            maxlength = max(maxlength, block_max)
            maxweight = max(maxweight, block_maxweight)
        data = b"".join(chunks)
        self.postfile.write(data)
        offset = self.position
        self.position += len(data)
        return _TERMINFO(False, total_weight, count, 0 if minlength is None else length_to_byte(minlength),
                         length_to_byte(maxlength), maxweight, docs[0], docs[-1]) \
            + pack_long(offset) + pack_int(len(data))

    def write_one(self, doc: int, weight: float, value: bytes, lengths, comp: int) -> bytes:
        """``write_term`` for a term with one posting (half of all terms): the same bytes, in
        fewer steps."""
        held = array("f", (weight,))[0]  # the weight as a block holds it (a 32-bit float)
        data = dumps(((doc,), None if held == 1.0 else held, (value,)), 2)
        if comp:
            data = compress(data, comp)
        top = weight if weight > 0 else 0
        length = lengths[doc - self.docbase] if lengths is not None else None
        info = dumps((1, doc, top, comp, length_to_byte(length), length_to_byte(length or 0)), 2)
        data = b"".join((_BLOCK_MAGIC, pack_int(-(len(info) + len(data))), info, data))
        self.postfile.write(data)
        offset = self.position
        self.position += len(data)
        return _TERMINFO(False, held, 1, length_to_byte(length), length_to_byte(length or 0), top, doc, doc) \
            + pack_long(offset) + pack_int(len(data))

"""Near-duplicate sketches: a cheap fingerprint of an article's text, stored per document.

The same story syndicated by several outlets has largely identical text. Its
word shingles (runs of SHINGLE_WORDS words) are hashed and the SKETCH_SIZE
smallest hashes kept (a bottom-k MinHash sketch). Two sketches estimate the
Jaccard similarity of the two texts' shingle sets; the search side treats
articles at or above DUPLICATE_SIMILARITY as one story. Computing a sketch is
one hash per word, cheap enough for the indexer.
"""
from __future__ import annotations

import heapq
from array import array
from collections import Counter
import re
import struct
import zlib

SHINGLE_WORDS = 4  # words per shingle
SKETCH_SIZE = 16  # hashes kept per document
DUPLICATE_SIMILARITY = 0.5  # estimated Jaccard similarity at which two texts are one story
MIN_WORDS = 12  # texts shorter than this get no sketch (too little text to call duplicates)

_WORD = re.compile(r"\w+")
# The same words in ASCII text: there str's \w and bytes' \w match the same characters.
_ASCII_WORD = re.compile(rb"\w+")


def sketch(text: str) -> bytes:
    """The bottom-k sketch of ``text`` as bytes (empty for texts too short to compare).

    A shingle's hash is the CRC-32 of its words, lower-cased, joined by single
    spaces, in UTF-8. ASCII text (most of it) is encoded once and its shingles
    joined as bytes; other text joins strings and encodes each shingle: the same
    bytes either way.
    """
    lower = text.lower()
    ascii = lower.isascii()
    words = _ASCII_WORD.findall(lower.encode()) if ascii else _WORD.findall(lower)
    if len(words) < MIN_WORDS:
        return b""
    # Runs of SHINGLE_WORDS words, joined and hashed through map/zip: C loops. A text repeats
    # few shingles, so they are hashed without first removing repeats.
    runs = zip(*(words[i:] for i in range(SHINGLE_WORDS)))
    shingles = map(b" ".join, runs) if ascii else map(str.encode, map(" ".join, runs))
    smallest = sorted(set(map(zlib.crc32, shingles)))[:SKETCH_SIZE]
    return struct.pack(">%dI" % len(smallest), *smallest)


def unpack(data: bytes) -> frozenset[int]:
    if not data:
        return frozenset()
    return frozenset(struct.unpack(">%dI" % (len(data) // 4), data))


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Estimated Jaccard similarity of two unpacked sketches (0.0 when either is empty)."""
    if not a or not b:
        return 0.0
    union_bottom = heapq.nsmallest(SKETCH_SIZE, a | b)
    shared = sum(1 for h in union_bottom if h in a and h in b)
    return shared / len(union_bottom)


def is_duplicate(a: frozenset[int], b: frozenset[int]) -> bool:
    return similarity(a, b) >= DUPLICATE_SIMILARITY


def copy_groups(column) -> tuple[array, dict[int, list[int]]]:
    """Near-identical copies among documents given as packed sketches in docnum order: (each document's
    group, as the docnum of the group's first document; group → its documents, for groups of several).

    In docnum order, a document whose sketch matches a group's first document joins that group, else
    it starts one. Two sketches can only match when they share at least half of the hashes of
    either, so the candidates are the groups sharing that many hashes, counted through an index
    hash → groups. Both search backends group with this (search/collapse.py, index/shards/write.py).
    """
    of = array("i", range(len(column)))
    documents: dict[int, list[int]] = {}
    sketches = [unpack(c) for c in column]
    by_hash: dict[int, list[int]] = {}
    for d, sketch in enumerate(sketches):
        if not sketch:
            continue
        home = _home(sketch, sketches, by_hash)
        if home is None:
            for h in sketch:
                by_hash.setdefault(h, []).append(d)
        else:
            of[d] = home
            documents.setdefault(home, [home]).append(d)
    return of, documents


def _home(sketch, sketches, by_hash) -> int | None:
    """The first group whose first document's sketch matches ``sketch``, if any."""
    shared = Counter()
    for h in sketch:
        group = by_hash.get(h)
        if group:
            shared.update(group)
    enough = (len(sketch) + 1) // 2  # fewer shared hashes cannot reach DUPLICATE_SIMILARITY
    for group in sorted(s for s, n in shared.items() if n >= enough):
        if is_duplicate(sketch, sketches[group]):
            return group
    return None

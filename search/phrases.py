"""Which documents hold a phrase's words in order, decided as Whoosh 2.7.4 decides it.

``Phrase(field, words, slop).matcher`` finds nothing when a word is not in
the segment; otherwise it is ``SpanNear2(terms, slop, ordered=True,
mindist=1)``: an intersection of the words' term matchers (so a document
must hold every word) that keeps a document when its spans chain. Starting
from the first word's positions, each next word must stand after the span
built so far ends, at a distance of 1 to ``slop`` (a word at a position the
span already covers is distance 0, too close). A span ends at the last
word added, so this is: positions p0 < p1 < … of the words, in phrase
order, with ``1 <= p[i] - p[i-1] <= slop``. The spans never change the score
(scoring.py sums the words' own scores); only whether they exist matters.

Positions are read only in the postings blocks that hold a candidate
document (postings.py), and a document is dropped as soon as one word
cannot follow, so later words are read for fewer documents.
"""
from __future__ import annotations

from bisect import bisect_left

from whoosh import query as wq

from .postings import term_values


def supported(q: wq.Phrase, schema) -> bool:
    """True when ``q`` is matched here exactly as Whoosh would (else Whoosh is asked, and raises its own
    error for a field without positions)."""
    if not q.words or not all(isinstance(w, str) for w in q.words) or type(q.slop) is not int:
        return False
    if schema is None or q.fieldname not in schema:
        return schema is not None  # no such field: Whoosh finds nothing
    fmt = schema[q.fieldname].format
    return bool(fmt) and fmt.supports("positions")


def phrase_docs(searcher, q: wq.Phrase, word_docs) -> set:
    """Every docnum ``q`` matches in ``searcher``'s index (no scores: matching.py's sets), as Whoosh's
    ``docs_for_query`` gives them; ``word_docs(fieldname, text)`` is a word's set of live docnums."""
    schema = searcher.schema
    if not supported(q, schema):
        return set(searcher.docs_for_query(q))
    if q.fieldname not in schema:
        return set()
    field = schema[q.fieldname]
    try:
        btexts = [field.to_bytes(w) for w in q.words]
    except ValueError:
        return set()
    candidates = None
    for word in dict.fromkeys(q.words):
        docs = word_docs(q.fieldname, word)
        candidates = set(docs) if candidates is None else candidates & docs
        if not candidates:
            return set()
    found: set = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if any((q.fieldname, b) not in reader for b in btexts):  # Whoosh's shortcut, per segment
            continue
        end = offset + sub.doc_count_all()
        local = sorted(d - offset for d in candidates if offset <= d < end)
        found.update(offset + d for d in ordered_docs(reader, q.fieldname, btexts, local, q.slop))
    return found


def ordered_docs(reader, fieldname: str, btexts: list[bytes], docnums, slop: int, blocks=None,
                 key=None) -> list[int]:
    """The segment ``docnums`` (sorted, live, each holding every word) where ``btexts`` stand in order.

    ``blocks``/``key``: a cache of postings block indexes (an LRUCache) and the prefix of its keys,
    (prefix, fieldname, word) for each word.
    """
    if len(btexts) < 2:
        return list(docnums)  # a one-word span: every document with the word
    if slop < 1:
        return []  # no distance is both >= 1 and <= slop
    read: dict = {}  # word → {docnum: positions}: a repeated word is read once (later reads need fewer docs)

    def positions(text: bytes, docs) -> dict:
        got = read.get(text)
        if got is None:
            cache_key = None if key is None else (key, fieldname, text)
            got = read[text] = dict(term_values(reader, fieldname, text, docs, "positions", blocks, cache_key))
        return got

    first = positions(btexts[0], docnums)
    ends = {d: first[d] for d in docnums if d in first}
    for text in btexts[1:]:
        nxt = positions(text, sorted(ends))
        follows = _next_ends_adjacent if slop == 1 else _next_ends
        ends = {d: e for d, e in ((d, follows(prev, nxt.get(d, ()), slop)) for d, prev in ends.items()) if e}
        if not ends:
            return []
    return sorted(ends)


def _next_ends_adjacent(prev: list[int], positions, slop: int) -> list[int]:
    """The positions right after one of ``prev`` (slop 1)."""
    after = {p + 1 for p in prev}
    return [p for p in positions if p in after]


def _next_ends(prev: list[int], positions, slop: int) -> list[int]:
    """The positions 1 to ``slop`` after one of ``prev`` (sorted)."""
    out = []
    for p in positions:
        i = bisect_left(prev, p - slop)
        if i < len(prev) and prev[i] <= p - 1:
            out.append(p)
    return out

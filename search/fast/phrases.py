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

A phrase with common words ("Secretary of State") is a ``MixedPhrase``:
the same matching, each part read from its own field — content words from
the text field, common words and common grams (``secretari of``) from its
companion (index/common_grams.py), which shares its positions — and, for a
phrase without slop, each part at its own offset from the phrase's start
(a gram covers two words). Its score is the sum of its parts' scores, added
as for a Phrase.
"""
from __future__ import annotations

from bisect import bisect_left

from whoosh import matching
from whoosh import query as wq

from .postings import term_values


class MixedPhrase(wq.Phrase):
    """A phrase whose parts are looked up in different fields sharing one position space.

    ``fieldname`` is the text field the phrase is about (``body``); ``fields[i]`` is where
    ``words[i]`` is indexed (``body`` or ``body_common``). With ``offsets`` (slop 1), part i
    stands ``offsets[i]`` positions after the phrase's start; without, parts follow each
    other within ``slop``, as a Phrase's words do. Whoosh's own matchers cannot follow
    positions across fields, so ``matcher`` (used when a query also holds parts scoring.py
    does not handle) computes the matches here and hands Whoosh a list.
    """

    def __init__(self, fieldname, words, fields, offsets=None, slop=1, boost=1.0, char_ranges=None):
        super().__init__(fieldname, list(words), slop=slop, boost=boost, char_ranges=char_ranges)
        self.fields = tuple(fields)
        self.offsets = tuple(offsets) if offsets is not None else None

    def __eq__(self, other):
        return super().__eq__(other) and (self.fields, self.offsets) == (other.fields, other.offsets)

    def __hash__(self):
        return super().__hash__() ^ hash((self.fields, self.offsets))

    def __repr__(self):
        return "%s(%r, %r, %r, offsets=%r, slop=%s, boost=%f)" % (
            type(self).__name__, self.fieldname, self.words, self.fields, self.offsets, self.slop, self.boost)

    def terms(self, phrases=False):
        if phrases:
            yield from zip(self.fields, self.words)

    def normalize(self):
        return self

    def _and_query(self):
        return wq.And([wq.Term(f, w) for f, w in zip(self.fields, self.words)])

    def matcher(self, searcher, context=None):
        """The matches in one segment's ``searcher``, scored with Whoosh's own term matchers."""
        reader = searcher.reader()
        terms = phrase_terms(self)
        keys = _term_bytes(searcher.schema, terms)
        if keys is None or any(k not in reader for k in keys):
            return matching.NullMatcher()
        scores = []
        for field, word in terms:
            m = wq.Term(field, word).matcher(searcher, context)
            found = {}
            while m.is_active():
                found[m.id()] = m.score()
                m.next()
            scores.append(found)
        candidates = set(scores[0]).intersection(*scores[1:])
        docs = ordered_docs(reader, keys, sorted(candidates), self.slop, offsets=self.offsets)
        total = binary_sum(scores, docs)
        return matching.ListMatcher(docs, [total[d] * self.boost for d in docs])


def phrase_terms(q: wq.Phrase) -> list[tuple[str, str]]:
    """(field, word) of each word of a Phrase or MixedPhrase, in order."""
    fields = getattr(q, "fields", None) or [q.fieldname] * len(q.words)
    return list(zip(fields, q.words))


def _term_bytes(schema, terms) -> list[tuple[str, bytes]] | None:
    """(field, word as indexed) for each word; None when a word cannot be in its field."""
    try:
        return [(field, schema[field].to_bytes(word)) for field, word in terms]
    except ValueError:
        return None


def supported(q: wq.Phrase, schema) -> bool:
    """True when ``q`` is matched here exactly as Whoosh would (else Whoosh is asked, and raises its own
    error for a field without positions)."""
    if not q.words or not all(isinstance(w, str) for w in q.words) or type(q.slop) is not int:
        return False
    if schema is None:
        return False
    fields = {field for field, _ in phrase_terms(q)}
    if not fields <= set(schema.names()):
        return True  # no such field: nothing is found, as Whoosh finds nothing
    return all(schema[name].format and schema[name].format.supports("positions") for name in fields)


def phrase_docs(searcher, q: wq.Phrase, word_docs) -> set:
    """Every docnum ``q`` matches in ``searcher``'s index (no scores: matching.py's sets), as Whoosh's
    ``docs_for_query`` gives them; ``word_docs(fieldname, text)`` is a word's set of live docnums."""
    schema = searcher.schema
    if not supported(q, schema):
        return set(searcher.docs_for_query(q))
    terms = phrase_terms(q)
    if any(field not in schema for field, _ in terms):
        return set()
    keys = _term_bytes(schema, terms)
    if keys is None:
        return set()
    candidates = None
    for field, word in dict.fromkeys(terms):
        docs = word_docs(field, word)
        candidates = set(docs) if candidates is None else candidates & docs
        if not candidates:
            return set()
    found: set = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if any(k not in reader for k in keys):  # Whoosh's shortcut, per segment
            continue
        end = offset + sub.doc_count_all()
        local = sorted(d - offset for d in candidates if offset <= d < end)
        found.update(offset + d for d in ordered_docs(reader, keys, local, q.slop, offsets=offsets_of(q)))
    return found


def offsets_of(q: wq.Phrase):
    """A MixedPhrase's part offsets (None: the parts follow each other within the slop)."""
    return getattr(q, "offsets", None)


def binary_sum(parts: list[dict], docs) -> dict:
    """{d: score} for ``docs`` as make_binary_tree(IntersectionMatcher, parts) adds them: the first
    half's sum plus the second half's, recursively (a one-part tree is that part)."""
    if len(parts) == 1:
        part = parts[0]
        return {d: part[d] for d in docs}
    half = len(parts) // 2
    a, b = binary_sum(parts[:half], docs), binary_sum(parts[half:], docs)
    return {d: a[d] + b[d] for d in docs}


def ordered_docs(reader, terms: list[tuple[str, bytes]], docnums, slop: int, blocks=None,
                 key=None, offsets=None) -> list[int]:
    """The segment ``docnums`` (sorted, live, each holding every word) where the words ``terms``
    ((field, word as indexed), fields sharing positions) stand in order — or, with ``offsets``,
    each at its offset from a common start.

    ``blocks``/``key``: a cache of postings block indexes (an LRUCache) and the prefix of its keys,
    (prefix, fieldname, word) for each word.
    """
    if len(terms) < 2:
        return list(docnums)  # a one-word span: every document with the word
    if offsets is not None:
        return _at_offsets(reader, terms, docnums, offsets, blocks, key)
    if slop < 1:
        return []  # no distance is both >= 1 and <= slop
    read: dict = {}  # word → {docnum: positions}: a repeated word is read once (later reads need fewer docs)

    def positions(term: tuple[str, bytes], docs) -> dict:
        got = read.get(term)
        if got is None:
            fieldname, text = term
            cache_key = None if key is None else (key, fieldname, text)
            got = read[term] = dict(term_values(reader, fieldname, text, docs, "positions", blocks, cache_key))
        return got

    first = positions(terms[0], docnums)
    ends = {d: first[d] for d in docnums if d in first}
    for term in terms[1:]:
        nxt = positions(term, sorted(ends))
        follows = _next_ends_adjacent if slop == 1 else _next_ends
        ends = {d: e for d, e in ((d, follows(prev, nxt.get(d, ()), slop)) for d, prev in ends.items()) if e}
        if not ends:
            return []
    return sorted(ends)


def _at_offsets(reader, terms, docnums, offsets, blocks, key) -> list[int]:
    """``docnums`` where some start position s has part i at s + offsets[i] for every part."""
    read: dict = {}  # a repeated part is read once (later reads need fewer docs)
    starts = None  # docnum → the start positions still possible
    for term, offset in zip(terms, offsets):
        docs = sorted(starts) if starts is not None else docnums
        got = read.get(term)
        if got is None:
            fieldname, text = term
            cache_key = None if key is None else (key, fieldname, text)
            got = read[term] = dict(term_values(reader, fieldname, text, docs, "positions", blocks, cache_key))
        if starts is None:
            starts = {d: {p - offset for p in got[d]} for d in docs if d in got}
        else:
            starts = {d: s for d, s in ((d, starts[d].intersection(p - offset for p in got.get(d, ())))
                                        for d in docs) if s}
        if not starts:
            return []
    return sorted(starts)


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

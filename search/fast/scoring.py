"""Exact BM25F scores for every match of a plain or phrase query, from cached per-word scores.

Whoosh scores a query by walking a tree of matchers one document at a time
in Python, which is most of a search's cost once every match must be scored
(exact totals and facets need them all). Here each word's score in each
document is computed once per searcher from its postings blocks (the same
BM25FScorer expression on the same stored weights and quantised field
lengths, so bit for bit the same floats) and kept, and the query tree
becomes dict operations that run mostly in C.

The scores are *identical* to Whoosh's, not merely close, because the tree
is rebuilt exactly as Whoosh 2.7.4 builds its matchers for each segment:

* a compound with one subquery is that subquery (its boost is dropped);
* ``And`` / ``Or`` pair their subqueries Huffman-style by estimated size
  (``make_weighted_tree``: a stable sort, then repeated ``insort``), so the
  additions happen in the same order (float addition is commutative but not
  associative); a boost multiplies the combined score;
* an ``Or`` of three or more subqueries over a segment of at most 5,000
  documents is preloaded instead (``PreloadedOr``): scores times boost added
  in subquery order; documents whose sum is not positive are dropped, except
  the first of each 2,048-docnum part;
* ``AndNot`` keeps the left side's score; ``Not`` matches every live
  document the child does not, with score 1.0 (so ``oil NOT gas`` adds 1.0);
* a ``Phrase`` is Whoosh's ``SpanNear2``: nothing when a word is missing from
  the segment, else the documents holding every word in order (phrases.py),
  scored as a binary tree of intersections of its words (``make_binary_tree``:
  the first half's sum plus the second half's), times its boost. A
  ``MixedPhrase`` (a phrase with common words) is scored the same way, each
  word in its own field, as its own ``matcher`` scores it.

Inside an ``And`` (or a phrase), a common word is read only in the postings
blocks that hold a document of the smallest part, as Whoosh's skip_to would.
A word read whole costs what Whoosh's block format makes it cost (unzip and
unpickle each block); the rest — summing the docnum deltas, BM25F over the
block, the length norms (one column read per field) — runs in C. That
per-word half is leaf.py (one segment's word scores); this module shapes the
query tree over them.

Anything else (prefixes, ranges, minmatch, scaled ORs, a weighting
with a final() step) is not handled: ``score_all`` returns None and the
caller asks Whoosh. Deleted documents never appear: they are dropped from
the postings as Whoosh's segment reader drops them, and ``Not`` draws from
the live documents.
"""
from __future__ import annotations

from bisect import insort_right
from operator import itemgetter

from whoosh import query as wq

from . import phrases
from ..cache import LRUCache
from .leaf import Leaf

#: Cached postings (docnum → score entries, ~100 bytes each) kept per searcher, least recently used
#: dropped first: CACHE_POSTINGS_PER_DOC per document of the index, at least CACHE_POSTINGS_MIN.
#: The common words of a query hold a posting for a large share of all documents, in each field,
#: so the room needed grows with the index. On the real corpus (22.9k documents) that is ~46 MB per
#: worker (+37 MB RSS measured after bench/serve.py), on 100k documents ~200 MB: within issue 7's
#: bound of 2.5x the index size per worker.
CACHE_POSTINGS_PER_DOC = 20
CACHE_POSTINGS_MIN = 400_000
#: A word in more documents than this is scored afresh each time rather than cached (one entry
#: would push out hundreds of rarer words).
CACHE_MAX_DOCS = 100_000
#: Whoosh's Or builds a binary tree of unions when a segment has more documents than this (or the
#: Or has exactly two subqueries, or 1,024 or more), and preloads scores into an array otherwise.
PRELOAD_MAX_DOCS = 5000
PRELOAD_PART = 2048  # docnums ArrayUnionMatcher reads per part (its default partsize)
TOO_MANY_CLAUSES = wq.Or.TOO_MANY_CLAUSES
#: Inside an AND, a word in more than this many times as many documents as the AND's smallest part
#: is read only in the postings blocks (Whoosh writes ~128 postings a block) that hold one of that
#: part's documents, and not cached: 512 = when that skips at least three blocks in four.
NARROW_RATIO = 512
SIZE_CACHE = 16_384  # document frequencies kept per searcher (a few dozen bytes each)
#: Postings blocks whose file position is kept per searcher (16 bytes each), shared by scoring,
#: phrase matching and highlighting (search/live.py hands one cache to all three).
BLOCK_INDEX_SIZE = 500_000

_WEIGHT = itemgetter(0)
PHRASES = (wq.Phrase, phrases.MixedPhrase)


class TermScores:
    """Per-searcher scorer: ``score_all(query, allowed)`` → (docnums, [(score, docnum)]) or None."""

    def __init__(self, searcher, blocks: LRUCache | None = None):
        self.searcher = searcher
        self._leaves = [Leaf(i, ss, offset) for i, (ss, offset) in enumerate(searcher.leaf_searchers())]
        budget = max(CACHE_POSTINGS_MIN, CACHE_POSTINGS_PER_DOC * searcher.doc_count_all())
        self._cache = LRUCache(budget)  # bounded by postings held, not words
        self._sizes = LRUCache(SIZE_CACHE)  # (segment, field, word) → document frequency
        #: (segment number, field, word) → postings block index, shared with highlighting when given
        self._blocks = blocks if blocks is not None else LRUCache(BLOCK_INDEX_SIZE)
        #: fast-path answers given (tests assert it is taken; not locked, so approximate under threads)
        self.answered = 0

    def score_all(self, query, allowed=None) -> tuple[set, list[tuple[float, int]]] | None:
        """Every document ``query`` matches within ``allowed`` (None: all), with Whoosh's exact score.

        Returns the same (set of docnums, unsorted [(score, docnum)]) as a Whoosh scored pass over
        every match, or None when the query has a part this module does not handle.
        """
        if getattr(self.searcher.weighting, "use_final", False) or not supported(query, self.searcher.schema):
            return None
        parts = [_materialize(self._eval(query, leaf, True)) for leaf in self._leaves]
        if len(parts) == 1:
            scores = parts[0]
        else:
            scores = {}
            for part in parts:
                scores.update(part)
        if allowed is not None:
            keys = scores.keys() & allowed
            items = [(scores[d], d) for d in keys]
        else:
            keys = set(scores)
            items = list(zip(scores.values(), scores.keys()))
        self.answered += 1
        return keys, items

    # -- one segment -------------------------------------------------------
    def _eval(self, q, leaf: "Leaf", scored: bool, within=None):
        """``q``'s matches in ``leaf`` as {global docnum: score}, or an _Inverse (a Not).

        ``within``: None, or a set of docnums holding every document the caller will keep (the
        matches of an AND's smallest part); scores are then exact for those documents only, and
        postings blocks with none of them need not be read.
        """
        kind = type(q)
        if q is wq.NullQuery:
            return {}
        if kind is wq.Term:
            scores = self._term(q, leaf, within)[0]
            if within is not None and len(scores) > 4 * len(within):  # less to combine
                scores = {d: scores[d] for d in within if d in scores}
            return scores
        if kind in PHRASES:
            return self._phrase(q, leaf, within)
        if kind is wq.AndNot:
            a = self._eval(q.a, leaf, scored, within)
            b = self._eval(q.b, leaf, False, within)  # Whoosh matches the excluded side unscored
            excluded = leaf.live() - b.excluded if isinstance(b, _Inverse) else b
            if not excluded:
                return a
            if isinstance(a, _Inverse):
                a = _materialize(a)
            return {d: v for d, v in a.items() if d not in excluded}
        if kind is wq.Not:
            child = self._eval(q.query, leaf, False, within)
            return _Inverse(leaf, child.keys() if isinstance(child, dict) else leaf.live() - child.excluded)
        # And / Or (supported() has checked the type and its options)
        subs = q.subqueries
        if not subs:
            return {}
        if len(subs) == 1:  # CompoundQuery.matcher: the lone subquery's matcher, without this boost
            return self._eval(subs[0], leaf, scored, within)
        if kind is wq.And:
            node = self._tree(subs, leaf, scored, _intersect, lambda s: -s, within, narrow=True)
        elif len(subs) < TOO_MANY_CLAUSES and (len(subs) == 2 or leaf.doc_count_all > PRELOAD_MAX_DOCS):
            node = self._tree(subs, leaf, scored, _union, lambda s: s, within)
        else:
            return self._preloaded(subs, q.boost, leaf, scored, within)
        if q.boost != 1.0:
            boost = q.boost
            node = {d: v * boost for d, v in _materialize(node).items()}
        return node

    def _tree(self, subs, leaf, scored, combine, weight, within, narrow=False):
        """make_weighted_tree: stable sort by weight, then pair the two lightest and insort the pair.

        ``narrow`` (an AND): the smallest part is matched first, and its documents bound the rest.
        """
        sizes = [self._estimate(s, leaf) for s in subs]
        nodes = [None] * len(subs)
        if narrow:
            first = min(range(len(subs)), key=sizes.__getitem__)
            nodes[first] = self._eval(subs[first], leaf, scored, within)
            if isinstance(nodes[first], dict):
                within = nodes[first].keys() if within is None else nodes[first].keys() & within
        for i, s in enumerate(subs):
            if nodes[i] is None:
                nodes[i] = self._eval(s, leaf, scored, within)
        items = [(weight(size), node) for size, node in zip(sizes, nodes)]
        items.sort(key=_WEIGHT)
        while len(items) > 1:
            wa, a = items.pop(0)
            wb, b = items.pop(0)
            insort_right(items, (wa + wb, combine(a, b)), key=_WEIGHT)
        return items[0][1]

    def _preloaded(self, subs, boost, leaf, scored, within) -> dict:
        """PreloadedOr (ArrayUnionMatcher): a[d] = 0, then a[d] += score * boost for each subquery in turn.

        It yields the documents with a[d] > 0, and also, unconditionally, the first matched document
        of each part of PRELOAD_PART docnums it reads (parts start at the next matched document).
        """
        total: dict = {}
        get = total.get
        for s in subs:
            for d, v in _materialize(self._eval(s, leaf, scored, within)).items():
                total[d] = get(d, 0.0) + (v * boost if scored else 1)
        if not scored or all(v > 0 for v in total.values()):
            return total
        if within is not None:  # where the parts start depends on every match: take them all
            return self._preloaded(subs, boost, leaf, scored, None)
        kept, limit = {}, -1
        for d in sorted(total):
            v = total[d]
            if d >= limit:  # a new part starts here: its first document is yielded whatever its score
                limit = d + PRELOAD_PART
                kept[d] = v
            elif v > 0:
                kept[d] = v
        return kept

    def _estimate(self, q, leaf) -> int:
        """Whoosh's estimate_size of ``q`` on this segment's reader (the tree weights)."""
        kind = type(q)
        if q is wq.NullQuery:
            return 0
        if kind is wq.Term:
            key = (leaf.index, q.fieldname, q.text)
            size = self._sizes.get(key)
            if size is None:
                size = q.estimate_size(leaf.reader)
                self._sizes.put(key, size)
            return size
        if kind is wq.Not:
            return leaf.doc_count
        if kind in PHRASES:  # Phrase.estimate_size: an And of its words
            return min(self._estimate(wq.Term(f, w), leaf) for f, w in phrases.phrase_terms(q))
        if kind is wq.And:
            return min(self._estimate(s, leaf) for s in q.subqueries)
        # Or and AndNot: CompoundQuery.estimate_size
        return min(sum(self._estimate(s, leaf) for s in q.subqueries), leaf.doc_count)

    def _phrase(self, q, leaf, within) -> dict:
        """Phrase.matcher on one segment: {global docnum: score} of the documents with the words in order.

        The words are read rarest first, each bounding the next (as ``within`` bounds an AND's parts);
        positions are then read only for the documents holding every word.
        """
        schema, reader = leaf.searcher.schema, leaf.reader
        words = phrases.phrase_terms(q)
        if any(field not in schema for field, _ in words):
            return {}
        keys = []
        for field, word in words:
            try:
                btext = schema[field].to_bytes(word)
            except ValueError:
                return {}
            if (field, btext) not in reader:  # Whoosh's shortcut: a missing word matches nothing
                return {}
            keys.append((field, btext))
        terms = {fw: wq.Term(*fw) for fw in words}
        scores = {}
        for fw in sorted(terms, key=lambda fw: self._estimate(terms[fw], leaf)):
            scores[fw] = found = self._term(terms[fw], leaf, within)[0]
            within = found.keys() if within is None else found.keys() & within
            if not within:
                return {}
        offset = leaf.offset
        local = sorted(d - offset for d in within)
        docs = [offset + d for d in phrases.ordered_docs(reader, keys, local, q.slop, self._blocks, leaf.index,
                                                         phrases.offsets_of(q))]
        total = phrases.binary_sum([scores[fw] for fw in words], docs)
        if q.boost != 1.0:  # the WrappingMatcher around the span matcher (which itself multiplies by 1.0)
            boost = q.boost
            total = {d: v * boost for d, v in total.items()}
        return total

    def _term(self, q, leaf, within=None) -> tuple[dict, bool]:
        """({global docnum: score * boost}, complete) for a Term on one segment.

        Complete answers are cached; a word in many more documents than ``within`` holds is read
        only in the blocks that hold some of them (complete=False, not cached).
        """
        key = (leaf.index, q.fieldname, q.text, q.boost)
        scores = self._cache.get(key)
        if scores is not None:
            return scores, True
        if q.boost != 1.0:
            raw, complete = self._term(wq.Term(q.fieldname, q.text), leaf, within)
            boost = q.boost
            scores = {d: v * boost for d, v in raw.items()}  # WrappingMatcher: score * boost
        else:
            narrow = within is not None and self._estimate(q, leaf) > NARROW_RATIO * len(within)
            scores, complete = leaf.read(q, within if narrow else None)
        if complete and len(scores) <= CACHE_MAX_DOCS:
            self._cache.put(key, scores, len(scores))
        return scores, complete


def supported(q, schema=None) -> bool:
    """True when every node of ``q`` is one this module scores exactly like Whoosh (phrases need the
    ``schema``, to know their field has positions)."""
    kind = type(q)
    if q is wq.NullQuery:
        return True
    if kind is wq.Term:
        return not q.minquality
    if kind in PHRASES:
        return phrases.supported(q, schema)
    if kind is wq.And:
        return all(supported(s, schema) for s in q.subqueries)
    if kind is wq.Or:
        return (not q.minmatch and not q.scale and q.matcher_type == wq.Or.AUTO_MATCHER
                and all(supported(s, schema) for s in q.subqueries))
    if kind is wq.AndNot:
        return supported(q.a, schema) and supported(q.b, schema)
    if kind is wq.Not:
        return supported(q.query, schema)
    return False


class _Inverse:
    """A ``Not``: the live documents of a segment except ``excluded``, each scoring 1.0 (InverseMatcher)."""

    __slots__ = ("leaf", "excluded")

    def __init__(self, leaf: Leaf, excluded):
        self.leaf = leaf
        self.excluded = excluded


def _materialize(node) -> dict:
    if isinstance(node, _Inverse):
        return dict.fromkeys(node.leaf.live() - node.excluded, 1.0)
    return node


def _union(a, b) -> dict:
    """UnionMatcher: a + b where both match, else the one that does."""
    a, b = _materialize(a), _materialize(b)
    if len(a) < len(b):
        a, b = b, a  # float addition is commutative: only the grouping matters
    out = dict(a)
    get = a.get
    for d, v in b.items():
        x = get(d)
        out[d] = v if x is None else x + v
    return out


def _intersect(a, b) -> dict:
    """IntersectionMatcher: a + b on the documents both match (a Not adds its 1.0)."""
    if isinstance(a, _Inverse) and isinstance(b, _Inverse):
        a = _materialize(a)
    if isinstance(a, _Inverse):
        a, b = b, a
    if isinstance(b, _Inverse):
        excluded = b.excluded
        return {d: v + 1.0 for d, v in a.items() if d not in excluded}
    if len(a) > len(b):
        a, b = b, a
    return {d: v + b[d] for d, v in a.items() if d in b}

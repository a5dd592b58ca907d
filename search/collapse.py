"""Near-duplicate collapsing: one hit per story, listing the other outlets that ran it.

Each document carries a bottom-k sketch of its body (index/fingerprint.py).
Walking the ranked documents in order, a document whose sketch matches a
hit already kept joins that hit's group instead of becoming a hit itself;
the kept hit lists the group's other outlets in ``also_in``. Two sketches
can only match if they share a hash, so candidates are found through an
index hash → groups rather than by comparing with every group.

Collapsing only changes which documents are shown: totals and facet counts
still count every matching document.
"""
from __future__ import annotations

from index import fingerprint


class Group:
    __slots__ = ("docnum", "sketch", "members", "score")

    def __init__(self, docnum: int, sketch: frozenset):
        self.docnum = docnum
        self.sketch = sketch
        self.members: list[int] = []  # docnums folded into this hit
        self.score = 0.0


def collapse(docnums, sketch_of) -> list[Group]:
    """Groups in rank order; ``sketch_of(docnum)`` gives a document's unpacked sketch (empty: never folded)."""
    groups: list[Group] = []
    by_hash: dict[int, list[Group]] = {}
    for d in docnums:
        sketch = sketch_of(d)
        home = None
        if sketch:
            seen = set()
            for h in sketch:
                for g in by_hash.get(h, ()):
                    if id(g) not in seen:
                        seen.add(id(g))
                        if fingerprint.is_duplicate(sketch, g.sketch):
                            home = g
                            break
                if home is not None:
                    break
        if home is not None:
            home.members.append(d)
            continue
        group = Group(d, sketch)
        groups.append(group)
        for h in sketch:
            by_hash.setdefault(h, []).append(group)
    return groups


def sketch_reader(column):
    """A memoising ``sketch_of`` over the fingerprint column (or one that never folds, without a column)."""
    cache: dict[int, frozenset] = {}
    if column is None:
        return lambda d: frozenset()

    def sketch_of(d: int) -> frozenset:
        s = cache.get(d)
        if s is None:
            s = cache[d] = fingerprint.unpack(column[d])
        return s
    return sketch_of

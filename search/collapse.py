"""Near-duplicate collapsing: one hit per group, listing the other outlets that ran it.

Each document carries a bottom-k sketch of its body (index/fingerprint.py).
When a generation opens, its documents are put into copy groups once
(``CopyGroups``): in docnum order, a document whose sketch matches a group's
first document joins that group, else it starts one. Two sketches can only
match when they share at least half of the hashes of either, so candidates
are the copy groups sharing that many hashes, counted through an index hash →
copy groups (0.6 s for the 22.9k-article feed, once per worker and generation).

At query time a group's hit is its best-ranked matching document; the other
matching documents of the group are the hit's members, their outlets its
``also_in``. Counting hits is counting distinct copy groups, and any page is a
slice of the copy groups in rank order: no sketch is compared per query
(comparing them per query took 6.5 s for page 100 of 100 hits).

Collapsing only changes which documents are shown: totals and facet counts
still count every matching document.
"""
from __future__ import annotations

from array import array
from collections import Counter
from operator import itemgetter

from index import fingerprint


class Group:
    """One hit: its document, the documents folded into it, and its score."""

    __slots__ = ("docnum", "members", "score")

    def __init__(self, docnum: int, score: float = 0.0):
        self.docnum = docnum
        self.members: list[int] = []  # matching docnums folded into this hit
        self.score = score


class CopyGroups:
    """docnum → group (the docnum of the group's first document); without sketches, each document is its own."""

    def __init__(self, column=None):
        self.documents: dict[int, list[int]] = {}  # group → its documents, for copy groups of several
        self.of = array("i", range(len(column))) if column is not None else None
        if column is None:
            return
        sketches = [fingerprint.unpack(c) for c in column]
        by_hash: dict[int, list[int]] = {}
        for d, sketch in enumerate(sketches):
            if not sketch:
                continue
            home = self._home(sketch, sketches, by_hash)
            if home is None:
                for h in sketch:
                    by_hash.setdefault(h, []).append(d)
            else:
                self.of[d] = home
                self.documents.setdefault(home, [home]).append(d)

    @staticmethod
    def _home(sketch, sketches, by_hash) -> int | None:
        """The first group whose first document's sketch matches ``sketch``, if any."""
        shared = Counter()
        for h in sketch:
            group = by_hash.get(h)
            if group:
                shared.update(group)
        enough = (len(sketch) + 1) // 2  # fewer shared hashes cannot reach DUPLICATE_SIMILARITY
        for group in sorted(s for s, n in shared.items() if n >= enough):
            if fingerprint.is_duplicate(sketch, sketches[group]):
                return group
        return None

    def group(self, d: int) -> int:
        return self.of[d] if self.of is not None else d

    def count(self, docs) -> int:
        """The number of copy groups among ``docs``: the hits they make."""
        if self.of is None:
            return len(docs)
        return len(set(map(self.of.__getitem__, docs)))

    def heads(self, order) -> list[int]:
        """Positions in ``order`` (ranked (docnum, score) pairs) of each group's first document, in rank order."""
        if self.of is None:
            return list(range(len(order)))
        group = list(map(self.of.__getitem__, map(itemgetter(0), order)))
        # Written last to first, each group's entry ends up holding its first position (all C loops).
        first = dict(zip(reversed(group), range(len(group) - 1, -1, -1)))
        return sorted(first.values())

    def gather(self, groups, shown) -> None:
        """Fill each group's members: the other documents of its group among ``shown``, in docnum order."""
        for g in groups:
            g.members = [m for m in self.documents.get(self.group(g.docnum), ()) if m != g.docnum and m in shown]

"""Near-duplicate collapsing: one hit per group, listing the other outlets that ran it.

Each document carries a bottom-k sketch of its body (index/fingerprint.py).
When a generation opens, its documents are put into copy groups once
(``CopyGroups``, by index/fingerprint.py's ``copy_groups``: 0.6 s for the
22.9k-article feed, once per worker and generation).

At query time a group's hit is its best-ranked matching document; the other
matching documents of the group are the hit's members, their outlets its
``also_in``. Counting hits is counting distinct copy groups, and any page is a
slice of the copy groups in rank order: no sketch is compared per query
(comparing them per query took 6.5 s for page 100 of 100 hits).

Collapsing only changes which documents are shown: totals and facet counts
still count every matching document.
"""
from __future__ import annotations

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
        self.of = None
        if column is not None:
            self.of, self.documents = fingerprint.copy_groups(column)

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

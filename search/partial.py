"""Partial matches: when every word together finds less than a page, documents with most of them follow.

``relax`` turns an all-words query into one that needs only most of its
required parts (``Or`` with a minimum number of matches), keeping any
exclusions. Hits from it are ranked after the full matches and marked
``partial``.
"""
from __future__ import annotations

from whoosh import query as wq


def needed(parts: int) -> int:
    """How many of ``parts`` required parts a partial match must have: all but a third (at least one)."""
    return max(1, parts - max(1, parts // 3))


def relax(query) -> wq.Query | None:
    """The most-of-the-words version of ``query``, or None when it has fewer than two required parts."""
    if isinstance(query, wq.AndNot):
        inner = relax(query.a)
        return wq.AndNot(inner, query.b) if inner is not None else None
    if not isinstance(query, wq.And):
        return None
    required = [q for q in query.subqueries if not isinstance(q, wq.Not)]
    excluded = [q for q in query.subqueries if isinstance(q, wq.Not)]
    if len(required) < 2:
        return None
    loose = wq.Or(required, minmatch=needed(len(required)))
    return wq.And([loose, *excluded]) if excluded else loose

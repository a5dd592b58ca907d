"""Partial matches: when every word together finds less than a page, documents with most of them follow.

``relax`` turns an all-words query into one that needs only most of its
required words (``Or`` with a minimum number of matches), keeping any
exclusions and every field restriction (``title:``, ``byline:``…: a part
that does not search the default fields) as required. Hits from it are
ranked after the full matches and marked ``partial``. (Typed outlet, section
and date filters are already out of the query: filters.py.)
"""
from __future__ import annotations

from whoosh import query as wq

from .filters import fields_of
from .parse import FIELD_BOOSTS


def needed(parts: int) -> int:
    """How many of ``parts`` required parts a partial match must have: all but a third (at least one)."""
    return max(1, parts - max(1, parts // 3))


def relax(query) -> wq.Query | None:
    """The most-of-the-words version of ``query``, or None when it has fewer than two words to relax."""
    if isinstance(query, wq.AndNot):
        inner = relax(query.a)
        return wq.AndNot(inner, query.b) if inner is not None else None
    if not isinstance(query, wq.And):
        return None
    kept = [q for q in query.subqueries if isinstance(q, wq.Not) or _restricts(q)]
    required = [q for q in query.subqueries if not isinstance(q, wq.Not) and not _restricts(q)]
    if len(required) < 2:
        return None
    loose = wq.Or(required, minmatch=needed(len(required)))
    return wq.And([loose, *kept]) if kept else loose


def _restricts(query) -> bool:
    """True for a part that names its fields (``title:oil``) rather than searching the default ones."""
    names = fields_of(query)
    return bool(names) and names != set(FIELD_BOOSTS)

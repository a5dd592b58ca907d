"""A query's every match with its score, from Whoosh's own matchers: the fallback of scoring.py.

A collector subclass overriding ``ScoredCollector._collect`` and calling
``_results``: private hooks of Whoosh 2.7.4's collectors.
"""
from __future__ import annotations

from whoosh import collectors


class ScoreEvery(collectors.ScoredCollector):
    """Keeps every match as (score, docnum) in ``items``, unsorted: the engine picks a page's worth.

    ``replace=0``: Whoosh would otherwise swap in pruned matchers that skip low-scoring matches.
    No block-quality skipping either (ScoredCollector's default).
    """

    def __init__(self):
        super().__init__(replace=0)

    def _collect(self, global_docnum, score):
        self.items.append((score, global_docnum))
        return 0 - score

    def results(self):
        return self._results(sorted(self.items, key=lambda sd: (-sd[0], sd[1])))


def score_every(searcher, query, allowed: set | None) -> tuple[set, list[tuple[float, int]]]:
    """Every document ``query`` matches within ``allowed`` (None: all) and its score, walked by Whoosh."""
    every = ScoreEvery()
    collector = collectors.FilterCollector(every, allow=allowed) if allowed is not None else every
    searcher.search_with_collector(query, collector)
    return {d for _, d in every.items}, every.items

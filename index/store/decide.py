"""Deciding a rebuild: full or incremental, and what becomes of every article — kept, added, updated, folded, removed.

Pure: these functions read the live inventory (sources.py) and what became of
each article read (``Outcome``) and return values; they start no process and
open no index, so the rules can be tested on their own (tests/test_decide.py).
build.py reads the sources, runs the workers (workers.py) and carries the
decision out.

The rules: articles already in the live generation win over new ones with the
same id or the same text; among new ones the first in source order wins; a
new article whose text equals one that stays is folded into it (recorded,
not indexed); a live article whose source no longer yields it is removed.
"""
from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..article import Article
from .sources import Inventory, Item, SourceRecord

#: The share of the live index's articles a rebuild may drop because their sources are no
#: longer given, before it stops and asks for --allow-removal.
REMOVAL_GUARD = 0.5


def why_full(full: bool, live_exists: bool, old: Inventory | None, fingerprint: str) -> str:
    """Why the rebuild must clean every source again; "" when it can be incremental."""
    if full:
        return "--full"
    if not live_exists:
        return "no live generation"
    if old is None:
        return "the live generation has no source inventory"
    if old.fingerprint != fingerprint:
        return "the reader, cleaner or schema changed since the live generation was built"
    return ""


@dataclass(frozen=True, slots=True)
class Removal:
    """The live articles a rebuild would drop because their sources are no longer given."""

    removed: int
    total: int
    sources: tuple[str, ...]  # the source files no longer given, sorted


def mass_removal(roots: list, old: Inventory) -> Removal | None:
    """The removal, when it is more than REMOVAL_GUARD of the live articles; None otherwise.

    Files deleted from a source that is still given are not counted: removing
    their articles is what a rebuild is for.
    """
    given = [os.path.abspath(r) for r in roots]
    total = sum(1 for _ in old.indexed())
    lost = {path: sum(1 for i in r.items if not i.folded_into) for path, r in old.sources.items()
            if not any(path == g or path.startswith(g.rstrip("/") + "/") for g in given)}
    removed = sum(lost.values())
    if total and removed > REMOVAL_GUARD * total:
        return Removal(removed, total, tuple(sorted(lost)))
    return None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one raw article in a worker."""

    seq: int
    id: str
    key: str = ""
    outlet: str = ""
    section: str = ""
    removed: tuple[str, ...] = ()  # the reasons of the boilerplate the cleaner removed
    worker: int = 0
    docnum: int = -1  # in the worker's segment; -1 when not indexed
    error: str = ""  # why it could not be cleaned
    #: The cleaned article, when the worker held it back instead of adding it: an earlier
    #: article of this worker has the same text key, so this one is almost surely folded into
    #: it. Adding it only to delete it would leave deletions in the generation, and Whoosh then
    #: filters every posting list at search time. In the rare case it must be indexed after all
    #: (the earlier one lost on a repeated id), the parent adds it, without cleaning it again.
    held: Article | None = None


@dataclass(frozen=True, slots=True)
class Pending:
    """An article handed to the workers: the source it came from, where in it, its raw hash."""

    source: str  # absolute path of the source file (the inventory's key)
    where: str
    hash: str


def unchanged_item(previous: dict[str, Item], raw_id: str, raw_hash: str) -> Item | None:
    """The live item an article of a re-read source still is (same id, same raw hash), or None.

    Removes it from ``previous`` (the source's live items by id), so that what is left there
    at the end is what the source no longer yields.
    """
    item = previous.get(raw_id)
    if item is not None and item.hash == raw_hash:
        del previous[raw_id]
        return item
    return None


@dataclass(frozen=True)
class Decision:
    """What a rebuild does with every article, and the counts its summary reports."""

    items: dict[str, list[Item]]  # source → items to record after those kept while reading
    skipped: dict[str, list[tuple[str, str]]]  # source → (where, reason), after the read errors
    losers: dict[int, list[int]]  # worker → docnums to delete from its segment (folded, repeated ids)
    delete: frozenset[str]  # ids to delete from the live generation
    readd: tuple[tuple[Article, str], ...]  # held articles to index after all, with their raw hash
    documents: int  # documents of the new generation
    cleaned: int
    per_outlet: dict[str, Counter] = field(default_factory=dict)  # outlet → report.COLUMNS counts
    removed_by_reason: Counter = field(default_factory=Counter)
    folded: tuple[tuple[str, str], ...] = ()  # (id, id of the identical article indexed)


def decide(unchanged: list[SourceRecord], kept: list[tuple[Item, str]], outcomes: list[Outcome],
           pending: dict[int, Pending], old: Inventory | None) -> Decision:
    """Fold duplicates and refuse repeated ids among the articles cleaned; count everything.

    ``unchanged``: the sources not read again; ``kept``: (item, source) of articles of
    re-read sources that did not change; ``outcomes``: the articles cleaned, ``pending``
    saying where each came from; ``old``: the live inventory an incremental rebuild
    starts from (None for a full one).
    """
    per_outlet: dict[str, Counter] = defaultdict(Counter)
    taken_ids: dict[str, str] = {}  # id → the source it is indexed from
    taken_keys: dict[str, str] = {}  # text key → id
    for record in unchanged:
        for item in record.items:
            if not item.folded_into:
                taken_ids[item.id], taken_keys[item.key] = record.path, item.id
                per_outlet[item.outlet]["unchanged"] += 1
    for item, source in kept:
        taken_ids[item.id], taken_keys[item.key] = source, item.id
        per_outlet[item.outlet]["unchanged"] += 1
    old_ids = {i.id: i for i in old.indexed()} if old else {}
    delete = frozenset(set(old_ids) - set(taken_ids))
    items, skipped = defaultdict(list), defaultdict(list)
    losers, readd, folded = defaultdict(list), [], []
    cleaned, removed_by_reason = 0, Counter()
    for o in sorted(outcomes, key=lambda o: o.seq):
        source, where, raw_hash = pending[o.seq].source, pending[o.seq].where, pending[o.seq].hash
        if o.error:
            skipped[source].append((where, o.error))
            continue
        cleaned += 1
        removed_by_reason.update(o.removed)
        if o.id in taken_ids:
            if o.held is None:
                losers[o.worker].append(o.docnum)
            skipped[source].append((where, f"duplicate id {o.id!r}: already indexed from {taken_ids[o.id]}"))
            continue
        if o.key in taken_keys:
            if o.held is None:
                losers[o.worker].append(o.docnum)
            items[source].append(Item(o.id, raw_hash, o.key, o.outlet, o.section, taken_keys[o.key]))
            folded.append((o.id, taken_keys[o.key]))
            per_outlet[o.outlet]["folded"] += 1
            continue
        if o.held is not None:
            readd.append((o.held, raw_hash))
        taken_ids[o.id], taken_keys[o.key] = where, o.id
        items[source].append(Item(o.id, raw_hash, o.key, o.outlet, o.section))
        per_outlet[o.outlet]["updated" if o.id in old_ids else "indexed"] += 1
    for gone in set(old_ids) - set(taken_ids):
        per_outlet[old_ids[gone].outlet]["removed"] += 1
    for counts in per_outlet.values():
        counts["documents"] = counts["unchanged"] + counts["indexed"] + counts["updated"]
    return Decision(dict(items), dict(skipped), dict(losers), delete, tuple(readd), len(taken_ids), cleaned,
                    dict(per_outlet), removed_by_reason, tuple(folded))

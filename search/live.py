"""The live index as one process sees it: a searcher plus what is derived from it once.

A ``LiveIndex`` is opened lazily, in the process that uses it (a searcher
shared across forked web workers corrupted reads in 7 of 8 workers when
tried), reused for every request (a new searcher per query costs ~100 ms),
and replaced when CURRENT names a new generation. Checking costs one
``stat`` of the CURRENT pointer per request: it is rewritten by rename, so a
new generation always changes its inode or mtime.

Alongside the searcher it keeps, built once at open: facet ordinals
(facets.py), sort ranks for newest/oldest, near-duplicate copy groups
(collapse.py), and a small cache of filter document sets. Callers ask it
questions about documents (``article_id``, ``outlet_of``, ``id_ranks``,
``date_key``, ``facet_counts``, ``column``) rather than reaching into those
arrays, so how they are held can change in one place.
"""
from __future__ import annotations

import os
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from whoosh import index as whoosh_index

from index.store import generations
from index import schema as f

from . import collapse, facets, ranking, suggest
from . import integrity
from .fast import matching, scoring
from .stories import StoryIndex
from .cache import LRUCache
from .errors import IndexUnavailable

FILTER_CACHE_SIZE = 64  # distinct filter combinations kept per searcher
#: Seconds a generation that failed to open is not tried again while CURRENT stays the same:
#: opening a broken one reads as much as opening a good one, and every request would pay it.
RETRY_BROKEN_S = 10.0
UNDATED = 1 << 30  # sort rank of an article without a date: after every dated one, newest or oldest


class LiveIndex:
    """One opened generation: its searcher and per-searcher data. Read-only after construction."""

    def __init__(self, path: Path):
        self.path = path
        self.generation = path.name
        self.searcher = None
        try:
            self.ix = whoosh_index.open_dir(str(path))
            self.searcher = self.ix.searcher(weighting=ranking.weighting())
            integrity.check(self.searcher.reader())
            self.schema = self.ix.schema
            self.doc_count = self.searcher.doc_count()
            # Columns are read whole through a reader of their own, closed at once: Whoosh keeps column
            # files open until its reader closes, and a searcher dropped without close() would leak them.
            reader = self.ix.reader()
            try:
                self._ordinals = facets.load(reader)
                fingerprints = (list(reader.column_reader(f.FINGERPRINT))
                                if f.FINGERPRINT in self.schema and reader.has_column(f.FINGERPRINT) else None)
                size = reader.doc_count_all()
            finally:
                reader.close()
            self.copies = collapse.CopyGroups(fingerprints)  # near-duplicate copy groups, for collapsing
        except Exception as exc:  # a corrupt, truncated or half-deleted generation: Whoosh raises anything
            if self.searcher is not None:
                self.searcher.close()
            raise IndexUnavailable(
                f"the index at {path} cannot be read ({type(exc).__name__}: {exc}) — "
                "run `python -m index rebuild`") from None
        self._newest_rank, self._oldest_rank = self._date_ranks(size)
        self._filters = LRUCache(FILTER_CACHE_SIZE)
        self._words_lock = threading.Lock()  # the word list is read once, by one thread
        self._words: Mapping[str, int] | None = None
        self._stories: StoryIndex | None = None
        self.terms = matching.TermDocs(self.searcher)
        #: postings block indexes, keyed (segment number, field, word): highlighting reads character
        #: offsets through them, phrase matching positions (postings.py)
        self.blocks = LRUCache(scoring.BLOCK_INDEX_SIZE)
        self.scores = scoring.TermScores(self.searcher, self.blocks)  # exact BM25F, per-word scores cached

    def _date_ranks(self, size: int) -> tuple[array, array]:
        """docnum → position when sorted newest-first / oldest-first, ties by id; undated last in both."""
        days = self._ordinals.get(f.DAY)
        ids = self._ordinals.get(f.ID)
        newest, oldest = array("i", [UNDATED]) * size, array("i", [UNDATED]) * size
        if days is None or ids is None:
            return newest, oldest
        dated = [d for d in range(size) if days.by_doc[d] != facets.NONE]
        id_of, day_of = ids.by_doc, days.by_doc
        for rank, d in enumerate(sorted(dated, key=lambda d: (-day_of[d], id_of[d]))):
            newest[d] = rank
        for rank, d in enumerate(sorted(dated, key=lambda d: (day_of[d], id_of[d]))):
            oldest[d] = rank
        # Undated documents follow in id order.
        for rank, d in enumerate(sorted((d for d in range(size) if day_of[d] == facets.NONE),
                                        key=id_of.__getitem__)):
            newest[d] = oldest[d] = UNDATED + rank
        return newest, oldest

    def words(self) -> Mapping[str, int]:
        """The did-you-mean word list (suggest.vocabulary), read on first use: most processes never need it."""
        if self._words is None:
            with self._words_lock:
                if self._words is None:
                    self._words = suggest.vocabulary(self.path)
        return self._words

    def stories(self) -> StoryIndex:
        """The generation's stories (search/stories.py), read on first use (reading twice is harmless)."""
        if self._stories is None:
            self._stories = StoryIndex.load(self.path)
        return self._stories

    # -- what a document is --------------------------------------------
    def article_id(self, docnum: int) -> str:
        """The article id of a live document."""
        ids = self._ordinals[f.ID]
        return ids.values[ids.by_doc[docnum]]

    def outlet_of(self, docnum: int) -> str | None:
        """The document's outlet, or None when it has none."""
        outlets = self._ordinals[f.OUTLET]
        ordinal = outlets.by_doc[docnum]
        return None if ordinal == facets.NONE else outlets.values[ordinal]

    def id_ranks(self, docnums: Iterable[int]) -> Iterator[int]:
        """Each document's position in article-id order (ties in a ranking are broken by it), lazily,
        in a C loop: a Python call per match cost 30 ms for the 18k matches of a common word."""
        return map(self._ordinals[f.ID].by_doc.__getitem__, docnums)

    def date_key(self, oldest: bool = False) -> Callable[[int], int]:
        """docnum → position when sorted newest first (``oldest``: oldest first), ties by article id,
        undated documents last: a sort key for ranking by date."""
        return (self._oldest_rank if oldest else self._newest_rank).__getitem__

    def column(self, fieldname: str) -> facets.Ordinals:
        """An exact-value field (outlet, section, month, day, id) as docnum → ordinal → value
        (facets.Ordinals), for counting over many documents at once."""
        return self._ordinals[fieldname]

    def facet_counts(self, docnums, single_month: str | None) -> dict:
        """The ``facets`` of a response over ``docnums`` (facets.count_facets)."""
        return facets.count_facets(self._ordinals, docnums, single_month)

    def filter_values(self, name: str) -> tuple[str, ...]:
        """Every value the ``outlet`` or ``section`` filter can take in this generation."""
        return tuple(self._ordinals[facets.FACET_FIELDS[name]].values)

    def all_docs(self) -> set:
        """Every live (undeleted) docnum, for a request with filters only or nothing at all."""
        return set(self.terms.all())

    def filter_docs(self, key, build) -> set | None:
        """The set of docnums a filter allows, computed by ``build()`` once per distinct ``key``."""
        if key is None:
            return None
        return self.memo(("filter", key), build)

    def memo(self, key, build):
        """``build()``, computed once per ``key`` for this searcher (an LRU of FILTER_CACHE_SIZE entries)."""
        docs = self._filters.get(key)
        if docs is None:
            docs = build()
            self._filters.put(key, docs)
        return docs

    def close(self) -> None:
        if self.searcher is not None and not self.searcher.is_closed:
            self.searcher.close()

    def __del__(self):
        # An engine dropped without close() (a test's app, a script) must not leak Whoosh's open files.
        try:
            self.close()
        except Exception:  # interpreter shutdown or a half-built LiveIndex: nothing left to close
            pass


class LiveTracker:
    """Follows CURRENT for one index directory, per process: returns the LiveIndex to use now."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._pid = None
        self._pointer = None  # (inode, mtime_ns, size) of CURRENT when last read
        self._live: LiveIndex | None = None
        self._retired: LiveIndex | None = None  # closed one switch later: a thread may still be using it
        #: (CURRENT's pointer, generation name, the error, when) of the last generation that failed to open
        self._broken: tuple | None = None

    def close(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                for live in (self._live, self._retired):
                    if live is not None:
                        live.close()
            self._live = self._retired = self._pointer = None

    def current(self) -> LiveIndex:
        try:
            st = os.stat(self.index_dir / generations.CURRENT)
            pointer = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            pointer = None
        live = self._live
        if live is not None and pointer is not None and pointer == self._pointer and self._pid == os.getpid():
            return live
        with self._lock:
            if self._pid != os.getpid():
                # Forked: never use (or close) the parent's searcher; open our own.
                self._live, self._retired, self._pointer, self._pid = None, None, None, os.getpid()
            try:
                path = generations.live_generation(self.index_dir)
            except generations.NoIndex as exc:
                raise IndexUnavailable(str(exc)) from None
            except (OSError, ValueError) as exc:  # CURRENT is a directory, binary garbage, unreadable
                raise IndexUnavailable(
                    f"the index pointer {self.index_dir / generations.CURRENT} cannot be read "
                    f"({type(exc).__name__}) — run `python -m index rebuild`") from None
            if self._live is None or self._live.generation != path.name:
                fresh = self._open(path, pointer)
                if self._retired is not None:
                    self._retired.close()
                self._retired, self._live = self._live, fresh
            self._pointer = pointer
            return self._live

    def _open(self, path: Path, pointer) -> LiveIndex:
        """``LiveIndex(path)``, or the error it raised moments ago for the same CURRENT (see RETRY_BROKEN_S)."""
        broken = self._broken
        if (broken is not None and pointer is not None and broken[:2] == (pointer, path.name)
                and time.monotonic() - broken[3] < RETRY_BROKEN_S):
            raise IndexUnavailable(broken[2]) from None  # a fresh one: re-raising would grow its traceback
        try:
            live = LiveIndex(path)
        except IndexUnavailable as exc:
            self._broken = (pointer, path.name, exc.message, time.monotonic())
            raise
        self._broken = None
        return live

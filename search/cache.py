"""A small thread-safe LRU cache: the one used for results, filter sets, word postings and responses.

gunicorn may run threaded workers (LEDE_THREADS), so every get and put holds a lock; the value
is built outside the lock by the caller, which may race to build the same entry twice — harmless,
as entries are pure functions of their key.
"""
from __future__ import annotations

import threading
from collections import OrderedDict


class LRUCache:
    """Holds at most ``size`` entries — or, when entries are put with a ``cost`` (say, the postings a
    word's scores hold), at most ``size`` in total cost; the least recently used go first."""

    def __init__(self, size: int):
        self.size = size
        self.held = 0  # total cost of the entries held
        self._entries: OrderedDict = OrderedDict()  # key → (value, cost)
        self._lock = threading.Lock()

    def get(self, key):
        """The value for ``key`` (marking it recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value, cost: int = 1) -> None:
        """Keep ``value``; one costing more than the whole cache is not kept."""
        if cost > self.size:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.held -= old[1]
            self._entries[key] = (value, cost)
            self.held += cost
            while self.held > self.size:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.held -= dropped

    def __len__(self) -> int:
        return len(self._entries)

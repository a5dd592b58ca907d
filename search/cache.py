"""A small thread-safe LRU cache: the one used for results, filter sets, word postings and responses.

gunicorn may run threaded workers (LEDE_THREADS), so every get and put holds a lock; the value
is built outside the lock by the caller, which may race to build the same entry twice — harmless,
as entries are pure functions of their key.
"""
from __future__ import annotations

import threading
from collections import OrderedDict


class LRUCache:
    def __init__(self, size: int):
        self.size = size  # entries kept; the least recently used go first
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        """The value for ``key`` (marking it recently used), or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

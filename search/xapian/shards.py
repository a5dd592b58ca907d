"""The shard servers a Xapian engine reads: addresses, connections, health, and what "down" means.

``LEDE_XAPIAN_SHARDS=host:port,host:port,…`` names one ``xapian-tcpsrv`` per shard. A search runs on
one ``xapian.Database`` holding every shard's remote database (Xapian combines their statistics, so
BM25 sees the whole collection). Connections are per thread (a Xapian database is not thread-safe)
and renewed every REFRESH seconds: ``xapian-tcpsrv`` opens its database per connection, so a renewed
connection reads the generation the shard writer made live (index/shards/write.py).

A shard that refuses the connection, or does not answer within the timeout, is down. Then a search
is a 503 naming it (ShardUnavailable), or — with ``LEDE_XAPIAN_PARTIAL=1`` — answered from the
other shards, the down ones listed in the response's ``partial_shards``.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import xapian

from index.shards import layout

from ..errors import IndexUnavailable

TIMEOUT_MS = 2000  # per shard: connecting, and each answer (LEDE_XAPIAN_TIMEOUT_MS)
REFRESH = 5.0  # seconds a connection is kept before it is renewed (a new generation is seen by then)


class ShardUnavailable(IndexUnavailable):
    """One or more shards are down (and partial answers are off, or every shard is down)."""

    code = "shard_unavailable"

    def __init__(self, down: dict[str, str]):
        names = ", ".join(f"{name} ({why})" for name, why in sorted(down.items()))
        super().__init__(f"shard{'s' if len(down) > 1 else ''} down: {names} — start the shard server "
                         "(xapian-tcpsrv), or set LEDE_XAPIAN_PARTIAL=1 to answer from the others")
        self.down = tuple(sorted(down))


@dataclass(frozen=True)
class Shard:
    host: str
    port: int

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"

    def open(self, timeout_ms: int):
        """This shard's remote database; raises xapian.Error when it does not answer."""
        return xapian.remote_open(self.host, self.port, timeout_ms, timeout_ms)


def parse_shards(text: str) -> list[Shard]:
    """``host:port,host:port`` as Shards; IndexUnavailable naming the setting when it is unusable."""
    shards = []
    for part in (p.strip() for p in (text or "").split(",")):
        host, _, port = part.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise IndexUnavailable(f"LEDE_XAPIAN_SHARDS must list host:port pairs separated by commas, "
                                   f"not {text!r}")
        shards.append(Shard(host, int(port)))
    return shards


class Snapshot:
    """One connection to every shard that answered: the combined database and what it holds."""

    def __init__(self, db, generation: str, down: dict[str, str], per_shard: dict, kept: dict):
        self.db, self.generation, self.down, self.per_shard = db, generation, down, per_shard
        self.opened = time.monotonic()
        self._kept = kept  # the ShardSet's values of this generation, shared by every snapshot of it

    def memo(self, key, build):
        """``build()`` once per generation and set of shards answering (outlet names, the did-you-mean
        words: reading them takes a second on 23k articles, and connections are renewed every few seconds)."""
        key = (self.generation, tuple(sorted(self.down)), key)
        if key not in self._kept:
            if any(k[0] != self.generation for k in list(self._kept)):
                self._kept.clear()  # a new generation: the old one's values are not needed again
            self._kept[key] = build()
        return self._kept[key]


class ShardSet:
    """The shards, and this process's current snapshot of them (one per thread)."""

    def __init__(self, shards: list[Shard], partial: bool = False, timeout_ms: int = TIMEOUT_MS,
                 refresh: float = REFRESH):
        self.shards, self.partial, self.timeout_ms, self.refresh = shards, partial, timeout_ms, refresh
        self._local = threading.local()
        self._kept: dict = {}  # Snapshot.memo's values

    def current(self) -> Snapshot:
        """This thread's snapshot, renewed when older than ``refresh`` seconds. Until then a shard that
        went down is noticed by the first search that needs it (a repeated search answered from a
        cache of the same generation does not: its answer is still the whole collection's)."""
        snapshot = getattr(self._local, "snapshot", None)
        if snapshot is None or time.monotonic() - snapshot.opened > self.refresh:
            snapshot = self._local.snapshot = self.open()
        return snapshot

    def forget(self) -> None:
        """Drop this thread's snapshot: the next search connects again (after a shard failed mid-search)."""
        snapshot = getattr(self._local, "snapshot", None)
        self._local.snapshot = None
        if snapshot is not None:
            snapshot.db.close()

    def open(self) -> Snapshot:
        """Connect to every shard; ShardUnavailable when one is down and partial answers are off."""
        db, down, per_shard, generations = xapian.Database(), {}, {}, set()
        for shard in self.shards:
            try:
                one = shard.open(self.timeout_ms)
                generation = one.get_metadata(layout.GENERATION_KEY).decode("utf-8")
                per_shard[shard.name] = {"documents": one.get_doccount(), "generation": generation}
            except xapian.Error as exc:
                down[shard.name] = _reason(exc)
                continue
            generations.add(generation)
            db.add_database(one)
        if down and (not self.partial or len(down) == len(self.shards)):
            raise ShardUnavailable(down)
        if len(generations) > 1:  # connected across a switch: the next connection sees one generation
            raise IndexUnavailable(f"the shards hold different generations ({', '.join(sorted(generations))}) "
                                   "— a rebuild is switching them; retry")
        return Snapshot(db, generations.pop() if generations else "", down, per_shard, self._kept)

    def health(self) -> list[dict]:
        """Each shard's state, as /healthz reports it."""
        report = []
        for shard in self.shards:
            try:
                one = shard.open(self.timeout_ms)
                report.append({"shard": shard.name, "status": "ok", "documents": one.get_doccount(),
                               "generation": one.get_metadata(layout.GENERATION_KEY).decode("utf-8")})
                one.close()
            except xapian.Error as exc:
                report.append({"shard": shard.name, "status": "down", "message": _reason(exc)})
        return report


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.split(" (context:")[0][:200]

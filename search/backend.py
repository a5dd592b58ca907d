"""Which backend answers searches, decided in one place from the environment.

``LEDE_BACKEND``: ``whoosh`` (the default: the embedded index under the index directory) or
``xapian``: remote Xapian shards named by ``LEDE_XAPIAN_SHARDS=host:port,host:port,…``, with
``LEDE_XAPIAN_PARTIAL=1`` to answer from the shards that are up when some are down, and
``LEDE_XAPIAN_TIMEOUT_MS`` the per-shard timeout. Both engines have the same public methods;
nothing above search/ knows which one it holds. The Xapian bindings are imported only when asked
for (the ``xapian`` extra), so ``make run`` needs Whoosh alone.
"""
from __future__ import annotations

import os
from pathlib import Path

from .engine import Engine
from .errors import IndexUnavailable

BACKENDS = ("whoosh", "xapian")
TRUE_WORDS = ("1", "true", "yes", "on")


def open_engine(index_dir: Path, environ=None):
    """The engine ``LEDE_BACKEND`` names over ``index_dir`` (or the shards); ValueError for an unknown one."""
    environ = os.environ if environ is None else environ
    backend = (environ.get("LEDE_BACKEND") or BACKENDS[0]).strip().lower()
    if backend not in BACKENDS:
        raise ValueError(f"LEDE_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "whoosh":
        return Engine(index_dir)
    try:
        from .xapian.engine import XapianEngine
        from .xapian.shards import TIMEOUT_MS, ShardSet, parse_shards
    except ImportError as exc:
        raise ValueError(f"LEDE_BACKEND=xapian needs the Xapian bindings: pip install '.[xapian]' ({exc})") from None
    try:
        shards = parse_shards(environ.get("LEDE_XAPIAN_SHARDS", ""))
    except IndexUnavailable as exc:
        raise ValueError(exc.message) from None
    partial = (environ.get("LEDE_XAPIAN_PARTIAL") or "").strip().lower() in TRUE_WORDS
    timeout = environ.get("LEDE_XAPIAN_TIMEOUT_MS") or ""
    timeout_ms = int(timeout) if timeout.isdigit() and int(timeout) > 0 else TIMEOUT_MS
    return XapianEngine(ShardSet(shards, partial=partial, timeout_ms=timeout_ms), index_dir)

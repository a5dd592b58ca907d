"""Real ``xapian-tcpsrv`` shard servers for the Xapian tests (tests/test_xapian*.py): bench/shard_servers.py's,
skipping the test when the bindings or the server are not installed."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench import shard_servers

pytest.importorskip("xapian", reason="the Xapian bindings (pip install '.[xapian]') are not installed")


def start_servers(paths: list[Path]) -> shard_servers.ShardServers:
    if shard_servers.TCPSRV is None:
        pytest.skip("xapian-tcpsrv is not installed (Debian: apt-get install xapian-tools)")
    return shard_servers.ShardServers(paths)

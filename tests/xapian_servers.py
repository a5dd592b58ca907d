"""Real ``xapian-tcpsrv`` shard servers on 127.0.0.1 for the Xapian tests (tests/test_xapian*.py).

Each server runs in its own session (``start_new_session``): a signal to one — the tests kill one
on purpose — must not reach the others or pytest. Servers are stopped by their PID.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import free_port

xapian = pytest.importorskip("xapian", reason="the Xapian bindings (pip install '.[xapian]') are not installed")

TCPSRV = shutil.which("xapian-tcpsrv")


class ShardServers:
    """One read-only ``xapian-tcpsrv`` per shard path; ``env`` is what LEDE_XAPIAN_SHARDS names them by."""

    def __init__(self, paths: list[Path]):
        if TCPSRV is None:
            pytest.skip("xapian-tcpsrv is not installed (Debian: apt-get install xapian-tools)")
        self.paths = list(paths)
        self.ports = [free_port() for _ in self.paths]
        self.procs = [self._start(path, port) for path, port in zip(self.paths, self.ports)]
        for port in self.ports:
            _wait(port)

    @staticmethod
    def _start(path: Path, port: int) -> subprocess.Popen:
        return subprocess.Popen([TCPSRV, "--interface", "127.0.0.1", "--port", str(port), str(path)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    @property
    def addresses(self) -> list[str]:
        return [f"127.0.0.1:{port}" for port in self.ports]

    @property
    def env(self) -> str:
        return ",".join(self.addresses)

    def restart(self, k: int) -> None:
        """Start shard ``k``'s server again, on its port."""
        self.procs[k] = self._start(self.paths[k], self.ports[k])
        _wait(self.ports[k])

    def kill(self, k: int) -> None:
        """Stop shard ``k`` now, as a crashed machine would: SIGKILL to its server's own process group
        (its PID: the server and the child it forked for each open connection)."""
        _signal_group(self.procs[k], signal.SIGKILL)
        self.procs[k].wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM to each server's process group (its connection children too), by the server's PID."""
        for proc in self.procs:
            _signal_group(proc, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait(timeout=10)


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    """``signum`` to the process group the server leads (gone already: nothing to do)."""
    try:
        os.killpg(proc.pid, signum)
    except ProcessLookupError:
        pass


def _wait(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            xapian.remote_open("127.0.0.1", port, 1000, 1000).close()
            return
        except xapian.Error:
            if time.monotonic() > deadline:
                raise RuntimeError(f"xapian-tcpsrv on port {port} did not answer within {timeout} s")
            time.sleep(0.05)

"""Real ``xapian-tcpsrv`` shard servers on 127.0.0.1, for the benchmarks and the tests.

Each server runs in its own session (``start_new_session``): a signal to one — the tests kill one
on purpose — must not reach the others, pytest or the benchmark. Servers are stopped through their
PID's process group (the server and the child it forks for each open connection).
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

TCPSRV = shutil.which("xapian-tcpsrv")
START_TIMEOUT_S = 10


class NoShardServer(RuntimeError):
    """xapian-tcpsrv is not installed, or a server did not start."""


class ShardServers:
    """One read-only ``xapian-tcpsrv`` per shard path; ``env`` is what LEDE_XAPIAN_SHARDS names them by."""

    def __init__(self, paths: list[Path]):
        if TCPSRV is None:
            raise NoShardServer("xapian-tcpsrv is not installed (Debian's xapian-tools: `make xapian`)")
        self.paths = list(paths)
        self.ports = [free_port() for _ in self.paths]
        self.procs = [self._start(path, port) for path, port in zip(self.paths, self.ports)]
        try:
            for port in self.ports:
                wait(port)
        except BaseException:
            self.stop()
            raise

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
        wait(self.ports[k])

    def kill(self, k: int) -> None:
        """Stop shard ``k`` now, as a crashed machine would (SIGKILL to its process group)."""
        signal_group(self.procs[k], signal.SIGKILL)
        self.procs[k].wait(timeout=10)

    def stop(self) -> None:
        stop_groups(self.procs)


def stop_groups(procs: list[subprocess.Popen]) -> None:
    """SIGTERM to each process's group; once the leader is gone (or after a grace period), SIGKILL to
    what is left of the group: a connection child forked as the signal arrived outlives its server."""
    for proc in procs:
        signal_group(proc, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        signal_group(proc, signal.SIGKILL)
        proc.wait(timeout=10)


def signal_group(proc: subprocess.Popen, signum: int) -> None:
    """``signum`` to the process group ``proc`` leads (gone already: nothing to do)."""
    try:
        os.killpg(proc.pid, signum)
    except ProcessLookupError:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(port: int, timeout: float = START_TIMEOUT_S) -> None:
    """Until the shard server on ``port`` answers a connection (NoShardServer after ``timeout`` s)."""
    import xapian

    deadline = time.monotonic() + timeout
    while True:
        try:
            xapian.remote_open("127.0.0.1", port, 1000, 1000).close()
            return
        except xapian.Error:
            if time.monotonic() > deadline:
                raise NoShardServer(f"xapian-tcpsrv on port {port} did not answer within {timeout} s") from None
            time.sleep(0.05)

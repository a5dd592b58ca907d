"""A Dask scheduler and workers on 127.0.0.1 for the shard rebuild's ``--scheduler`` path, in one
``with``: bench/rebuild.py times rebuilds on it, tests/test_xapian_cluster.py checks its output.

Each process runs in its own session and is stopped through its PID's process group (SIGTERM, then
SIGKILL after a grace period), whatever happens inside the ``with``.
"""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shard_servers import free_port, stop_groups  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DASK = str(Path(sys.executable).parent / "dask")
START_TIMEOUT_S = 60


@contextmanager
def local_cluster(workers: int = 2):
    """Yields ``tcp://127.0.0.1:port`` once ``workers`` single-threaded workers have joined."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    common = dict(cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              **common)]
    try:
        procs += [subprocess.Popen([DASK, "worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                                    "--nthreads", "1", "--no-dashboard"], **common) for _ in range(workers)]
        with Client(address, timeout=START_TIMEOUT_S, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=START_TIMEOUT_S)
        yield address
    finally:
        stop_groups(procs)

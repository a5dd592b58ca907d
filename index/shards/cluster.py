"""The shard rebuild's cleaning on a Dask cluster (``--scheduler tcp://host:port``), or on this
machine's cores (``--jobs``).

Cleaning is most of a rebuild's time and needs nothing but the raw article, so it is what the
cluster does: the rebuild reads the sources, sends the changed raw articles to the workers in
batches, and gets the same Articles back in the same order (clean.py is deterministic), then folds,
groups and writes the shards itself. Workers need Lede installed (``pip install '.[cluster]'``) — the
same code as the rebuild, or the Articles could differ.
"""
from __future__ import annotations

from index.extract.clean import clean

BATCH = 50  # raw articles per task: big enough that scheduling is a small share of the work
CONNECT_SECONDS = 10


class ClusterUnavailable(Exception):
    """The scheduler could not be reached, or the Dask client is not installed."""


def clean_batch(raws: list) -> list:
    """What a worker runs: the cleaned Articles of a batch of raw articles, in order."""
    return [clean(raw) for raw in raws]


def local_cleaner(jobs: int):
    """A ``clean_all(raws) → [Article]`` that cleans in ``jobs`` processes of this machine."""
    from concurrent.futures import ProcessPoolExecutor

    def clean_all(raws: list) -> list:
        batches = [raws[i:i + BATCH] for i in range(0, len(raws), BATCH)]
        with ProcessPoolExecutor(jobs) as pool:
            return [article for batch in pool.map(clean_batch, batches) for article in batch]

    return clean_all


def cleaner(address: str):
    """A ``clean_all(raws) → [Article]`` that cleans on the cluster whose scheduler is at ``address``."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterUnavailable("--scheduler needs Dask's client: pip install '.[cluster]'") from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(f"no Dask scheduler answered at {address} ({exc}) — start one "
                                 "(`dask scheduler`) and its workers, or drop --scheduler to clean here") from None

    def clean_all(raws: list) -> list:
        try:
            batches = [raws[i:i + BATCH] for i in range(0, len(raws), BATCH)]
            return [article for batch in client.gather(client.map(clean_batch, batches, pure=False))
                    for article in batch]
        finally:
            client.close()

    return clean_all

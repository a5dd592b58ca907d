"""The shard rebuild on a real Dask cluster (a scheduler and two workers on 127.0.0.1) writes the
same shards as a local rebuild."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from bench.local_cluster import local_cluster
from conftest import SEEDS, SHARED_DATA, free_port
from index.shards import write
from index.shards.cluster import ClusterUnavailable, cleaner

xapian = pytest.importorskip("xapian", reason="the Xapian bindings are not installed")
pytest.importorskip("distributed", reason="Dask's distributed is not installed (pip install '.[cluster]')")

pytestmark = pytest.mark.xapian


@pytest.fixture(scope="module")
def scheduler():
    """A scheduler with two single-threaded workers on 127.0.0.1, each in its own session."""
    with local_cluster(workers=2) as address:
        yield address


def contents(index_dir: Path, shards: int) -> list[dict]:
    """Each shard's documents: id → (data, terms with wdf and positions, values)."""
    found = []
    for path in write.shard_paths(index_dir, shards):
        db = xapian.Database(str(path))
        docs = {}
        for post in db.postlist(""):
            doc = db.get_document(post.docid)
            data = json.loads(doc.get_data())
            terms = [(t.term, t.wdf, list(db.positionlist(post.docid, t.term))) for t in doc.termlist()]
            docs[data["article"]["id"]] = (data, terms, [(v.num, v.value) for v in doc.values()])
        found.append(docs)
        db.close()
    return found


def test_a_rebuild_on_dask_writes_the_same_shards_as_a_local_one(scheduler, tmp_path):
    sources = [SEEDS]
    bbc = SHARED_DATA / "bbc-news" / "tech"
    if bbc.is_dir():  # a sample of real articles too, when ../shared is beside the checkout
        (tmp_path / "bbc").mkdir()
        for path in sorted(bbc.glob("*.txt"))[:60]:
            shutil.copy(path, tmp_path / "bbc" / path.name)
        sources.append(tmp_path / "bbc")
    local = write.rebuild(sources, tmp_path / "local", 3)
    started = time.monotonic()
    remote = write.rebuild(sources, tmp_path / "dask", 3, clean_all=cleaner(scheduler))
    assert time.monotonic() - started < 60
    assert (remote.documents, remote.cleaned, remote.per_shard) == (local.documents, local.cleaned, local.per_shard)
    assert contents(tmp_path / "dask", 3) == contents(tmp_path / "local", 3)


def test_no_scheduler_is_a_clear_error():
    with pytest.raises(ClusterUnavailable, match="no Dask scheduler answered"):
        cleaner(f"tcp://127.0.0.1:{free_port()}")

"""Relevance of the Xapian backend beside the Whoosh backend: the same collections, queries and measures.

    .venv/bin/python bench/xapian_relevance.py            # TIME and Cranfield, prints a table

The collections and measures are bench/relevance.py's (nDCG@10 and MAP@100 over ../shared/data/ir).
Whoosh: the shipped ranking, as relevance.py measures it (BM25F per field, RM3 feedback for
``match=any``). Xapian: the same Articles written into three shards (index/shards/), served by three
``xapian-tcpsrv`` on 127.0.0.1 (each in its own session, stopped by PID), each query ranked as the
Xapian engine ranks it (``engine.matches``: every match with its BM25 weight, ties by id).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import relevance  # noqa: E402
from bench.shard_servers import ShardServers  # noqa: E402
from index.article import Article, Paragraph  # noqa: E402
from index.shards import write  # noqa: E402
from search import SearchRequest  # noqa: E402
from search.xapian.engine import XapianEngine  # noqa: E402
from search.xapian.shards import Shard, ShardSet  # noqa: E402

SHARDS = 3
DEPTH = relevance.DEFAULT_DEPTH


def xapian_runs(docs, queries, workdir: Path) -> tuple[dict, float]:
    articles = [(Article(id=doc_id, title=title, outlet="Collection", section="All",
                         paragraphs=(Paragraph("body", text),)), "") for doc_id, (title, text) in docs.items()]
    target = workdir / "shards"
    target.mkdir()
    write.write_shards(target, articles, write.copy_groups(articles), SHARDS)
    servers = ShardServers([target / write.shard_name(k) for k in range(SHARDS)])
    try:
        engine = XapianEngine(ShardSet([Shard("127.0.0.1", port) for port in servers.ports]), workdir)
        runs, started = {}, time.perf_counter()
        for qid, text in queries.items():
            request = SearchRequest(q=" ".join(relevance.words(text)), match="any", collapse=False)
            view, _, scored = engine.matches(request)
            ids = view.ordinals["id"]
            ranked = sorted(scored or [], key=lambda sd: (-sd[0], ids.by_doc[sd[1]]))[:DEPTH]
            runs[qid] = [ids.values[ids.by_doc[d]] for _, d in ranked]
        engine.close()
        return runs, (time.perf_counter() - started) * 1000 / max(1, len(queries))
    finally:
        servers.stop()


def main() -> int:
    print(f"{'collection':<10} {'docs':>5} {'queries':>7}  {'system':<44} {'nDCG@10':>8} {'MAP@100':>8} {'ms/query':>9}")
    for name, (folder, reader) in relevance.COLLECTIONS.items():
        root = relevance.DATA / folder
        if not root.exists():
            print(f"{root} not present: this benchmark needs ../shared/data/ir", file=sys.stderr)
            return 1
        docs, queries, qrels = reader(root)
        judged = sum(1 for q in queries if qrels.get(q))
        rows = []
        with tempfile.TemporaryDirectory(prefix="lede-xrel-") as tmp:
            relevance.build_collection(docs, Path(tmp))
            runs, ms = relevance.lede_runs(Path(tmp), queries, DEPTH)
            rows.append(("Whoosh backend (BM25F, RM3)", (*relevance.evaluate(runs, qrels)[:2], ms)))
        with tempfile.TemporaryDirectory(prefix="lede-xrel-") as tmp:
            runs, ms = xapian_runs(docs, queries, Path(tmp))
            rows.append((f"Xapian backend ({SHARDS} remote shards, BM25)", (*relevance.evaluate(runs, qrels)[:2], ms)))
        for system, (n, m, ms) in rows:
            print(f"{name:<10} {len(docs):>5} {judged:>7}  {system:<44} {n:>8.4f} {m:>8.4f} {ms:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

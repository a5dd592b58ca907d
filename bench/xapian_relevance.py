"""Relevance of the Xapian backend beside the Whoosh backend: the same collections, queries and measures.

    .venv/bin/python bench/xapian_relevance.py            # TIME and Cranfield, prints a table
    .venv/bin/python bench/xapian_relevance.py --grid     # and K1 cross-validated for Xapian

The collections and measures are bench/relevance.py's (nDCG@10 and MAP@100 over ../shared/data/ir).
Whoosh: the shipped ranking, as relevance.py measures it (BM25F per field, RM3 feedback for
``match=any``). Xapian: the same Articles written into three shards (index/shards/), served by three
``xapian-tcpsrv`` on 127.0.0.1 (each in its own session, stopped by PID), each query ranked as the
Xapian engine ranks it (``engine.matches``: every match with its BM25F weight — each field's length
normalisation baked into the term weights, layout.py —, ties by id).
"""
from __future__ import annotations

import argparse
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
from search import SearchRequest, ranking  # noqa: E402
from search.xapian.engine import XapianEngine  # noqa: E402
from search.xapian.shards import Shard, ShardSet  # noqa: E402

SHARDS = 3
DEPTH = relevance.DEFAULT_DEPTH


#: --grid: BM25's usual ranges for the Xapian backend, cross-validated as relevance.py does (tuned on one
#: collection, reported on the other); the shipped K1/B are ranking.py's, shared with the Whoosh backend.
#: K1 values cross-validated for the Xapian backend. B is not: the shards bake it into their term
#: weights when they are written (index/shards/layout.py), so another B needs another rebuild.
GRID = [(k1, ranking.B) for k1 in (0.9, 1.2, 1.6)]


def xapian_runs(docs, queries, workdir: Path, configs: list[tuple[float, float]]) -> dict:
    """{(K1, B): (runs, ms per query)}: each query ranked as the Xapian engine ranks it, per configuration."""
    articles = [(Article(id=doc_id, title=title, outlet="Collection", section="All",
                         paragraphs=(Paragraph("body", text),)), "") for doc_id, (title, text) in docs.items()]
    target = workdir / "shards"
    target.mkdir()
    write.write_shards(target, articles, write.copy_groups(articles), SHARDS)
    servers = ShardServers([target / write.shard_name(k) for k in range(SHARDS)])
    shipped = (ranking.K1, ranking.B)
    found = {}
    try:
        engine = XapianEngine(ShardSet([Shard("127.0.0.1", port) for port in servers.ports]), workdir)
        for config in configs:
            ranking.K1, ranking.B = config  # read by the engine at each query
            runs, started = {}, time.perf_counter()
            for qid, text in queries.items():
                request = SearchRequest(q=" ".join(relevance.words(text)), match="any", collapse=False)
                view, _, scored = engine.matches(request)
                ranked = ranking.ranked(view, scored or [])[:DEPTH]
                runs[qid] = [view.article_id(d) for d, _ in ranked]
            found[config] = (runs, (time.perf_counter() - started) * 1000 / max(1, len(queries)))
        engine.close()
        return found
    finally:
        ranking.K1, ranking.B = shipped
        servers.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grid", action="store_true", help="also cross-validate K1 for the Xapian backend")
    args = parser.parse_args(argv)
    shipped = (ranking.K1, ranking.B)
    configs = sorted(set(GRID) | {shipped}) if args.grid else [shipped]
    print(f"{'collection':<10} {'docs':>5} {'queries':>7}  {'system':<48} {'nDCG@10':>8} {'MAP@100':>8} {'ms/query':>9}")
    measured = {}
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
            found = xapian_runs(docs, queries, Path(tmp), configs)
        measured[name] = {c: (*relevance.evaluate(runs, qrels)[:2], ms) for c, (runs, ms) in found.items()}
        rows.append((f"Xapian backend ({SHARDS} remote shards, BM25F, RM3)", measured[name][shipped]))
        for system, (n, m, ms) in rows:
            print(f"{name:<10} {len(docs):>5} {judged:>7}  {system:<48} {n:>8.4f} {m:>8.4f} {ms:>9.2f}")
    if args.grid:
        names = list(measured)
        print("\nXapian backend, every K1/B (nDCG@10 / MAP@100):")
        for c in configs:
            print(f"K1 {c[0]} B {c[1]:<5}" + "".join(f"  {n} {measured[n][c][0]:.4f} / {measured[n][c][1]:.4f}"
                                                  for n in names))
        for train, test in ((names[0], names[1]), (names[1], names[0])):
            best = max(configs, key=lambda c: (measured[train][c][0], measured[train][c][1], c == shipped))
            print(f"tuned on {train}: K1 {best[0]} B {best[1]} → {test} nDCG@10 {measured[test][best][0]:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

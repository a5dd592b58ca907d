"""``python -m index rebuild --backend xapian --shards N [--scheduler tcp://host:port]``: the CLI's
shard rebuild — parse nothing, call write.rebuild (on a Dask cluster with --scheduler), report."""
from __future__ import annotations

import json
import importlib.util
import sys

from index.store import generations
from index.store.build import default_jobs

from .write import ShardWriteFailed, rebuild, shard_paths


def rebuild_shards(args, sources: list) -> int:
    """Rebuild the shards under ``args.index_dir``; prints the summary, returns the exit status."""
    if importlib.util.find_spec("xapian") is None:  # say what is missing before any work
        print("error: --backend xapian needs the Xapian bindings: pip install '.[xapian]'", file=sys.stderr)
        return 2
    clean_all = None
    jobs = args.jobs if args.jobs is not None else default_jobs()
    if not args.scheduler and jobs > 1:
        from .cluster import local_cleaner

        clean_all = local_cleaner(jobs)
    if args.scheduler:
        from .cluster import ClusterUnavailable, cleaner

        try:
            clean_all = cleaner(args.scheduler)
        except ClusterUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    try:
        summary = rebuild(sources, args.index_dir, args.shards, full=args.full, clean_all=clean_all, jobs=jobs)
    except (ShardWriteFailed, generations.GenerationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted — the live shards are unchanged", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False))
        return 0
    for where, reason in summary.skipped:
        print(f"skipped {where}: {reason}")
    print(f"{summary.generation} is live: {summary.documents} articles in {summary.shards} shards "
          f"({', '.join(map(str, summary.per_shard))}); {summary.cleaned} cleaned, {summary.reused} unchanged, "
          f"{summary.folded} identical copies folded, in {summary.seconds:.1f} s")
    print("serve each shard with: " + "; ".join(
        f"xapian-tcpsrv --port PORT{k} {path}" for k, path in enumerate(shard_paths(args.index_dir, args.shards))))
    return 0

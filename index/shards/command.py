"""``python -m index rebuild --backend xapian --shards N [--scheduler tcp://host:port]``: the CLI's
shard rebuild — parse nothing, call write.rebuild (on a Dask cluster with --scheduler), report."""
from __future__ import annotations

import importlib.util
import sys

from index import report
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
    return report.finish(
        lambda: rebuild(sources, args.index_dir, args.shards, full=args.full, clean_all=clean_all, jobs=jobs),
        (ShardWriteFailed, generations.GenerationError), "the live shards are", args.json,
        lambda summary: render(summary, args.index_dir))


def render(summary, index_dir) -> str:
    """The shard rebuild's summary as text, with the command that serves each shard."""
    lines = [f"skipped {where}: {reason}" for where, reason in summary.skipped]
    lines.append(f"{summary.generation} is live: {summary.documents} articles in {summary.shards} shards "
                 f"({', '.join(map(str, summary.per_shard))}); {summary.cleaned} cleaned, {summary.reused} "
                 f"unchanged, {summary.folded} identical copies folded, in {summary.seconds:.1f} s")
    lines.append("serve each shard with: " + "; ".join(
        f"xapian-tcpsrv --port PORT{k} {path}" for k, path in enumerate(shard_paths(index_dir, summary.shards))))
    return "\n".join(lines)

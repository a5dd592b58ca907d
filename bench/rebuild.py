"""Benchmark of ``python -m index rebuild``: full, no-change and one-article-changed rebuilds.

    python bench/corpus.py --synthetic 100000     # writes bench/out/real.jsonl and synthetic-100000.jsonl
    python bench/rebuild.py                       # both feeds; --feed PATH (repeatable) for others
    python bench/rebuild.py --lede-root ../main --lede-root .   # two checkouts, same run, same feeds

Each rebuild runs as the real command in a subprocess, into a fresh index
directory under a temporary folder. Reported per feed:

- the reference: a bare Whoosh load of the same feed (bench/bare_load.py: plain
  schema, no cleaning, Whoosh's ``procs=2, multisegment=True`` writer), in the
  same run, and Lede's rate divided by it (``÷ bare``), the terms issue 4 states
  its target in (Whoosh's multiprocessing writer slows down more than Lede's
  rebuild when other work shares the cores: compare ratios from quiet runs);

- full rebuild: wall time, articles cleaned and indexed per second, CPU seconds
  of the whole process tree (rebuild + its workers, from getrusage of waited-for
  children: on a shared machine this is the steadier figure), peak RSS summed
  over the process tree (sampled every 0.1 s with psutil) and the index size;
- no change: a second rebuild with nothing changed, and its ratio to the full one;
- one changed: the feed with one article's text edited (the feed is re-read and
  re-hashed, one article cleaned and indexed), and its ratio to the full one.

With ``--xapian``, the Xapian shard rebuild (``rebuild --backend xapian --shards 3``) of the same
feed follows in a second table: full (cleaning here, on one process per core), again with nothing
changed (unchanged articles are not cleaned again; the shards are written whole), and full on a
Dask cluster of two workers on 127.0.0.1 (bench/local_cluster.py, ``--scheduler``).

The machine's load average is printed with the table: timings taken while
other work runs are slower, and only comparable within one run — which is
why ``--lede-root`` (repeatable) runs the rebuilds of other checkouts of Lede
(before and after a change) in the same run, one row per checkout and feed.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/local_cluster.py

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
DEFAULT_FEEDS = [OUT / "real.jsonl", OUT / "synthetic-100000.jsonl"]
SAMPLE_S = 0.1


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def run_rebuild(root: Path, feed: Path, index_dir: Path, *extra: str) -> dict:
    """Run one rebuild of the checkout at ``root``; its JSON summary plus wall seconds, tree CPU
    seconds and peak tree RSS. (``python -m`` finds the package in its working directory first.)"""
    return run_timed([sys.executable, "-m", "index", "rebuild", "--source", str(feed), "--index-dir",
                      str(index_dir), "--json", "--quiet", *extra], root)


def run_bare(feed: Path, index_dir: Path) -> dict:
    """The bare Whoosh load of the same feed (bench/bare_load.py), timed the same way."""
    return run_timed([sys.executable, str(ROOT / "bench" / "bare_load.py"), str(feed), str(index_dir)], ROOT)


def run_timed(cmd: list[str], cwd: Path) -> dict:
    """Run ``cmd`` (which prints a JSON object); that object plus wall, tree CPU seconds and peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(watched))
        time.sleep(SAMPLE_S)
    out, err = proc.communicate()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    summary = json.loads(out)
    summary.update(wall=wall, peak_rss=peak,
                   cpu=(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return summary


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def one_article_changed(feed: Path, target: Path) -> None:
    """Copy ``feed`` with the text of its middle article edited."""
    lines = feed.read_text(encoding="utf-8").splitlines(keepends=True)
    middle = len(lines) // 2
    item = json.loads(lines[middle])
    item["text"] = (item.get("text") or "") + "\n\nThis paragraph was added by bench/rebuild.py."
    lines[middle] = json.dumps(item, ensure_ascii=False) + "\n"
    target.write_text("".join(lines), encoding="utf-8")


def bench_feed(feed: Path, workdir: Path, jobs: str | None, roots: list[Path]) -> list[dict]:
    """One row per checkout in ``roots``, each rebuilding a fresh copy of ``feed``; one bare load shared."""
    extra = ("--jobs", jobs) if jobs else ()
    bare = run_bare(feed, workdir / (feed.stem + "-bare"))
    rows = []
    for n, root in enumerate(roots):
        copy = workdir / f"{n}-{feed.name}"
        shutil.copyfile(feed, copy)
        index_dir = workdir / f"{n}-{feed.stem}-index"
        full = run_rebuild(root, copy, index_dir, "--full", *extra)
        size = dir_size(index_dir / full["generation"])
        same = run_rebuild(root, copy, index_dir, *extra)
        assert same["mode"] == "unchanged", same["mode"]
        one_article_changed(feed, copy)
        one = run_rebuild(root, copy, index_dir, *extra)
        rows.append({"root": str(root), "feed": feed.name, "articles": full["cleaned"],
                     "documents": full["documents"], "folded": full["counts"]["folded"], "full": full,
                     "size": size, "same": same, "one": one, "bare": bare})
    return rows


XAPIAN_SHARDS = "3"


def bench_xapian(feed: Path, workdir: Path, jobs: str | None) -> dict:
    """The shard rebuild of ``feed``: full, unchanged, and full on a local Dask cluster."""
    from local_cluster import local_cluster

    extra = ("--backend", "xapian", "--shards", XAPIAN_SHARDS, *(("--jobs", jobs) if jobs else ()))
    index_dir = workdir / (feed.stem + "-xapian")
    full = run_rebuild(ROOT, feed, index_dir, "--full", *extra)
    same = run_rebuild(ROOT, feed, index_dir, *extra)
    with local_cluster(workers=2) as address:
        dask = run_rebuild(ROOT, feed, workdir / (feed.stem + "-xapian-dask"), "--full", *extra,
                           "--scheduler", address)
    return {"feed": feed.name, "full": full, "same": same, "dask": dask,
            "size": dir_size(index_dir / "xapian" / full["generation"])}


def xapian_table(rows: list[dict]) -> str:
    head = ("feed", "articles", "docs", "shards", "full s", "art/s", "CPU s", "peak RSS MB", "shards MB",
            "unchanged s", "cleaned again", "Dask full s", "Dask art/s")
    body = []
    for r in rows:
        full, same, dask = r["full"], r["same"], r["dask"]
        articles = full["cleaned"] + full["reused"]
        body.append((r["feed"], articles, full["documents"], full["shards"], f"{full['wall']:.1f}",
                     f"{articles / full['wall']:.0f}", f"{full['cpu']:.0f}", f"{full['peak_rss'] / 2**20:.0f}",
                     f"{r['size'] / 2**20:.0f}", f"{same['wall']:.1f}", same["cleaned"], f"{dask['wall']:.1f}",
                     f"{articles / dask['wall']:.0f}"))
    return _render(head, body)


def table(rows: list[dict]) -> str:
    head = ("checkout", "feed", "articles", "docs", "full s", "art/s", "bare art/s", "÷ bare", "CPU s", "CPU ms/art",
            "bare CPU ms/art", "peak RSS MB", "index MB", "no-change s", "ratio", "1 changed s", "ratio")
    body = []
    for r in rows:
        full, same, one, bare = r["full"], r["same"], r["one"], r["bare"]
        rate, bare_rate = r["articles"] / full["wall"], bare["documents"] / bare["wall"]
        body.append((r["root"], r["feed"], r["articles"], r["documents"], f"{full['wall']:.1f}",
                     f"{rate:.0f}", f"{bare_rate:.0f}", f"{rate / bare_rate:.2f}", f"{full['cpu']:.0f}",
                     f"{1000 * full['cpu'] / max(r['articles'], 1):.1f}",
                     f"{1000 * bare['cpu'] / max(bare['documents'], 1):.1f}", f"{full['peak_rss'] / 2**20:.0f}",
                     f"{r['size'] / 2**20:.0f}", f"{same['wall']:.2f}", f"{same['wall'] / full['wall']:.1%}",
                     f"{one['wall']:.2f}", f"{one['wall'] / full['wall']:.1%}"))
    return _render(head, body)


def _render(head: tuple, body: list[tuple]) -> str:
    """A Markdown table, columns right-aligned."""
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    fmt = lambda row: "| " + " | ".join(str(x).rjust(w) for x, w in zip(row, widths)) + " |"  # noqa: E731
    return "\n".join([fmt(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(fmt, body)])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--feed", action="append", type=Path, metavar="PATH",
                   help="a JSON Lines feed (repeatable; default: bench/out/real.jsonl and synthetic-100000.jsonl)")
    p.add_argument("--jobs", help="passed to rebuild --jobs (default: one worker per core)")
    p.add_argument("--workdir", type=Path, help="where the indexes go (default: a temporary folder, removed after)")
    p.add_argument("--lede-root", action="append", type=Path, metavar="DIR",
                   help="a checkout of Lede whose rebuild to time (repeatable, to compare checkouts in one run; "
                        "default: this one)")
    p.add_argument("--xapian", action="store_true",
                   help="also time the Xapian shard rebuild, here and on a local Dask cluster")
    args = p.parse_args(argv)
    roots = [r.resolve() for r in args.lede_root or [ROOT]]
    for root in roots:
        if not (root / "index" / "__main__.py").is_file():
            raise SystemExit(f"--lede-root {root}: not a checkout of Lede (no index/__main__.py)")
    feeds = args.feed or [f for f in DEFAULT_FEEDS if f.exists()]
    if not feeds:
        raise SystemExit("no feed: run `python bench/corpus.py --synthetic 100000` first, or pass --feed PATH")
    for feed in feeds:
        if not feed.is_file():
            raise SystemExit(f"--feed {feed}: no such file — run `python bench/corpus.py` to make it")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="lede-bench-rebuild-"))
    workdir.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    rows, xapian_rows = [], []
    try:
        for feed in feeds:
            print(f"benchmarking {feed} …", file=sys.stderr, flush=True)
            rows.extend(bench_feed(feed.resolve(), workdir, args.jobs, roots))
            if args.xapian:
                xapian_rows.append(bench_xapian(feed.resolve(), workdir, args.jobs))
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"python -m index rebuild on {os.cpu_count()} cores, load average {load:.1f} at start "
          f"→ {os.getloadavg()[0]:.1f} at end")
    print(table(rows))
    print(f"target (issue 4): >= 600 art/s on the real feed, where the bare load runs at about 900/s: "
          f"÷ bare >= {600 / 900:.2f} on a quiet machine that is slower or faster")
    for r in rows:
        print(f"{r['root']}, {r['feed']}: {r['folded']} identical articles folded; no-change rebuild mode "
              f"{r['same']['mode']!r}; one-changed rebuild: {r['one']['counts']}")
    if xapian_rows:
        print(f"\npython -m index rebuild --backend xapian --shards {XAPIAN_SHARDS} (Dask: a scheduler and two "
              "workers on 127.0.0.1)")
        print(xapian_table(xapian_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

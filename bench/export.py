"""Export throughput: GET /api/export through the real app, rows per second, one table.

    .venv/bin/python bench/corpus.py        # bench/out/real.jsonl (~22.9k articles), if missing
    .venv/bin/python -m index rebuild --source bench/out/real.jsonl --index-dir bench/out/real/lede-index
    .venv/bin/python bench/export.py --index-dir bench/out/real/lede-index

Issue 17's target is the first row: ``q=`` (every article) as CSV without text at >= 5,000
rows/s. Each export is read to the end through Flask's test client (no network), after one
warm-up request that opens the searcher; peak RSS growth says whether rows pile up.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from web import create_app  # noqa: E402

TARGET_ROWS_PER_S = 5000
CASES = ("q=&format=csv", "q=&format=jsonl", "q=oil&format=csv", "q=oil+prices&sort=newest&format=jsonl",
         "q=&format=csv&fields=text")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", default=str(ROOT / "bench" / "out" / "real" / "lede-index"))
    args = parser.parse_args()
    client = create_app({"INDEX_DIR": args.index_dir}).test_client()
    client.get("/api/search?q=warm&per_page=1")
    print(f"{'export':42} {'rows':>7} {'MB':>6} {'seconds':>8} {'rows/s':>8} {'peak RSS MiB':>13}")
    for case in CASES:
        started = time.perf_counter()
        response = client.get("/api/export?" + case)
        size = sum(len(chunk) for chunk in response.response)  # read to the end, chunk by chunk
        elapsed = time.perf_counter() - started
        rows = int(response.headers["X-Total-Count"])
        rate = rows / elapsed
        mark = "" if case != CASES[0] else ("  ok" if rate >= TARGET_ROWS_PER_S else "  BELOW TARGET")
        print(f"{case:42} {rows:>7,} {size / 1e6:>6.1f} {elapsed:>8.2f} {rate:>8,.0f} {peak_rss_mib():>13.0f}{mark}")


if __name__ == "__main__":
    main()

"""Phrase latency against plain words: Engine.search uncached, over a real index.

    .venv/bin/python -m index rebuild --source bench/out/real.jsonl --index-dir /tmp/lede-real
    .venv/bin/python bench/phrase_latency.py --index-dir /tmp/lede-real --feed bench/out/real.jsonl

Kinds, each request sent once to one Engine (so uncached: the result cache
never answers, while per-word caches warm up as they do in a worker):

    plain             1–3 title words (bench/queries.py, the same set as search_latency.py)
    phrase            the same words quoted
    phrase+common     2–5 consecutive words of a body paragraph, at least one of them a common
                      word and one not ("Bank of England", "reliance on foreign oil"), seeded
    common only       2–4 consecutive common words quoted ("of the", "to be or not"), seeded,
                      and single common words unquoted ("the")

Target (issue 13): phrase+common p95 <= 1.2 x plain p95. Prints p50/p95/max per kind
and that ratio.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from index import schema as f  # noqa: E402
from queries import make_queries  # noqa: E402
from search import Engine, SearchRequest  # noqa: E402

WORD = re.compile(r"[A-Za-z]+")
TARGET_RATIO = 1.2
NAMED = ("Bank of England", "House of Commons", "reliance on foreign oil", "Secretary of State")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def common(word: str) -> bool:
    word = word.lower()
    return len(word) < f.STOP_MIN_SIZE or word in f.STOP_LIST


def body_spans(feed: Path, count: int, seed: int) -> tuple[list[str], list[str]]:
    """(phrases with common and other words, phrases of common words only) from body paragraphs."""
    rng = random.Random(seed)
    paragraphs = []
    with open(feed, encoding="utf-8") as fh:
        for line in fh:
            paragraphs += [p for p in (json.loads(line).get("text") or "").split("\n\n") if p.strip()]
    mixed, only, seen = list(NAMED), [], set()
    while len(mixed) < count or len(only) < count:
        words = WORD.findall(rng.choice(paragraphs))
        size = rng.randint(2, 5)
        if len(words) < size:
            continue
        start = rng.randrange(len(words) - size + 1)
        span = words[start:start + size]
        kinds = [common(w) for w in span]
        text = " ".join(span)
        if text.lower() in seen:
            continue
        seen.add(text.lower())
        if all(kinds) and size <= 4 and len(only) < count:
            only.append(text)
        elif any(kinds) and not all(kinds) and len(mixed) < count:
            mixed.append(text)
    return mixed, only


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--feed", type=Path, default=ROOT / "bench" / "out" / "real.jsonl")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    groups = make_queries(args.feed, args.queries, args.seed)
    mixed, only = body_spans(args.feed, args.queries, args.seed)
    kinds = {
        "plain": [g[0].q for g in groups],
        "phrase": [g[1].q for g in groups],
        "phrase+common": [f'"{p}"' for p in mixed],
        "common only": [f'"{p}"' for p in only[: len(only) * 3 // 4]]
                       + sorted({p.split()[0].lower() for p in only})[: len(only) // 4],
    }
    engine = Engine(args.index_dir)
    live = engine.live()
    print(f"index: {live.doc_count} documents, generation {live.generation}")
    print(f"\n{'kind':<16} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'mean hits':>10}")
    p95 = {}
    for kind, qs in kinds.items():
        took, totals = [], []
        for q in qs:
            started = time.perf_counter()
            results = engine.search(SearchRequest(q=q))
            took.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
        p95[kind] = pct(took, 95)
        print(f"{kind:<16} {len(qs):>4} {pct(took, 50):>8.2f} {p95[kind]:>8.2f} {max(took):>8.2f}"
              f" {statistics.mean(totals):>10.1f}")
    ratio = p95["phrase+common"] / p95["plain"]
    print(f"\nphrase+common p95 / plain p95 = {ratio:.2f} (target <= {TARGET_RATIO})")
    named = {q: engine.search(SearchRequest(q=f'"{q}"', collapse=False)).total for q in NAMED}
    print("articles holding: " + ", ".join(f'"{q}" {n}' for q, n in named.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

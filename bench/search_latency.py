"""In-process search latency: Engine.search with facets, snippets and collapsing, over a real index.

    .venv/bin/python -m index rebuild --source bench/out/real.jsonl --index-dir /tmp/lede-real
    .venv/bin/python bench/search_latency.py --index-dir /tmp/lede-real --feed bench/out/real.jsonl

Runs the benchmark query set (bench/queries.py: plain, phrase and filtered
title-word queries, seeded) through one Engine, first uncached (each
request once), then again (warm: the per-generation filter sets, browse facets and per-word
scores in place; the engine keeps no results, web/repeats.py does), and prints p50,
p95 and max per kind. Deep pages are kinds of their own: pages 1, 100 and
1000 of the index's 20 most common words, and pages of 100 hits. It also
times the pieces a request is made of, side by side in the same run: opening the searcher (with facet ordinals), facet
counting from ordinals against Whoosh's ``groupedby`` over the same matches,
and highlighting a page of ten hits.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from whoosh import sorting  # noqa: E402

from index import schema as f  # noqa: E402
from queries import make_queries  # noqa: E402
from search import Engine, SearchRequest, highlight  # noqa: E402
from search.request import SORTS  # noqa: E402
from search.parse import parse_query  # noqa: E402


PAGED_WORDS = 20  # the most common words, each paged to 1, 100 and 1000


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--feed", type=Path, default=ROOT / "bench" / "out" / "real.jsonl")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    groups = make_queries(args.feed, args.queries, args.seed)
    requests = {}
    for group in groups:
        for q in group:
            requests.setdefault(q.kind, []).append(SearchRequest(
                q=q.q, outlets=(q.outlet,) if q.outlet else (), sections=(q.section,) if q.section else ()))
    requests["match=any, 6 words"] = [
        SearchRequest(q=" ".join(g[0].words.split() + g[1 % len(g)].words.split() + ["police", "market", "vote"]),
                      match="any") for g in groups[:50]]
    requests["browse (no q, newest)"] = [SearchRequest(sort="newest", page=p) for p in range(1, 21)]

    engine = Engine(args.index_dir)
    open_ms, live = timed(engine.live)
    print(f"index: {live.doc_count} documents, generation {live.generation}")
    print(f"open searcher + facet ordinals + date ranks + near-duplicate copy groups: {open_ms:.1f} ms"
          " (once per worker and generation)")
    # Deep pages: the index's most common words (most hits to page through), and browsing everything.
    common = [w for w, _ in sorted(live.words().items(), key=lambda wn: -wn[1])[:PAGED_WORDS]]
    for page in (1, 100, 1000):
        requests[f"page {page}, common word"] = [SearchRequest(q=w, page=page) for w in common]
    requests["page 1000, no collapse"] = [SearchRequest(q=w, page=1000, collapse=False) for w in common]
    requests["page 100 x 100 per page"] = [SearchRequest(q=w, page=100, per_page=100) for w in common] + [
        SearchRequest(page=100, per_page=100, sort=s, collapse=c) for s in SORTS for c in (True, False)]

    print(f"\n{'kind':<24} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'repeat p50':>11} {'repeat max':>11}")
    every = []
    for kind, reqs in requests.items():
        cold = [timed(lambda r=r: engine.search(r))[0] for r in reqs]
        warm = [timed(lambda r=r: engine.search(r))[0] for r in reqs]
        every += cold
        print(f"{kind:<24} {len(reqs):>4} {pct(cold, 50):>8.2f} {pct(cold, 95):>8.2f} {max(cold):>8.2f}"
              f" {pct(warm, 50):>11.3f} {max(warm):>11.3f}")
    print(f"{'all uncached':<24} {len(every):>4} {pct(every, 50):>8.2f} {pct(every, 95):>8.2f} {max(every):>8.2f}")

    # The pieces, side by side on the same matches.
    searcher = live.searcher
    ord_ms, grp_ms, hl_ms = [], [], []
    for r in requests["plain"][:50] + [SearchRequest()]:
        query = parse_query(r.q, live.schema) if r.q else None
        docs = set(searcher.docs_for_query(query)) if query is not None else live.all_docs()
        ord_ms.append(timed(lambda: live.facet_counts(docs, None))[0])
        grp_ms.append(timed(lambda: searcher.search(
            query if query is not None else __import__("whoosh.query").query.Every(), limit=1,
            groupedby=[sorting.FieldFacet(f.OUTLET), sorting.FieldFacet(f.SECTION)]).groups(f.OUTLET))[0])
        if query is not None:
            top = [d for _, d in searcher.search(query, limit=10).top_n]

            def page():
                terms = highlight.positive_terms(query, searcher.reader())
                for name in (f.TITLE, f.BODY, f.CAPTIONS):
                    spans = highlight.match_spans(searcher, terms, name, top)
                    for d in top:
                        highlight.snippets(searcher.stored_fields(d).get(name) or "", spans[d])
            hl_ms.append(timed(page)[0])
    print(f"\nfacets (outlet+section+month) from ordinals: p50 {pct(ord_ms, 50):.2f} ms, max {max(ord_ms):.2f} ms"
          f" (max is the empty query: all {live.doc_count} documents)")
    print(f"same matches, Whoosh groupedby (outlet+section): p50 {pct(grp_ms, 50):.2f} ms, max {max(grp_ms):.2f} ms")
    print(f"highlighting 10 hits (title, body, captions; stored offsets): p50 {pct(hl_ms, 50):.2f} ms,"
          f" p95 {pct(hl_ms, 95):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

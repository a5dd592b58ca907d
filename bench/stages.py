"""Where a Lede search spends its time: per-stage timings and a cProfile, in-process.

    .venv/bin/python bench/stages.py bench/out/real/lede-index            # stage table + top functions
    .venv/bin/python bench/stages.py DIR --lede-root /tmp/lede-head --queries 100

Over the benchmark's own query set (bench/queries.py, the 1-client pass of
bench/serve.py), this times:

* ``engine``    Engine.search end to end, as a web worker calls it (no HTTP);
* ``json``      Results.to_json() + json.dumps, what jsonify adds;

and, to rank what to fix, the stages of a search rebuilt from Whoosh calls, with
the alternatives each could use instead:

* ``top10``             search_page(…, pagelen=10, terms=True): the scored page;
* ``total``             len(results) after it: Whoosh's exact count (may re-run the query);
* ``top10_noterms``     the same page without terms=True (what recording matched terms costs);
* ``highlight``         snippets + title markup for the 10 hits, with the skeleton's ContextFragmenter;
* ``highlight_pinpoint`` the same from the stored character offsets (PinpointFragmenter), no re-analysis;
* ``facets_stored``     facet counts by reading stored fields of every match (the skeleton's way);
* ``facets_groupedby``  the same counts through Whoosh's groupedby + sorting.Count;
* ``facets_ordinals``   the same counts from the matched docnums and outlet/section
                        ordinals read once per searcher from the sortable columns;
* ``match_ids``         just collecting every matching docnum (what any exact facet count must pay);
* ``two_pass``          matched ids (docs_for_query) then a scored top 10 restricted to them;
* ``one_pass``          both from one scored pass that records every id (RecordingTopCollector).

Numbers are per request, in ms: mean, p50, p95, and the share of ``engine``'s mean.
The machine is shared: compare rows of one run, not runs.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import load  # noqa: E402
import queries as query_set  # noqa: E402

ROOT = HERE.parent

from whoosh import collectors  # noqa: E402


def live_dir(index_dir: Path) -> Path:
    pointer = index_dir / "CURRENT"
    return index_dir / pointer.read_text().strip() if pointer.exists() else index_dir


class RecordingTopCollector(collectors.TopCollector):
    """Whoosh's top-N collector that also keeps every docnum it scores (no block skipping),
    so one pass over the postings gives the page, the exact total and the ids to count facets on.
    replace=0: Whoosh would otherwise swap an OR matcher for a pruned one once the top N is full."""

    def __init__(self, **kwargs):
        super().__init__(usequality=False, replace=0, **kwargs)
        self.ids: list[int] = []

    def _collect(self, global_docnum, score):
        self.ids.append(global_docnum)
        return super()._collect(global_docnum, score)


class Stages:
    """The stages of one search, run with Whoosh calls directly, each timed."""

    def __init__(self, searcher, parse_query, schema_fields):
        self.s, self.parse_query, self.f = searcher, parse_query, schema_fields
        self._ordinals = None
        self._allowed: dict = {}

    def ordinals(self):
        """Per facet field: (docnum → ordinal array, ordinal → value); built once per searcher."""
        if self._ordinals is None:
            started = time.perf_counter()
            self._ordinals = {}
            for name in (self.f.OUTLET, self.f.SECTION):
                column = self.s.reader().column_reader(name)
                values, index, ords = [], {}, []
                for value in column:  # one value per docnum, in docnum order
                    if value not in index:
                        index[value] = len(values)
                        values.append(value)
                    ords.append(index[value])
                self._ordinals[name] = (ords, values)
            self.ordinals_build_ms = (time.perf_counter() - started) * 1000
        return self._ordinals

    def allowed(self, filt):
        """The filter's docnums, cached: what a server keeps per searcher (not timed)."""
        if filt is None:
            return None
        key = repr(filt)
        if key not in self._allowed:
            self._allowed[key] = set(self.s.docs_for_query(filt))
        return self._allowed[key]

    def run(self, q: query_set.Query, timings: dict) -> None:
        from whoosh import highlight as wh
        from whoosh import query as wq
        from whoosh import sorting

        def timed(name, fn):
            started = time.perf_counter()
            value = fn()
            timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
            return value

        query = timed("parse", lambda: self.parse_query(q.q, self.s.schema, match="all"))
        parts = []
        if q.outlet:
            parts.append(wq.Term(self.f.OUTLET, q.outlet))
        if q.section:
            parts.append(wq.Term(self.f.SECTION, q.section))
        filt = wq.And(parts) if parts else None
        page = timed("top10", lambda: self.s.search_page(query, 1, pagelen=10, filter=filt, terms=True))
        # search_page already computed page.total; time Whoosh's count on a fresh top-10 search instead
        results = self.s.search(query, limit=10, filter=filt, terms=True)
        timed("total", lambda: len(results))

        def highlight_with(fragmenter):
            page.results.fragmenter = fragmenter
            page.results.formatter = wh.HtmlFormatter(tagname="mark", classname="", termclass="")
            for hit in page:
                hit.highlights(self.f.BODY, top=3) or hit.highlights(self.f.CAPTIONS, top=3)
                hit.highlights(self.f.TITLE, top=1, minscore=0)

        # the skeleton's settings (search/highlight.py at 49cf8ed): re-analyses each hit's stored body
        timed("highlight", lambda: highlight_with(wh.ContextFragmenter(maxchars=240, surround=80)))

        timed("top10_noterms", lambda: self.s.search_page(query, 1, pagelen=10, filter=filt))

        # the same from the character offsets the schema stores (chars=True): no re-analysis
        timed("highlight_pinpoint",
              lambda: highlight_with(wh.PinpointFragmenter(maxchars=240, surround=80, autotrim=True)))

        def facets_stored():
            counts = {n: Counter() for n in (self.f.OUTLET, self.f.SECTION)}
            for docnum in self.s.search(query, filter=filt, limit=None, scored=False).docs():
                stored = self.s.stored_fields(docnum)
                for n in counts:
                    counts[n][stored.get(n, "")] += 1
            return counts

        def facets_groupedby():
            facets = {n: sorting.FieldFacet(n, maptype=sorting.Count) for n in (self.f.OUTLET, self.f.SECTION)}
            r = self.s.search(query, filter=filt, limit=1, groupedby=facets)
            return {n: r.groups(n) for n in facets}

        def match_ids():
            return list(self.s.search(query, filter=filt, limit=None, scored=False).docs())

        def facets_ordinals():
            docs = match_ids()
            return {n: Counter(map(ords.__getitem__, docs)) for n, (ords, _) in self.ordinals().items()}

        # matched ids and the scored top 10: two posting passes, or one that records every id it scores
        allowed = self.allowed(filt)

        def two_pass():
            matched = set(self.s.docs_for_query(query))
            if allowed is not None:
                matched &= allowed
            return matched, self.s.search(query, limit=10, filter=matched if allowed is not None else None)

        def one_pass():
            top = RecordingTopCollector(limit=10)
            self.s.search_with_collector(query, collectors.FilterCollector(top, allow=allowed) if allowed else top)
            return set(top.ids), top.results()

        two = timed("two_pass", two_pass)
        one = timed("one_pass", one_pass)
        assert two[0] == one[0], q
        assert [d for _, d in two[1].top_n] == [d for _, d in one[1].top_n] or len(two[0]) > 10, q
        stored = timed("facets_stored", facets_stored)
        grouped = timed("facets_groupedby", facets_groupedby)
        timed("match_ids", match_ids)
        self.ordinals()
        ordinal = timed("facets_ordinals", facets_ordinals)
        # the three ways must agree, or the cheaper one is not a fix
        for n, (_, values) in self.ordinals().items():
            by_value = {values[o]: c for o, c in ordinal[n].items()}
            assert by_value == {k: v for k, v in stored[n].items()}, (q, n)
            assert {k: v for k, v in grouped[n].items()} == by_value, (q, n)
        if len(results) != sum(stored[self.f.OUTLET].values()):
            timings.setdefault("total_mismatch", []).append(q.q + (f" outlet={q.outlet}" if q.outlet else "")
                                                            + (f" section={q.section}" if q.section else ""))


def stats(values: list[float], base: float | None) -> str:
    mean = sum(values) / len(values)
    share = f"{100 * mean / base:5.1f}%" if base else "      "
    return (f"{mean:8.2f} {load.percentile(values, 50):8.2f} {load.percentile(values, 95):8.2f}  {share}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Per-stage timings and a cProfile of Lede's search path.")
    p.add_argument("index_dir", type=Path)
    p.add_argument("--feed", type=Path, default=ROOT / "bench" / "out" / "real.jsonl",
                   help="the feed the index was built from (its titles give the queries)")
    p.add_argument("--lede-root", type=Path, default=ROOT, help="the Lede checkout whose search/ to profile")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--top", type=int, default=25, help="functions to list from cProfile")
    args = p.parse_args(argv)
    sys.path.insert(0, str(args.lede_root.resolve()))
    from index import schema as f  # noqa: E402  (from the checkout under test)
    from search import Engine, SearchRequest  # noqa: E402
    from search.parse import parse_query  # noqa: E402
    from whoosh import index as whoosh_index  # noqa: E402

    groups = query_set.make_queries(args.feed, args.queries, seed=args.seed)
    requests = [q for g in groups for q in g]
    engine = Engine(args.index_dir)

    def search_request(q: query_set.Query):
        params = {"q": [q.q]}
        if q.outlet:
            params["outlet"] = [q.outlet]
        if q.section:
            params["section"] = [q.section]
        return SearchRequest.from_params(lambda k, d=None: params.get(k, [d])[0], lambda k: params.get(k, []))

    engine.search(search_request(requests[0]))  # open the searcher outside the timings
    timings: dict = {}
    for q in requests:
        sr = search_request(q)
        started = time.perf_counter()
        results = engine.search(sr)
        timings.setdefault("engine", []).append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        json.dumps(results.to_json())
        timings.setdefault("json", []).append((time.perf_counter() - started) * 1000)

    searcher = whoosh_index.open_dir(str(live_dir(args.index_dir))).searcher()
    stages = Stages(searcher, parse_query, f)
    for q in requests:
        stages.run(q, timings)

    base = sum(timings["engine"]) / len(timings["engine"])
    print(f"{len(requests)} requests ({args.queries} queries x {len(query_set.KINDS)} kinds) over "
          f"{searcher.doc_count()} documents; ordinal arrays built once in {stages.ordinals_build_ms:.0f} ms")
    print(f"{'stage':<18} {'mean ms':>8} {'p50':>8} {'p95':>8}  share of engine mean")
    for name in ("engine", "json", "parse", "top10", "top10_noterms", "total", "highlight", "highlight_pinpoint",
                 "facets_stored", "facets_groupedby", "match_ids", "facets_ordinals", "two_pass", "one_pass"):
        print(f"{name:<18} {stats(timings[name], base if name != 'engine' else None)}")
    mismatches = timings.get("total_mismatch", [])
    print(f"len(results) != facet-counted matches for {len(mismatches)} requests"
          + (f", e.g. {mismatches[:3]}" if mismatches else ""))

    # a fresh engine, so that the profiled pass pays for its per-word caches as the timed one did
    engine = Engine(args.index_dir)
    engine.search(search_request(requests[0]))
    profiler = cProfile.Profile()
    profiler.enable()
    for q in requests:
        json.dumps(engine.search(search_request(q)).to_json())
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())

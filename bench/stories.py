"""The story benchmark: grouping quality, quote detection, time added to a full rebuild, story latency.

    python bench/corpus.py          # once: bench/out/real.jsonl (~22.9k real articles)
    python bench/stories.py [--index DIR] [--requests N]

Prints one table:

- grouping: B-cubed precision / recall / F1 of index/stories.py on the hand-labelled
  BuzzFeed-Webis set (bench/story_labels.json; bench/story_grouping.py sweeps thresholds);
- quotes: precision / recall of the quoted spans search/quotes.py finds, against the
  hand-labelled seed quotes (bench/quote_labels.json) and against the quote annotations
  BuzzFeed-Webis ships for the labelled set's articles (spans of two words or more); a found
  span matches a labelled one when their word sets overlap by 80% (Jaccard), one to one;
- rebuild: a full rebuild of real.jsonl with the seeds (built into bench/out/stories-index unless
  --index names one built from the same feed), its time, and the time its story grouping took
  (run again on the built index: the same work) as a share of the rest of the rebuild;
- latency: /api/stories/<id>, /stories/<id> and /api/stories?q= through the real Flask app
  in this process, p50 and p95 over the biggest stories and random ones. A story's analysis is
  computed on its first request and cached per generation: "cold" is the first request of each
  story, "warm" the repeats.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402

from bench import story_grouping  # noqa: E402
from index.store import build, generations  # noqa: E402
from index import stories  # noqa: E402
from index.extract.clean import clean  # noqa: E402
from index.extract.neardup import words as normal_words  # noqa: E402
from index.extract.read import read_source  # noqa: E402
from search import quotes  # noqa: E402

OUT = ROOT / "bench" / "out"
BUZZFEED = ROOT.parent / "shared" / "data" / "buzzfeed-webis-2016" / "articles"
QUOTE_LABELS = ROOT / "bench" / "quote_labels.json"
MATCH_JACCARD = 0.8
QUERIES = ("embassy", "oil prices", "election", "bank rates", "trump", "skittles")


def p_r(found: list[list[str]], truth: list[list[str]]) -> tuple[float, float, int, int]:
    """Precision and recall of found spans against labelled ones, per document, matched one to one."""
    hits = n_found = n_truth = 0
    for spans, labelled in zip(found, truth):
        left = [set(normal_words(t, credits=False)) for t in labelled]
        n_found, n_truth = n_found + len(spans), n_truth + len(labelled)
        for span in spans:
            words = set(normal_words(span, credits=False))
            for i, t in enumerate(left):
                if t is not None and len(words & t) >= MATCH_JACCARD * len(words | t):
                    hits += 1
                    left[i] = None
                    break
    return hits / (n_found or 1), hits / (n_truth or 1), n_found, n_truth


def found_spans(paragraphs) -> list[str]:
    return [text for p in paragraphs for _, _, text in quotes.spans(p)]


def seed_quotes() -> tuple:
    labels = json.loads(QUOTE_LABELS.read_text(encoding="utf-8"))["seeds"]
    seeds = {a.id: a for a in (clean(raw) for path in sorted((ROOT / "seeds").glob("*.txt"))
                               for raw in read_source(ROOT / "seeds", path))}
    ids = sorted(labels)
    return p_r([found_spans(p.text for p in seeds[i].paragraphs if p.kind != "caption") for i in ids],
               [labels[i] for i in ids])


def buzzfeed_quotes(ids: list[str]) -> tuple:
    """Against the corpus's own quote annotations (offsets into mainText), spans of 2+ words."""
    found, truth = [], []
    for ident in ids:
        root = ET.parse(BUZZFEED / f"{ident.split('-')[1]}.xml").getroot()
        text = root.findtext("mainText") or ""
        spans = [text[int(q.findtext("start")):int(q.findtext("end"))] for q in root.findall("quote")]
        truth.append([s for s in spans if len(normal_words(s, credits=False)) >= quotes.MIN_WORDS])
        paragraphs = [text[int(p.findtext("start")):int(p.findtext("end"))] for p in root.findall("paragraph")]
        paragraphs = paragraphs or [text]
        found.append(found_spans(paragraphs))
    return p_r(found, truth)


def rebuild_figures(index_dir: Path | None, feed: Path) -> tuple[float, float, int, int]:
    """(rebuild seconds, grouping seconds, documents, stories of 2+ articles)."""
    if index_dir is None:
        index_dir = OUT / "stories-index"
        summary = build.rebuild([ROOT / "seeds", feed], index_dir, full=True)
        total = summary.seconds
    else:
        total = generations.build_info(index_dir)["summary"]["seconds"]
    live = generations.live_generation(index_dir)
    with whoosh_index.open_dir(str(live)).reader() as reader:
        started = time.perf_counter()
        entries = stories.group(reader, None, set())
        grouping = time.perf_counter() - started
        documents = reader.doc_count()
    sizes = stories.summaries(entries.values())
    return total, grouping, documents, sum(1 for s in sizes.values() if len(s["articles"]) > 1), index_dir


def latency(index_dir: Path, requests: int) -> dict[str, tuple[float, float]]:
    from web import create_app

    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    engine = client.application.extensions["lede_engine"]
    summaries = engine.live().stories().summaries
    biggest = sorted(summaries, key=lambda s: -len(summaries[s]["articles"]))[:requests // 2]
    rng = random.Random(16)
    chosen = biggest + rng.sample(sorted(summaries), min(len(summaries), requests - len(biggest)))
    engine.warm()  # as every web worker does after the fork (gunicorn.conf.py): wordfreq's table, id map

    def timed(url):
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return (time.perf_counter() - started) * 1000

    out = {"api story, cold": [timed(f"/api/stories/{s}") for s in chosen[1:]],
           "api story, warm": [timed(f"/api/stories/{s}") for s in chosen[1:]],
           "story page, warm": [timed(f"/stories/{s}") for s in chosen[1:]],
           "api stories?q=": [timed(f"/api/stories?q={q}") for q in QUERIES for _ in range(3)]}
    return {k: (statistics.median(v), sorted(v)[max(0, int(len(v) * 0.95) - 1)]) for k, v in out.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=Path, default=OUT / "real.jsonl")
    parser.add_argument("--index", type=Path, help="an index already built from the seeds and --feed")
    parser.add_argument("--requests", type=int, default=60, help="stories timed (half the biggest)")
    args = parser.parse_args(argv)
    if not args.feed.is_file():
        print(f"no feed at {args.feed} — run `python bench/corpus.py` first", file=sys.stderr)
        return 2
    labels = json.loads(story_grouping.LABELS.read_text(encoding="utf-8"))
    truth = story_grouping.truth_of(labels)
    articles = story_grouping.load_articles(args.feed, set(truth))
    rows = []
    p, r, f1 = story_grouping.bcubed(truth, story_grouping.by_signature(articles.values(), stories.SIMILARITY))
    rows.append(("grouping, labelled set", f"B³ P {p:.3f}  R {r:.3f}  F1 {f1:.3f}",
                 f"{len(truth)} articles, threshold {stories.SIMILARITY}"))
    p, r, f1 = story_grouping.bcubed(truth, story_grouping.by_fingerprint(list(articles.values())))
    rows.append(("  baseline: fingerprint only", f"B³ P {p:.3f}  R {r:.3f}  F1 {f1:.3f}", ""))
    p, r, n_found, n_truth = seed_quotes()
    rows.append(("quotes, seeds (hand-labelled)", f"P {p:.3f}  R {r:.3f}", f"{n_found} found, {n_truth} labelled"))
    p, r, n_found, n_truth = buzzfeed_quotes(sorted(truth))
    rows.append(("quotes, BuzzFeed-Webis annot.", f"P {p:.3f}  R {r:.3f}", f"{n_found} found, {n_truth} annotated"))
    total, grouping, documents, multi, index_dir = rebuild_figures(args.index, args.feed)
    rows.append(("full rebuild", f"{total:.1f} s", f"{documents} documents"))
    rows.append(("  of which story grouping", f"{grouping:.1f} s = {grouping / max(total - grouping, 1e-9):.0%}"
                 " added", f"{multi} stories of 2+ articles (target ≤ 25%)"))
    for name, (p50, p95) in latency(index_dir, args.requests).items():
        rows.append((name, f"p50 {p50:.1f} ms  p95 {p95:.1f} ms", "target p95 ≤ 100 ms"))
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'measure':<{width}}{'figure':<34}notes")
    for name, figure, note in rows:
        print(f"{name:<{width}}{figure:<34}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

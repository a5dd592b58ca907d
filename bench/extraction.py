"""Extraction benchmark: Lede's cleaner against trafilatura, on real pages and on the seeds.

    .venv/bin/python bench/extraction.py [--data ../shared/data/article-extraction-benchmark] [--limit N]

Table 1 — the article-extraction benchmark (181 real news pages with
hand-checked article text): for each page, word-level precision, recall and
F1 of the extracted text against the ground truth (bags of lower-cased ``\\w+``
words, so a repeated word counts as often as it occurs), averaged over pages.
Lede's text is its kept body, subhead and list paragraphs (captions are a
separate field, as in the ground truth); trafilatura is run with its defaults
and with ``favor_precision``.

Table 2 — the five seeds, paragraph by paragraph: precision = kept paragraphs
that are article text / all kept paragraphs (recall beside it: article
paragraphs kept / all article paragraphs). The article paragraphs of each
seed are listed in ``tests/golden_seeds.py`` (every line not marked to go); a
second copy of an article paragraph counts as not article text. "keep
everything" keeps every paragraph; trafilatura gets each seed as an HTML page
with one ``<p>`` per paragraph.

Table 3 — cleaning speed alone on plain text (the BBC set beside the
benchmark, ~2.2 KB per article): ms per article and articles per second on
one core. The rebuild's own throughput (reading + cleaning + indexing) is
measured by the indexer's benchmark.

trafilatura and lxml_html_clean are runtime dependencies (index/html.py uses
trafilatura for structural pruning), so the default install runs this.
"""
from __future__ import annotations

import argparse
import gzip
import html as html_lib
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import trafilatura  # noqa: E402

from golden_seeds import SEEDS, seed_lines  # noqa: E402
from index.clean import clean  # noqa: E402
from index.read import RawArticle, decode, find_sources, read_source  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "article-extraction-benchmark"
_WORD = re.compile(r"\w+")


def bag(text: str) -> Counter:
    return Counter(w.lower() for w in _WORD.findall(text or ""))


def scores(predicted: str, truth: str) -> tuple[float, float, float]:
    """Word-level (precision, recall, F1) of one page."""
    p, t = bag(predicted), bag(truth)
    hit = sum((p & t).values())
    precision = hit / sum(p.values()) if p else 0.0
    recall = hit / sum(t.values()) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def lede_text(page: str, url: str) -> str:
    return clean(RawArticle(id="page", source=url, html=page, meta={"url": url})).text()


SYSTEMS = {
    "lede": lede_text,
    "trafilatura (default)": lambda page, url: trafilatura.extract(page, url=url) or "",
    "trafilatura (favor_precision)": lambda page, url: trafilatura.extract(page, url=url, favor_precision=True) or "",
}


def benchmark_table(data: Path, limit: int | None) -> None:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    items = sorted(truth.items())[:limit] if limit else sorted(truth.items())
    pages = [(decode(gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())), value)
             for key, value in items]
    print(f"\nArticle-extraction benchmark: {len(pages)} pages, word-level scores averaged over pages")
    print(f"{'system':32} {'precision':>9} {'recall':>7} {'F1':>7} {'CPU ms/page':>12}")
    for name, extract in SYSTEMS.items():
        totals, started = [0.0, 0.0, 0.0], time.process_time()
        for page, value in pages:
            for i, score in enumerate(scores(extract(page, value.get("url", "")), value["articleBody"])):
                totals[i] += score
        ms = 1000 * (time.process_time() - started) / len(pages)
        p, r, f = (t / len(pages) for t in totals)
        print(f"{name:32} {p:9.3f} {r:7.3f} {f:7.3f} {ms:12.1f}")


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def seed_precision(kept: list[str], article: list[str]) -> tuple[int, int]:
    """(kept paragraphs that are article text, all kept) — each article paragraph counts once."""
    keys = [_key(a) for a in article]
    used, good = set(), 0
    for text in kept:
        k = _key(text)
        # A kept caption is its line minus the trailing credit: a prefix of the line.
        match = next((i for i, a in enumerate(keys) if i not in used and k and a.startswith(k)
                      and len(k) > 0.5 * len(a)), None)
        if match is not None:
            used.add(match)
            good += 1
    return good, len(kept)


def seeds_table(seeds_dir: Path) -> None:
    rows = {"keep everything": [0, 0], "trafilatura (default)": [0, 0], "lede": [0, 0]}
    article_total = 0
    for name, expected in SEEDS.items():
        path = seeds_dir / name
        lines = seed_lines(path)
        article = [text for number, text in lines if number not in expected["go"] and number != expected.get("title_line")]
        everything = [text for number, text in lines if number != expected.get("title_line")]
        article_total += len(article)
        page = "<html><body><article>" + "".join(f"<p>{html_lib.escape(t)}</p>" for t in everything) + "</article></body></html>"
        extracted = (trafilatura.extract(page) or "").split("\n")
        (raw,) = [r for r in read_source(seeds_dir, path)]
        lede = [p.text for p in clean(raw).paragraphs]
        for system, kept in (("keep everything", everything), ("trafilatura (default)", extracted), ("lede", lede)):
            good, total = seed_precision([k for k in kept if k.strip()], article)
            rows[system][0] += good
            rows[system][1] += total
    print(f"\nSeeds ({len(SEEDS)} files): paragraph-level precision = article paragraphs kept / paragraphs kept")
    print(f"{'system':32} {'kept':>5} {'article':>8} {'precision':>9} {'recall':>7}")
    for system, (good, total) in rows.items():
        print(f"{system:32} {total:5d} {good:8d} {good / max(1, total):9.3f} {good / max(1, article_total):7.3f}")
    print(f"(recall = article paragraphs kept / all {article_total} article paragraphs)")


def speed_table(bbc: Path, rounds: int = 3) -> None:
    """Cleaning cost alone on plain text (the BBC set: ~2.2 KB articles), best of ``rounds``."""
    raws = [item for root, path in find_sources([bbc]) for item in read_source(root, path)
            if isinstance(item, RawArticle)]
    best = min(_timed(raws) for _ in range(rounds))
    size = sum(len(r.text or "") for r in raws) / len(raws)
    print(f"\nCleaning speed, plain text: {len(raws)} BBC articles (mean {size / 1000:.1f} KB), best of {rounds}")
    print(f"{'CPU ms/article':>14} {'articles/s (1 core)':>20}")
    print(f"{1000 * best / len(raws):14.3f} {len(raws) / best:20.0f}")


def _timed(raws) -> float:
    """CPU seconds to clean every article (CPU time, not wall time: the machine is shared)."""
    started = time.process_time()
    for raw in raws:
        clean(raw)
    return time.process_time() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the article-extraction-benchmark folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (sorted by id)")
    args = parser.parse_args(argv)
    seeds_table(ROOT / "seeds")
    if (args.data.parent / "bbc-news").is_dir():
        speed_table(args.data.parent / "bbc-news")
    if not (args.data / "ground-truth.json").is_file():
        print(f"\nno benchmark data at {args.data} — pass --data", file=sys.stderr)
        return 1
    benchmark_table(args.data, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

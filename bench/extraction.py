"""Extraction benchmark: Lede's cleaner against trafilatura, on real pages and on the seeds.

    .venv/bin/python bench/extraction.py [--sets benchmark wcxb-dev] [--limit N] [--half a|b] [--worst K]

Tables 1 and 2 — page sets with human-checked article text, each page
scored by word-level precision, recall and F1 of the extracted text against
the truth (bags of lower-cased ``\\w+`` words, so a repeated word counts as
often as it occurs), averaged over pages:

- ``benchmark``: the article-extraction benchmark (181 news pages, 126 sites,
  2019; ``articleBody``);
- ``wcxb-dev``: the development split of WCXB (710 article pages, ~700
  domains, 2025–26; ``ground_truth.main_content``). Lede's rules were written
  without looking at half B (odd positions in id order); the table reports
  halves A and B beside the whole set, so a rule tuned to the pages it was
  developed on shows as a gap between them.

Lede's text is its kept body, subhead and list paragraphs (captions are a
separate field, as in the truth), with its default extractor and with the
``fast`` one a source may choose (Resiliparse); trafilatura is run with its
defaults and with ``favor_precision``.

Table 3 — the five seeds, paragraph by paragraph: precision = kept paragraphs
that are article text / all kept paragraphs (recall beside it: article
paragraphs kept / all article paragraphs). The article paragraphs of each
seed are listed in ``tests/golden_seeds.py`` (every line not marked to go); a
second copy of an article paragraph counts as not article text. "keep
everything" keeps every paragraph; trafilatura gets each seed as an HTML page
with one ``<p>`` per paragraph.

Table 4 — cleaning speed alone on plain text (the BBC set beside the
benchmark, ~2.2 KB per article): ms per article and articles per second on
one core. The rebuild's own throughput (reading + cleaning + indexing) is
measured by the indexer's benchmark.

``--limit``, ``--half`` and ``--sets`` run a subset while iterating (the
whole run takes minutes); ``--worst K`` lists Lede's K lowest-F1 pages of each
set. trafilatura and lxml_html_clean are runtime dependencies (index/extract/html.py
uses trafilatura for structural pruning), so the default install runs this.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import trafilatura  # noqa: E402

from golden_seeds import SEEDS, seed_lines  # noqa: E402
from index.extract.clean import clean  # noqa: E402
from index.extract.read import RawArticle, decode, find_sources, read_source  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
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


def lede_text(page: str, url: str, extractor: str = "full") -> str:
    return clean(RawArticle(id="page", source=url, html=page, meta={"url": url, "extractor": extractor})).text()


SYSTEMS = {
    "lede": lede_text,
    "lede, fast extractor": lambda page, url: lede_text(page, url, "fast"),
    "trafilatura (default)": lambda page, url: trafilatura.extract(page, url=url) or "",
    "trafilatura (favor_precision)": lambda page, url: trafilatura.extract(page, url=url, favor_precision=True) or "",
}


@dataclass(frozen=True)
class Page:
    id: str
    html: str
    url: str
    truth: str


def benchmark_pages(data: Path) -> list[Page]:
    """The article-extraction benchmark: ``ground-truth.json`` = {id: {articleBody, url}}, ``html/<id>.html.gz``."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [Page(key, _page(data / "html" / f"{key}.html.gz"), value.get("url", ""), value["articleBody"])
            for key, value in sorted(truth.items())]


def wcxb_pages(data: Path) -> list[Page]:
    """WCXB's split: ``ground-truth/NNNN.json`` (``ground_truth.main_content``, ``url``), ``html/NNNN.html.gz``."""
    pages = []
    for path in sorted((data / "ground-truth").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        pages.append(Page(path.stem, _page(data / "html" / f"{path.stem}.html.gz"), record.get("url", ""),
                          record["ground_truth"]["main_content"]))
    return pages


def _page(path: Path) -> str:
    return decode(gzip.decompress(path.read_bytes()))


#: Page sets: name → (folder under ../shared/data, loader).
PAGE_SETS = {"benchmark": ("article-extraction-benchmark", benchmark_pages), "wcxb-dev": ("wcxb-dev", wcxb_pages)}


def half(items: list, which: str | None) -> list:
    """Half A (even positions in id order) or B (odd positions), or everything when ``which`` is None."""
    return items if which is None else items[{"a": 0, "b": 1}[which]::2]


def page_set_table(name: str, pages: list[Page], systems: list[str], halves: bool, worst: int) -> None:
    """Mean word scores of every system over the pages (and over halves A and B when ``halves``)."""
    print(f"\n{name}: {len(pages)} pages, word-level scores averaged over pages")
    print(f"{'system':30} {'part':>4} {'pages':>5} {'precision':>9} {'recall':>7} {'F1':>7} {'CPU ms/page':>12}")
    for system in systems:
        extract, started, per_page = SYSTEMS[system], time.process_time(), []
        for page in pages:
            per_page.append(scores(extract(page.html, page.url), page.truth))
        ms = 1000 * (time.process_time() - started) / max(1, len(pages))
        groups = [("all", per_page)]
        if halves:
            groups += [("A", half(per_page, "a")), ("B", half(per_page, "b"))]
        for label, rows in groups:
            p, r, f = (sum(row[i] for row in rows) / max(1, len(rows)) for i in range(3))
            cost = f"{ms:12.1f}" if label == "all" else ""
            print(f"{system:30} {label:>4} {len(rows):5d} {p:9.3f} {r:7.3f} {f:7.3f} {cost}")
        if system == "lede" and worst:
            ranked = sorted(zip(per_page, pages), key=lambda item: item[0][2])[:worst]
            for (p, r, f), page in ranked:
                print(f"    worst {page.id[:12]:12} P {p:.3f} R {r:.3f} F1 {f:.3f} {page.url[:70]}")


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
    parser.add_argument("--data", type=Path, default=DATA, help="the folder holding the page sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", choices=[*PAGE_SETS, "seeds", "speed"],
                        default=[*PAGE_SETS, "seeds", "speed"], help="which tables to print (default: all)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each set (in id order)")
    parser.add_argument("--half", choices=("a", "b"), default=None,
                        help="only half A (even positions in id order) or B (odd) of each set")
    parser.add_argument("--worst", type=int, default=0, help="list Lede's K lowest-F1 pages of each set")
    parser.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS),
                        help="which extractors to score on the page sets (default: all)")
    args = parser.parse_args(argv)
    if "seeds" in args.sets:
        seeds_table(ROOT / "seeds")
    if "speed" in args.sets and (args.data / "bbc-news").is_dir():
        speed_table(args.data / "bbc-news")
    missing = 0
    for name, (folder, load) in PAGE_SETS.items():
        if name not in args.sets:
            continue
        if not (args.data / folder).is_dir():
            print(f"\nno {name} pages at {args.data / folder} — pass --data", file=sys.stderr)
            missing += 1
            continue
        pages = half(load(args.data / folder), args.half)[:args.limit]
        page_set_table(name, pages, args.systems, halves=args.half is None and name == "wcxb-dev", worst=args.worst)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Ingestion benchmark: pages per second from a WARC file with cleaning, and a no-change feed refresh.

    .venv/bin/python bench/ingest.py [--copies N]

Table 1 — a WARC file written with warcio from the real pages of
../shared/data (the article-extraction benchmark's 181 and WCXB's 710 dev
pages, repeated ``--copies`` times under distinct URLs, so that the run is
long enough to measure), in pages per second, side by side in one run:

- reading alone (warcio + decoding, no cleaning);
- reading + cleaning with each extractor (``full``: trafilatura, the default;
  ``fast``: Resiliparse, a source's ``extractor = "fast"``), one cleaning
  process per core fed by the reading one, no indexing — with the word F1 of
  the cleaned text against each page set's truth (as bench/extraction.py
  scores it), so that speed and quality are read off one table;
- a full rebuild from the WARC with each extractor (read → clean → index →
  stories, the default worker count).

Each row also gives its CPU milliseconds per page (this process and its
children): on a shared machine wall-clock pages/s fall with other work, CPU
per page does not; two idle cores clean at most 2000 / (CPU ms/page) pages/s.
Issue 15's target: ≥ 200 pages/s read from a WARC with cleaning on this
2-core machine.

Table 2 — a feed of 50 items served by a local HTTP server on 127.0.0.1
(real pages): the first rebuild from its URL, then a no-change refresh
(conditional requests, no new generation), with the number of requests each
sent; the refresh with no per-host delay and with the default one (robots.txt
and the feed are two requests to one host, a delay apart). The first rebuild
runs without a delay, so that the table takes seconds, not a minute.
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import multiprocessing
import resource
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

import extraction  # noqa: E402 — the page sets and their word scores
from index.store import build  # noqa: E402
from index.extract.clean import clean  # noqa: E402
from index.extract.fetch import FetchSettings  # noqa: E402
from index.progress import Progress  # noqa: E402
from index.extract.sourcefile import EXTRACTORS, source_of  # noqa: E402
from index.extract.warc import read_warc  # noqa: E402
from webserver import Server  # noqa: E402 — the tests' real http.server in a thread

DATA = ROOT.parent / "shared" / "data"
FEED_ITEMS = 50
#: Pages handed to a cleaning process at a time.
CHUNK = 8


def real_pages() -> list[extraction.Page]:
    pages = []
    for name, (folder, load) in extraction.PAGE_SETS.items():
        if (DATA / folder).is_dir():
            pages += [replace(page, id=f"{name}/{page.id}") for page in load(DATA / folder)]
    if not pages:
        sys.exit(f"no pages under {DATA}: this benchmark needs ../shared/data")
    return pages


def write_warc(path: Path, pages: list[extraction.Page], copies: int) -> int:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for copy in range(copies):
            for n, page in enumerate(pages):
                body = page.html.encode("utf-8")
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    f"https://bench.example/{copy}/{n}", "response", payload=io.BytesIO(body), length=len(body),
                    http_headers=http))
    return copies * len(pages)


def _cleaned_text(item):
    """(URL, kept text) of one raw article of the WARC, cleaned with the extractor in its metadata."""
    return item.source, clean(item).text()


def read_and_clean(warc: Path, extractor: str, jobs: int) -> tuple[dict, float]:
    """{URL: kept text} of every article of ``warc``, cleaned by ``jobs`` processes fed as the archive
    is read, and the seconds it took."""
    started = time.perf_counter()
    articles = (replace(item, meta={**item.meta, "extractor": extractor})
                for item in read_warc(warc) if not hasattr(item, "reason"))
    pool = multiprocessing.get_context("fork").Pool(jobs)
    texts = dict(pool.imap_unordered(_cleaned_text, articles, chunksize=CHUNK))
    pool.close()
    pool.join()  # the workers' CPU time counts once they are waited for (cpu_seconds)
    return texts, time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children: what a run costs whatever else the
    shared machine is doing (wall-clock pages/s drop when other work takes the cores)."""
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))


def f1_by_set(texts: dict, pages: list[extraction.Page]) -> dict:
    """Mean word F1 per page set of the first copy's cleaned texts against the truth."""
    scores = defaultdict(list)
    for n, page in enumerate(pages):
        scores[page.id.split("/")[0]].append(extraction.scores(texts.get(f"https://bench.example/0/{n}", ""),
                                                               page.truth)[2])
    return {name: sum(values) / len(values) for name, values in scores.items()}


def warc_table(pages: list[extraction.Page], copies: int, work: Path) -> list[tuple]:
    warc = work / "pages.warc.gz"
    records = write_warc(warc, pages, copies)
    jobs = build.default_jobs()
    rows = []

    def timed(what, run):
        cpu = cpu_seconds()
        done, seconds, f1 = run()
        rows.append((what, records, done, seconds, cpu_seconds() - cpu, f1))

    def read_only():
        started = time.perf_counter()
        return sum(1 for item in read_warc(warc) if not hasattr(item, "reason")), time.perf_counter() - started, {}

    def read_clean(extractor):
        texts, seconds = read_and_clean(warc, extractor, jobs)
        return len(texts), seconds, f1_by_set(texts, pages)

    def rebuild(extractor):
        summary = build.rebuild([source_of(warc, extractor=extractor)], work / f"index-{extractor}", full=True,
                                progress=Progress())
        return summary.cleaned, summary.seconds, {}

    timed("read only (warcio + decode)", read_only)
    for extractor in EXTRACTORS:
        timed(f"read + clean, {extractor} ({jobs} procs)", lambda: read_clean(extractor))
    for extractor in EXTRACTORS:
        timed(f"rebuild, {extractor}: read+clean+index", lambda: rebuild(extractor))
    return rows


def feed_table(pages: list[bytes], work: Path) -> list[tuple]:
    site = work / "site"
    site.mkdir()
    for n in range(FEED_ITEMS):
        (site / f"{n}.html").write_text(pages[n].html, encoding="utf-8")
    rows = []
    with Server(site) as server:
        items = "".join(f"<item><title>Story {n}</title><link>{server.url}/{n}.html</link>"
                        f"<pubDate>Mon, 30 Dec 2019 10:{n:02d}:00 GMT</pubDate></item>" for n in range(FEED_ITEMS))
        (site / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
                                       f"{items}</channel></rss>")
        runs = [("first rebuild", 0.0), ("no-change refresh", 0.0), ("no-change refresh", FetchSettings().delay)]
        for run, delay in runs:
            server.log.clear()
            summary = build.rebuild([f"{server.url}/feed.xml"], work / "feed-index", fetch=FetchSettings(delay=delay),
                                    progress=Progress())
            conditional = sum(1 for r in server.log if r.conditional)
            rows.append((f"{run}, delay {delay:g}s", len(server.log), conditional, summary.mode,
                         summary.documents, summary.seconds))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=2, help="times the real pages are repeated in the WARC")
    args = parser.parse_args(argv)
    pages = real_pages()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warc_rows = warc_table(pages, args.copies, work)
        feed_rows = feed_table(pages, work)
    sets = list(extraction.PAGE_SETS)
    print(f"WARC of {len(pages)} real pages × {args.copies} (target ≥ 200 pages/s with cleaning); "
          f"F1: mean word F1 of the kept text per page set")
    print(f"  {'what':38} {'records':>8} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'CPU ms/page':>11} "
          + " ".join(f"{'F1 ' + name:>13}" for name in sets))
    for what, records, done, seconds, cpu, f1 in warc_rows:
        print(f"  {what:38} {records:>8} {done:>6} {seconds:>8.2f} {done / seconds:>8.0f} {1000 * cpu / done:>11.1f} "
              + " ".join(f"{f1[name]:>13.3f}" if name in f1 else f"{'':>13}" for name in sets))
    print(f"\nfeed of {FEED_ITEMS} items served on 127.0.0.1")
    print(f"  {'run':34} {'requests':>8} {'conditional':>11} {'mode':>12} {'docs':>5} {'seconds':>8}")
    for run, requests, conditional, mode, docs, seconds in feed_rows:
        print(f"  {run:34} {requests:>8} {conditional:>11} {mode:>12} {docs:>5} {seconds:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

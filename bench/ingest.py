"""Ingestion benchmark: pages per second from a WARC file with cleaning, and a no-change feed refresh.

    .venv/bin/python bench/ingest.py [--copies N]

Table 1 — a WARC file written with warcio from the real pages of
../shared/data (the article-extraction benchmark's 181 and WCXB's 710 dev
pages, repeated ``--copies`` times under distinct URLs, so that the run is
long enough to measure): a full rebuild from it (read → clean → index, the
default worker count), in pages per second; and reading alone (warcio +
decoding, no cleaning). Issue 15's target: ≥ 200 pages/s with cleaning on
this 2-core machine.

Table 2 — a feed of 50 items served by a local HTTP server on 127.0.0.1
(real pages): the first rebuild from its URL, then a no-change refresh
(conditional requests, no new generation), with the number of requests each
sent; the refresh with no per-host delay and with the default one (robots.txt
and the feed are two requests to one host, a delay apart). The first rebuild
runs without a delay, so that the table takes seconds, not a minute.
"""
from __future__ import annotations

import argparse
import gzip
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from index.store import build  # noqa: E402
from index.extract.fetch import FetchSettings  # noqa: E402
from index.progress import Progress  # noqa: E402
from index.extract.warc import read_warc  # noqa: E402
from webserver import Server  # noqa: E402 — the tests' real http.server in a thread

DATA = ROOT.parent / "shared" / "data"
FOLDERS = ("article-extraction-benchmark/html", "wcxb-dev/html")
FEED_ITEMS = 50


def real_pages() -> list[bytes]:
    pages = []
    for folder in FOLDERS:
        pages += [gzip.decompress(p.read_bytes()) for p in sorted((DATA / folder).glob("*.html.gz"))]
    if not pages:
        sys.exit(f"no pages under {DATA}: this benchmark needs ../shared/data")
    return pages


def write_warc(path: Path, pages: list[bytes], copies: int) -> int:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for copy in range(copies):
            for n, body in enumerate(pages):
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    f"https://bench.example/{copy}/{n}", "response", payload=io.BytesIO(body), length=len(body),
                    http_headers=http))
    return copies * len(pages)


def warc_table(pages: list[bytes], copies: int, work: Path) -> list[tuple]:
    warc = work / "pages.warc.gz"
    records = write_warc(warc, pages, copies)
    started = time.perf_counter()
    read = sum(1 for item in read_warc(warc) if not hasattr(item, "reason"))
    reading = time.perf_counter() - started
    summary = build.rebuild([warc], work / "warc-index", full=True, progress=Progress())
    return [("read only (warcio + decode)", records, read, reading, read / reading),
            ("rebuild: read + clean + index", records, summary.cleaned, summary.seconds,
             summary.cleaned / summary.seconds)]


def feed_table(pages: list[bytes], work: Path) -> list[tuple]:
    site = work / "site"
    site.mkdir()
    for n in range(FEED_ITEMS):
        (site / f"{n}.html").write_bytes(pages[n])
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
    print(f"WARC of {len(pages)} real pages × {args.copies} (target ≥ 200 pages/s with cleaning)")
    print(f"  {'what':32} {'records':>8} {'pages':>8} {'seconds':>8} {'pages/s':>8}")
    for what, records, done, seconds, rate in warc_rows:
        print(f"  {what:32} {records:>8} {done:>8} {seconds:>8.2f} {rate:>8.0f}")
    print(f"\nfeed of {FEED_ITEMS} items served on 127.0.0.1")
    print(f"  {'run':34} {'requests':>8} {'conditional':>11} {'mode':>12} {'docs':>5} {'seconds':>8}")
    for run, requests, conditional, mode, docs, seconds in feed_rows:
        print(f"  {run:34} {requests:>8} {conditional:>11} {mode:>12} {docs:>5} {seconds:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""WARC archives: read the articles a web archive holds, and write the fetch cache as one.

Reading (``.warc`` and ``.warc.gz``, WARC 1.0 and 1.1, e.g. Common Crawl's
CC-NEWS, Webrecorder and Browsertrix crawls) uses warcio: every ``response``
record holding an HTML page with status 200 is a raw article, identified by
its URL; a feed or sitemap in the same archive (the fetch cache stores them
first) gives its articles their titles and dates; every other record is
skipped and counted. A malformed record ends the archive's reading with the
reason; the articles before it are kept.

Writing: the fetch stage keeps every response it fetched for a URL source as
one ``.warc.gz`` in the cache (``ingest.py``), so the archive alone rebuilds
the source without the network. A refresh appends what is new to it when
that suffices, and rewrites it, pruned, when something it holds is gone or
superseded (``update_archive``). URLs that could not be fetched are kept as
``metadata`` records with a ``Lede-Skipped`` header, and read back as skips.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from . import listing
from .read import MAX_ARTICLE_BYTES, RawArticle, ReadError, declared_charset, decode

SKIPPED_HEADER = "Lede-Skipped"
REQUESTED_HEADER = "Lede-Requested-URI"
ENTRY_HEADER = "Lede-Entry"  # JSON (ASCII): the title and date the page's feed or sitemap gave it
#: Response headers not stored: the body is kept decoded, so its transfer framing no longer applies.
#: What warcio raises on malformed input: beyond its own ArchiveLoadFailed, a garbled header
#: surfaces as whatever its parsing trips on (e.g. AttributeError on a record without a URI).
MALFORMED = (ArchiveLoadFailed, ValueError, OSError, EOFError, AttributeError, KeyError, IndexError, TypeError)
_FRAMING = {"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"}


@dataclass(frozen=True)
class Kept:
    """One response of the fetch cache: the page (a fetch.Response), when it was fetched, and
    what its feed or sitemap said of it (kept with it, so it outlives the feed's rotation)."""

    page: object
    date: str
    entry: dict = field(default_factory=dict)


def url_id(url: str) -> str:
    """A stable, URL-safe article id from a URL: host and path, with a hash when long or queried."""
    bare = re.sub(r"^[a-z]+://", "", url.split("#")[0], flags=re.I).removeprefix("www.")
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", bare).strip("-.") or "page"
    if len(slug) > 96 or "?" in url:
        slug = slug[:80].rstrip("-.") + "-" + hashlib.blake2b(url.encode(), digest_size=5).hexdigest()
    return slug


def read_warc(path: Path) -> Iterator[RawArticle | ReadError]:
    """The HTML articles in one WARC file, and a ReadError for each problem and for the records skipped."""
    entries: dict[str, dict] = {}
    other: Counter = Counter()
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield ReadError(str(path), exc.strerror or str(exc))
        return
    with fh:
        records = ArchiveIterator(fh, no_record_parse=False)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except MALFORMED as exc:
                yield ReadError(str(path), f"malformed WARC record after offset {records.offset}: "
                                           f"{exc or type(exc).__name__}")
                break
            try:
                yield from _record(record, entries, other)
            except MALFORMED as exc:
                uri = record.rec_headers.get_header("WARC-Target-URI") or str(path)
                yield ReadError(uri, f"malformed WARC record: {exc}")
    if other:
        counted = ", ".join(f"{n} {kind}" for kind, n in other.most_common())
        yield ReadError(str(path), f"{sum(other.values())} records are not HTML articles ({counted})")


def _record(record, entries: dict, other: Counter) -> Iterator[RawArticle | ReadError]:
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type == "metadata" and record.rec_headers.get_header(SKIPPED_HEADER):
        yield ReadError(uri, record.rec_headers.get_header(SKIPPED_HEADER))
        return
    if record.rec_type != "response" or record.http_headers is None:
        other[f"{record.rec_type} records"] += 1
        return
    status = record.http_headers.get_statuscode()
    if status != "200":
        other[f"HTTP {status} responses"] += 1
        return
    body = record.content_stream().read(MAX_ARTICLE_BYTES + 1)
    if len(body) > MAX_ARTICLE_BYTES:
        yield ReadError(uri, f"larger than one article can be ({MAX_ARTICLE_BYTES // 2**20} MB)")
        return
    content_type = record.http_headers.get_header("Content-Type") or ""
    kind = listing.kind_of(body, content_type)
    if kind in (listing.FEED, listing.SITEMAP):
        try:
            found = listing.feed_entries(body, uri) if kind == listing.FEED else listing.sitemap_entries(body)
        except listing.ListingError as exc:
            yield ReadError(uri, str(exc))
            return
        for entry in found:
            entries.setdefault(entry.url, entry.meta())
        return
    if kind != listing.HTML:
        other["responses of other types" if kind == listing.OTHER else f"{kind} responses"] += 1
        return
    charset = re.search(r"charset=([\w.:-]+)", content_type, re.I)
    html = decode(body, (charset.group(1) if charset else None) or declared_charset(body))
    requested = record.rec_headers.get_header(REQUESTED_HEADER) or uri
    meta = {"url": uri, **entries.get(requested, entries.get(uri, {})), **_entry(record)}
    yield RawArticle(id=url_id(uri), source=uri, html=html, meta=meta)


def _entry(record) -> dict:
    try:
        entry = json.loads(record.rec_headers.get_header(ENTRY_HEADER) or "{}")
    except ValueError:
        return {}
    return {k: v for k, v in entry.items() if k in ("title", "published", "language") and isinstance(v, str)} \
        if isinstance(entry, dict) else {}


def write_archive(path: Path, kept: list[Kept], skipped) -> None:
    """Write the ``kept`` responses and the ``skipped`` (url, reason) pairs as one gzipped WARC
    at ``path``, atomically (a temporary file renamed over it)."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(temporary, "wb") as fh:
        _write_records(fh, kept, skipped)
    os.replace(temporary, path)


def append_records(path: Path, kept: list[Kept], skipped) -> None:
    """Append responses and skips to the archive at ``path`` (a gzipped WARC is a series of gzip
    members, so the bytes already there are not touched); on failure it is cut back to what it was."""
    with open(path, "ab") as fh:
        size = fh.tell()
        try:
            _write_records(fh, kept, skipped)
        except BaseException:
            fh.truncate(size)
            raise


def _write_records(fh, kept: list[Kept], skipped) -> None:
    writer = WARCWriter(fh, gzip=True, warc_version="WARC/1.1")
    for item in kept:
        response = item.page
        headers = [(k, v) for k, v in response.headers if k.lower() not in _FRAMING]
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": item.date} if item.date else {}
        if item.entry:
            warc_headers[ENTRY_HEADER] = json.dumps(item.entry, sort_keys=True)
        if response.requested and response.requested != response.url:
            warc_headers[REQUESTED_HEADER] = response.requested
        writer.write_record(writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(response.body), length=len(response.body),
            http_headers=http, warc_headers_dict=warc_headers))
    for url, reason in skipped:
        writer.write_record(writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(b""), length=0, warc_content_type="text/plain",
            warc_headers_dict={SKIPPED_HEADER: reason}))
    fh.flush()
    os.fsync(fh.fileno())


@dataclass(frozen=True)
class Held:
    """What a cache archive holds: the latest response for each URL asked for (a later record of
    the same URL supersedes an earlier one), the (url, reason) skips, and how many records the
    file has, superseded ones included."""

    kept: list[Kept]
    skipped: list
    records: int


def read_responses(path: Path) -> Held:
    """What a cache archive written by ``write_archive`` (and ``append_records``) holds."""
    from .fetch import Response

    latest: dict[str, Kept] = {}
    skipped, records = [], 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            records += 1
            uri = record.rec_headers.get_header("WARC-Target-URI")
            reason = record.rec_headers.get_header(SKIPPED_HEADER)
            if record.rec_type == "metadata" and reason:
                skipped.append((uri, reason))
            if record.rec_type != "response" or record.http_headers is None:
                continue
            requested = record.rec_headers.get_header(REQUESTED_HEADER) or uri
            page = Response(uri, 200, tuple(record.http_headers.headers), record.content_stream().read(), requested)
            latest.pop(requested, None)  # in the order of the latest records
            latest[requested] = Kept(page, record.rec_headers.get_header("WARC-Date"), _entry(record))
    return Held(list(latest.values()), skipped, records)


#: An archive is rewritten whole (its superseded records dropped) rather than appended to once it
#: would hold more than this many times the records its current content needs.
COMPACT_RATIO = 2


def update_archive(path: Path, held: Held | None, kept: list[Kept], skipped) -> str:
    """Bring the archive at ``path`` (holding ``held``, or None when there is none) to ``kept`` and
    ``skipped``: "" when it already holds them, "appended" when new records at its end suffice,
    "rewritten" otherwise.

    Appending suffices when nothing it holds is dropped (no URL and no skip that is gone) and no
    article page is superseded (a rebuild reads every page record, so a superseded page would be
    read twice): new pages, new skips, newer copies of feeds and sitemaps. Otherwise, and when
    superseded records would pass ``COMPACT_RATIO``, it is rewritten: URLs no longer listed or
    fetched and superseded copies are pruned.
    """
    new = {k.page.requested: _signature(k) for k in kept}
    if held is not None:
        old = {k.page.requested: _signature(k) for k in held.kept}
        old_skips, new_skips = set(map(tuple, held.skipped)), set(map(tuple, skipped))
        if old == new and old_skips == new_skips:
            return ""
        changed = [k for k in kept if old.get(k.page.requested) != new[k.page.requested]]
        added_skips = [s for s in skipped if tuple(s) not in old_skips]
        if (old.keys() <= new.keys() and old_skips <= new_skips
                and not any(k.page.requested in old and _is_page(k) for k in changed)
                and held.records + len(changed) + len(added_skips) <= COMPACT_RATIO * (len(kept) + len(new_skips))):
            append_records(path, changed, added_skips)
            return "appended"
    write_archive(path, kept, skipped)
    return "rewritten"


def _is_page(kept: Kept) -> bool:
    return listing.kind_of(kept.page.body, kept.page.header("content-type") or "") == listing.HTML


def _signature(kept: Kept) -> tuple:
    """What a record holds, without its fetch time: equal signatures, nothing to write."""
    return (kept.page.url, hashlib.blake2b(kept.page.body, digest_size=16).hexdigest(), sorted(kept.entry.items()))

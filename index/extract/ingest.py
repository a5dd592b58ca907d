"""Ingest stage: bring the fetch cache of each URL source up to date, before a rebuild reads it.

Each URL source (a feed, a sitemap or sitemap index, or one article page)
has one WARC archive in ``<index dir>/fetched/``, holding every response
fetched for it (listing documents and article pages) and a record for each
URL that could not be fetched, with the reason. The rebuild reads these
archives like any WARC file (warc.py), so a ``--full`` rebuild, a rollback
or a change of the cleaner never needs the network.

A refresh asks again, conditionally (ETag / Last-Modified), for the listing
documents; pages already held stay when the feed no longer lists them
(feeds list only their latest items); pages that failed before are retried,
new ones fetched. Pages already held are re-checked for edits, conditionally,
on a bounded schedule (``due``): those published within
``FetchSettings.recheck_days`` on every refresh, older ones once the time
since their last check reaches ``RECHECK_FRACTION`` of their age — so the
checks of one page grow geometrically apart over its life, and a refresh of
an old archive costs a few 304s. A failed re-check keeps the copy held (and
is reported).

An archive is written only when what it holds changed — appended to when
new records suffice, else rewritten with what is gone or superseded pruned
(``warc.update_archive``) — so the rebuild's own change detection
(sources.py: size and mtime) sees an unchanged source and makes no new
generation. A URL listed by two sources is fetched once per refresh. The
archives of URL sources that no generation kept was built from are deleted
after a rebuild (``prune_cache``).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import listing
from ..store import generations
from .fetch import Fetcher, FetchError, FetchSettings, Response
from .warc import Kept, read_responses, update_archive, url_id

CACHE = "fetched"
ROBOTS = "robots.json"
#: How deep sitemap indexes may nest (an index of indexes of sitemaps is 2).
MAX_DEPTH = 3
#: A page older than the re-check window is re-checked once the time since its last check is at
#: least this share of its age (a month-old page weekly, a year-old one quarterly).
RECHECK_FRACTION = 0.25


@dataclass
class Fetched:
    """How one URL source's refresh went; saved beside its archive for ``status``."""

    source: str
    archive: str
    fetched_at: str
    kind: str = ""  # feed, sitemap, sitemap index, html
    status: int | str = ""  # the HTTP status of the source URL itself (304: unchanged), or the error
    changed: bool = False  # whether the archive changed
    written: str = ""  # how: "appended" to, or "rewritten" whole (pruned); "" when unchanged
    requests: int = 0
    conditional: int = 0
    articles: int = 0  # article pages the archive holds
    skipped: list = field(default_factory=list)  # [url, reason]
    rechecked: int = 0  # article pages held that were asked for again (for edits)
    #: When each article page held was last fetched or re-checked (ISO 8601, UTC), by URL: the
    #: re-check schedule's memory, kept here so that a 304 never rewrites the archive.
    checked: dict = field(default_factory=dict)


def cache_dir(index_dir: Path) -> Path:
    return Path(index_dir) / CACHE


def archive_path(index_dir: Path, url: str) -> Path:
    """The archive of a URL source: a readable name, made unique by a hash of the whole URL."""
    name = url_id(url)[:60].rstrip("-.")
    return cache_dir(index_dir) / f"{name}-{hashlib.blake2b(url.encode(), digest_size=6).hexdigest()}.warc.gz"


def report_path(archive: Path) -> Path:
    """Where the last refresh report of the source whose archive is ``archive`` is kept."""
    return archive.with_name(archive.name.removesuffix(".warc.gz") + ".json")


def _last_checks(archive: Path) -> dict:
    """The ``checked`` map of the source's last refresh report ({} when there is none)."""
    try:
        checked = json.loads(report_path(archive).read_text(encoding="utf-8")).get("checked")
    except (OSError, ValueError, AttributeError):
        return {}
    return checked if isinstance(checked, dict) else {}


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(value) -> dt.datetime | None:
    """An ISO 8601 or RFC 2822 date as an aware UTC datetime (a bare date is midnight UTC), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            stamp = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)


def due(published: str | None, first_fetched: str | None, last_checked: str | None, window_days: float,
        at: dt.datetime | None = None) -> bool:
    """Is a page held due a re-check for edits? Its age counts from the date its listing gives
    (else from when it was fetched): within ``window_days`` always; older once the time since its
    last check reaches ``RECHECK_FRACTION`` of its age."""
    at = at or dt.datetime.now(dt.timezone.utc)
    born = _moment(published) or _moment(first_fetched)
    if born is None:
        return True
    age = at - born
    if age <= dt.timedelta(days=window_days):
        return True
    checked = _moment(last_checked) or _moment(first_fetched) or born
    return at - checked >= RECHECK_FRACTION * age


def refresh(urls: list[str], index_dir: Path, settings: FetchSettings) -> list[Fetched]:
    """Refresh the archive of every URL source; one Fetched report each (also saved as JSON)."""
    cache = cache_dir(index_dir)
    cache.mkdir(parents=True, exist_ok=True)
    robots_path = cache / ROBOTS
    try:
        robots = json.loads(robots_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        robots = {}
    memo = _Memo()
    reports = []
    with Fetcher(settings, robots) as fetcher, ThreadPoolExecutor(max(1, settings.concurrency)) as pool:
        for url in urls:
            before = len(fetcher.log)
            report = _refresh_one(url, archive_path(index_dir, url), fetcher, pool, memo)
            sent = fetcher.log[before:]
            report.requests, report.conditional = len(sent), sum(1 for r in sent if r.conditional)
            report_path(Path(report.archive)).write_text(json.dumps(asdict(report), ensure_ascii=False),
                                                         encoding="utf-8")
            reports.append(report)
    robots_path.write_text(json.dumps(robots), encoding="utf-8")
    return reports


class _Memo:
    """Pages fetched in this refresh, by URL, so a page two sources list is requested once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages: dict[tuple, Response | FetchError] = {}
        self.claims: dict[tuple, threading.Event] = {}

    def get(self, fetcher: Fetcher, url: str, etag: str | None = None,
            last_modified: str | None = None) -> Response | FetchError:
        """The page (a 304 is only an answer to the same validators: they are part of the key)."""
        key = (url, etag, last_modified)
        with self.lock:
            waiting = self.claims.get(key)
            if waiting is None:
                self.claims[key] = threading.Event()
        if waiting is not None:
            waiting.wait()
            return self.pages[key]
        try:
            self.pages[key] = fetcher.get(url, etag, last_modified)
        except FetchError as exc:
            self.pages[key] = exc
        self.claims[key].set()
        return self.pages[key]


def _refresh_one(url: str, path: Path, fetcher: Fetcher, pool, memo: _Memo) -> Fetched:
    report = Fetched(url, str(path), now())
    archive = read_responses(path) if path.exists() else None
    old_kept = archive.kept if archive else []
    old = {k.page.requested: k for k in old_kept}
    listings, entries, skipped = [], {}, []  # entries: article URL → what its listing says (or the page itself)
    queue = [(url, 0)]
    while queue:
        where, depth = queue.pop(0)
        held = old.get(where)
        validators = {}
        if held:
            validators = {"etag": held.page.header("etag"), "last_modified": held.page.header("last-modified")}
        try:
            answer = fetcher.get(where, **validators)
        except FetchError as exc:
            if where == url:
                report.status = exc.reason
            if not held:
                skipped.append((where, exc.reason))
                continue
            skipped.append((where, f"{exc.reason} (kept the copy fetched {held.date})"))
            answer = replace(held.page, status=304)  # the last good copy stands in
        if where == url and not report.status:
            report.status = answer.status
        kept = held if answer.status == 304 else Kept(answer, now())
        page = kept.page
        kind = listing.kind_of(page.body, page.header("content-type") or "")
        if where == url:
            report.kind = kind
        try:
            if kind == listing.FEED:
                found = listing.feed_entries(page.body, page.url)
            elif kind == listing.SITEMAP:
                found = listing.sitemap_entries(page.body)
            elif kind == listing.SITEMAP_INDEX and depth < MAX_DEPTH:
                queue.extend((child, depth + 1) for child in listing.sitemap_children(page.body))
                found = []
            elif kind == listing.HTML and where == url:
                entries.setdefault(url, page)
                continue
            else:
                skipped.append((where, f"not a feed, sitemap or article page ({kind}, "
                                       f"{page.header('content-type') or 'no content type'})"))
                continue
        except listing.ListingError as exc:
            skipped.append((where, str(exc)))
            continue
        listings.append(kept)
        for entry in found:
            entries.setdefault(entry.url, entry.meta())
    for held in old_kept:  # a feed lists only its latest items: what left it stays indexed, as it was listed
        if held.page.requested not in entries and \
                listing.kind_of(held.page.body, held.page.header("content-type") or "") == listing.HTML:
            entries[held.page.requested] = held.entry
    report.checked = _last_checks(path)
    notes: list = []  # problems reported but not kept in the archive (a failed re-check keeps its copy)
    articles = _articles(entries, old, _Fetching(fetcher, pool, memo), report, skipped, notes)
    report.articles = len(articles)
    report.skipped = [list(s) for s in skipped + notes]
    kept_all = listings + articles
    report.written = update_archive(path, archive, kept_all, skipped)
    report.changed = bool(report.written)
    return report


@dataclass(frozen=True)
class _Fetching:
    """What fetching article pages needs: the polite client, the thread pool, this refresh's memo."""

    fetcher: Fetcher
    pool: object
    memo: _Memo

    def get_all(self, asks: list[tuple[str, Kept | None]]) -> list[Response | FetchError]:
        """Each (url, copy held or None) fetched concurrently, conditionally on the copy held."""
        def one(ask):
            url, held = ask
            validators = {"etag": held.page.header("etag"), "last_modified": held.page.header("last-modified")} \
                if held else {}
            return self.memo.get(self.fetcher, url, **validators)
        return list(self.pool.map(one, asks))


def _articles(entries: dict, old: dict, fetching: _Fetching, report: Fetched, skipped: list,
              notes: list) -> list[Kept]:
    """The article pages of a source, in the order of ``entries``: held ones kept (re-checked for edits
    when ``due``), the rest fetched (concurrently, politely). ``report.checked`` is brought up to date."""
    settled: dict[str, Kept] = {}
    asks = []
    window = fetching.fetcher.settings.recheck_days
    for url, entry in entries.items():
        held = old.get(url)
        if isinstance(entry, Response):  # the source URL itself is the article: just fetched
            settled[url] = Kept(entry, held.date if held and held.page.body == entry.body else now())
        elif held and not due(entry.get("published"), held.date, report.checked.get(url), window):
            settled[url] = Kept(held.page, held.date, entry)
        else:
            asks.append((url, held))
    report.rechecked = sum(1 for _, held in asks if held)
    for (url, held), result in zip(asks, fetching.get_all(asks)):
        if isinstance(result, FetchError):
            if held:
                settled[url] = Kept(held.page, held.date, entries[url])
                notes.append((url, f"re-check failed: {result.reason} (kept the copy fetched {held.date})"))
            else:
                skipped.append((url, result.reason))
            continue
        report.checked[url] = now()
        if held and (result.status == 304 or result.body == held.page.body):
            settled[url] = Kept(held.page, held.date, entries[url])
        elif listing.kind_of(result.body, result.header("content-type") or "") != listing.HTML:
            skipped.append((url, f"not an HTML page ({result.header('content-type') or 'no content type'})"))
        else:
            settled[url] = Kept(result, now(), entries[url])
    report.checked = {url: report.checked[url] for url in settled if url in report.checked}
    return [settled[url] for url in entries if url in settled]


def prune_cache(index_dir: Path) -> list[str]:
    """Delete the archives (and reports) of URL sources that neither the live nor the previous
    generation was built from — what no rebuild, rollback or repeat of their sources reads again.
    Call with the rebuild lock held, after a rebuild; returns the names deleted."""
    referenced = set()
    try:
        kept = [generations.live_generation(index_dir), generations.previous_generation(index_dir)]
    except generations.NoIndex:
        return []
    for generation in filter(None, kept):
        try:
            info = json.loads((generation / generations.BUILD_INFO).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []  # cannot tell what it needs: keep everything
        referenced.update(os.path.abspath(p) for p in info.get("sources", []))
    deleted = []
    for archive in sorted(cache_dir(index_dir).glob("*.warc.gz")):
        if os.path.abspath(archive) not in referenced:
            archive.unlink(missing_ok=True)
            report_path(archive).unlink(missing_ok=True)
            deleted.append(archive.name)
    return deleted


def load_reports(index_dir: Path) -> dict[str, dict]:
    """The last refresh report of every URL source, by source URL."""
    out = {}
    for path in sorted(cache_dir(index_dir).glob("*.json")):
        if path.name == ROBOTS:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "source" in data:
            out[data["source"]] = data
    return out


def roots_of(specs, index_dir: Path, settings: FetchSettings | None, progress) -> tuple[list[Path], list[dict]]:
    """The paths a rebuild reads for ``specs`` (sourcefile.Source), one per spec, in order:
    local ones as given, URL ones as their archives after a refresh; and the refresh reports."""
    urls = [s.location for s in specs if s.is_url]
    reports = []
    if urls:
        progress.phase(f"fetching {len(urls)} URL sources")
        reports = refresh(urls, index_dir, settings or FetchSettings.from_env())
    archives = {r.source: Path(r.archive) for r in reports}
    roots = [archives[s.location] if s.is_url else Path(s.location) for s in specs]
    return roots, [{k: v for k, v in asdict(r).items() if k != "checked"} for r in reports]  # the map stays on disk

"""Fetch stage: get web pages politely, within bounds, for the URL sources of a rebuild.

Politeness and bounds, each a setting (``FetchSettings``, from ``LEDE_FETCH_*``
variables or the sources file's ``[fetch]`` table):

- robots.txt is obeyed for every URL, redirects included (RFC 9309: a missing
  robots.txt allows everything, an unreachable one disallows everything); its
  ``Crawl-delay`` lengthens the per-host delay; an answer is kept (in the
  cache beside the index) and used for up to 24 hours, then asked for again
  conditionally;
- one request at a time per host, ``delay`` seconds apart, and at most
  ``concurrency`` hosts at once;
- a User-Agent naming Lede and the operator's contact address;
- a timeout per request, a size cap per response (streamed, so an oversized
  page is never held whole), at most ``max_redirects`` redirects, loops refused,
  http and https only;
- 429 and 5xx answers retried with exponential backoff, waiting what
  ``Retry-After`` asks when it asks for no more than ``max_wait`` seconds;
- conditional requests: ``get`` takes the ETag and Last-Modified of the copy
  already held and returns a 304 response when it is still current.

Every problem is a ``FetchError`` naming the URL and the reason; nothing is retried forever.
"""
from __future__ import annotations

import email.utils
import os
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field, fields, replace
from urllib.parse import urljoin, urlsplit

import httpx

from .read import MAX_ARTICLE_BYTES, SourceError

AGENT = "Lede"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Seconds a robots.txt answer is used before it is asked for again (RFC 9309 2.4: at most 24 hours).
ROBOTS_TTL = 24 * 3600


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how far Lede fetches; each field is also ``LEDE_FETCH_<NAME>``."""

    contact: str = ""  # an e-mail or URL site owners can reach the operator at (in the User-Agent)
    delay: float = 1.0  # seconds between two requests to one host
    concurrency: int = 4  # hosts fetched from at once
    timeout: float = 20.0  # seconds to connect, and between two reads of one response
    max_bytes: int = MAX_ARTICLE_BYTES  # largest response body kept
    max_redirects: int = 5
    retries: int = 3  # further attempts after a 429, a 5xx or a network error
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_wait: float = 60.0  # longest Retry-After honoured; a longer one gives up on the URL
    #: Article pages published within this many days are re-checked for edits on every refresh
    #: (conditionally: an unchanged page costs one 304); older ones at growing intervals (ingest.py).
    recheck_days: float = 7.0

    @classmethod
    def from_env(cls, table: dict | None = None, environ=os.environ) -> "FetchSettings":
        """Defaults, then the sources file's ``[fetch]`` table, then ``LEDE_FETCH_*`` (``LEDE_CONTACT``)."""
        values = dict(table or {})
        for f in fields(cls):
            env = "LEDE_CONTACT" if f.name == "contact" else f"LEDE_FETCH_{f.name.upper()}"
            if environ.get(env):
                values[f.name] = environ[env]
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown fetch setting {sorted(unknown)[0]!r}")
        out = {}
        for f in fields(cls):
            if f.name not in values:
                continue
            kind = type(getattr(cls, f.name))
            try:
                out[f.name] = kind(values[f.name])
            except (TypeError, ValueError):
                raise ValueError(f"fetch setting {f.name} must be a {kind.__name__}, "
                                 f"not {values[f.name]!r}") from None
            if kind is not str and out[f.name] < 0:
                raise ValueError(f"fetch setting {f.name} must not be negative")
        return cls(**out)

    @property
    def user_agent(self) -> str:
        contact = f"; {self.contact}" if self.contact else ""
        return f"{AGENT}/0.1 (news search indexer{contact})"


class FetchError(SourceError):
    """A URL that could not be fetched (``where``: the URL)."""


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 for a conditional request whose copy is current
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    requested: str = ""  # the URL asked for

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass
class Request:
    """One request sent, as the fetcher's log keeps it (tests and ``status`` read it)."""

    url: str
    conditional: bool
    status: int | str


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)  # held while a request to the host runs
    robots_lock: threading.Lock = field(default_factory=threading.Lock)  # held while robots.txt is read
    next_at: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_problem: str = ""  # why robots.txt could not be read (then nothing is fetched from the host)
    delay: float = 0.0


class Fetcher:
    """A polite HTTP client with connection reuse; use as a context manager; thread-safe."""

    def __init__(self, settings: FetchSettings, robots_cache: dict | None = None):
        self.settings = settings
        self.client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(settings.timeout), follow_redirects=False,
            limits=httpx.Limits(max_connections=max(1, settings.concurrency) * 2))
        self.hosts: dict[str, _Host] = {}
        self.hosts_lock = threading.Lock()
        self.robots_cache = robots_cache if robots_cache is not None else {}  # origin → validators + text
        self.log: list[Request] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()

    def _host(self, origin: str) -> _Host:
        with self.hosts_lock:
            return self.hosts.setdefault(origin, _Host(delay=self.settings.delay))

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """The page at ``url`` after redirects, or a 304 Response when the copy held is current.

        Raises FetchError for anything else: not http(s), disallowed by
        robots.txt, too many redirects or a loop, a timeout, an error status,
        a body over the size cap.
        """
        seen = [url]
        current = url
        for _ in range(self.settings.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                raise FetchError(current, "only http and https URLs are fetched")
            origin = _origin(current)
            host = self._host(origin)
            self._check_robots(current, origin, host)
            answer = self._send(current, host, etag, last_modified)
            if isinstance(answer, Response):
                return replace(answer, requested=url)
            target = urljoin(current, answer)
            if target in seen:
                raise FetchError(url, f"redirect loop ({' → '.join(seen + [target])})")
            seen.append(target)
            current = target  # the validators held are the final page's: they go on to the target
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    def _check_robots(self, url: str, origin: str, host: _Host) -> None:
        if host.robots is None:
            with host.robots_lock:
                if host.robots is None:
                    host.robots = self._robots(origin, host)
        if host.robots_problem:
            raise FetchError(url, f"{origin}/robots.txt could not be read ({host.robots_problem}): "
                                  "nothing is fetched from this host until it can")
        if not host.robots.can_fetch(AGENT, url):
            raise FetchError(url, f"disallowed by {origin}/robots.txt")

    def _robots(self, origin: str, host: _Host) -> urllib.robotparser.RobotFileParser:
        """The parsed robots.txt of ``origin`` (fetched conditionally against ``robots_cache``)."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        held = self.robots_cache.get(origin, {})
        if held and time.time() - held.get("checked", 0) < ROBOTS_TTL:
            text = held.get("text", "")
        else:
            try:
                answer = self._robots_answer(origin, host, held)
            except FetchError as exc:
                if not exc.reason.startswith("HTTP 4"):
                    host.robots_problem = exc.reason  # unreachable: assume complete disallow (RFC 9309 2.3.1.4)
                    parser.disallow_all = True
                    return parser
                answer = None  # RFC 9309 2.3.1.3: "unavailable" (4xx) means no restriction
            if answer is None or isinstance(answer, str):  # missing, or redirected too often: no rules
                text, validators = "", {}
            elif answer.status == 304:
                text, validators = held.get("text", ""), {k: held.get(k) for k in ("etag", "last_modified")}
            else:
                text = answer.body.decode("utf-8", "replace")
                validators = {"etag": answer.header("etag"), "last_modified": answer.header("last-modified")}
            self.robots_cache[origin] = {**validators, "text": text, "checked": time.time()}
        parser.parse(text.splitlines())
        crawl_delay = parser.crawl_delay(AGENT)
        if crawl_delay:
            host.delay = max(host.delay, min(float(crawl_delay), self.settings.max_wait))
        return parser

    def _robots_answer(self, origin: str, host: _Host, held: dict) -> Response | str:
        """robots.txt, following up to five redirects (RFC 9309 2.3.1.2), e.g. http → https."""
        url = origin + "/robots.txt"
        answer = self._send(url, host, held.get("etag"), held.get("last_modified"), retries=1)
        for _ in range(5):
            if not isinstance(answer, str):
                break
            url = urljoin(url, answer)
            if urlsplit(url).scheme not in ("http", "https"):
                break
            answer = self._send(url, self._host(_origin(url)), None, None, retries=1)
        return answer

    def _send(self, url: str, host: _Host, etag, last_modified, retries: int | None = None) -> Response | str:
        """One URL, retried on 429/5xx/network errors; a Response, or the Location of a redirect."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = (self.settings.retries if retries is None else retries) + 1
        for attempt in range(attempts):
            with host.lock:
                wait = host.next_at - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                try:
                    answer = self._once(url, headers)
                    problem, retry_after = None, None
                except FetchError as exc:
                    problem, retry_after, answer = exc, getattr(exc, "retry_after", None), None
                finally:
                    host.next_at = time.monotonic() + host.delay
            if problem is None:
                return answer
            retryable = getattr(problem, "retryable", False)
            if not retryable or attempt + 1 == attempts:
                raise problem
            pause = self.settings.backoff * 2 ** attempt if retry_after is None else retry_after
            if pause > self.settings.max_wait:
                raise FetchError(url, f"{problem.reason}; asked to wait {pause:.0f}s, more than "
                                      f"{self.settings.max_wait:.0f}s")
            time.sleep(pause)
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict) -> Response | str:
        conditional = bool(headers)
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                status = r.status_code
                self.log.append(Request(url, conditional, status))
                if 300 <= status < 400 and status != 304:
                    location = r.headers.get("location")
                    if not location:
                        raise FetchError(url, f"HTTP {status} without a Location")
                    return location
                if status in RETRY_STATUSES:
                    raise _retryable(url, f"HTTP {status} {r.reason_phrase}".strip(), r.headers.get("retry-after"))
                if status not in (200, 304):
                    raise FetchError(url, f"HTTP {status} {r.reason_phrase}".strip())
                body = self._read_capped(url, r) if status == 200 else b""
                return Response(str(r.url), status, tuple(r.headers.multi_items()), body, url)
        except httpx.TimeoutException:
            self.log.append(Request(url, conditional, "timeout"))
            raise _retryable(url, f"timed out after {self.settings.timeout:g}s", None) from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            self.log.append(Request(url, conditional, "error"))
            raise _retryable(url, f"network error: {exc or type(exc).__name__}", None) from None

    def _read_capped(self, url: str, r: httpx.Response) -> bytes:
        cap = self.settings.max_bytes
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(url, f"{int(declared)} bytes is more than the {cap}-byte limit per page")
        chunks, size = [], 0
        for chunk in r.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(url, f"more than the {cap}-byte limit per page")
            chunks.append(chunk)
        return b"".join(chunks)


def _retryable(url: str, reason: str, retry_after: str | None) -> FetchError:
    exc = FetchError(url, reason)
    exc.retryable = True
    exc.retry_after = retry_after_seconds(retry_after)
    return exc


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds from now: a number of seconds, or an HTTP date; None if absent or garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()

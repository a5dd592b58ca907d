"""Listings: tell a feed, a sitemap, a sitemap index and an article page apart, and read the lists.

A URL source is recognised by what it serves, not by how its URL is spelt:
the root element of an XML document (``rss``, ``feed``, ``rdf:RDF``, ``urlset``,
``sitemapindex``), else HTML. RSS and Atom are read by feedparser (which copes
with the malformed feeds of the real world); sitemaps by lxml, including Google
News sitemaps' ``news:title`` and ``news:publication_date``.

An ``Entry`` is what a listing says about one article: its URL, and the title
and date it gives (the most trusted date Lede knows of an article: see metadata.py).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import feedparser
from lxml import etree

FEED, SITEMAP, SITEMAP_INDEX, HTML, OTHER = "feed", "sitemap", "sitemap index", "html", "other"

_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_ROOT = re.compile(rb"<\s*([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_SKIP_HEAD = re.compile(rb"\A(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S | re.I)
#: The most entries one listing yields: a listing is news, not an archive's whole history.
MAX_ENTRIES = 10_000


class ListingError(Exception):
    """A feed or sitemap that could not be read; ``str()`` is the reason."""


@dataclass(frozen=True)
class Entry:
    url: str
    title: str = ""
    published: str = ""  # ISO 8601, UTC when the listing gave a zone
    language: str = ""  # as the feed or news sitemap states it

    def meta(self) -> dict:
        return {k: v for k, v in (("title", self.title), ("published", self.published),
                                  ("language", self.language)) if v}


def kind_of(body: bytes, content_type: str = "") -> str:
    """FEED, SITEMAP, SITEMAP_INDEX, HTML or OTHER, from the document's first element."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf")
    match = _ROOT.match(head, _SKIP_HEAD.match(head).end())
    name = match.group(2).decode("ascii").lower() if match else ""
    if name in ("rss", "feed", "rdf"):
        return FEED
    if name == "urlset":
        return SITEMAP
    if name == "sitemapindex":
        return SITEMAP_INDEX
    if name in ("html", "head", "body") or "html" in content_type.lower():
        return HTML
    return OTHER


def feed_entries(body: bytes, base: str) -> list[Entry]:
    """The articles an RSS or Atom feed lists; ListingError when it is not a readable feed."""
    parsed = feedparser.parse(body, response_headers={"content-location": base})
    out = []
    for item in parsed.entries[:MAX_ENTRIES]:
        link = item.get("link") or ""
        if not link.startswith(("http://", "https://")):
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = (dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.timezone.utc).isoformat()
                     if stamp else "")
        out.append(Entry(link.split("#")[0], " ".join((item.get("title") or "").split()), published,
                         item.get("language") or parsed.feed.get("language") or ""))
    if not out:
        problem = parsed.get("bozo_exception")
        raise ListingError(f"malformed feed: {problem}" if problem else "feed lists no items with http(s) links")
    return out


def _parse_xml(body: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ListingError(f"malformed sitemap: {exc}") from None


def sitemap_entries(body: bytes) -> list[Entry]:
    """The pages a sitemap (``urlset``) lists, with Google News titles and dates when given."""
    root = _parse_xml(body)
    out = []
    for url in root.iter(f"{_SM}url"):
        loc = (url.findtext(f"{_SM}loc") or "").strip()
        if not loc.startswith(("http://", "https://")):
            continue
        title = url.findtext(f"{_NEWS}news/{_NEWS}title") or ""
        published = url.findtext(f"{_NEWS}news/{_NEWS}publication_date") or ""
        language = url.findtext(f"{_NEWS}news/{_NEWS}publication/{_NEWS}language") or ""
        out.append(Entry(loc, " ".join(title.split()), published.strip(), language.strip()))
        if len(out) >= MAX_ENTRIES:
            break
    return out


def sitemap_children(body: bytes) -> list[str]:
    """The sitemaps a sitemap index lists."""
    root = _parse_xml(body)
    locs = ((s.findtext(f"{_SM}loc") or "").strip() for s in root.iter(f"{_SM}sitemap"))
    return [loc for loc in locs if loc.startswith(("http://", "https://"))][:MAX_ENTRIES]

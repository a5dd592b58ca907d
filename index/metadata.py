"""Metadata: what a page or a text says about its outlet, section, date, author and headline.

Sources are consulted in a fixed order and the first answer wins: the feed
or manifest (``RawArticle.meta``), then the page's own metadata (Open Graph
and ``article:`` tags, JSON-LD ``NewsArticle``, ``<title>``), then signatures
in the text ("Read more at DailyMail.co.uk"). Whatever none of them states is
left "unknown" (or empty) — never guessed.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from bs4 import BeautifulSoup, SoupStrainer

from . import rules
from .html import make_soup

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\b|T)")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T|\s|$)")
_MONTH_FIRST = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "opinionnewsarticle", "backgroundnewsarticle", "webpage", "liveblogposting"}


def normalise_date(value) -> str | None:
    """A date in any common form ('2019-12-31T18:03Z', 'Dec. 31, 2019', '31 December 2019') as YYYY-MM-DD, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for pattern, order in ((_ISO, "ymd"), (_COMPACT, "ymd"), (_MONTH_FIRST, "mdy"), (_DAY_FIRST, "dmy")):
        match = pattern.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = parts["m"]
        if not month.isdigit():
            month = _MONTHS.get(month[:3].lower())
            if month is None:
                continue
        try:
            return dt.date(int(parts["y"]), int(month), int(parts["d"])).isoformat()
        except ValueError:
            continue
    return None


def outlet_for_site(site: str) -> str:
    """The outlet a web address names: 'DailyMail.co.uk' → 'Daily Mail'; unknown sites as written."""
    host = site.lower().removeprefix("www.").rstrip(".")
    for known, outlet in rules.SITE_OUTLETS.items():
        if host == known or host.endswith("." + known):
            return outlet
    return site


def outlet_in_credit(contributors: str) -> str | None:
    """The outlet named possessively in a contributor line ("CNBC's Amanda Macias …"), if it is a known one."""
    for outlet in rules.KNOWN_OUTLETS:
        if re.match(rf"^{re.escape(outlet)}['’]s\s", contributors):
            return outlet
    return None


# --- HTML ----------------------------------------------------------------------

HEAD_TAGS = SoupStrainer(["meta", "title", "script", "link"])


def _name(value) -> str:
    """A JSON-LD person/organisation (string, dict or list of them) as display text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return _name(value.get("name", ""))
    if isinstance(value, list):
        return ", ".join(n for n in (_name(v) for v in value) if n)
    return ""


def _json_ld_articles(soup) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kinds = node.get("@type", "")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                found.append(node)
            walk(node.get("@graph", []))

    for script in soup.find_all("script", type=re.compile("ld\\+json", re.I)):
        try:
            walk(json.loads(script.string or ""))
        except ValueError:
            continue
    # Prefer news articles over generic web pages.
    found.sort(key=lambda n: "webpage" in str(n.get("@type", "")).lower())
    return found


def html_metadata(html: str) -> dict:
    """Outlet, section, published, byline, title and url as the page's own metadata states them."""
    return page_metadata(make_soup(html, HEAD_TAGS))


def page_metadata(soup: BeautifulSoup) -> dict:
    """``html_metadata`` of a parsed page (it needs only the ``HEAD_TAGS``).

    Keys are present only when the page states a value.
    """
    meta = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        value = (tag.get("content") or "").strip()
        if key and value:
            meta.setdefault(key, value)
    found = {}

    def put(key, value):
        if isinstance(value, str) and value.strip() and key not in found:
            found[key] = " ".join(value.split())

    # The order: Open Graph / article: tags, then JSON-LD, then <title>.
    put("outlet", meta.get("og:site_name"))
    put("section", meta.get("article:section"))
    put("published", normalise_date(meta.get("article:published_time")))
    for node in _json_ld_articles(soup):
        put("outlet", _name(node.get("publisher")))
        section = node.get("articleSection")
        put("section", section[0] if isinstance(section, list) and section else section)
        put("published", normalise_date(node.get("datePublished")))
        put("byline", _name(node.get("author")))
        put("title", node.get("headline"))
        put("url", node.get("url") if isinstance(node.get("url"), str) else None)
    put("outlet", meta.get("application-name"))
    put("published", normalise_date(meta.get("datepublished") or meta.get("pubdate") or meta.get("date")))
    author = meta.get("author", "")
    put("byline", None if author.startswith("http") else author)
    put("title", meta.get("og:title") or (soup.title.get_text(" ", strip=True) if soup.title else None))
    link = soup.find("link", rel="canonical")
    put("url", meta.get("og:url") or (link.get("href") if link else None))
    return found

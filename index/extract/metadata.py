"""Metadata: what a page or a text says about its outlet, section, date, author and headline.

Sources are consulted in a fixed order and the first answer that can be
trusted wins: the sources file's overrides, the feed, sitemap or manifest
(``RawArticle.meta``), then the page's own metadata (Open Graph and
``article:`` tags, JSON-LD ``NewsArticle``, ``<time>``, ``<title>``), then
signatures in the text ("Read more at DailyMail.co.uk"), then (for the
outlet) the host of the article's URL. Whatever none of them states is left
"unknown" (or empty) — never guessed.

An answer that cannot be trusted is passed over: a date in the future or
before 1800 (recorded as a removal with reason ``date``), an outlet that is a
"@handle" or a pipe-joined list, a section that is a keyword list or a URL.
Dates are normalised to UTC; mojibake is repaired with ftfy (``repair``).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from urllib.parse import urlsplit

from . import page_rules, rules
from ..article import UNKNOWN
from .read import repair

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\b|T)")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T|\s|$)")
_MONTH_FIRST = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def normalise_date(value) -> str | None:
    """A date in any common form ('2019-12-31T18:03Z', 'Dec. 31, 2019', '31 December 2019') as YYYY-MM-DD, else None.

    A time with a zone is converted to UTC first ('2019-12-31T23:30-05:00' is 2020-01-01).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    stamp = _zoned(text)
    if stamp is not None:
        return stamp.astimezone(dt.timezone.utc).date().isoformat()
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


def _zoned(text: str) -> dt.datetime | None:
    """An ISO 8601 or RFC 2822 timestamp that names its zone, else None."""
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        try:
            stamp = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return stamp if stamp.tzinfo is not None else None


def implausible(date: str) -> str:
    """Why a YYYY-MM-DD date cannot be an article's publication date ("" when it can)."""
    day = dt.date.fromisoformat(date)
    if day.year < page_rules.EARLIEST_YEAR:
        return f"published date {date} is before {page_rules.EARLIEST_YEAR}"
    if day > (dt.datetime.now(dt.timezone.utc) + page_rules.FUTURE_SLACK).date():
        return f"published date {date} is in the future"
    return ""


#: An English contraction or possessive wrongly capitalised by title-casing: "Can'T", "Texaco'S".
_CAPPED_SUFFIX = re.compile(r"(?<=[a-z])(['’])(S|T|D|M|Ll|LL|Re|RE|Ve|VE)(?![A-Za-z])")


def tidy_title(title: str) -> str:
    """A headline with mojibake repaired and "Can'T"/"Texaco'S" put right."""
    return _CAPPED_SUFFIX.sub(lambda m: m.group(1) + m.group(2).lower(), repair(title))


def headline_case(text: str) -> str:
    """Title case that leaves what follows an apostrophe alone: "TEXACO'S PROFIT" → "Texaco's Profit"."""
    return re.sub(r"[A-Za-z]+(?:['’][A-Za-z]+)*", lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower(), text)


def normal_section(value) -> str | None:
    """A section in one canonical form — spacing collapsed, title case ("middle east", "MIDDLE EAST"
    and "Middle east" are all "Middle East"), short acronyms of mixed-case text kept ("UK Politics"),
    minor words lower ("Arts and Culture") — or None when it is not a section: a keyword list
    ("politics, trump, 2016"), a URL or path, or a long phrase.

    Title case rather than the most common spelling in the index: it depends on the value alone, so
    a section reads the same in every generation and in articles indexed years apart.
    """
    if not isinstance(value, str):
        return None
    text = " ".join(repair(value).split())
    if not text or re.search(r"://|^www\.|^/|[,;|]", text) or len(text.split()) > page_rules.SECTION_MAX_WORDS:
        return None
    whole_upper = text.isupper()
    words = []
    for n, word in enumerate(text.split()):
        if not whole_upper and word.isupper() and len(word) <= page_rules.ACRONYM_MAX:
            words.append(word)
        elif n and word.lower() in page_rules.SECTION_MINOR_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(words)


def normal_language(value) -> str:
    """An ISO 639-1 code from a language tag ("en-GB", "en_US", "EN" → "en"); "" when it is not one."""
    if not isinstance(value, str):
        return ""
    code = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    return code if re.fullmatch(r"[a-z]{2}", code) else ""


def usable_outlet(value) -> str | None:
    """An outlet name, or None for what is not one: a "@handle", a pipe-joined list, a URL."""
    if not isinstance(value, str):
        return None
    text = " ".join(repair(value).split())
    if not text or text.startswith("@") or "|" in text or "://" in text or len(text) > 80:
        return None
    return text


def outlet_of_url(url: str) -> str | None:
    """The outlet a page's address names: a known site's name, else its host without "www."."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return outlet_for_site(host.removeprefix("www.")) if host and "." in host else None


def settle(meta: dict, page: dict, *, title: str, outlet: str, byline: str) -> tuple[dict, list[tuple[str, str]]]:
    """The article's title, outlet, section, published date, url and byline, from the raw article's
    ``meta`` (sources file, feed, manifest), the ``page``'s metadata, and what the cleaner found in
    the text (``title``, ``outlet``, ``byline``); and the (reason, text) of each value passed over."""
    dropped = []
    published = None
    for value in (meta.get("published"), *page.get("published_candidates", ())):
        date = normalise_date(value)
        if date is None:
            continue
        why = implausible(date)
        if not why:
            published = date
            break
        dropped.append((rules.DATE, f"{why} (stated as {value!r})"))
    url = meta.get("url") or page.get("url") or ""
    outlets = (meta.get("outlet"), page.get("outlet"), outlet, outlet_of_url(url))
    return {
        "title": tidy_title(title),
        "outlet": next((o for o in map(usable_outlet, outlets) if o), UNKNOWN),
        "section": normal_section(meta.get("section")) or page.get("section") or UNKNOWN,
        "published": published,
        "language": normal_language(meta.get("language")) or page.get("language", ""),
        "url": url,
        "byline": repair(meta.get("byline") or page.get("byline") or byline or ""),
    }, dropped


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

def _name(value) -> str:
    """A JSON-LD person/organisation (string, dict or list of them) as display text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return _name(value.get("name", ""))
    if isinstance(value, list):
        return ", ".join(n for n in (_name(v) for v in value) if n)
    return ""


def _json_ld_articles(tree) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kinds = node.get("@type", "")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in page_rules.ARTICLE_TYPES for k in kinds):
                found.append(node)
            walk(node.get("@graph", []))

    for script in tree.iter("script"):
        if not _LD_JSON.search(script.get("type") or ""):
            continue
        try:
            walk(json.loads(script.text or ""))
        except ValueError:
            continue
    # Prefer news articles over generic web pages.
    found.sort(key=lambda n: "webpage" in str(n.get("@type", "")).lower())
    return found


_LD_JSON = re.compile(r"ld\+json", re.I)


def _first(tree, tag: str, has: str | None = None):
    """The first ``tag`` element of the tree (holding attribute ``has``, if given), or None."""
    return next((e for e in tree.iter(tag) if has is None or e.get(has) is not None), None)


def page_metadata(tree) -> dict:
    """Outlet, section, published, byline, title and url as the page's own metadata states them.

    ``tree``: the page as the extractor parsed it (lxml's ``html.load_tree`` or Lexbor's ``html.FastPage``).
    Keys are present only when the page states a value.
    """
    meta = {}
    for tag in tree.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        value = (tag.get("content") or "").strip()
        if key and value:
            meta.setdefault(key, value)
    found = {}

    def put(key, value):
        if isinstance(value, str) and value.strip() and key not in found:
            found[key] = " ".join(value.split())

    # The order: Open Graph / article: tags, then JSON-LD, then <time>, then <title>.
    # Dates are gathered in that order of trust; ``settle`` takes the first plausible one.
    dates = [meta.get("article:published_time")]
    put("outlet", usable_outlet(meta.get("og:site_name")))
    put("language", normal_language(meta.get("og:locale") or meta.get("content-language") or meta.get("language")))
    put("section", normal_section(meta.get("article:section")))
    for node in _json_ld_articles(tree):
        put("outlet", usable_outlet(_name(node.get("publisher"))))
        section = node.get("articleSection")
        put("section", normal_section(section[0] if isinstance(section, list) and section else section))
        dates.append(node.get("datePublished"))
        put("language", normal_language(node.get("inLanguage")))
        put("byline", _name(node.get("author")))
        put("title", node.get("headline"))
        put("url", node.get("url") if isinstance(node.get("url"), str) else None)
    put("outlet", usable_outlet(meta.get("application-name")))
    time_tag = _first(tree, "time", has="datetime")
    dates += [time_tag.get("datetime") if time_tag is not None else None,
              meta.get("datepublished") or meta.get("pubdate") or meta.get("date")]
    found["published_candidates"] = [d for d in dates if isinstance(d, str) and d.strip()]
    put("published", next((d for d in map(normalise_date, found["published_candidates"])
                           if d and not implausible(d)), None))
    author = meta.get("author", "")
    put("byline", None if author.startswith("http") else author)
    title = _first(tree, "title")
    put("title", meta.get("og:title") or (_text(title) if title is not None else None))
    link = next((e for e in tree.iter("link") if "canonical" in (e.get("rel") or "").split()), None)
    put("url", meta.get("og:url") or (link.get("href") if link is not None else None))
    return found


def _text(element) -> str:
    """An element's text, its pieces stripped and joined by single spaces."""
    return " ".join(piece.strip() for piece in element.itertext() if piece.strip())

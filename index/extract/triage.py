"""Triage: pages that are not articles, told apart after cleaning, each with the reason it was skipped.

Only web pages are judged: those fetched from a feed, sitemap or URL, or
found in a WARC archive (their source is their URL), and saved HTML files
(``.html``, ``.htm``, gzipped or not): a crawl, a feed or a "save page as"
folder brings whatever a site shows, section fronts and stubs included. A
text dump or a feed line is an article because its source says so, however
short. README and licence files are turned away earlier, by name (read.py).

- almost no text: fewer than ``MIN_WORDS`` words kept (an empty shell, a
  paywall stub, a page that is all navigation);
- a listing: the page describes itself as one (JSON-LD ``CollectionPage``,
  ``ItemList``, ``SearchResultsPage``) and not as an article. Section fronts
  and tag pages say so in their structured data; their headline lists would
  otherwise be indexed as stories.
"""
from __future__ import annotations

import re

from ..article import Article
from .read import HTML_SUFFIXES, RawArticle

#: Fewer kept words than this and a page is not an article. The shortest real articles of
#: ../shared/data's two extraction benchmarks that Lede keeps whole have about 40 words.
MIN_WORDS = 25
#: JSON-LD types of pages that list articles rather than tell one.
LISTING_TYPES = ("CollectionPage", "ItemList", "SearchResultsPage")
_TYPES = re.compile(r'"@type"\s*:\s*\[?\s*"([A-Za-z]+)"')
_ARTICLE_TYPE = re.compile(r"Article$|^BlogPosting$|^LiveBlogPosting$|^Report$")


def not_an_article(raw: RawArticle, article: Article) -> str:
    """Why this cleaned page is not an article ("" when it is one)."""
    if raw.html is None or not raw.source.lower().startswith(("http://", "https://")) \
            and not raw.source.lower().endswith(HTML_SUFFIXES):
        return ""
    words = len(article.text().split())
    if words < MIN_WORDS:
        return f"not an article: almost no text ({words} words)"
    types = set(_TYPES.findall(raw.html))
    listing = sorted(types.intersection(LISTING_TYPES))
    if listing and not any(_ARTICLE_TYPE.search(t) for t in types):
        return f"not an article: a listing page (JSON-LD {listing[0]})"
    return ""

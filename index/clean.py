"""Clean stage: a raw article in, a frozen Article out.

First cut for the walking skeleton: paragraphs are split and exact repeats
dropped. The full set of named stages (consent notices, near-duplicate
captions, promo lines, contributor lines, HTML pruning) replaces this.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from .article import UNKNOWN, Article, Paragraph, Removal
from .read import RawArticle


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, or one per line where a dump has no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n\s*\n", text):
        blocks = re.split(r"\n\s*\n", text)
    else:
        blocks = text.split("\n")
    return [" ".join(b.split()) for b in blocks if b.strip()]


def clean(raw: RawArticle) -> Article:
    meta = raw.meta
    if raw.html is not None:
        soup = BeautifulSoup(raw.html, "html.parser")
        for tag in soup(["script", "style", "nav", "aside", "footer", "form"]):
            tag.decompose()
        title = meta.get("title") or (soup.title.get_text(" ", strip=True) if soup.title else "")
        blocks = [" ".join(p.get_text(" ").split()) for p in soup.find_all(["p", "h2", "h3", "li"])]
        blocks = [b for b in blocks if b]
    else:
        blocks = split_paragraphs(raw.text or "")
        title = meta.get("title", "")
        if not title and blocks:
            title, blocks = blocks[0], blocks[1:]
    kept, removed, seen = [], [], set()
    for block in blocks:
        if block in seen:
            removed.append(Removal("duplicate", block))
            continue
        seen.add(block)
        kept.append(Paragraph("body", block))
    return Article(
        id=raw.id,
        title=title,
        outlet=meta.get("outlet") or UNKNOWN,
        section=meta.get("section") or UNKNOWN,
        published=(meta.get("published") or "")[:10] or None,
        url=meta.get("url", ""),
        byline=meta.get("byline", ""),
        paragraphs=tuple(kept),
        removed=tuple(removed),
        source=raw.source,
    )

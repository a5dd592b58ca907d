"""Reading stage: one article as the article page shows it, with a search's matched words marked.

The marks come from the same place as the snippets' (highlight.py: character offsets stored in
the postings, positive terms only, escaped text), for the title, the body and the captions. The
article page renders paragraphs one by one, while the index holds the body and the captions
each as one text, paragraphs joined by a blank line (index/article.Article.text); each paragraph
is found at its offset in that text. A paragraph that is not where the join puts it (an index
written by another cleaner) is shown escaped, unmarked, rather than marked in the wrong place.
"""
from __future__ import annotations

import json
from html import escape

from index import schema as f

from . import highlight
from .errors import BadQuery
from .parse import parse_query

JOIN = "\n\n"  # between paragraphs in a stored text field (index/article.Article.text)
CAPTION_KINDS = ("caption",)


def marked_article(engine, article_id: str, q: str = "", match: str = "all") -> dict | None:
    """The article's JSON plus ``title_html`` and each paragraph's ``html``; None when there is no such article.

    A query that cannot be read marks nothing (the page still shows the article).
    """
    if hasattr(engine, "article_spans"):  # the Xapian backend finds the spans its own way (search/xapian/)
        found = engine.article_spans(article_id, q, match)
        return mark_paragraphs(*found) if found is not None else None
    live = engine.live()
    searcher = live.searcher
    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        return None
    stored = searcher.stored_fields(docnum)
    article = json.loads(stored[f.ARTICLE])
    try:
        query = parse_query(q, live.schema, match) if q.strip() else None
    except BadQuery:
        query = None
    terms = highlight.positive_terms(query, searcher.reader()) if query is not None else set()
    spans = {name: highlight.match_spans(searcher, terms, name, [docnum], live.blocks)[docnum]
             for name in (f.TITLE, f.BODY, f.CAPTIONS)} if terms else {}
    return mark_paragraphs(article, stored, spans)


def mark_paragraphs(article: dict, stored: dict, spans: dict) -> dict:
    """``article`` with ``title_html``, each paragraph's ``html`` and the count of ``marks``, from the
    (start, end) ``spans`` of each stored text field (title, body, captions)."""
    article["title_html"] = highlight.mark(article.get("title") or "", spans.get(f.TITLE, ()))
    offsets = {f.BODY: 0, f.CAPTIONS: 0}
    for paragraph in article.get("paragraphs", ()):
        field = f.CAPTIONS if paragraph["kind"] in CAPTION_KINDS else f.BODY
        text, start = stored.get(field) or "", offsets[field]
        end = start + len(paragraph["text"])
        if text[start:end] == paragraph["text"]:
            paragraph["html"] = highlight.mark(text, spans.get(field, ()), start, end)
            offsets[field] = end + len(JOIN)
        else:
            paragraph["html"] = escape(paragraph["text"])
    article["marks"] = sum(len(s) for s in spans.values())
    return article

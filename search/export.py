"""Export stage: every document a search matches, in the search's order, one row at a time.

A page of results folds near-duplicates, adds partial matches and stops at a page; an export
does none of that: it lists exactly the documents ``Engine.search(request).total`` counts, in
the request's sort order (best match first, ties by article id; or by date, undated last).
The order is held as docnums and scores (a few dozen bytes per match); each row is read from
the stored fields when it is asked for and dropped once yielded, so rows never pile up.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from index import schema as f

from . import ranking
from .live import LiveIndex
from .request import SearchRequest

COLUMNS = ("id", "title", "outlet", "section", "published", "url", "byline", "score", "story")
TEXT_COLUMN = "text"  # the cleaned text, with ``fields=text``: paragraphs separated by a blank line
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Export:
    """What an export will hold: ``total`` rows with ``columns``, produced by ``rows()`` on demand."""

    live: LiveIndex
    order: list[tuple[int, float]]  # (docnum, score) in the search's order
    columns: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.order)

    def rows(self) -> Iterator[dict]:
        """One dict per match, keyed by ``columns``; read lazily from the stored fields."""
        stored_fields = self.live.searcher.stored_fields
        story_of = self.live.stories().story_of
        with_text = TEXT_COLUMN in self.columns
        for docnum, score in self.order:
            stored = stored_fields(docnum)
            published = stored.get(f.PUBLISHED)
            row = {
                "id": stored[f.ID], "title": stored.get(f.TITLE) or "", "outlet": stored.get(f.OUTLET, ""),
                "section": stored.get(f.SECTION, ""),
                "published": published.date().isoformat() if published else None,
                "url": stored.get(f.URL, ""), "byline": stored.get(f.BYLINE, ""), "score": round(score, 4),
                "story": story_of(stored[f.ID]),  # the story's id (GET /api/stories/<id>), or None
            }
            if with_text:
                row[TEXT_COLUMN] = cleaned_text(stored)
            yield row


def cleaned_text(stored: dict) -> str:
    """The article's kept paragraphs in reading order (captions where they stood), as the cleaner left them."""
    article = stored.get(f.ARTICLE)
    if not article:
        return stored.get(f.BODY) or ""
    return PARAGRAPH_BREAK.join(p["text"] for p in json.loads(article).get("paragraphs", ()))


def export(engine, request: SearchRequest, text: bool = False) -> Export:
    """The export of ``request``'s matches; raises BadQuery or IndexUnavailable before any row is read."""
    live, matched, scored = engine.matches(request)
    if scored is not None:
        order = ranking.ranked(live, scored)
    else:
        order = ranking.by_date(live, matched, oldest=request.sort == "oldest")
    return Export(live=live, order=order, columns=COLUMNS + ((TEXT_COLUMN,) if text else ()))

"""Reading stories: which story an article is in, a story's coverage, and the stories a search touches.

The rebuild groups articles into stories and writes them into the generation
(index/stories.py, ``stories.json``); a ``StoryIndex`` is that file, read once
per opened generation, so stories follow the live generation (and rollback)
like the index itself. ``coverage`` assembles one story's answer from its
articles' cleaned text: the timeline, quotations (quotes.py), what only one
article reports, copies and absent outlets (coverage.py).
"""
from __future__ import annotations

import bisect
import json
from collections import Counter
from pathlib import Path

from index import schema as f
from index import stories as built

from . import coverage, facets, quotes

#: Quotes, only_in and copies are worked out over a story's first this many articles (timeline
#: order): their cost grows with the square of the articles, and a page must answer at once.
ANALYSED_ARTICLES = 40
#: The article fields a story lists for each of its articles.
ARTICLE_KEYS = ("id", "title", "outlet", "section", "published", "byline", "url")


class StoryIndex:
    """One generation's stories: id → summary, and article id → story id."""

    def __init__(self, summaries: dict[str, dict]):
        self.summaries = summaries
        self.by_article = {a: sid for sid, s in summaries.items() for a in s["articles"]}

    @classmethod
    def load(cls, generation: Path) -> "StoryIndex":
        """The generation's stories; none for a generation built before stories (or an unreadable file)."""
        try:
            data = json.loads((Path(generation) / built.FILENAME).read_text(encoding="utf-8"))
            if data.get("format") == built.FORMAT and isinstance(data.get("stories"), dict):
                return cls(data["stories"])
        except (OSError, ValueError, AttributeError):
            pass
        return cls({})

    def story_of(self, article_id: str) -> str | None:
        return self.by_article.get(article_id)

    def get(self, story_id: str) -> dict | None:
        return self.summaries.get(story_id)

    def listing(self, story_id: str) -> dict:
        """The short form: what /api/stories lists for each story."""
        s = self.summaries[story_id]
        return {"id": story_id, "title": s["title"], "first_published": s["first_published"],
                "outlets": s["outlets"], "article_count": len(s["articles"])}


def coverage_of(live, story_id: str) -> dict | None:
    """The whole answer of /api/stories/<id>, or None for an unknown story."""
    summary = live.stories().get(story_id)
    if summary is None:
        return None
    docnum_of = live_docnums(live)
    stored_fields = live.searcher.stored_fields
    # The stories file and the index come from one rebuild: every id is found.
    articles = [json.loads(stored_fields(docnum_of[ident])[f.ARTICLE])
                for ident in summary["articles"] if ident in docnum_of]
    outlets = list(dict.fromkeys(a["outlet"] for a in articles))
    analysed = articles[:ANALYSED_ARTICLES]
    return {
        "id": story_id, "title": summary["title"],
        "first_published": summary["first_published"], "last_published": summary["last_published"],
        "outlets": outlets,
        "articles": [{k: a.get(k) for k in ARTICLE_KEYS} for a in articles],
        "timeline": timeline(articles),
        "quotes": quotes.for_story(analysed),
        "only_in": coverage.only_in(analysed),
        "copies": coverage.copies(analysed),
        "absent": coverage.absent(outlets, window_counts(live, summary["first_published"],
                                                         summary["last_published"])),
    }


def live_docnums(live) -> dict[str, int]:
    """Article id → docnum of its live document, built once per generation from the id ordinals:
    looking each id up through the index's postings took 0.2 ms an article (42 ms for a story of 191)."""
    return live.memo(("story-docnums",), lambda: {live.article_id(d): d for d in live.all_docs()})


def outlet_days(live) -> Counter:
    """(outlet ordinal, day ordinal) → live articles, counted once per generation."""
    outlets, days = live.column(f.OUTLET), live.column(f.DAY)
    return live.memo(("story-outlet-days",), lambda: Counter(
        (outlets.by_doc[d], days.by_doc[d]) for d in live.all_docs()))


def warm(live) -> None:
    """Load what a story's first answer would otherwise wait for (a web worker calls it after the fork):
    the stories, the id → docnum map, the outlet-days counts, and wordfreq's English word list
    (0.1 s, read on the first word whose rarity is asked)."""
    live.stories()
    live_docnums(live)
    outlet_days(live)
    built.rarity("the")


def timeline(articles: list[dict]) -> list[dict]:
    """Who published when: one entry per day, oldest first, undated last (articles in timeline order)."""
    days: dict = {}
    for a in articles:
        days.setdefault(a.get("published"), []).append({"id": a["id"], "outlet": a["outlet"], "title": a["title"]})
    return [{"date": day, "articles": items} for day, items in days.items()]


def window_counts(live, first: str | None, last: str | None) -> dict[str, int]:
    """Articles indexed per outlet published from ``first`` to ``last`` (every outlet, 0 included)."""
    outlets = live.column(f.OUTLET)
    counts = {o: 0 for o in outlets.values}
    if not first or not last:
        return counts
    days = live.column(f.DAY)
    by_day = outlet_days(live)
    low, high = bisect.bisect_left(days.values, first), bisect.bisect_right(days.values, last)
    for (outlet, day), n in by_day.items():
        if low <= day < high and outlet != facets.NONE:
            counts[outlets.values[outlet]] += n
    return counts


def stories_of(live, docnums) -> list[dict]:
    """The stories that ``docnums`` belong to, most outlets first, then most articles, then newest."""
    index = live.stories()
    found = Counter()
    for d in docnums:
        sid = index.story_of(live.article_id(d))
        if sid is not None:
            found[sid] += 1
    listed = [index.listing(sid) for sid in found]
    listed.sort(key=lambda s: (-len(s["outlets"]), -s["article_count"], s["first_published"] is None,
                               _negated(s["first_published"] or ""), s["id"]))
    return listed


def _negated(day: str) -> tuple:
    """A key that sorts dates newest first inside an ascending sort."""
    return tuple(-ord(c) for c in day)

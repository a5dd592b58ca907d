"""Promo and navigation recognised by structure: toolbars, story rails, reader-comment threads.

Wording alone (``rules.PROMO_LINES``) catches a "Read more" line in the
languages it lists. These checks look at shape instead, so they hold on a
site and in a language no list names:

- a *toolbar* is a line made only of interface labels ("Share / Save / Print",
  "記事保存 / 会員登録");
- a *rail* of other stories is a run of items that each repeat the same
  shape — a timestamp line, a byline, a one-line teaser — several times over
  (Politico's "latest stories": "11/19/16, 3:14 PM CET" / "BY …" / teaser);
- a *comment thread* starts at a comment-count heading ("941 comments",
  "1 Comentarios") in the second half of the text and runs to its end.

All phrases and thresholds are in ``index/extract/rules.py``.
"""
from __future__ import annotations

from . import rules


def is_toolbar(text: str) -> bool:
    """Is the line only interface labels, alone or joined by separators?"""
    if len(text) > rules.TOOLBAR_MAX_CHARS:
        return False
    parts = [part for part in rules.UI_LABEL_SEPARATORS.split(text.casefold().strip(" .:")) if part]
    return bool(parts) and all(part in rules.UI_LABEL_WORDS for part in parts)


def find_rails(texts: list[str]) -> set[int]:
    """Indices of the paragraphs that form rails of other stories (timestamp, byline, teaser, repeated).

    An item is a timestamp line and the short paragraphs after it (at most
    ``rules.RAIL_ITEM_MAX_PARAGRAPHS`` in all); items that follow one another
    directly form a run, and a run of at least ``rules.RAIL_MIN_ITEMS`` items,
    most with a byline, is a rail. A live blog's timestamped updates have no
    byline per entry and run longer: they stay.
    """
    stamps = [i for i, text in enumerate(texts) if rules.TIMESTAMP_LINE.match(text)]
    found: set[int] = set()
    run: list[range] = []
    for n, start in enumerate(stamps):
        following = stamps[n + 1] if n + 1 < len(stamps) else len(texts)
        stop = start + 1
        while (stop < following and stop - start < rules.RAIL_ITEM_MAX_PARAGRAPHS
               and len(texts[stop].split()) <= rules.RAIL_TEASER_MAX_WORDS):
            stop += 1
        run.append(range(start, stop))
        if stop != following:  # something else comes before the next timestamp: the run ends here
            _close(run, texts, found)
            run = []
    _close(run, texts, found)
    return found


def _close(run: list[range], texts: list[str], found: set[int]) -> None:
    """Add the run's paragraphs to ``found`` when it is long enough and mostly bylined.

    The last item has no next timestamp to end it: it is cut to the length of the longest other
    item (items of a rail share their shape), so a caption or byline after the rail stays.
    """
    if len(run) < rules.RAIL_MIN_ITEMS:
        return
    longest = max(len(item) for item in run[:-1])
    run = run[:-1] + [run[-1][:longest]]
    bylined = sum(any(rules.RAIL_BYLINE.match(texts[i]) for i in item) for item in run)
    if bylined * 2 >= len(run):
        found.update(i for item in run for i in item)


def comment_thread_start(texts: list[str]) -> int | None:
    """Where a reader-comment thread begins (its count heading), or None.

    Only a heading in the second half of the text counts: comments follow the
    article, and a "Comments" line near the top is a toolbar link.
    """
    for i in range(len(texts) // 2, len(texts)):
        if rules.COMMENTS_HEADING.match(texts[i]):
            return i
    return None

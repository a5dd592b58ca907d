"""Consent notices: cookie and tracking banners recognised by their wording.

A notice names a tracking technology (cookies, trackers, personal data, a
privacy policy) and addresses the reader about consent ("by clicking Accept
you agree", "this website uses cookies", "withdraw your consent"). One
paragraph that does both is a notice on its own (*strong*); a paragraph that
names tracking with only one such signal, or a short heading ("Strictly
Necessary Cookies"), is removed only as part of a banner, i.e. next to a
notice. Quoted or reported speech about cookies is news and stays; a word in
quote marks (a site writing "cookies") is not speech.

Every signal is a table of words per language in ``index/extract/rules.py``.
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from . import rules


def _signals(text: str) -> int:
    """How many of consent language / reader address / site self-reference a text has."""
    return (bool(rules.CONSENT_LANGUAGE.search(text)) + bool(rules.READER.search(text))
            + bool(rules.SITE_SELF.search(text)))


def is_reported_speech(text: str) -> bool:
    """Does the text report what someone said: a verb of saying, or a quotation of several words?"""
    if rules.SPEECH_VERB.search(text):
        return True
    return any(len(quoted.split()) >= rules.QUOTED_SPEECH_MIN_WORDS for quoted in rules.QUOTED_SPAN.findall(text))


def _is_heading(text: str) -> bool:
    return (len(text.split()) <= rules.CONSENT_HEADING_MAX_WORDS
            and not rules.ends_sentence(text))


def _hinted(texts: list[str]) -> set[int]:
    """Indices of the texts holding a tracking hint (``rules.TRACKING_HINTS``, lower-cased).

    One search per hint over the page's lower-cased texts joined by newlines (no hint holds one, so a
    hint found lies within one text), not one per hint and text (the per-text test cost a tenth of the fast extractor's cleaning).
    """
    lowers = [text.lower() for text in texts]
    joined = "\n".join(lowers)
    starts = list(accumulate((len(lower) + 1 for lower in lowers), initial=0))
    found = set()
    for hint in rules.TRACKING_HINTS:
        at = joined.find(hint)
        while at != -1:
            found.add(bisect_right(starts, at) - 1)
            at = joined.find(hint, at + 1)
    return found


def find_notices(texts: list[str]) -> set[int]:
    """Indices of the paragraphs that belong to consent notices, in any position."""
    strong, weak = set(), set()
    for i in sorted(_hinted(texts)):
        text = texts[i]
        terms = rules.TRACKING.findall(text)
        if not terms or is_reported_speech(text):
            continue
        if all(rules.ORDINARY_TRACKING.match(term) for term in terms) and not rules.SITE_SELF.search(text):
            continue
        signals = _signals(text)
        if signals >= 2:
            strong.add(i)
        elif signals == 1 or _is_heading(text):
            weak.add(i)
    found = set(strong)
    # Grow banners outwards from strong paragraphs: tracking paragraphs with one
    # signal, headings with tracking or consent words ("Manage preferences"),
    # and any short heading sitting between two notice paragraphs.
    changed = bool(found)
    while changed:
        changed = False
        for i in range(len(texts)):
            if i in found:
                continue
            before, after = i - 1 in found, i + 1 in found
            if not (before or after):
                continue
            heading = _is_heading(texts[i])
            if (i in weak or (heading and before and after)
                    or (heading and (rules.TRACKING.search(texts[i]) or rules.CONSENT_LANGUAGE.search(texts[i])))):
                found.add(i)
                changed = True
    return found

"""Near-duplicate paragraphs: the normalised key, the word measure, and a cheap finder.

Scraped pages print the same text twice: a caption under the photo and again
from its alt text, a lead paragraph repeated as a bullet, the same sentence
with straight and curly quotes. ``DuplicateFinder`` answers, for each new
paragraph, "which earlier paragraph does this repeat?" in time linear in the
article's words: exact repeats through a dict of normalised keys, near
repeats only among candidates that share an opening or an ending (the
pre-filter), so long articles never pay for comparing every pair.
"""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from . import rules

# Quotes, apostrophes and dots vanish (so "U.S." and "US" are one word,
# "protester's" and "protester’s" too).
# (Dashes need no rule: they are not word characters, so they already split words.)
_FOLD = re.compile(r"['\"‘’‚‛“”„‟`´«»‹›.]")
_WORD = re.compile(r"\w+")


def _may_hold_credit(tail: str) -> bool:
    """``rules.QUICK_CREDIT.search(tail)``, answered by substring tests where they suffice
    (a regex trying its word boundaries at every character cost more than the credit patterns)."""
    for mark in rules.QUICK_CREDIT_MARKS:
        if mark in tail:
            return True
    for word in rules.QUICK_CREDIT_WORDS:
        if word in tail:
            return rules.QUICK_CREDIT.search(tail) is not None
    return False


def strip_credit(text: str) -> tuple[str, str]:
    """(text without a trailing photo credit, the credit or "")."""
    offset = max(0, len(text) - rules.CREDIT_TAIL)
    tail = text[offset:]
    if not _may_hold_credit(tail):
        return text, ""
    for pattern, marks in zip(rules.CREDIT_SUFFIXES, rules.CREDIT_SUFFIX_MARKS, strict=True):
        for mark in marks:
            if mark in tail:
                break
        else:
            continue  # this pattern cannot match here: not tried
        match = pattern.search(tail)
        if match and offset + match.start() > 0:
            rest = text[: offset + match.start()].rstrip(" -–—|")
            if len(rest.split()) >= 3:
                return rest, match.group("credit").strip()
    return text, ""


def words(text: str, credits: bool = True) -> list[str]:
    """The normalised words of a paragraph, for comparing repeats.

    The trailing photo credit is dropped unless ``credits`` is False (the
    cleaner has already moved credits out by the time it compares).
    """
    if credits:
        text = strip_credit(text)[0]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _WORD.findall(_FOLD.sub("", text).casefold())


def is_near_duplicate(a: list[str], b: list[str]) -> bool:
    """True when the shorter word list appears, in order, in the longer with few additions.

    See ``rules.DEDUP_*`` for the thresholds and why they separate a reprint
    from a different photo's near-identical caption.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    allowed_extra = max(rules.DEDUP_EXTRA_MIN, int(rules.DEDUP_EXTRA_SHARE * len(short)))
    allowed_missing = len(short) // rules.DEDUP_MISSING_PER
    if len(long_) - len(short) > allowed_extra + allowed_missing:
        return False
    if len(set(short) - set(long_)) > allowed_missing:
        return False
    matcher = SequenceMatcher(None, short, long_, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return len(short) - matched <= allowed_missing and len(long_) - matched <= allowed_extra


def _anchors(tokens: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The first and the last ``rules.DEDUP_ANCHOR_WORDS`` words: a reprint keeps its opening or its ending."""
    n = rules.DEDUP_ANCHOR_WORDS
    return ("<", *tokens[:n]), (">", *tokens[-n:])


class DuplicateFinder:
    """Remembers paragraphs and finds the earlier one a new paragraph repeats."""

    def __init__(self):
        self._exact: dict[tuple[str, ...], int] = {}
        self._tokens: list[list[str]] = []
        self._by_anchor: dict[tuple[str, ...], list[int]] = {}

    def add(self, tokens: list[str]) -> int:
        """Remember a paragraph's words; returns its number for ``find``'s answers."""
        number = len(self._tokens)
        self._tokens.append(tokens)
        self._exact.setdefault(tuple(tokens), number)
        for anchor in _anchors(tokens):
            self._by_anchor.setdefault(anchor, []).append(number)
        return number

    def find(self, tokens: list[str]) -> int | None:
        """The number of the earliest remembered paragraph this one repeats, or None.

        Exact repeats come from a dict; near repeats are compared word by word
        only with the few earlier paragraphs sharing an opening or an ending
        (the cheap pre-filter that keeps long articles linear).
        """
        exact = self._exact.get(tuple(tokens))
        if exact is not None:
            return exact
        start, end = _anchors(tokens)
        candidates = sorted({*self._by_anchor.get(start, ()), *self._by_anchor.get(end, ())})
        for number in candidates:
            if is_near_duplicate(tokens, self._tokens[number]):
                return number
        return None

"""Did-you-mean: a corrected query made of real words from the index.

Whoosh's ``correct_query`` works on the analysed (stemmed) terms and would
offer stems ("instnce" → "instanc"). Suggestions here come from the
generation's vocabulary (index/store/vocabulary.py): the unstemmed, case- and
accent-folded words of every article with the number of articles holding
each. A word the index has rarely or never seen is replaced by the most
common word one edit away (a letter deleted, inserted, replaced, or two
letters swapped), when that word is much more common.

Whoosh's own corrector scans the word list per lookup (hundreds of ms on
20k articles); here the vocabulary is read once per searcher, and the
candidates one edit away are generated and looked up in it (Norvig's method:
~50 dictionary lookups per letter).
"""
from __future__ import annotations

import re
import string
from collections.abc import Mapping
from pathlib import Path

from index import analysis
from index.store.vocabulary import load as load_vocabulary

from .parse import plain_words

SUGGEST_BELOW = 3  # hits: suggest only for queries that find fewer than this many documents
MIN_GAIN = 5  # a correction must be in this many times more documents than the word typed
MIN_LENGTH = analysis.SPELL_MIN_LENGTH  # characters; shorter words are left alone (the vocabulary has none)
LETTERS = string.ascii_lowercase


def vocabulary(generation: Path) -> Mapping[str, int]:
    """word → documents holding it, for the generation at ``generation`` (empty when it has none)."""
    return load_vocabulary(generation) or {}


def edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in LETTERS]
    inserts = [a + c + b for a, b in splits for c in LETTERS]
    return set(deletes + swaps + replaces + inserts)


def suggest(words: Mapping[str, int], text: str) -> str | None:
    """``text`` with misspelt words replaced, or None when nothing needs (or can get) correcting."""
    replacements = {}
    for word in plain_words(text):
        folded = _fold(word)
        if len(folded) < MIN_LENGTH or not folded.isalpha() or folded in replacements or folded in analysis.STOP_LIST:
            continue
        seen = words.get(folded, 0)
        best, best_freq = None, 0
        for candidate in sorted(c for c in edits1(folded) if c in words):
            freq = words[candidate]
            if freq > best_freq:  # ties: the alphabetically first (candidates are sorted)
                best, best_freq = candidate, freq
        if best is not None and best_freq >= max(1, seen) * MIN_GAIN:
            replacements[folded] = best
    if not replacements:
        return None
    return _replace(text, replacements)


def _fold(word: str) -> str:
    tokens = analysis.exact_analyzer_words(word)
    return tokens[0] if len(tokens) == 1 else ""


def _replace(text: str, replacements: dict[str, str]) -> str:
    def swap(m):
        word = m.group(0)
        new = replacements.get(_fold(word))
        if new is None:
            return word
        return new.capitalize() if word[:1].isupper() else new
    return re.sub(r"[\w'’]+", swap, text)

"""Did-you-mean: a corrected query made of real words from the index.

Whoosh's ``correct_query`` works on the analysed (stemmed) terms and would
offer stems ("instnce" → "instanc"). Suggestions here come from the ``spell``
field, which indexes the unstemmed, case- and accent-folded words of every
article: a word the index has rarely or never seen is replaced by the most
common word one edit away (a letter deleted, inserted, replaced, or two
letters swapped), when that word is much more common.

Whoosh's own corrector scans the word list per lookup (hundreds of ms on
20k articles); here the word list (80k words on 22.5k articles, under a
second to read) is read into a set once per searcher, on the first
suggestion, and the candidates one edit away are generated and looked up in
it (Norvig's method: ~50 lookups per letter); only the few that exist have
their document counts read from the index.
"""
from __future__ import annotations

import re
import string

from index import schema as f

from .parse import plain_words

SUGGEST_BELOW = 3  # hits: suggest only for queries that find fewer than this many documents
MIN_GAIN = 5  # a correction must be in this many times more documents than the word typed
MIN_LENGTH = 3  # characters; shorter words are left alone
LETTERS = string.ascii_lowercase


def vocabulary(reader) -> frozenset[str]:
    """Every word of the spell field."""
    if f.SPELL not in reader.schema:
        return frozenset()
    return frozenset(term.decode("utf-8") for term in reader.lexicon(f.SPELL))


def edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in LETTERS]
    inserts = [a + c + b for a, b in splits for c in LETTERS]
    return set(deletes + swaps + replaces + inserts)


def suggest(words: frozenset[str], reader, text: str) -> str | None:
    """``text`` with misspelt words replaced, or None when nothing needs (or can get) correcting."""
    replacements = {}
    for word in plain_words(text):
        folded = _fold(word)
        if len(folded) < MIN_LENGTH or not folded.isalpha() or folded in replacements:
            continue
        seen = reader.doc_frequency(f.SPELL, folded) if folded in words else 0
        best, best_freq = None, 0
        for candidate in sorted(edits1(folded) & words):
            freq = reader.doc_frequency(f.SPELL, candidate)
            if freq > best_freq:  # ties: the alphabetically first (candidates are sorted)
                best, best_freq = candidate, freq
        if best is not None and best_freq >= max(1, seen) * MIN_GAIN:
            replacements[folded] = best
    if not replacements:
        return None
    return _replace(text, replacements)


def _fold(word: str) -> str:
    tokens = f.exact_analyzer_words(word)
    return tokens[0] if len(tokens) == 1 else ""


def _replace(text: str, replacements: dict[str, str]) -> str:
    def swap(m):
        word = m.group(0)
        new = replacements.get(_fold(word))
        if new is None:
            return word
        return new.capitalize() if word[:1].isupper() else new
    return re.sub(r"[\w'’]+", swap, text)

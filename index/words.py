"""One word's analysis, step by step: the characters and shapes of words the analysis chain folds.

analysis.py's filters run these steps over token streams (for queries, and
for chains built otherwise); its fast indexing path, NewsAnalyzer.postings,
and common_grams.py run ``analyse_word`` on each distinct raw word of a text
instead, which gives the same terms without a generator per stage
(tests/test_segment.py and test_common_grams.py hold the two equal).
"""
from __future__ import annotations

import re

# Curly quotes and apostrophes are folded to straight ones (in documents and queries).
QUOTE_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u02bc": "'",
                            "\u2032": "'", "\u00b4": "'", "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
APOSTROPHES = "'\u2019\u2018\u02bc"
HYPHENS = "-\u2010\u2011"
POSSESSIVES = ("'s", "'")  # English possessive endings, dropped before stemming

# TOKEN_PATTERN's words, found faster for indexing: one run of word characters joined by single
# apostrophes or hyphens, in either order, matched possessively (a word never gives back characters,
# as nothing after it could then match). tests/test_segment.py holds the two patterns equal.
FAST_TOKEN_PATTERN = r"\w++(?:[%s%s]\w++)*+" % (HYPHENS, APOSTROPHES)
find_words = re.compile(FAST_TOKEN_PATTERN).findall
# Any hyphen, to find the (few) hyphenated tokens without a per-token scan of every hyphen.
HYPHEN_SEARCH = re.compile("[%s]" % HYPHENS).search


def split_hyphens(text: str) -> list[str]:
    for h in HYPHENS[1:]:
        text = text.replace(h, "-")
    return [p for p in text.split("-") if p]


def drop_possessive(text: str) -> str:
    for ending in POSSESSIVES:
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)]
    return text


def analyse_word(raw: str, charmap, stops, minsize: int, stem,
                 common: bool = False) -> tuple[int, tuple, tuple[str, ...]]:
    """(positions the word takes, its terms, its folded words): what NewsAnalyzer._analyse gets
    from text_analyzer's chain (it keeps the folded words that are did-you-mean words), step by step: fold quotes
    (QuoteFoldFilter), split hyphens, the joined word first (HyphenFilter, index mode), drop the
    possessive, lowercase, fold accents (FoldFilter), drop stop words (StopFilter, renumber=False)
    and stem (MemoStemFilter); without ``stem``, the chain ends after folding. ``common``: keep
    the stop words too, unstemmed, each part then (term, position offset, start, end, is common)
    (index/common_grams.py)."""
    text = raw if raw.isascii() else raw.translate(QUOTE_FOLD)
    if HYPHEN_SEARCH(text) is None:
        width, tokens = 1, ((text, 0, 0, len(raw)),)
    else:
        pieces = split_hyphens(text)
        width, tokens, offset = len(pieces), [("".join(pieces), 0, 0, len(raw))], 0
        for i, piece in enumerate(pieces):
            tokens.append((piece, i, offset, offset + len(piece)))
            offset += len(piece) + 1
    folded, parts = [], []
    for text, pos, start, end in tokens:
        if text.endswith(POSSESSIVES):
            text = drop_possessive(text)
        text = text.lower()
        if not text.isascii():
            text = text.translate(charmap)
        folded.append(text)
        if common:
            stop = len(text) < minsize or text in stops
            parts.append((text if stop else stem(text), pos, start, end, stop))
        elif stem is None:
            parts.append((text, pos, start, end))
        elif len(text) >= minsize and text not in stops:
            parts.append((stem(text), pos, start, end))
    return width, tuple(parts), tuple(folded)

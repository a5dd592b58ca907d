"""Common words and common grams: what the common-word companion fields hold, and how queries mark them.

A text field drops common words (the stop list, and words shorter than
STOP_MIN_SIZE) but keeps their positions, so its postings and lengths — and
so plain-word ranking — are what they were. Its companion field
(schema.COMMON_FIELDS) holds, at the same positions:

* each common word, folded, unstemmed (``of``), for queries of common words
  only (``the``) and phrases read word by word (``"of the"~3``);
* each pair of neighbouring words of which one at least is common, as one
  term (``bank of``, ``of england``) at the first word's position: the
  common grams of Lucene's CommonGramsFilter. Content words in a pair are
  stemmed as in the text field (``secretari of``).

A phrase with common words is then matched on its grams: ``"Bank of
England"`` reads the few documents holding ``bank of`` and ``of england``
one position apart, instead of the positions of "of" in every document
holding "bank" and "england". That keeps such phrases about as fast as
phrases of rare words (bench/phrase_latency.py).

At query time ``query_analyzer`` keeps common words, marked with COMMON_MARK,
for search/common_words.py to place.
"""
from __future__ import annotations

from whoosh.analysis import CompositeAnalyzer, Filter, Token

from . import analysis
from .words import analyse_word, find_words

COMMON_MARK = "\x1f"  # prefix of a common word in a parsed query (never in indexed text: words are \w+)
GRAM_JOIN = " "  # between the two words of a gram (never inside a word)


def gram(first: str, second: str) -> str:
    """The term of two neighbouring words, as indexed."""
    return first + GRAM_JOIN + second


def common_grams(tokens):
    """(term, position, start, end) of the common words and grams of ``tokens`` — (term, position,
    start, end, is common) in position order — in the order the companion field indexes them: by
    position, each position's common words first, then its grams with the next position's words."""
    groups: list[list] = []
    for token in tokens:
        if groups and groups[-1][0][1] == token[1]:
            groups[-1].append(token)
        else:
            groups.append([token])
    out = []
    for i, group in enumerate(groups):
        pos = group[0][1]
        out += [(term, pos, start, end) for term, _, start, end, common in group if common]
        following = groups[i + 1] if i + 1 < len(groups) and groups[i + 1][0][1] == pos + 1 else ()
        for a in group:
            for b in following:
                if a[4] or b[4]:
                    out.append((gram(a[0], b[0]), pos, a[2], b[3]))
    return out


class CommonGramsFilter(Filter):
    """The companion field's last stage, after StopFilter has marked (not dropped) common words and the
    stemmer has stemmed the rest: yields the common words and the grams (``common_grams``), no
    content word alone. CommonGramsAnalyzer.postings gives the same postings without the chain."""

    def __call__(self, tokens):
        seen = [(t.text, t.pos, t.startchar, t.endchar, t.stopped) for t in tokens]
        out = Token(positions=True, chars=True, mode="index")
        for term, pos, start, end in common_grams(seen):
            out.text, out.pos, out.startchar, out.endchar, out.stopped = term, pos, start, end, False
            out.boost = 1.0
            yield out


class _KeepStops(CompositeAnalyzer):
    """A chain whose StopFilter marks stop words rather than dropping them, whatever the caller asks."""

    def __call__(self, value, **kwargs):
        kwargs["removestops"] = False
        return super().__call__(value, **kwargs)


class CommonGramsAnalyzer(analysis.NewsAnalyzer, _KeepStops):
    """The companion fields' analysis: text_analyzer's chain with stop words kept, then CommonGramsFilter.

    ``postings`` analyses each distinct raw word once (words.analyse_word, stop words kept and
    flagged) and pairs neighbours as it goes, in one pass, as NewsAnalyzer.postings does for the
    text field.
    """

    def __init__(self, content=None):
        """``content``: the text field's stop and stem filters, shared so each word is stemmed once."""
        content = content if content is not None else analysis.content_filters()
        super().__init__(analysis.words_chain() | content | CommonGramsFilter())

    def _forget(self) -> None:
        super()._forget()
        self._words: dict[str, tuple] = {}  # raw word → its tokens by position (_flagged)

    def __getstate__(self):
        return {k: v for k, v in super().__getstate__().items() if k != "_words"}

    def postings(self, text: str, words: set | None = None) -> dict[str, list[tuple[int, int, int]]]:
        """term → [(position, startchar, endchar), …]: what the chain yields in index mode, each
        term's postings in the same order. (The companion field has no did-you-mean words: ``words``
        is left as it is.)"""
        memo = self._words
        if len(memo) > analysis.POSTINGS_CACHE_WORDS:
            memo.clear()
        seen: dict[str, list] = {}
        get = seen.get

        def add(term, posting):
            entry = get(term)
            if entry is None:
                seen[term] = [posting]
            else:
                entry.append(posting)

        prev: tuple = ()  # (term, is common, start) of the words at the position before
        prev_common = False  # whether one of them is common (else a content word pairs with none)
        pos = end = 0
        find = text.find
        for raw in find_words(text):
            start = find(raw, end)
            end = start + len(raw)
            groups = memo.get(raw)
            if groups is None:
                groups = memo[raw] = self._flagged(raw)
            if groups.__class__ is not tuple:  # one token spanning the word (most words): (term, common)
                term, common = groups
                if common:
                    add(term, (pos, start, end))
                if common or prev_common:
                    for before, was_common, bs in prev:
                        if common or was_common:
                            add(before + GRAM_JOIN + term, (pos - 1, bs, end))
                prev, prev_common = ((term, common, start),), common
                pos += 1
                continue
            for group in groups:  # one per position the word takes
                current = []
                for term, common, ds, de in group:
                    s, e = start + ds, start + de
                    if common:
                        add(term, (pos, s, e))
                    for before, was_common, bs in prev:
                        if common or was_common:
                            add(before + GRAM_JOIN + term, (pos - 1, bs, e))
                    current.append((term, common, s))
                prev, prev_common = tuple(current), any(c for _, c, _ in current)
                pos += 1
        return seen

    def _flagged(self, raw: str) -> tuple | list:
        """The word's tokens by position: ((term, is common, start, end), …) for each position it takes;
        for a word that is one token spanning it, [term, is common]."""
        items = self.items
        stops, stem = items[4], items[5]
        width, parts, _ = analyse_word(raw, items[3].charmap, stops.stops, stops.min, stem.stem, common=True)
        groups = [[] for _ in range(width)]
        for term, dpos, ds, de, common in parts:
            groups[dpos].append((term, common, ds, de))
        if width == 1 and len(parts) == 1 and parts[0][2:4] == (0, len(raw)):
            return [parts[0][0], parts[0][4]]
        return tuple(tuple(g) for g in groups)


class _MarkCommonFilter(Filter):
    """Query side: a token StopFilter marked as stopped comes out as COMMON_MARK + its text, unstemmed
    (MemoStemFilter leaves stopped tokens alone), so the parser keeps it and search/common_words.py
    can tell it from a content word whose stem happens to equal a stop word (``wills`` → ``will``)."""

    def __call__(self, tokens):
        for t in tokens:
            if t.stopped:
                t.text = COMMON_MARK + t.text
                t.stopped = False
            yield t


def query_analyzer():
    """text_analyzer's chain for queries, common words kept and marked (COMMON_MARK + word)."""
    return _KeepStops(analysis.words_chain() | analysis.content_filters() | _MarkCommonFilter())

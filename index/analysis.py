"""Analysis: how text becomes the words a document is found by, for documents and queries alike.

It is a chain of stages, each a small filter:

    tokenize (words, keeping ``tear-gas`` and ``Iran's`` whole)
    → fold curly quotes → split hyphenated words into their parts, and also
    index the joined form (``tear-gas`` is found by ``tear gas``, ``"tear gas"``
    and ``teargas``) → drop the English possessive (``Iran's`` → ``iran``)
    → fold case and accents → drop stop words → stem (English).

Common words (stop words, and words shorter than STOP_MIN_SIZE) are indexed
too, apart: each searched text field has a companion field (schema.COMMON_FIELDS)
holding them, unstemmed, at their real positions, and the word pairs they
form with their neighbours (index/common_grams.py). The text field keeps its
exact postings and lengths, so plain-word ranking is what it was.

Did-you-mean's words (``spell_words``, counted in vocabulary.py) come from the
same chain without stemming and stop words: real, unstemmed words. When
indexing, ``NewsAnalyzer.postings`` notes them from the same per-word analysis.
"""
from __future__ import annotations

from functools import partial

from whoosh.analysis import CharsetFilter, Filter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis import STOP_WORDS, CompositeAnalyzer
from whoosh.support.charset import accent_map

from .words import (APOSTROPHES, HYPHEN_SEARCH, HYPHENS, POSSESSIVES, QUOTE_FOLD, analyse_word, drop_possessive,
                    find_words, split_hyphens)

# A word: letters/digits, with inner apostrophes (Iran's) and inner hyphens (tear-gas) kept together.
TOKEN_PATTERN = r"\w+(?:[%s]\w+)*(?:[%s]\w+(?:[%s]\w+)*)*" % (APOSTROPHES, HYPHENS, APOSTROPHES)
STEM_LANGUAGE = "en"  # Snowball English; None: Whoosh's Porter (Snowball scored higher in bench/relevance.py)
STOP_MIN_SIZE = 2  # words shorter than this many characters are dropped (Whoosh default)
# Whoosh's English stop words, minus those that carry meaning in news: "US" the country, "May" the month.
STOP_WORDS_KEPT = frozenset({"us", "may", "tbd"})
STOP_LIST = frozenset(STOP_WORDS) - STOP_WORDS_KEPT
# Stop words keep their positions (renumber=False) so phrases never match across a removed word
# and the joined form of a hyphenated word stays at its first part's position.

# Spell-field analysis results kept per distinct raw word, dropped when this many are held.
SPELL_CACHE_WORDS = 200_000
# Stems kept per distinct word, dropped when this many are held.
STEM_CACHE_WORDS = 200_000
# Analyses kept per distinct raw word by NewsAnalyzer.postings, dropped when this many are held.
POSTINGS_CACHE_WORDS = 200_000


class QuoteFoldFilter(Filter):
    """Folds curly apostrophes in tokens to straight ones (token offsets are unchanged).

    Every character folded is outside ASCII, so ASCII tokens (most of them) pass untouched.
    """

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.isascii():
                t.text = t.text.translate(QUOTE_FOLD)
            yield t


class FoldFilter(CharsetFilter):
    """Drops the possessive (see PossessiveFilter), lowercases, then folds accents with the charmap.

    One filter for three per-token steps, as each stage of the chain costs a
    generator step per token. ASCII words skip the accent fold: after
    lowercasing, accent_map maps every ASCII character to itself.
    """

    def __call__(self, tokens):
        charmap = self.charmap
        for t in tokens:
            text = t.text
            if text.endswith(POSSESSIVES):
                text = drop_possessive(text)
            text = text.lower()
            if not text.isascii():
                text = text.translate(charmap)
            t.text = text
            yield t


class MemoStemFilter(StemFilter):
    """Whoosh's StemFilter with a plain dict as its cache (emptied when ``cachesize`` words are held).

    Whoosh's own cache (``lfu_cache``) costs more per word than the dict lookup,
    and more still once full; the stems are the same.
    """

    def clear(self):
        if self.lang:
            from whoosh.lang import stemmer_for_language
            self._stemfn = stemmer_for_language(self.lang)
        else:
            self._stemfn = self.stemfn
        self._memo = {}

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k not in ("_stem", "_stemfn", "_memo")}

    def cache_info(self):
        return None

    def stem(self, text: str) -> str:
        """The stem of one token's text, as ``__call__`` gives it."""
        if text in self.ignore:
            return text
        memo = self._memo
        stem = memo.get(text)
        if stem is None:
            if len(memo) >= self.cachesize:
                memo.clear()
            stem = memo[text] = self._stemfn(text)
        return stem

    def __call__(self, tokens):
        stemfn, memo, ignore, limit = self._stemfn, self._memo, self.ignore, self.cachesize
        for t in tokens:
            if not t.stopped:
                text = t.text
                if text not in ignore:
                    stem = memo.get(text)
                    if stem is None:
                        if len(memo) >= limit:
                            memo.clear()
                        stem = memo[text] = stemfn(text)
                    t.text = stem
            yield t


class HyphenFilter(Filter):
    """Splits ``tear-gas`` into ``tear`` and ``gas`` (consecutive positions, their own offsets).

    When indexing it also emits the joined word ``teargas`` at the first part's
    position, spanning the whole word, so all three spellings meet. At query
    time only the parts are emitted, so a hyphenated query word becomes a
    phrase of its parts (see MULTITOKEN_QUERY).
    """

    def __call__(self, tokens):
        shift = 0
        for t in tokens:
            text = t.text
            if HYPHEN_SEARCH(text) is None:
                if shift and t.positions:
                    t.pos += shift
                yield t
                continue
            start = t.startchar if t.chars else None
            base = t.pos + shift if t.positions else None
            parts, offset = [], 0
            for piece in split_hyphens(text):
                parts.append((piece, offset))
                offset += len(piece) + 1
            end = t.endchar if t.chars else None
            if t.mode == "index":
                t.text = "".join(p for p, _ in parts)
                if base is not None:
                    t.pos = base
                yield t
            for i, (piece, off) in enumerate(parts):
                t.text = piece
                if base is not None:
                    t.pos = base + i
                if start is not None:
                    t.startchar, t.endchar = start + off, start + off + len(piece)
                yield t
            if start is not None:
                t.startchar, t.endchar = start, end
            shift += len(parts) - 1


class PossessiveFilter(Filter):
    """Drops the English possessive ending so ``Iran's`` and ``Iran’s`` index as ``iran``.

    The chain now does this inside FoldFilter; the class stays because the schemas
    pickled in generations built before name it (they could not be opened without it).
    """

    def __call__(self, tokens):
        for t in tokens:
            if t.text.endswith(POSSESSIVES):
                t.text = drop_possessive(t.text)
            yield t


class NewsAnalyzer(CompositeAnalyzer):
    """The analysis chain, plus ``postings``: the same analysis of a whole text, for indexing, in one pass.

    Every stage of the chain works on one word at a time, and only positions
    depend on what came before (a hyphenated word takes one position per
    part). So a text's postings can be built by analysing each *distinct* raw
    word once, through the chain itself, and reusing that analysis at every
    occurrence, shifted to where the word occurs. Running a token through five
    generator stages costs more than all the rest of indexing a word; news text
    repeats its words, so most occurrences cost one dictionary lookup.
    Queries use the chain as before (``__call__``).
    """

    def __init__(self, *composables):
        super().__init__(*composables)
        self._forget()

    def _forget(self) -> None:
        # raw word → its term when it is one word, False for a stop word (a term can be "": the
        # stemmer leaves nothing of "''").
        self._memo: dict[str, str | bool] = {}
        # raw word → (positions it takes, ((term, position offset, start offset, end offset), …))
        # for the others (hyphenated words mostly): not one term at one position spanning the word.
        self._split: dict[str, tuple] = {}
        # raw word → its did-you-mean word ("" when it has none, or several: those are in _spells).
        self._spell: dict[str, str] = {}
        self._spells: dict[str, tuple[str, ...]] = {}
        self._word = self._word_analysis()

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items()
                if k not in ("_memo", "_split", "_spell", "_spells", "_word")}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._forget()

    def postings(self, text: str, words: set | None = None) -> dict[str, list[tuple[int, int, int]]]:
        """term → [(position, startchar, endchar), …] in text order: what the chain yields in index
        mode with positions and characters, stopped words left out, grouped by term.

        With ``words``, also adds the text's did-you-mean words to it: what ``spell_words(text)``
        gives, from the same per-word analyses (no second tokenizing, no second chain).
        """
        if len(self._spell) > POSTINGS_CACHE_WORDS:
            self._forget()
        memo = self._memo
        seen: dict[str, list] = {}
        pos = end = 0
        find = text.find
        raws = find_words(text)
        # A word starts at the first word character after the previous one (the pattern matches
        # from any word character), so finding it from there gives its offset without a match object.
        for raw in raws:
            start = find(raw, end)
            end = start + len(raw)
            term = memo.get(raw)
            if term is None:
                found = self._split.get(raw) or self._remember(raw)
                if found.__class__ is not tuple:  # a new word: its term, or False
                    term = found
                else:
                    width, parts = found
                    for term, dpos, dstart, dend in parts:
                        entry = seen.get(term)
                        if entry is None:
                            seen[term] = [(pos + dpos, start + dstart, start + dend)]
                        else:
                            entry.append((pos + dpos, start + dstart, start + dend))
                    pos += width
                    continue
            if term is not False:
                entry = seen.get(term)
                if entry is None:
                    seen[term] = [(pos, start, end)]
                else:
                    entry.append((pos, start, end))
            pos += 1
        if words is not None and raws:
            distinct = set(raws)
            words.update(map(self._spell.__getitem__, distinct))
            words.discard("")
            several = self._spells
            if not several.keys().isdisjoint(distinct):
                for raw in several.keys() & distinct:
                    words.update(several[raw])
        return seen

    def _remember(self, raw: str) -> str | bool | tuple:
        width, parts, spell = self._analyse(raw)
        self._spell[raw] = spell[0] if len(spell) == 1 else ""
        if len(spell) > 1:
            self._spells[raw] = spell
        if width == 1 and not parts:
            found = self._memo[raw] = False
        elif width == 1 and len(parts) == 1 and parts[0][1:] == (0, 0, len(raw)):
            found = self._memo[raw] = parts[0][0]
        else:
            found = self._split[raw] = (width, parts)
        return found

    def _analyse(self, raw: str) -> tuple[int, tuple, tuple[str, ...]]:
        """(positions the word takes, its terms, its did-you-mean words).

        The terms are (term, position offset, start offset, end offset), stopped
        ones left out. The did-you-mean words are the token texts as they reach the
        first stop or stem filter (the unstemmed analysis, as ``spell_words`` has
        it) that ``is_spell_word``.
        """
        if self._word is not None:
            width, parts, folded = self._word(raw)
            return width, parts, tuple(w for w in folded if is_spell_word(w))
        width = len(split_hyphens(raw)) if HYPHEN_SEARCH(raw) is not None else 1
        unstemmed: list[str] = []
        parts = tuple((t.text, t.pos, t.startchar, t.endchar)
                      for t in self._noting_chain(raw, unstemmed) if not t.stopped)
        return width, parts, tuple(w for w in unstemmed if is_spell_word(w))

    def _word_analysis(self):
        """``_analyse`` without the chain's generators, for the chains text_analyzer builds
        (the same steps, one word at a time; the tests hold it equal to the chain); None for
        other chains, which are run as they are."""
        items = self.items
        kinds = [type(item) for item in items]
        if (kinds[:4] != [RegexTokenizer, QuoteFoldFilter, HyphenFilter, FoldFilter]
                or items[0].expression.pattern != TOKEN_PATTERN or items[0].gaps):
            return None
        if len(items) == 4:
            return partial(analyse_word, charmap=items[3].charmap, stops=None, minsize=0, stem=None)
        if kinds[4:] == [StopFilter, MemoStemFilter] and not items[4].renumber and items[4].max is None:
            return partial(analyse_word, charmap=items[3].charmap, stops=items[4].stops,
                           minsize=items[4].min, stem=items[5].stem)
        return None

    def _noting_chain(self, raw: str, unstemmed: list[str]):
        """The chain in index mode over one word, noting each token's text in ``unstemmed``
        as it enters the first stop or stem filter (at the end, if there is neither)."""
        items = self.items
        tokens = items[0](raw, positions=True, chars=True, mode="index")
        noted = False
        for item in items[1:]:
            if not noted and isinstance(item, (StopFilter, StemFilter)):
                tokens, noted = _noting(tokens, unstemmed), True
            tokens = item(tokens)
        return tokens if noted else _noting(tokens, unstemmed)


def _noting(tokens, texts: list[str]):
    for t in tokens:
        texts.append(t.text)
        yield t


def words_chain():
    """The chain's first stages: words, folded (no stop words dropped, no stemming)."""
    return RegexTokenizer(TOKEN_PATTERN) | QuoteFoldFilter() | HyphenFilter() | FoldFilter(accent_map)


def content_filters():
    """The chain's last stages: drop (or, with removestops=False, mark) stop words, stem the rest."""
    return (StopFilter(stoplist=STOP_LIST, minsize=STOP_MIN_SIZE, renumber=False)
            | MemoStemFilter(lang=STEM_LANGUAGE, cachesize=STEM_CACHE_WORDS))


def text_analyzer(stem: bool = True):
    chain = words_chain()
    if stem:
        chain = chain | content_filters()
    return NewsAnalyzer(chain)


def exact_analyzer_words(text: str) -> list[str]:
    """The unstemmed words of ``text``, analysed as did-you-mean's words are (for its lookups)."""
    return [t.text for t in text_analyzer(stem=False)(text, mode="query")]


#: Did-you-mean corrects words of at least this many letters, into words of at least as many.
SPELL_MIN_LENGTH = 3


def is_spell_word(word: str) -> bool:
    """Whether an (unstemmed, folded) word belongs in the did-you-mean vocabulary.

    Corrections are made of letters (search/suggest.py edits with a–z only), so
    numbers and words with digits could never be offered; stop words are dropped
    from queries, so correcting into one would change nothing. Leaving them out
    takes a quarter of the words off every document's list.
    """
    return len(word) >= SPELL_MIN_LENGTH and word.isalpha() and word not in STOP_LIST


_SPELL_ANALYZER = text_analyzer(stem=False)
_spell_cache: dict[str, tuple[str, ...]] = {}


def spell_words(*texts: str) -> list[str]:
    """The distinct did-you-mean words of ``texts`` (see vocabulary.py).

    The same words the unstemmed analyzer gives in index mode (joined hyphenated
    forms included), but each distinct raw word is analysed once and remembered:
    did-you-mean only asks whether and in how many documents a word occurs, so
    neither positions nor frequencies are needed, and the analyzer chain — a third
    of the indexing time when run on every token — runs on new words only.
    Only words a correction could be (``is_spell_word``) are kept.
    """
    cache = _spell_cache
    if len(cache) > SPELL_CACHE_WORDS:
        cache.clear()
    words: dict[str, None] = {}
    for text in texts:
        for raw in set(find_words(text)):
            found = cache.get(raw)
            if found is None:
                found = cache[raw] = tuple(t.text for t in _SPELL_ANALYZER(raw, mode="index")
                                           if is_spell_word(t.text))
            for word in found:
                words[word] = None
    return list(words)

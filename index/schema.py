"""The index schema, defined once; ``search/`` imports its field names from here.

Analysis is a chain of stages, each a small filter:

    tokenize (words, keeping ``tear-gas`` and ``Iran's`` whole)
    → fold curly quotes → split hyphenated words into their parts, and also
    index the joined form (``tear-gas`` is found by ``tear gas``, ``"tear gas"``
    and ``teargas``) → drop the English possessive (``Iran's`` → ``iran``)
    → fold case and accents → drop stop words → stem (English).

Did-you-mean's words (``spell_words``, counted in vocabulary.py) come from the
same chain without stemming and stop words: real, unstemmed words.
"""
from __future__ import annotations

import re

from whoosh import columns, fields
from whoosh.analysis import CharsetFilter, Filter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis import STOP_WORDS, CompositeAnalyzer
from whoosh.support.charset import accent_map

# Curly quotes and apostrophes are folded to straight ones (in documents and queries).
QUOTE_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u02bc": "'",
                            "\u2032": "'", "\u00b4": "'", "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
APOSTROPHES = "'\u2019\u2018\u02bc"
HYPHENS = "-\u2010\u2011"
# A word: letters/digits, with inner apostrophes (Iran's) and inner hyphens (tear-gas) kept together.
TOKEN_PATTERN = r"\w+(?:[%s]\w+)*(?:[%s]\w+(?:[%s]\w+)*)*" % (APOSTROPHES, HYPHENS, APOSTROPHES)
POSSESSIVES = ("'s", "'")  # English possessive endings, dropped before stemming
STEM_LANGUAGE = "en"  # Snowball English; None: Whoosh's Porter (Snowball scored higher in bench/relevance.py)
STOP_MIN_SIZE = 2  # words shorter than this many characters are dropped (Whoosh default)
# Whoosh's English stop words, minus those that carry meaning in news: "US" the country, "May" the month.
STOP_WORDS_KEPT = frozenset({"us", "may", "tbd"})
STOP_LIST = frozenset(STOP_WORDS) - STOP_WORDS_KEPT
# Stop words keep their positions (renumber=False) so phrases never match across a removed word
# and the joined form of a hyphenated word stays at its first part's position.


_TOKEN_FINDALL = re.compile(TOKEN_PATTERN).findall
# Any hyphen, to find the (few) hyphenated tokens without a per-token scan of every hyphen.
HYPHEN_SEARCH = re.compile("[%s]" % HYPHENS).search
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
                text = _drop_possessive(text)
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
            for piece in _split_hyphens(text):
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


def _split_hyphens(text: str) -> list[str]:
    for h in HYPHENS[1:]:
        text = text.replace(h, "-")
    return [p for p in text.split("-") if p]


class PossessiveFilter(Filter):
    """Drops the English possessive ending so ``Iran's`` and ``Iran’s`` index as ``iran``.

    The chain now does this inside FoldFilter; the class stays because the schemas
    pickled in generations built before name it (they could not be opened without it).
    """

    def __call__(self, tokens):
        for t in tokens:
            if t.text.endswith(POSSESSIVES):
                t.text = _drop_possessive(t.text)
            yield t


def _drop_possessive(text: str) -> str:
    for ending in POSSESSIVES:
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)]
    return text


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
        self._memo: dict[str, tuple] = {}

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_memo"}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._memo = {}

    def postings(self, text: str) -> dict[str, list[tuple[int, int, int]]]:
        """term → [(position, startchar, endchar), …] in text order: what the chain yields in index
        mode with positions and characters, stopped words left out, grouped by term."""
        memo = self._memo
        if len(memo) > POSTINGS_CACHE_WORDS:
            memo.clear()
        seen: dict[str, list] = {}
        pos = end = 0
        find = text.find
        # A word starts at the first word character after the previous one (the pattern matches
        # from any word character), so finding it from there gives its offset without a match object.
        for raw in _TOKEN_FINDALL(text):
            start = find(raw, end)
            end = start + len(raw)
            found = memo.get(raw)
            if found is None:
                found = memo[raw] = self._analyse(raw)
            width, parts = found
            if parts.__class__ is str:  # one term spanning the whole word (most words)
                entry = seen.get(parts)
                if entry is None:
                    seen[parts] = [(pos, start, end)]
                else:
                    entry.append((pos, start, end))
            elif parts:
                for term, dpos, dstart, dend in parts:
                    entry = seen.get(term)
                    if entry is None:
                        entry = seen[term] = []
                    entry.append((pos + dpos, start + dstart, start + dend))
            pos += width
        return seen

    def _analyse(self, raw: str) -> tuple[int, object]:
        """(positions the word takes, its terms): a str for a single term covering the word,
        else a tuple of (term, position offset, start offset, end offset); () when it is a stop word."""
        width = len(_split_hyphens(raw)) if HYPHEN_SEARCH(raw) is not None else 1
        parts = tuple((t.text, t.pos, t.startchar, t.endchar)
                      for t in self(raw, positions=True, chars=True, mode="index") if not t.stopped)
        if len(parts) == 1 and parts[0][1:] == (0, 0, len(raw)):
            return width, parts[0][0]
        return width, parts


def text_analyzer(stem: bool = True):
    chain = RegexTokenizer(TOKEN_PATTERN) | QuoteFoldFilter() | HyphenFilter() | FoldFilter(accent_map)
    if stem:
        chain = (chain | StopFilter(stoplist=STOP_LIST, minsize=STOP_MIN_SIZE, renumber=False)
                 | MemoStemFilter(lang=STEM_LANGUAGE, cachesize=STEM_CACHE_WORDS))
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
        for raw in set(_TOKEN_FINDALL(text)):
            found = cache.get(raw)
            if found is None:
                found = cache[raw] = tuple(t.text for t in _SPELL_ANALYZER(raw, mode="index")
                                           if is_spell_word(t.text))
            for word in found:
                words[word] = None
    return list(words)


# Field names, for the search side.
ID, URL, OUTLET, SECTION, TITLE, BODY, CAPTIONS = "id", "url", "outlet", "section", "title", "body", "captions"
BYLINE, CONTRIBUTORS, PUBLISHED, SOURCE, HASH, ARTICLE = (
    "byline", "contributors", "published", "source", "hash", "article")
# Analysed copies of outlet and section, so `outlet:telegraph` works in the query language.
OUTLET_TEXT, SECTION_TEXT = "outlet_text", "section_text"
# Exact keys of the publication date, for facets and filters: "2020-01" and "2020-01-01".
MONTH, DAY = "month", "day"
# Near-duplicate sketch of the body (see index/fingerprint.py), a column only.
FINGERPRINT = "fingerprint"

TITLE_BOOST = 2.0  # index time: a title word's frequency counts double (see search/parse.FIELD_BOOSTS)
# A hyphenated query word becomes a phrase of its parts: `tear-gas` finds "tear gas" and "tear-gas".
MULTITOKEN_QUERY = "phrase"


def build_schema() -> fields.Schema:
    analyzer = text_analyzer()

    def text(**kw):
        return fields.TEXT(analyzer=analyzer, multitoken_query=MULTITOKEN_QUERY, **kw)

    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        url=fields.STORED(),
        outlet=fields.ID(stored=True, sortable=True),
        section=fields.ID(stored=True, sortable=True),
        outlet_text=text(),
        section_text=text(),
        title=text(stored=True, field_boost=TITLE_BOOST, chars=True),
        body=text(stored=True, chars=True),
        captions=text(stored=True, chars=True),
        byline=text(stored=True),
        contributors=text(stored=True),
        published=fields.DATETIME(stored=True, sortable=True),
        month=fields.ID(sortable=True),
        day=fields.ID(sortable=True),
        fingerprint=fields.COLUMN(columns.VarBytesColumn()),
        source=fields.STORED(),  # shown on the article page; never searched
        hash=fields.STORED(),
        article=fields.STORED(),  # the cleaned Article as JSON, for the article page
    )

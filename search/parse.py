"""Parse stage: the user's query text becomes a Whoosh query.

The language: words (all required by default, or any of them with
``match=any``), ``OR``, ``NOT``/``-word``, ``"phrases"`` (curly quotes too),
``field:value`` for the fields in QUERY_FIELDS, date ranges
``published:[2019-12-31 TO 2020-01-01]`` (or ``published:2020-01``,
``published:undated``), ``prefix*`` and ``fuzzy~`` (``fuzzy~2`` for two edits).

``outlet:``, ``section:`` and ``published:`` are filters, not words: their
values are read as written (``outlet:"Daily Mail"``) into exact-value
queries, checked here with the published/from/to parameters' own rules and
messages (request.py); outlet and section names are matched against the
index by filters.py, which also takes them out of the query.

Common words ("the", "of") are kept by the parser and placed afterwards
(common_words.py): inside phrases they count, as plain words they are dropped
unless the query has nothing else.

It is lenient where a reading is obvious — an unbalanced quote or parenthesis
and stray operators are read as plain text, an unknown ``field:`` is read as
words — and strict where a guess would be expensive or wrong: a wildcard
without a real prefix and an unreadable date are BadQuery errors that say so.
"""
from __future__ import annotations

import copy
import re
from datetime import date, datetime, timedelta

from whoosh import fields, qparser
from whoosh import query as wq

from index import analysis
from index import schema as f
from index.common_grams import query_analyzer

from . import request as rules
from .common_words import place_common_words
from .errors import BadQuery

#: Names users write before ``:`` → the index field searched.
QUERY_FIELDS = {
    "title": f.TITLE, "body": f.BODY, "captions": f.CAPTIONS, "byline": f.BYLINE,
    "outlet": f.OUTLET, "section": f.SECTION, "published": f.PUBLISHED,
}
#: Fields whose typed value is a filter (an exact value), not words to search for.
TYPED_FILTERS = (f.OUTLET, f.SECTION, f.PUBLISHED)
#: Fields a plain word is looked for in, with their query-time boosts (tuned with bench/relevance.py).
#: The title is scored as its own short field (its index-time weight: schema.TITLE_BOOST); an extra
#: query-time title boost lowered Cranfield nDCG@10: 1.0 → 0.375, 1.5 → 0.369, 2.0 → 0.360
#: (K1 1.6, B 0.9, title x2). Captions are secondary text, weighted down.
FIELD_BOOSTS = {f.TITLE: 1.0, f.BODY: 1.0, f.CAPTIONS: 0.5}
MIN_PREFIX = 2  # letters required before a `*` (a bare `*` would expand to every word in the index)
FUZZY_PREFIX = 1  # leading letters a fuzzy~ word must keep (limits the words it is compared with)
GROUPS = {"all": qparser.AndGroup, "any": qparser.OrGroup}

QUOTE_FOLD = analysis.QUOTE_FOLD
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")  # a year, month or day: a published: range bound
_WILDCARD_WORD = re.compile(r"(?:^|(?<=[\s(:\"+-]))([^\s()\"]*\*[^\s()\"]*)")
_WORD = re.compile(r"\w+")


def parse_query(text: str, schema, match: str = "all") -> wq.Query:
    """The Whoosh query for ``text``; raises BadQuery (param ``q``) naming the problem.

    Returns ``query.NullQuery`` when nothing searchable is left (only
    operators): that finds nothing, which is the honest answer.
    """
    text = text.translate(QUOTE_FOLD).replace("?", " ")  # `?` is punctuation here, not a wildcard
    _check_wildcards(text)
    parser = _parser(schema, match)
    try:
        query = parser.parse(text)
    except BadQuery:
        raise
    except Exception as exc:  # Whoosh raises assorted errors on odd input; name what it said
        raise BadQuery(f"q could not be read: {exc}", "q") from None
    query = _limit_fuzzy(place_common_words(query, schema))
    if _has_every(query):
        raise BadQuery(f"q: a wildcard needs at least {MIN_PREFIX} letters before *, e.g. protest*", "q")
    return _read_filters(query)


def plain_words(text: str) -> list[str]:
    """The words of ``text`` outside operators and field names, as the user wrote them (for suggestions)."""
    text = text.translate(QUOTE_FOLD)
    words = []
    for token in re.findall(r"[^\s()\"]+", text):
        if token in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE") or ":" in token or "*" in token or "~" in token:
            continue
        word = token.lstrip("+-")
        if _WORD.fullmatch(word.replace("'", "").replace("-", "")):
            words.append(word)
    return words


_PARSERS: dict = {}


def _parser(schema, match: str) -> qparser.QueryParser:
    """One parser per (schema, match), built on first use: parsers hold no per-query state."""
    key = (id(schema), match)
    parser = _PARSERS.get(key)
    if parser is None:
        if match not in GROUPS:
            raise BadQuery(f"match must be one of {', '.join(GROUPS)}", "match")
        # Only the user-facing fields: `hash:` or `article:` in a query are read as words.
        visible = fields.Schema(**{name: _TypedValue() if name in TYPED_FILTERS else _query_field(schema[name])
                                   for name in set(QUERY_FIELDS.values()) if name in schema})
        parser = qparser.MultifieldParser(list(FIELD_BOOSTS), visible, fieldboosts=FIELD_BOOSTS,
                                          group=GROUPS[match])
        parser.remove_plugin_class(qparser.SingleQuotePlugin)  # apostrophes are not quotes: Iran's
        # `-word` excludes, but only at the start of a word: tear-gas and 2020-01 stay whole.
        parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.FieldAliasPlugin(
            {real: [alias] for alias, real in QUERY_FIELDS.items() if alias != real}))
        _PARSERS[key] = parser
    return parser


def _query_field(field):
    """``field`` as the parser sees it: a text field analysed with Lede's chain keeps common words,
    marked (common_grams.query_analyzer), for common_words.py to place."""
    if not isinstance(field.analyzer, analysis.NewsAnalyzer) or not field.format or \
            not field.format.supports("positions"):
        return field
    shown = copy.copy(field)
    shown.analyzer = query_analyzer()
    return shown


class _TypedValue(fields.FieldType):
    """A filter field in the parser's schema: its value is kept as typed (``_read_filters`` reads it)."""

    def __init__(self):
        super().__init__(format=None, analyzer=None)

    def self_parsing(self):
        return True

    def parse_query(self, fieldname, qstring, boost=1.0):
        return wq.Term(fieldname, qstring)

    def parse_range(self, fieldname, start, end, startexcl, endexcl, boost=1.0):
        return wq.TermRange(fieldname, start, end, startexcl, endexcl)

    def process_text(self, qstring, mode="", **kwargs):
        yield qstring  # a quoted value stays one value: outlet:"Daily Mail"


def _read_filters(query: wq.Query) -> wq.Query:
    """Typed filters as exact-value queries: outlet and section as written (filters.py matches the
    names), published as a month/day term, a date range or "no date"; BadQuery for a bad date."""
    name = getattr(query, "fieldname", None)
    if name not in TYPED_FILTERS:
        return query.apply(_read_filters)
    if isinstance(query, wq.TermRange):
        if name != f.PUBLISHED:
            raise BadQuery(f"q: {name}: takes one {name}, not a range — write {name}:\"…\"", "q")
        return _published_range(query.start, query.end, query.startexcl, query.endexcl)
    value = query.text if isinstance(getattr(query, "text", None), str) else " ".join(getattr(query, "words", ()))
    if name != f.PUBLISHED:
        return wq.Term(name, value.strip())
    if re.fullmatch(r"\d{4}", value.strip()):  # a year: published:2020
        return _published_range(value, value, False, False)
    try:
        value = rules.published_value(value.strip().lower())
    except BadQuery as exc:
        raise exc.in_query(f"published:{value}") from None
    return undated() if value == rules.UNDATED else wq.Term(f.DAY if len(value) == 10 else f.MONTH, value)


def undated() -> wq.Query:
    """The documents without a publication date: those with no ``day`` key (filters.py reads it as a set)."""
    return wq.Not(wq.Every(f.DAY))


def _published_range(start, end, startexcl: bool, endexcl: bool) -> wq.Query:
    """``published:[start TO end]`` as a date range; either end may be a year, a month or a day, or open."""
    typed = f"published:[{start or ''} TO {end or ''}]"
    first = _period(start, "from", typed) if start else None
    last = _period(end, "to", typed) if end else None
    if first is None and last is None:
        raise rules.date_error("from").in_query(typed)
    try:
        rules.date_range(first and first[0], last and last[1])
    except BadQuery as exc:
        raise exc.in_query(typed) from None
    low = (first[1] + timedelta(days=1) if startexcl else first[0]) if first else None
    high = (last[0] - timedelta(days=1) if endexcl else last[1]) if last else None
    return wq.DateRange(f.PUBLISHED, low and datetime.combine(low, datetime.min.time()),
                        high and datetime.combine(high, datetime.max.time()))


def _period(text: str, name: str, typed: str) -> tuple[date, date]:
    """The first and last day of a year, month or day written as 2020, 2020-01 or 2020-01-31."""
    match = _PERIOD.match(text.strip())
    try:
        year, month, day = (int(g) if g else None for g in match.groups())
        first = date(year, month or 1, day or 1)
    except (AttributeError, ValueError):  # no match, or no such month or day
        raise rules.date_error(name).in_query(typed) from None
    if day:
        return first, first
    if month:
        return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, date(year, 12, 31)


def _check_wildcards(text: str) -> None:
    for match in _WILDCARD_WORD.finditer(text):
        word = match.group(1).split(":")[-1].lstrip("+-")
        head = word.split("*", 1)[0]
        if len("".join(_WORD.findall(head))) < MIN_PREFIX:
            raise BadQuery(
                f"q: {match.group(1)!r} — a wildcard needs at least {MIN_PREFIX} letters before *, "
                "e.g. protest*", "q")


def _limit_fuzzy(query: wq.Query) -> wq.Query:
    """Fuzzy words keep their first letter: scanning every word of the index per query is too slow."""
    if isinstance(query, wq.FuzzyTerm):
        query.prefixlength = max(query.prefixlength, FUZZY_PREFIX)
        return query
    return query.apply(_limit_fuzzy)


def _has_every(query: wq.Query) -> bool:
    if isinstance(query, wq.Every):
        return True
    return any(_has_every(child) for child in query.children())

"""Parse stage: the user's query text becomes a Whoosh query.

The language: words (all required by default, or any of them with
``match=any``), ``OR``, ``NOT``/``-word``, ``"phrases"`` (curly quotes too),
``field:value`` for the fields in QUERY_FIELDS, date ranges
``published:[2019-12-31 TO 2020-01-01]`` (or ``published:2020-01``),
``prefix*`` and ``fuzzy~`` (``fuzzy~2`` for two edits).

It is lenient where a reading is obvious — an unbalanced quote or parenthesis
and stray operators are read as plain text, an unknown ``field:`` is read as
words — and strict where a guess would be expensive or wrong: a wildcard
without a real prefix and an unreadable date are BadQuery errors that say so.
"""
from __future__ import annotations

import re

from whoosh import fields, qparser
from whoosh import query as wq

from index import schema as f

from .errors import BadQuery

#: Names users write before ``:`` → the index field searched.
QUERY_FIELDS = {
    "title": f.TITLE, "body": f.BODY, "captions": f.CAPTIONS, "byline": f.BYLINE,
    "outlet": f.OUTLET_TEXT, "section": f.SECTION_TEXT, "published": f.PUBLISHED,
}
#: Fields a plain word is looked for in, with their query-time boosts (tuned with bench/relevance.py).
#: The title is scored as its own short field (its index-time weight: schema.TITLE_BOOST); an extra
#: query-time title boost lowered Cranfield nDCG@10: 1.0 → 0.375, 1.5 → 0.369, 2.0 → 0.360
#: (K1 1.6, B 0.9, title x2). Captions are secondary text, weighted down.
FIELD_BOOSTS = {f.TITLE: 1.0, f.BODY: 1.0, f.CAPTIONS: 0.5}
MIN_PREFIX = 2  # letters required before a `*` (a bare `*` would expand to every word in the index)
FUZZY_PREFIX = 1  # leading letters a fuzzy~ word must keep (limits the words it is compared with)
GROUPS = {"all": qparser.AndGroup, "any": qparser.OrGroup}

QUOTE_FOLD = f.QUOTE_FOLD
_PUBLISHED = re.compile(r"\bpublished:(\[[^\]]*\]?|\"[^\"]*\"?|\S*)", re.I)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_WILDCARD_WORD = re.compile(r"(?:^|(?<=[\s(:\"+-]))([^\s()\"]*\*[^\s()\"]*)")
_WORD = re.compile(r"\w+")


def parse_query(text: str, schema, match: str = "all") -> wq.Query:
    """The Whoosh query for ``text``; raises BadQuery (param ``q``) naming the problem.

    Returns ``query.NullQuery`` when nothing searchable is left (only stop
    words or operators): that finds nothing, which is the honest answer.
    """
    text = text.translate(QUOTE_FOLD).replace("?", " ")  # `?` is punctuation here, not a wildcard
    _check_published(text)
    _check_wildcards(text)
    parser = _parser(schema, match)
    try:
        query = parser.parse(text)
    except BadQuery:
        raise
    except Exception as exc:  # Whoosh raises assorted errors on odd input; name what it said
        raise BadQuery(f"q could not be read: {exc}", "q") from None
    query = _limit_fuzzy(query)
    if _has_every(query):
        raise BadQuery(f"q: a wildcard needs at least {MIN_PREFIX} letters before *, e.g. protest*", "q")
    return query


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
        visible = fields.Schema(**{name: schema[name] for name in set(QUERY_FIELDS.values())
                                   if name in schema})
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


def _check_published(text: str) -> None:
    for match in _PUBLISHED.finditer(text):
        value = match.group(1).strip('"')
        if value.startswith("["):
            inner = value[1:].rstrip("]")
            bounds = [b.strip() for b in re.split(r"\bTO\b", inner, maxsplit=1)]
            ok = value.endswith("]") and len(bounds) == 2 and any(bounds) and all(
                not b or _DATE.match(b) for b in bounds)
        else:
            ok = bool(_DATE.match(value))
        if not ok:
            raise BadQuery(
                f"q: published:{match.group(1)} is not a date — write published:2020-01-31, "
                "published:2020-01 or published:[2019-12-31 TO 2020-01-01]", "q")


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

"""Lede's parsed query (a Whoosh query tree, parse.py) as a ``xapian.Query`` over the shard layout.

Both backends read the same query language with the same parser and analyzer, so a word, a phrase
with common words or a typed filter means the same terms here as there (index/shards/layout.py):

* a word in a field is the field's prefixed term, weighted by its boost (OP_SCALE_WEIGHT);
* a phrase is OP_PHRASE over its words' positions; a phrase with common words (``MixedPhrase``,
  common_words.py) is the same word pairs Whoosh looks up in the common-word companion, one per
  position, the positions the pairs leave out filled with the content word the pair before ends in;
* ``prefix*`` is OP_WILDCARD; a wildcard inside a word and ``fuzzy~`` are expanded here against the
  shards' terms (Xapian 1.4 expands trailing wildcards only, and has no edit-distance query);
* typed filters (outlet, section, month, day, dates) are boolean terms and value ranges that add
  nothing to a score; the top-level ones are taken out as filters.py takes them out for Whoosh.
"""
from __future__ import annotations

import fnmatch

import xapian
from whoosh import query as wq
from whoosh.support.levenshtein import levenshtein

from index import schema as f
from index.common_grams import GRAM_JOIN
from index.shards import layout

from .. import filters
from ..errors import BadQuery
from ..parse import undated
from ..fast.phrases import MixedPhrase

MAX_EXPANSION = 1000  # terms a wildcard or fuzzy word may stand for (Whoosh expands without a bound)
#: Typed-filter fields whose values are boolean terms.
EXACT = {f.OUTLET, f.SECTION, f.MONTH, f.DAY}


class Translator:
    """Translates for one database (``db``: the combined shards, whose terms expand patterns)."""

    def __init__(self, db, outlets, sections):
        self.db = db
        self.named = {f.OUTLET: outlets, f.SECTION: sections}

    def split(self, query, match: str) -> tuple[xapian.Query | None, xapian.Query | None]:
        """(the scored part of ``query`` — None when only filters were typed —, the filter to apply —
        None when there is none), as filters.split divides a query for the Whoosh backend."""
        query = self.resolve(query)
        required, excluded = [], []
        rest = filters.take_filters(query, match, required, excluded)  # the same division as Whoosh's
        if not required and not excluded:
            return self.query(query), None
        by_param: dict = {}
        for part in required:
            by_param.setdefault(filters.param_of(part), []).append(self.boolean(part))
        allowed = and_all([or_all(parts) for parts in by_param.values()])
        if excluded:
            allowed = xapian.Query(xapian.Query.OP_AND_NOT, allowed or xapian.Query.MatchAll,
                                   or_all([self.boolean(p) for p in excluded]))
        return (self.query(rest) if rest is not None else None), allowed

    def resolve(self, query):
        """Typed outlet and section names as the shards' own values (filters.named), BadQuery if none."""
        if isinstance(query, wq.Term) and query.fieldname in self.named:
            param = filters.PARAM_OF[query.fieldname]
            names = filters.named(self.named[query.fieldname], query.text)
            if not names:
                raise filters.unknown(param, query.text).in_query(f"{param}:{query.text}")
            terms = [wq.Term(query.fieldname, v) for v in names]
            return wq.Or(terms) if len(terms) > 1 else terms[0]
        return query.apply(self.resolve)

    def boolean(self, query) -> xapian.Query:
        """A filter part, matching the same documents and adding no weight."""
        return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, self.query(query), 0.0)

    def query(self, q) -> xapian.Query:
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return xapian.Query.MatchNothing
        if q == undated():  # published:undated
            return xapian.Query(layout.UNDATED_TERM)
        if isinstance(q, wq.Every):
            return self.query(wq.Not(undated())) if q.fieldname == f.DAY else xapian.Query.MatchAll
        if isinstance(q, wq.And):
            return self._and(q.subqueries, q.boost)
        if isinstance(q, wq.Or):
            return scaled(or_all([self.query(s) for s in q.subqueries]), q.boost)
        if isinstance(q, wq.Not):
            return xapian.Query(xapian.Query.OP_AND_NOT, xapian.Query.MatchAll, self.query(q.query))
        if isinstance(q, wq.AndNot):
            return xapian.Query(xapian.Query.OP_AND_NOT, self.query(q.a), self.query(q.b))
        if isinstance(q, wq.AndMaybe):
            return xapian.Query(xapian.Query.OP_AND_MAYBE, self.query(q.a), self.query(q.b))
        if isinstance(q, wq.DateRange):
            return self._dates(q)
        if isinstance(q, MixedPhrase):
            return scaled(self._mixed_phrase(q), q.boost)
        if isinstance(q, wq.Phrase):
            terms = [term(q.fieldname, w) for w in q.words]
            return scaled(phrase(terms, q.slop), q.boost)
        if isinstance(q, wq.FuzzyTerm):
            return scaled(self._expand(q.fieldname, q.text[:q.prefixlength],
                                       lambda w: levenshtein(w, q.text, q.maxdist + 1) <= q.maxdist), q.boost)
        if isinstance(q, wq.Prefix):
            return scaled(xapian.Query(xapian.Query.OP_WILDCARD, term(q.fieldname, q.text), MAX_EXPANSION,
                                       xapian.Query.WILDCARD_LIMIT_MOST_FREQUENT), q.boost)
        if isinstance(q, wq.Wildcard):
            head = q.text.split("*", 1)[0].split("?", 1)[0]
            return scaled(self._expand(q.fieldname, head, lambda w: fnmatch.fnmatchcase(w, q.text)), q.boost)
        if isinstance(q, wq.Term) and q.fieldname in EXACT:
            return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, xapian.Query(exact(q.fieldname, q.text)), 0.0)
        if isinstance(q, wq.Term):
            return scaled(xapian.Query(term(q.fieldname, q.text)), q.boost)
        raise BadQuery(f"q: {type(q).__name__} queries are not served by the Xapian backend", "q")

    def _and(self, parts, boost: float) -> xapian.Query:
        """An AND whose ``Not`` parts are exclusions (Whoosh's reading of ``oil NOT gas``)."""
        positive = [self.query(s) for s in parts if not isinstance(s, wq.Not)]
        negative = [self.query(s.query) for s in parts if isinstance(s, wq.Not)]
        result = and_all(positive) or xapian.Query.MatchAll
        if negative:
            result = xapian.Query(xapian.Query.OP_AND_NOT, result, or_all(negative))
        return scaled(result, boost)

    def _dates(self, q: wq.DateRange) -> xapian.Query:
        slot = layout.SLOTS[f.DAY]
        low = q.startdate.date().isoformat() if q.startdate else None
        high = q.enddate.date().isoformat() if q.enddate else None
        if low and high:
            found = xapian.Query(xapian.Query.OP_VALUE_RANGE, slot, low, high)
        elif low:
            found = xapian.Query(xapian.Query.OP_VALUE_GE, slot, low)
        else:
            found = xapian.Query(xapian.Query.OP_VALUE_LE, slot, high)
        return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, found, 0.0)

    def _mixed_phrase(self, q: MixedPhrase) -> xapian.Query:
        if q.offsets is None:  # slop: word by word, each where it is indexed
            return phrase([term(field, w) for field, w in zip(q.fields, q.words)], q.slop)
        units = dict(zip(q.offsets, zip(q.fields, q.words)))
        terms = []
        for offset in range(max(units) + 1):
            if offset in units:
                field, word = units[offset]
            else:  # a content word the pair before ends in (no pair starts at it)
                field, word = q.fieldname, units[offset - 1][1].split(GRAM_JOIN, 1)[-1]
            terms.append(term(field, word))
        return phrase(terms, 1)

    def _expand(self, fieldname: str, head: str, keep) -> xapian.Query:
        """The words of ``fieldname`` starting with ``head`` that ``keep`` accepts, as an OR."""
        prefix = layout.PREFIXES[fieldname]
        words = []
        for item in self.db.allterms(prefix + head):
            word = item.term.decode("utf-8")[len(prefix):]
            if keep(word):
                words.append(xapian.Query(prefix + word))
                if len(words) >= MAX_EXPANSION:
                    break
        return or_all(words)


def term(fieldname: str, word: str) -> str:
    return layout.bounded(layout.PREFIXES[fieldname] + word)


def exact(fieldname: str, value: str) -> str:
    return layout.bounded(layout.BOOLEAN_PREFIXES[fieldname] + value)


def phrase(terms: list[str], slop: int) -> xapian.Query:
    """Words in this order, adjacent (slop 1) or each within ``slop`` positions of the one before."""
    if len(terms) == 1:
        return xapian.Query(terms[0])
    window = len(terms) + (len(terms) - 1) * (max(slop, 1) - 1)
    return xapian.Query(xapian.Query.OP_PHRASE, [xapian.Query(t) for t in terms], window)


def scaled(query: xapian.Query, boost: float) -> xapian.Query:
    return query if boost == 1.0 else xapian.Query(xapian.Query.OP_SCALE_WEIGHT, query, boost)


def or_all(parts: list) -> xapian.Query:
    if not parts:
        return xapian.Query.MatchNothing
    return parts[0] if len(parts) == 1 else xapian.Query(xapian.Query.OP_OR, parts)


def and_all(parts: list) -> xapian.Query | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else xapian.Query(xapian.Query.OP_AND, parts)

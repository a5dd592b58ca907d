"""Filter stage: which documents a request may return, as sets of docnums.

Filters come from two places with one meaning: the ``outlet``, ``section``,
``published``, ``from`` and ``to`` parameters, and the same restrictions
typed in the query (``outlet:CNN``, ``section:"World news"``,
``published:2020-01``, ``published:[2019-12-31 TO 2020-01-01]``,
``published:undated``; parse.py reads them into exact-value queries). Values
are OR-ed within a parameter and AND-ed across parameters; every set is
cached per searcher.

A typed filter at the top level of the query — required, or excluded with
``-``/``NOT`` — is taken out of the query (``split``) and applied as a set:
it never adds to a score, and partial matching (partial.py), which relaxes
only what is left, can never drop it. The filters taken out combine as the
parameters do: ``outlet:CNN outlet:BBC`` is either outlet, ``outlet:CNN
published:2016`` both. With ``match=any`` the top-level group is an OR; a
typed filter there is taken out all the same, so ``oil gas outlet:CNN`` is
"oil or gas, in CNN" (and so is ``oil OR outlet:CNN``: with ``match=any``
an OR typed between words cannot be told from the implicit one). With
``match=all``, a filter in an OR group (``oil OR outlet:CNN``) stays in the
query as an exact-value query.

A typed outlet or section names the outlet whose name it is,
case-insensitively (``outlet:cnn`` is "CNN"); when no name is that, every
outlet whose name holds all of its words (``outlet:telegraph`` is "The
Telegraph", ``outlet:news`` is "BBC News", "ABC News" and "Right Wing News"). A value that
names none is the parameter's error: "unknown outlet …".
"""
from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta

from whoosh import query as wq

from index import schema as f

from . import facets
from .errors import BadQuery
from .fast.matching import matching_docs
from .request import UNDATED

#: Query fields a typed filter becomes (parse.py): its part of the query then names only these.
FILTER_FIELDS = frozenset({f.OUTLET, f.SECTION, f.PUBLISHED, f.MONTH, f.DAY})
#: Parameter name → the exact-value field it filters on.
NAMED_FIELDS = {"outlet": f.OUTLET, "section": f.SECTION}
#: Typed-filter field → the parameter it stands for.
PARAM_OF = {f.OUTLET: "outlet", f.SECTION: "section", f.PUBLISHED: "published", f.MONTH: "published",
            f.DAY: "published"}
_WORD = re.compile(r"\w+")


def unknown(param: str, value: str) -> BadQuery:
    return BadQuery(f"unknown {param} {value!r} — use a value listed in the {param} facet", param)


def parameter_docs(live, request) -> set | None:
    """The documents the request's filter parameters allow (None: no filter); BadQuery for an unknown value."""
    for param, values in (("outlet", request.outlets), ("section", request.sections)):
        known = live.column(NAMED_FIELDS[param]).index
        for value in values:
            if value not in known:
                raise unknown(param, value)
    key = (request.outlets, request.sections, request.date_from, request.date_to, request.published)
    if not any(key):
        return None
    return live.filter_docs(key, lambda: _parameter_docs(live, request))


def _parameter_docs(live, request) -> set:
    terms = live.terms
    sets = []
    for field, values in ((f.OUTLET, request.outlets), (f.SECTION, request.sections)):
        if values:
            sets.append(set().union(*(terms.term(field, v) for v in values)))
    if request.published:
        sets.append(set().union(*(undated_docs(live) if v == UNDATED else
                                  terms.term(f.DAY if len(v) == 10 else f.MONTH, v) for v in request.published)))
    if request.date_from or request.date_to:
        start = datetime.combine(request.date_from, datetime.min.time()) if request.date_from else None
        end = (datetime.combine(request.date_to, datetime.min.time()) + timedelta(days=1, microseconds=-1)
               if request.date_to else None)
        sets.append(set(live.searcher.docs_for_query(wq.DateRange(f.PUBLISHED, start, end))))
    sets.sort(key=len)
    docs = sets[0]
    for other in sets[1:]:
        docs &= other
    return docs


def undated_docs(live) -> frozenset:
    """Every live document without a publication date (no ``day`` key)."""
    def build():
        day_of = live.column(f.DAY).by_doc
        return frozenset(d for d in live.terms.all() if day_of[d] == facets.NONE)
    return live.memo(("undated",), build)


def split(query, live, match: str) -> tuple[wq.Query | None, set | None]:
    """(``query`` without its top-level typed filters — None if nothing else was asked —,
    the documents those filters allow — None if there were none); BadQuery for an unknown name.

    The filters taken out combine as the parameters do: values of one field (``outlet:CNN
    outlet:BBC``) any of them, different fields all of them; exclusions are taken away.
    """
    query = _resolve(query, live)
    required, excluded = [], []
    rest = take_filters(query, match, required, excluded)
    if not required and not excluded:
        return query, None
    by_param: dict = {}
    for part in required:
        by_param.setdefault(param_of(part), set()).update(_docs(part, live))
    docs = set(live.terms.all())
    for allowed in sorted(by_param.values(), key=len):
        docs &= allowed
    for part in excluded:
        docs -= _docs(part, live)
    return rest, docs


def take_filters(query, match: str, required: list, excluded: list, top: bool = True):
    """``query`` with its top-level filters moved to ``required``/``excluded`` (None when nothing is left).

    ``top``: ``query`` is the whole query, or a part every hit must match (a part of a top-level AND).
    """
    grouped = isinstance(query, wq.And) or (match == "any" and isinstance(query, wq.Or) and not query.minmatch)
    if top and grouped:
        inner = isinstance(query, wq.And)
        kept = [q for q in query.subqueries if take_filters(q, match, required, excluded, inner) is not None]
        if len(kept) == len(query.subqueries):
            return query
        if len(kept) <= 1:
            return kept[0] if kept else None
        rest = copy.copy(query)  # keeps the group's boost, scale and minmatch
        rest.subqueries = kept
        return rest
    if isinstance(query, wq.Not):
        if is_filter(query.query):
            excluded.append(query.query)
            return None
        return query
    if is_filter(query):
        required.append(query)
        return None
    if isinstance(query, wq.AndNot) and top:
        if is_filter(query.b):
            excluded.append(query.b)
            return take_filters(query.a, match, required, excluded)
        rest = take_filters(query.a, match, required, excluded)
        # Nothing but filters before a word's exclusion (outlet:CNN -Trump): the query stays whole, its
        # filters applied twice (a no-op), so that something is left to search for.
        return wq.AndNot(rest, query.b) if rest is not None else query
    return query


def param_of(part) -> frozenset | int:
    """Which parameter a filter part stands for; a part mixing several is one of its own kind."""
    params = frozenset(PARAM_OF[name] for name in fields_of(part))
    return params if len(params) == 1 else id(part)


def is_filter(query) -> bool:
    """True when ``query`` names only typed-filter fields (a filter, not words to search for)."""
    names = fields_of(query)
    return bool(names) and names <= FILTER_FIELDS


def fields_of(query) -> set[str]:
    return {leaf.fieldname for leaf in query.leaves() if getattr(leaf, "fieldname", None)}


def _docs(query, live) -> frozenset:
    """The documents a filter part matches, kept per searcher like the parameters' sets."""
    def build():
        if query == wq.Every(f.DAY):  # parse.undated()'s inner part: every dated document
            return live.terms.all() - undated_docs(live)
        if isinstance(query, wq.Not):
            return live.terms.all() - _docs(query.query, live)
        return frozenset(matching_docs(query, live.terms))
    return live.memo(("typed", repr(query)), build)


def _resolve(query, live):
    """Typed outlet and section names as the index's own values (see the module docstring)."""
    if isinstance(query, wq.Term) and query.fieldname in (f.OUTLET, f.SECTION):
        param = next(p for p, field in NAMED_FIELDS.items() if field == query.fieldname)
        names = named(live.column(query.fieldname).values, query.text)
        if not names:
            raise unknown(param, query.text).in_query(f"{param}:{query.text}")
        return wq.Or([wq.Term(query.fieldname, v) for v in names]) if len(names) > 1 else wq.Term(
            query.fieldname, names[0])
    return query.apply(lambda q: _resolve(q, live))


def named(values, typed: str) -> list[str]:
    """The values ``typed`` names: the one equal to it ignoring case, else all holding its words."""
    wanted = " ".join(_WORD.findall(typed.casefold()))
    exact = [v for v in values if " ".join(_WORD.findall(v.casefold())) == wanted]
    if exact or not wanted:
        return exact
    words = set(wanted.split())
    return [v for v in values if words <= set(_WORD.findall(v.casefold()))]

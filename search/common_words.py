"""Common words in a parsed query: where each one is looked for, or whether it is dropped.

The parser analyses query text with ``common_grams.query_analyzer``, which
keeps common words (stop words, one-letter words) marked with COMMON_MARK.
Here each marked word is placed:

* in a phrase it is a word of the phrase (``"Secretary of State"``,
  ``"to be or not to be"``): the phrase becomes a ``MixedPhrase`` of the
  common grams its common words form with their neighbours (``secretari of``,
  ``of state``) and its other words, at their offsets, all read from the text
  field and its common-word companion (index/common_grams.py). A phrase with
  slop (``"of the"~3``) is read word by word instead;
* as a plain word it is dropped, as search engines drop "the" from
  ``the oil price``: it would match nearly every document and add nothing to
  the ranking, which stays what it was;
* unless the query has nothing else to search for: ``the``, ``we can``,
  ``let it be``-like queries of common words only look them up.

A generation built before the companion fields existed (no such field in its
schema) gets the old reading: common words dropped everywhere.
"""
from __future__ import annotations

import copy

from whoosh import query as wq

from index import schema as f
from index.common_grams import COMMON_MARK, gram

from .fast.phrases import MixedPhrase

MARK = COMMON_MARK


def place_common_words(query: wq.Query, schema) -> wq.Query:
    """``query`` with its marked common words placed (see the module docstring)."""
    if not _has_marks(query):
        return query
    content = _place(query, schema, keep=False).normalize()
    if content is not wq.NullQuery:
        return content
    return _place(query, schema, keep=True).normalize()


def _marked(q) -> bool:
    """A one-word leaf (a word, or a fuzzy~ word) whose word is common."""
    text = getattr(q, "text", None)
    return isinstance(text, str) and text.startswith(MARK)


def _has_marks(q) -> bool:
    if _marked(q):
        return True
    if isinstance(q, wq.Phrase):
        return any(w.startswith(MARK) for w in q.words)
    return any(_has_marks(child) for child in q.children())


def _place(q, schema, keep: bool):
    """``q`` with marked words placed; ``keep``: plain common words are looked up, not dropped."""
    if _marked(q) and not isinstance(q, (wq.Term, wq.FuzzyTerm)):  # a pattern (the*): not a word
        placed = copy.copy(q)
        placed.text = q.text[len(MARK):]
        return placed
    if _marked(q):
        common = _companion(q.fieldname, schema)
        if not keep or common is None:
            return wq.NullQuery
        placed = copy.copy(q)  # keeps the class (a fuzzy~ word stays fuzzy) and the boost
        placed.fieldname, placed.text = common, q.text[len(MARK):]
        return placed
    if isinstance(q, wq.Phrase) and not isinstance(q, MixedPhrase):
        return _phrase(q, schema)
    if q.is_leaf():
        return q
    return q.apply(lambda child: _place(child, schema, keep))


def _phrase(q: wq.Phrase, schema) -> wq.Query:
    marked = [w.startswith(MARK) for w in q.words]
    if not any(marked):
        return q
    common = _companion(q.fieldname, schema)
    if common is None:  # the old reading: common words dropped from the phrase
        words = [w for w, m in zip(q.words, marked) if not m]
        return wq.Phrase(q.fieldname, words, slop=q.slop, boost=q.boost).normalize()
    words = [w[len(MARK):] if m else w for w, m in zip(q.words, marked)]
    if q.slop != 1:  # word by word, each where it is indexed
        fields = [common if m else q.fieldname for m in marked]
        return MixedPhrase(q.fieldname, words, fields, slop=q.slop, boost=q.boost)
    units, covered = [], set()
    for i in range(len(words) - 1):
        if marked[i] or marked[i + 1]:
            units.append((i, common, gram(words[i], words[i + 1])))
            covered.update((i, i + 1))
    units += [(i, q.fieldname, w) for i, w in enumerate(words) if i not in covered]
    units.sort()
    offsets, fields, texts = zip(*units)
    return MixedPhrase(q.fieldname, texts, fields, offsets=offsets, boost=q.boost)


def _companion(fieldname: str, schema) -> str | None:
    """The common-word field of ``fieldname`` when this index has one."""
    common = f.COMMON_FIELDS.get(fieldname)
    return common if common is not None and common in schema else None


def source_field(fieldname: str) -> str:
    """The text field a common-word field belongs to (any other field: itself), for highlighting."""
    return _SOURCES.get(fieldname, fieldname)


_SOURCES = {common: name for name, common in f.COMMON_FIELDS.items()}

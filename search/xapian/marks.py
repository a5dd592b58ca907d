"""Highlighting a Xapian hit: the positions Whoosh reads from its postings, found by analysing the
stored text again with the same analyzers (index/schema.py), then marked by search/highlight.py.

Remote shards send documents, not positions with character offsets, so the page's few hits are
re-analysed here (a few milliseconds each); what is marked, and how fragments are cut and escaped,
is highlight.py's own code: the same words and phrases are marked on both backends.
"""
from __future__ import annotations

import fnmatch

from whoosh import query as wq
from whoosh.support.levenshtein import levenshtein

from index.shards import layout

from .. import highlight
from ..common_words import source_field
from ..fast.phrases import MixedPhrase, offsets_of, phrase_terms

def positive_parts(query) -> list:
    """The query's parts that can match (NOT parts left out): Phrases, and (field, test) word tests."""
    parts: list = []
    _collect(query, parts)
    return parts


def _collect(q, out: list) -> None:
    if q is None or isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        _collect(q.a, out)
        return
    if isinstance(q, MixedPhrase) or (isinstance(q, wq.Phrase) and len(q.words) > 1):
        out.append(q)
        return
    if isinstance(q, wq.FuzzyTerm):
        out.append((q.fieldname, lambda w, q=q: w.startswith(q.text[:q.prefixlength])
                    and levenshtein(w, q.text, q.maxdist + 1) <= q.maxdist))
    elif isinstance(q, wq.Prefix):
        out.append((q.fieldname, lambda w, q=q: w.startswith(q.text)))
    elif isinstance(q, wq.Wildcard):
        out.append((q.fieldname, lambda w, q=q: fnmatch.fnmatchcase(w, q.text)))
    elif isinstance(q, wq.Phrase):  # one word
        out.append((q.fieldname, lambda w, q=q: w == q.words[0]))
    elif isinstance(q, wq.Term):
        out.append((q.fieldname, lambda w, q=q: w == q.text))
    else:
        for child in q.children():
            _collect(child, out)


def spans(parts: list, fieldname: str, text: str) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans in ``text`` (stored ``fieldname``) of what ``parts`` match."""
    if not text or not parts:
        return []
    postings: dict = {}

    def of(field: str) -> dict:
        if field not in postings:
            postings[field] = layout.SCHEMA[field].analyzer.postings(text) if field in layout.SCHEMA else {}
        return postings[field]

    found = []
    for part in parts:
        if isinstance(part, wq.Phrase):
            if source_field(part.fieldname) != fieldname:
                continue
            words = [of(field).get(word) for field, word in phrase_terms(part)]
            if all(words):
                found += highlight.occurrences(words, part.slop, offsets_of(part))
            continue
        field, test = part
        if source_field(field) != fieldname:
            continue
        for term, places in of(field).items():
            if test(term):
                found += [(start, end) for _, start, end in places]
    return highlight.merge_spans(found)  # the highlighter's own merging of spans

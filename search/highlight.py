"""Highlighting: the only code that turns document text into HTML.

Stages: find the terms the query matched (positive terms only — a ``NOT``
word is never marked) → read their character offsets from the postings
(stored at index time, ``chars=True``: no re-tokenizing) → group nearby
matches into fragments → widen each fragment to sentence or clause
boundaries → escape every character of text and wrap matches in ``<mark>``.

The marked text is exactly what the document says (``Iran’s``, ``tear-gas``),
never a stem.
"""
from __future__ import annotations

import re
from html import escape

from whoosh import query as wq

from .postings import step_values, term_values

MAX_SNIPPETS = 3
FRAGMENT_CHARS = 220  # longest run of text one fragment covers between its first and last match
CONTEXT_BEFORE = 90  # characters searched backwards for a sentence/clause start
CONTEXT_AFTER = 140  # characters searched forwards for a sentence/clause end
LEAD_CHARS = 220  # length of the opening snippet shown when the body has no match
HYPHEN_JOINS = ("-", "\u2010", "\u2011")  # text between two matches that makes them one marked word
# Where a fragment may start or end, best first: sentence ends, then clause breaks, then spaces.
BOUNDARIES = (re.compile(r"[.!?…][\"'”’)]?\s+|\n+"), re.compile(r"[;:,–—]\s+|\s-\s"), re.compile(r"\s+"))


def positive_terms(query, reader) -> set[tuple[str, bytes]]:
    """(field, term) pairs that can match a document, with prefixes/fuzzy words expanded; NOT words left out."""
    terms: set = set()
    _collect(query, reader, terms)
    return terms


def _collect(q, reader, out: set) -> None:
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        _collect(q.a, reader, out)
        return
    if q.is_leaf():
        try:
            found = q.existing_terms(reader, phrases=True, expand=True)
        except Exception:  # a leaf Whoosh cannot expand (e.g. a numeric range) marks nothing
            return
        for fieldname, text in found:
            out.add((fieldname, text if isinstance(text, bytes) else text.encode("utf-8")))
        return
    for child in q.children():
        _collect(child, reader, out)


def match_spans(searcher, terms, fieldname: str, docnums, blocks=None) -> dict[int, list[tuple[int, int]]]:
    """docnum → sorted (start, end) character spans of the matched terms in ``fieldname``.

    Per segment and term, only the postings blocks that hold one of the hits
    are decoded: a block index (each block's last docnum and file position,
    read from the block headers) says which. ``blocks``: a cache of those
    indexes (an LRUCache, cost = blocks), kept per searcher by the caller.
    Whoosh's own skip_to reads every header on the way and decodes the block
    it starts from, which for a common word on 100k articles was half of a
    search's time.
    """
    ordered = sorted(docnums)
    spans: dict[int, list] = {d: [] for d in ordered}
    for field, text in terms:
        if field != fieldname:
            continue
        for n, (sub, offset) in enumerate(searcher.leaf_searchers()):
            end = offset + sub.doc_count_all()
            local = [d - offset for d in ordered if offset <= d < end]
            reader = sub.reader()
            if not local or (fieldname, text) not in reader:
                continue
            for d, chars in term_characters(reader, fieldname, text, local, blocks, (n, fieldname, text)):
                spans[offset + d].extend((start, end) for _, start, end in chars)
    for d in ordered:
        spans[d] = _merge(spans[d])
    return spans


def term_characters(reader, fieldname: str, text: bytes, docnums: list[int], blocks=None, key=None):
    """(docnum, [(pos, start, end)]) for each of the sorted segment ``docnums`` that has the term."""
    return term_values(reader, fieldname, text, docnums, "characters", blocks, key)


def _step_characters(m, docnums):
    """The same as term_characters, stepping a matcher of any kind forward with skip_to."""
    return step_values(m, docnums, "characters")


def _merge(spans: list) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans (a joined ``tear-gas`` covers its parts)."""
    merged: list = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _join_hyphenated(text: str, spans):
    """Adjacent matches joined by a hyphen (``tear`` + ``gas``) become one mark: ``<mark>tear-gas</mark>``."""
    joined: list = []
    for s, e in spans:
        if joined and text[joined[-1][1]:s] in HYPHEN_JOINS:
            joined[-1] = (joined[-1][0], e)
        else:
            joined.append((s, e))
    return joined


def mark(text: str, spans, start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` escaped, with every span inside it wrapped in ``<mark>``."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in _join_hyphenated(text, spans):
        if s < start or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def snippets(text: str, spans, top: int = MAX_SNIPPETS) -> list[str]:
    """Up to ``top`` highlighted fragments of ``text``, best first (most distinct words, then most matches)."""
    if not spans or not text:
        return []
    groups, current = [], [spans[0]]
    for span in spans[1:]:
        if span[1] - current[0][0] <= FRAGMENT_CHARS and "\n" not in text[current[-1][1]:span[0]]:
            current.append(span)
        else:
            groups.append(current)
            current = [span]
    groups.append(current)

    def score(group):
        words = {text[s:e].lower() for s, e in group}
        return (-len(words), -len(group), group[0][0])

    best = sorted(groups, key=score)[:top]
    out = []
    for group in best:
        start = _start(text, group[0][0])
        end = _end(text, group[-1][1])
        out.append(mark(text, group, start, end).strip())
    return out


def lead(text: str) -> str:
    """The opening of ``text``, escaped, cut at a sentence or clause end: the snippet for a hit matched elsewhere."""
    if not text:
        return ""
    end = _end(text, min(len(text), LEAD_CHARS - CONTEXT_AFTER)) if len(text) > LEAD_CHARS else len(text)
    return escape(text[:end].strip())


def _start(text: str, first: int) -> int:
    """Where a fragment whose first match begins at ``first`` starts: its sentence's start if near, else a
    clause's, else a word's."""
    low = max(0, first - CONTEXT_BEFORE)
    if low == 0:
        return 0
    window = text[low:first]
    sentence, clause, space = BOUNDARIES
    for pattern in (sentence, clause):
        found = [m.end() for m in pattern.finditer(window)]
        if found:
            return low + found[-1]  # the boundary closest before the match
    found = space.search(window)
    return low + found.end() if found else first


def _end(text: str, last: int) -> int:
    """Where a fragment whose last match ends at ``last`` ends: its sentence's end if near, else a clause's,
    else a word's."""
    high = min(len(text), last + CONTEXT_AFTER)
    if high == len(text):
        return high
    window = text[last:high]
    sentence, clause, space = BOUNDARIES
    m = sentence.search(window)
    if m:
        return last + len(window[:m.end()].rstrip())
    m = clause.search(window)
    if m:
        return last + m.start()
    spaces = [m.start() for m in space.finditer(window)]
    return last + spaces[-1] if spaces else last

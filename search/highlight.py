"""Highlighting: the only code that turns document text into HTML.

Stages: find the terms and phrases the query matched (positive ones only —
a ``NOT`` word is never marked) → read their character offsets from the
postings (stored at index time, ``chars=True``: no re-tokenizing; a phrase's
common words from their companion field) → keep a phrase's words only where
they stand as the phrase → group nearby matches into fragments → widen each
fragment to sentence or clause boundaries within its paragraph, merging
fragments that would overlap → escape every character of text and wrap
matches in ``<mark>``.

The marked text is exactly what the document says (``Iran’s``, ``tear-gas``),
never a stem; a phrase is marked whole (``<mark>Secretary of State</mark>``).
A fragment that starts or ends inside a paragraph says so with "…".
"""
from __future__ import annotations

import re
from html import escape

from whoosh import query as wq

from .common_words import source_field
from .fast.phrases import MixedPhrase, offsets_of, phrase_terms
from .fast.postings import term_values

MAX_SNIPPETS = 3
FRAGMENT_CHARS = 220  # longest run of text one fragment covers between its first and last match
CONTEXT_BEFORE = 90  # characters searched backwards for a sentence/clause start
CONTEXT_AFTER = 140  # characters searched forwards for a sentence/clause end
LEAD_CHARS = 220  # length of the opening snippet shown when the body has no match
HYPHEN_JOINS = ("-", "\u2010", "\u2011")  # text between two matches that makes them one marked word
ELLIPSIS = "…"  # shown where a fragment cuts a paragraph
# Words whose period does not end a sentence ("U.S. officials", "Mr. Smith"): single letters are
# matched apart (initials, U.S., e.g.).
ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Gen", "Col", "Lt", "Sgt", "Capt",
                 "Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Supt", "Det", "Insp", "No", "Nos", "Co", "Corp",
                 "Inc", "Ltd", "Bros", "Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
                 "vs", "approx", "Ft", "Ave", "Rd", "Blvd")
_NOT_ABBREVIATION = r"(?<!\b[A-Za-z])" + "".join(r"(?<!\b%s)" % a for a in ABBREVIATIONS)
# Where a fragment may start or end, best first: sentence ends, then clause breaks, then spaces.
BOUNDARIES = (re.compile(r"(?:[!?…]|%s\.)[\"'”’)]?\s+|\n+" % _NOT_ABBREVIATION),
              re.compile(r"[;:,–—]\s+|\s-\s"), re.compile(r"\s+"))
SENTENCE_END = re.compile(r"[.!?…][\"'”’)]?$")


def positive_terms(query, reader) -> set:
    """What can match a document, NOT words left out: (field, term) pairs, with prefixes/fuzzy words
    expanded, and phrase queries (marked only where their words stand as the phrase)."""
    terms: set = set()
    _collect(query, reader, terms)
    return terms


def _collect(q, reader, out: set) -> None:
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        _collect(q.a, reader, out)
        return
    if isinstance(q, MixedPhrase) or (isinstance(q, wq.Phrase) and len(q.words) > 1):
        out.add(q)
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
    for term in terms:
        if isinstance(term, wq.Phrase):
            if source_field(term.fieldname) == fieldname:
                _phrase_spans(searcher, term, ordered, blocks, spans)
            continue
        field, text = term  # a word of ``fieldname``, or of its common-word field (a query of common words)
        if source_field(field) != fieldname:
            continue
        for n, reader, offset, local in _segments(searcher, ordered):
            if (field, text) not in reader:
                continue
            for d, chars in term_characters(reader, field, text, local, blocks, (n, field, text)):
                spans[offset + d].extend((start, end) for _, start, end in chars)
    for d in ordered:
        spans[d] = merge_spans(spans[d])
    return spans


def _segments(searcher, ordered: list[int]):
    """(segment number, reader, docnum offset, the segment's docnums of ``ordered``) per segment holding one."""
    for n, (sub, offset) in enumerate(searcher.leaf_searchers()):
        end = offset + sub.doc_count_all()
        local = [d - offset for d in ordered if offset <= d < end]
        if local:
            yield n, sub.reader(), offset, local


def _phrase_spans(searcher, q: wq.Phrase, ordered: list[int], blocks, spans: dict) -> None:
    """Adds to ``spans`` the character spans of ``q``'s occurrences in each document of ``ordered``."""
    schema = searcher.schema
    try:
        keys = [(field, schema[field].to_bytes(word)) for field, word in phrase_terms(q)]
    except (KeyError, ValueError):
        return
    for n, reader, offset, local in _segments(searcher, ordered):
        if any(k not in reader for k in keys):
            continue
        found: dict = {}  # a repeated word is read once
        for key in dict.fromkeys(keys):
            found[key] = dict(term_characters(reader, *key, local, blocks, (n, *key)))
        for d in local:
            words = [found[k].get(d) for k in keys]
            if all(words):
                spans[offset + d].extend(occurrences(words, q.slop, offsets_of(q)))


def occurrences(words: list[list[tuple[int, int, int]]], slop: int, offsets=None) -> list[tuple[int, int]]:
    """Character spans of a phrase where it occurs, given each word's (position, start, end) list:
    one span from the first word to the last per occurrence (slop 1), else each word that is part of one.
    ``offsets``: each part's offset from the phrase's start instead (a MixedPhrase's common grams)."""
    at = [{p: (s, e) for p, s, e in w} for w in words]
    if offsets is not None:
        starts = set.intersection(*({p - off for p in part} for part, off in zip(at, offsets)))
        return [(min(part[s + off][0] for part, off in zip(at, offsets)),
                 max(part[s + off][1] for part, off in zip(at, offsets))) for s in starts]
    steps = range(1, slop + 1)
    alive = [set(at[0])]
    for i in range(1, len(at)):  # forwards: positions that follow a live position of the word before
        prev = alive[-1]
        alive.append({p for p in at[i] if any(p - k in prev for k in steps)})
    for i in range(len(at) - 2, -1, -1):  # backwards: positions that a live next word follows
        nxt = alive[i + 1]
        alive[i] = {p for p in alive[i] if any(p + k in nxt for k in steps)}
    if slop == 1:
        last = len(at) - 1
        return [(at[0][p][0], at[last][p + last][1]) for p in alive[0]]
    return [at[i][p] for i, live in enumerate(alive) for p in live]


def term_characters(reader, fieldname: str, text: bytes, docnums: list[int], blocks=None, key=None):
    """(docnum, [(pos, start, end)]) for each of the sorted segment ``docnums`` that has the term."""
    return term_values(reader, fieldname, text, docnums, "characters", blocks, key)


def merge_spans(spans: list) -> list[tuple[int, int]]:
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
    """Up to ``top`` highlighted fragments of ``text``, best first (most distinct words, then most matches).

    Each fragment lies within one paragraph, no two share text (fragments that would overlap are one),
    and one that starts or ends inside its paragraph shows "…" there.
    """
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
    fragments: list = []  # [start, end, spans], in text order
    for group in groups:
        start, end = _start(text, group[0][0]), _end(text, group[-1][1])
        if fragments and start < fragments[-1][1]:  # overlaps the one before: the same paragraph
            fragments[-1][1] = max(end, fragments[-1][1])
            fragments[-1][2] = fragments[-1][2] + group
        else:
            fragments.append([start, end, group])

    def score(fragment):
        start, _, group = fragment
        words = {text[s:e].lower() for s, e in group}
        return (-len(words), -len(group), start)

    return [_framed(text, start, end, mark(text, group, start, end))
            for start, end, group in sorted(fragments, key=score)[:top]]


def _framed(text: str, start: int, end: int, html: str) -> str:
    """``html`` (text[start:end], marked) with "…" where it cuts into its paragraph: before, unless it
    starts the paragraph; after, unless it ends the paragraph or a sentence."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    html = html.strip()
    if start > 0 and text[start - 1] != "\n":
        html = ELLIPSIS + " " + html
    if end < len(text) and text[end] != "\n" and not SENTENCE_END.search(text[start:end]):
        html += " " + ELLIPSIS
    return html


def lead(text: str) -> str:
    """The opening of ``text``, escaped, cut at a sentence or clause end: the snippet for a hit matched elsewhere."""
    if not text:
        return ""
    end = _end(text, min(len(text), LEAD_CHARS - CONTEXT_AFTER)) if len(text) > LEAD_CHARS else len(text)
    return _framed(text, 0, end, escape(text[:end]))


def _start(text: str, first: int) -> int:
    """Where a fragment whose first match begins at ``first`` starts: its paragraph's start if near, else
    its sentence's, else a clause's, else a word's."""
    paragraph = text.rfind("\n", 0, first) + 1
    low = max(paragraph, first - CONTEXT_BEFORE)
    if low == paragraph:
        return paragraph
    window = text[low:first]
    sentence, clause, space = BOUNDARIES
    for pattern in (sentence, clause):
        found = [m.end() for m in pattern.finditer(window)]
        if found:
            return low + found[-1]  # the boundary closest before the match
    found = space.search(window)
    return low + found.end() if found else first


def _end(text: str, last: int) -> int:
    """Where a fragment whose last match ends at ``last`` ends: its paragraph's end if near, else its
    sentence's, else a clause's, else a word's."""
    paragraph = text.find("\n", last)
    paragraph = len(text) if paragraph < 0 else paragraph
    high = min(paragraph, last + CONTEXT_AFTER)
    if high == paragraph:
        return paragraph
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

"""A quick check that an index generation can really be read, made when a searcher opens.

Whoosh opens a segment without reading its postings, so a truncated or
garbled postings file would only surface as a failed query. Before a
generation serves, a sample of words is read back: for each probed field,
the first word at every starting letter, whose postings must decode to as
many documents as the term index says, in increasing order, within the
index. Words are stored field by field in sorted order, so the samples are
spread through the whole postings file, its end included; a few dozen seeks
cost milliseconds.
"""
from __future__ import annotations

import string

from index import schema as f

PROBED_FIELDS = (f.BODY, f.TITLE, f.ID)
STARTS = string.ascii_lowercase + string.digits  # first letters of the sampled words


class Unreadable(Exception):
    """The generation's files do not read back as what its term index promises."""


def check(reader) -> None:
    """Read a sample of postings and stored fields; raises Unreadable (or what Whoosh raises) when broken."""
    size = reader.doc_count_all()
    for fieldname in PROBED_FIELDS:
        if fieldname not in reader.schema:
            continue
        for start in STARTS:
            found = next(iter(reader.iter_from(fieldname, start)), None)
            if found is None:
                break
            (field, term), info = found
            if field != fieldname:
                break
            ids = list(reader.postings(fieldname, term).all_ids())
            if any(not 0 <= d < size for d in ids) or any(a >= b for a, b in zip(ids, ids[1:])):
                raise Unreadable(f"postings of {fieldname}:{term!r} hold impossible document numbers")
            if not reader.has_deletions() and len(ids) != info.doc_frequency():
                raise Unreadable(f"postings of {fieldname}:{term!r} hold {len(ids)} documents, "
                                 f"the term index says {info.doc_frequency()}")
    for docnum in {0, size // 2, size - 1}:
        if 0 <= docnum < size and not reader.is_deleted(docnum):
            reader.stored_fields(docnum)

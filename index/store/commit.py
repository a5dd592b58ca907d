"""Committing a generation: the workers' segments, the deletions and the parent's own documents, in one commit.

Whoosh 2.7.4 internals (like segment.py and search/fast/): the steps of
``MpWriter._commit(multisegment=True)`` — ``SegmentWriter._merge_segments``,
``_finalize_segment``, ``_close_segment``, ``_commit_toc``, ``_finish`` —
called directly, because Whoosh's public API cannot take in segments written
by other processes, nor delete documents inside them by number. There is no
fallback to Whoosh's public API: a Whoosh upgrade must re-check these calls
(tests/test_build.py and test_segment.py commit real segments through them).
"""
from __future__ import annotations

from .. import schema as f
from .document import to_document


class CountMismatch(Exception):
    """The segments would hold a different number of documents than the build decided."""


def commit(ix, segments: dict, decision) -> None:
    """Delete stale documents, add the workers' segments and the held articles, write the table of contents.

    ``segments``: worker → ``workers.Built``; ``decision``: the ``decide.Decision``
    whose deletions (ids in the live generation, docnums in the new segments)
    and held articles are carried out. Raises CountMismatch (the commit
    cancelled) when the result would not hold ``decision.documents`` documents.
    """
    writer = ix.writer()
    try:
        for ident in decision.delete:
            writer.delete_by_term(f.ID, ident)
        for article, raw_hash in decision.readd:
            writer.add_document(**to_document(article, raw_hash))
        final = writer._merge_segments(None, None, None)
        for worker, made in sorted(segments.items()):
            segment = made.segment
            if segment is None:
                continue
            for docnum in decision.losers.get(worker, ()):
                segment.delete_document(docnum)
            final.append(segment)
        if writer._added:
            final.append(writer._finalize_segment())
        else:
            writer._close_segment()
    except BaseException:
        try:
            writer.cancel()
        except OSError:
            pass  # the generation is discarded anyway
        raise
    live_docs = sum(seg.doc_count() for seg in final)
    if live_docs != decision.documents:
        writer.cancel()
        raise CountMismatch(f"the new generation would hold {live_docs} documents "
                            f"but {decision.documents} were decided")
    writer._commit_toc(final)
    writer._finish()

"""Fast paths through Whoosh 2.7.4's internals: the code a Whoosh upgrade must re-check first.

Exact totals and facets need every match scored, and Whoosh does that one
document at a time in Python. These modules read its postings blocks
directly and do the same arithmetic in C loops:

- postings.py: a term's docnums, weights and positions, block by block
  (``W3LeafMatcher``'s private ``_data``, ``_goto``, ``_read_weights``...).
- scoring.py: BM25F scores of every match of a plain or phrase query,
  bit-identical to Whoosh's (its matcher-tree shapes); leaf.py: each word's
  scores on one segment (its length-byte quantisation, ``LENGTHS_COLUMN``'s
  private layout).
- phrases.py: phrase matching as ``SpanNear2`` decides it, and ``MixedPhrase``
  for phrases with common words (whose parts live in two fields).
- matching.py: a query's full match set as set operations.
- collect.py: the collector that keeps every match when a query falls back.

The contract: each fast path either gives exactly what Whoosh would (same
documents, same float scores, same order) or declines — ``score_all`` returns
None, ``matching_docs`` hands the subquery to Whoosh — for anything it does
not know: prefixes, ranges, minmatch, scaled ORs, weightings with a final()
step, codecs other than whoosh3. tests/test_scoring.py, test_matching.py and
test_phrase_truth.py hold them to Whoosh and to the article text.

The index side's counterparts are index/store/segment.py and blocks.py (a
segment writer that fills whoosh3's files directly) and index/store/commit.py
(adding the workers' segments to an index). Upgrading Whoosh means re-running
those tests and reading these files against the new version first; the
README's "Architecture" section says the same.
"""

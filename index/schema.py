"""The index schema, defined once: the fields of a document and how each is analysed.

``search/`` imports its field names from here. The analysis itself (the
chain of stages a text goes through) is in analysis.py.
"""
from __future__ import annotations

from whoosh import columns, fields
from whoosh.analysis import CompositeAnalyzer

from .analysis import FoldFilter, HyphenFilter, MemoStemFilter, NewsAnalyzer, QuoteFoldFilter, text_analyzer
from .common_grams import CommonGramsAnalyzer

#: Every index pickles its schema. Generations written before analysis.py was split out of this
#: module name the analyzer's classes here (``index.schema.NewsAnalyzer``, ...): they stay
#: reachable under these names so that such a generation still opens and serves until a rebuild.
PICKLED_BEFORE = (FoldFilter, HyphenFilter, MemoStemFilter, NewsAnalyzer, QuoteFoldFilter)

# Field names, for the search side.
ID, URL, OUTLET, SECTION, TITLE, BODY, CAPTIONS = "id", "url", "outlet", "section", "title", "body", "captions"
BYLINE, CONTRIBUTORS, PUBLISHED, SOURCE, HASH, ARTICLE = (
    "byline", "contributors", "published", "source", "hash", "article")
# Analysed copies of outlet and section, so `outlet:telegraph` works in the query language.
OUTLET_TEXT, SECTION_TEXT = "outlet_text", "section_text"
# Companion fields holding the common words of each searched text field (see the module docstring).
TITLE_COMMON, BODY_COMMON, CAPTIONS_COMMON = "title_common", "body_common", "captions_common"
COMMON_FIELDS = {TITLE: TITLE_COMMON, BODY: BODY_COMMON, CAPTIONS: CAPTIONS_COMMON}
# Exact keys of the publication date, for facets and filters: "2020-01" and "2020-01-01".
MONTH, DAY = "month", "day"
# Near-duplicate sketch of the body (see index/fingerprint.py), a column only.
FINGERPRINT = "fingerprint"

# Index time: a title word's frequency is multiplied by this (see search/parse.FIELD_BOOSTS). 1.0: the title
# is already scored as its own short field by BM25F; x2 lowered Cranfield, the one test collection with titles,
# in every configuration cross-validated by bench/relevance.py. Changing it changes this file, so the
# pipeline fingerprint (sources.py) makes the next rebuild a full one.
TITLE_BOOST = 1.0
# BM25's document-length normalisation (0: none, 1: full), per field as BM25F does it. search/ranking.py
# applies it at query time on the Whoosh backend; the Xapian shards bake it into their term weights
# (index/shards/layout.py), so it is declared here, where the index side can read it.
LENGTH_B = 0.75
# A hyphenated query word becomes a phrase of its parts: `tear-gas` finds "tear gas" and "tear-gas".
MULTITOKEN_QUERY = "phrase"


def build_schema() -> fields.Schema:
    analyzer = text_analyzer()
    common = CommonGramsAnalyzer(CompositeAnalyzer(*analyzer.items[4:]))  # the same stop list and stemmer

    def text(**kw):
        return fields.TEXT(analyzer=analyzer, multitoken_query=MULTITOKEN_QUERY, **kw)

    def common_words(**kw):
        return fields.TEXT(analyzer=common, chars=True, **kw)

    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        url=fields.STORED(),
        outlet=fields.ID(stored=True, sortable=True),
        section=fields.ID(stored=True, sortable=True),
        outlet_text=text(),
        section_text=text(),
        title=text(stored=True, field_boost=TITLE_BOOST, chars=True),
        body=text(stored=True, chars=True),
        captions=text(stored=True, chars=True),
        title_common=common_words(field_boost=TITLE_BOOST),
        body_common=common_words(),
        captions_common=common_words(),
        byline=text(stored=True),
        contributors=text(stored=True),
        published=fields.DATETIME(stored=True, sortable=True),
        month=fields.ID(sortable=True),
        day=fields.ID(sortable=True),
        fingerprint=fields.COLUMN(columns.VarBytesColumn()),
        source=fields.STORED(),  # shown on the article page; never searched
        hash=fields.STORED(),
        article=fields.STORED(),  # the cleaned Article as JSON, for the article page
    )

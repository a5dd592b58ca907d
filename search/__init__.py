"""Lede's query side, as a plain library (no HTTP): parse, filter, run, facet, highlight.

    engine = Engine(DEFAULT_INDEX_DIR)
    results = engine.search(SearchRequest(q="embassy", outlets=("BBC News",)))
"""
from index.article import PARAGRAPH_KINDS
from index.store.generations import DEFAULT_INDEX_DIR

from .engine import Engine
from .errors import BadQuery, IndexUnavailable, SearchError
from .request import SearchRequest
from .results import FacetValue, Hit, Results

__all__ = ["DEFAULT_INDEX_DIR", "PARAGRAPH_KINDS", "Engine", "BadQuery", "IndexUnavailable", "SearchError", "SearchRequest",
           "FacetValue", "Hit", "Results"]

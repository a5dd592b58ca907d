"""Lede's query side, as a plain library (no HTTP): parse, filter, run, facet, highlight.

    engine = Engine("var/index")
    results = engine.search(SearchRequest(q="embassy", outlets=("BBC News",)))
"""
from .engine import Engine
from .errors import BadQuery, IndexUnavailable, SearchError
from .request import SearchRequest
from .results import FacetValue, Hit, Results

__all__ = ["Engine", "BadQuery", "IndexUnavailable", "SearchError", "SearchRequest",
           "FacetValue", "Hit", "Results"]

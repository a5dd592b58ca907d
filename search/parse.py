"""Parse stage: the user's query text becomes a Whoosh query.

First cut: Whoosh's parser over title, body and captions, all words required.
"""
from __future__ import annotations

from whoosh import qparser

from index import schema as f

from .errors import BadQuery

SEARCH_FIELDS = (f.TITLE, f.BODY, f.CAPTIONS)


def parse_query(text: str, schema, match: str = "all"):
    group = qparser.AndGroup if match == "all" else qparser.OrGroup
    parser = qparser.MultifieldParser(SEARCH_FIELDS, schema, group=group)
    try:
        return parser.parse(text)
    except Exception as exc:  # Whoosh raises assorted errors on odd input
        raise BadQuery(f"q could not be parsed: {exc}", "q") from None

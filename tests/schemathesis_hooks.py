"""Schemathesis hooks for tests/test_checkers.py (loaded through SCHEMATHESIS_HOOKS).

The OpenAPI document states each parameter's rule. Three things it cannot state are told to the
generator here, and nothing else:

- ``from`` must not be after ``to`` (a rule across two parameters; the API answers 400 naming ``from``);
- ``q`` is written in the query language of /help, which a JSON Schema cannot describe: a generated
  query the language refuses (a wildcard without a prefix, say) is not a schema-valid request;
- a null, an empty list or an object in a query string is sent as an empty value, which the document
  defines as "absent" and the API accepts; such a case is not the invalid request it was drawn as.
"""
import schemathesis

from index.schema import build_schema
from search import BadQuery
from search.parse import parse_query

SCHEMA = build_schema()


def _readable(q) -> bool:
    if not isinstance(q, str) or not q.strip():
        return True
    try:
        parse_query(q, SCHEMA)
    except BadQuery:
        return False
    return True


def _sent_as_empty(value) -> bool:
    return value is None or value == [] or isinstance(value, dict) or (
        isinstance(value, list) and any(v is None or isinstance(v, (list, dict)) for v in value))


@schemathesis.hook
def filter_query(ctx, query):
    if not query:
        return True
    start, end = query.get("from"), query.get("to")
    if isinstance(start, str) and isinstance(end, str) and start and end and start > end:
        return False
    if any(_sent_as_empty(v) for v in query.values()):
        return False
    return _readable(query.get("q"))

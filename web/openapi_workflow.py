"""The OpenAPI description of the endpoints that take a search elsewhere: export, feed, attention.

Kept beside openapi.py (which owns the shared pieces: the search parameters, the Error shape)
so that module stays readable; ``paths(parameters)`` is merged into its ``paths``.
"""
from __future__ import annotations

from search import attention
from search import export as exporting

from . import export, feeds


ATTENTION = {
    "type": "object",
    "required": ["interval", "series"],
    "additionalProperties": False,
    "properties": {
        "interval": {"enum": list(attention.INTERVALS)},
        "series": {"type": "array", "description": "One per outlet with a match, most matches first.", "items": {
            "type": "object", "required": ["outlet", "points"], "additionalProperties": False,
            "properties": {
                "outlet": {"type": "string"},
                "points": {"type": "array", "description": "Every period from the first match to the last "
                           "(empty ones included); then, if the outlet has undated matches, one with `date` null.",
                           "items": {
                               "type": "object", "required": ["date", "count", "total", "share"],
                               "additionalProperties": False,
                               "properties": {
                                   "date": {"type": ["string", "null"],
                                            "description": "The period: `YYYY-MM-DD` (a day, or a week's "
                                                           "Monday) or `YYYY-MM`; null: undated articles."},
                                   "count": {"type": "integer", "minimum": 0,
                                             "description": "The outlet's matching articles in the period."},
                                   "total": {"type": "integer", "minimum": 0,
                                             "description": "All the outlet's articles in the period."},
                                   "share": {"type": "number", "minimum": 0, "maximum": 1,
                                             "description": "count / total (0 when total is 0)."},
                               }}},
            }}},
    },
}


def paths(search_parameters: list) -> dict:
    """The paths, each taking ``search_parameters`` (openapi.search_parameters) and its own."""
    from .openapi import error_responses as errors, or_empty, param  # openapi.py imports this module

    return {
        "/api/export": {"get": {
            "operationId": "export",
            "summary": "Every match of a search, as CSV or JSON Lines",
            "description": "Streams every article the search matches (its `total`: no folding, no partial "
                           "matches, no paging) in the search's order. Columns: "
                           f"`{'`, `'.join(exporting.COLUMNS)}`, and `text` with `fields=text`. CSV is UTF-8 with "
                           "a byte-order mark and a header row; cells that start with `=`, `+`, `-`, `@`, a tab "
                           "or a carriage return get a leading `'`. `Content-Disposition` names the query; "
                           "`X-Total-Count` gives the number of rows.",
            "parameters": [*search_parameters,
                           param("format", "`csv` (default) or `jsonl` (one JSON object per line).",
                                  or_empty({"type": "string", "enum": list(export.FORMATS)})),
                           param("fields", "`text`: add the cleaned text as a last column.",
                                  or_empty({"type": "string", "enum": list(export.FIELDS)}))],
            "responses": {"200": {"description": "The rows, streamed.", "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}}}},
                **errors(400, 405, 503)},
        }},
        "/api/attention": {"get": {
            "operationId": "attention",
            "summary": "Matches per outlet per day, week or month, against each outlet's output",
            "parameters": [*search_parameters,
                           param("interval", "The period counted: `day`, `week` (ISO weeks, named by their "
                                  f"Monday) or `month` (default). At most {attention.MAX_POINTS} periods.",
                                  or_empty({"type": "string", "enum": list(attention.INTERVALS)}))],
            "responses": {"200": {"description": "One series per outlet.",
                                  "content": {"application/json": {"schema": ATTENTION}}},
                          **errors(400, 405, 503)},
        }},
        "/feeds/search.atom": {"get": {
            "operationId": "searchFeed",
            "summary": "Follow a search: an Atom 1.0 feed of its newest matches",
            "description": f"The newest {feeds.FEED_SIZE} matches (sort, page and per_page do not apply). The "
                           "feed id is the same for the same search; `ETag` changes with the index "
                           "generation, so a conditional GET between rebuilds is a 304. Errors are HTML pages.",
            "parameters": [*search_parameters,
                           {"name": "If-None-Match", "in": "header", "required": False,
                            "description": "The `ETag` of a copy already held.", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The feed.", "headers": {"ETag": {"schema": {"type": "string"}}},
                                  "content": {feeds.MIMETYPE: {"schema": {"type": "string"}}}},
                          "304": {"description": "Unchanged since the copy whose ETag was sent."},
                          "400": {"description": "A parameter broke its rule (an HTML page naming it).",
                                  "content": {"text/html": {"schema": {"type": "string"}}}},
                          "405": {"description": "Only GET (and HEAD) are allowed.",
                                  "content": {"text/html": {"schema": {"type": "string"}}}},
                          "503": {"description": "No index is live yet.",
                                  "content": {"text/html": {"schema": {"type": "string"}}}}},
        }},
    }

"""The OpenAPI 3.1 description of Lede's HTTP API, served at /api/openapi.json.

The parameter rules are read from ``search.request`` (the code that enforces
them), so the document cannot drift from the validation. Schemas are JSON
Schema 2020-12, which OpenAPI 3.1 uses unchanged; tests validate real
responses, success and error, against them.
"""
from __future__ import annotations

from functools import lru_cache

from index.article import PARAGRAPH_KINDS
from search import request as rules

from .ids import MAX_ID_LENGTH

VERSION = "1.0.0"  # of the API contract, not of the package


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def param(name: str, description: str, schema: dict, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, **extra}


def list_param(name: str, description: str) -> dict:
    return param(name, description, {"type": "array", "items": {"type": "string", "minLength": 1}},
                 style="form", explode=True)


def search_parameters() -> list[dict]:
    return [
        param("q", "The query, in the query language described at /help: all words required by default, "
              "`OR`, `NOT`/`-word`, `\"phrases\"`, `field:value` (title, outlet, section, byline), "
              "`published:[2019-12-31 TO 2020-01-01]`, `prefix*`, `fuzzy~`. Empty or absent: every article. "
              f"At most {rules.MAX_QUERY_LENGTH} characters.",
              {"type": "string", "maxLength": rules.MAX_QUERY_LENGTH}),
        list_param("outlet", "Keep only these outlets (repeat for several; any of them matches). "
                   "Values are exactly the `value`s of `facets.outlet`."),
        list_param("section", "Keep only these sections (repeatable; any matches). "
                   "Values are exactly the `value`s of `facets.section`."),
        param("published", "Keep articles published in these months (`YYYY-MM`) or days (`YYYY-MM-DD`); "
              "repeatable, any matches. Values are exactly the `value`s of `facets.published`.",
              {"type": "array", "items": {"type": "string", "pattern": rules.PUBLISHED_VALUE.pattern}},
              style="form", explode=True),
        param("from", "Keep articles published on or after this date (YYYY-MM-DD).",
              {"type": "string", "format": "date"}),
        param("to", "Keep articles published on or before this date (YYYY-MM-DD); not before `from`.",
              {"type": "string", "format": "date"}),
        param("sort", "Order of hits: best match first, or by publication date.",
              {"type": "string", "enum": list(rules.SORTS), "default": rules.SORTS[0]}),
        param("match", "`all`: every word of `q` must match; `any`: at least one.",
              {"type": "string", "enum": list(rules.MATCHES), "default": rules.MATCHES[0]}),
        param("page", f"Page of hits, from 1 to {rules.MAX_PAGE}.",
              {"type": "integer", "minimum": 1, "maximum": rules.MAX_PAGE, "default": 1}),
        param("per_page", f"Hits per page, from 1 to {rules.MAX_PER_PAGE}.",
              {"type": "integer", "minimum": 1, "maximum": rules.MAX_PER_PAGE,
               "default": rules.DEFAULT_PER_PAGE}),
        param("collapse", "Fold the same story told by several outlets into one hit whose `also_in` "
              "names the others (`true`/`false`; also `1`/`0`, `yes`/`no`, `on`/`off`).",
              {"type": "boolean", "default": True}),
    ]


SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "Every 4xx and 5xx answer of the API.",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message", "param"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable: `bad_request`, "
                         "`not_found`, `method_not_allowed`, `index_unavailable`, …",
                         "pattern": "^[a-z_]+$"},
                "message": {"type": "string", "minLength": 1,
                            "description": "For people: names the parameter and the rule it broke."},
                "param": {"type": ["string", "null"], "description": "The offending parameter, if any."},
            },
        }},
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "count"],
        "properties": {
            "value": {"type": "string", "description": "Works unchanged as the filter parameter's value."},
            "count": {"type": "integer", "minimum": 1},
        },
    },
    "Hit": {
        "type": "object",
        "required": ["id", "title", "title_html", "outlet", "section", "published", "url", "byline",
                     "score", "snippets", "also_in"],
        "properties": {
            "id": {"type": "string", "minLength": 1, "description": "For /api/articles/{id}."},
            "title": {"type": "string"},
            "title_html": {"type": "string", "description": "The title, HTML-escaped, matched words in `<mark>`."},
            "outlet": {"type": "string"},
            "section": {"type": "string"},
            "published": {"type": ["string", "null"], "format": "date"},
            "url": {"type": "string", "description": "The original article's URL; empty when unknown."},
            "byline": {"type": "string"},
            "score": {"type": "number"},
            "snippets": {"type": "array", "items": {"type": "string"},
                         "description": "Passages as HTML: text escaped, matched words in `<mark>`."},
            "also_in": {"type": "array", "items": {"type": "string"},
                        "description": "Other outlets that ran the same story (folded into this hit)."},
            "partial": {"type": "boolean", "description": "Only part of the query matched this article."},
        },
    },
    "SearchResults": {
        "type": "object",
        "required": ["query", "total", "page", "per_page", "took_ms", "hits", "facets", "suggestion"],
        "additionalProperties": False,
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0, "description": "Matching articles, on all pages."},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": rules.MAX_PER_PAGE},
            "took_ms": {"type": "number", "minimum": 0},
            "hits": {"type": "array", "items": ref("Hit")},
            "facets": {
                "type": "object",
                "description": "Counts over every matching article: outlets and sections largest first; "
                               "`published` per month (`YYYY-MM`), or per day when the search is within one month.",
                "required": ["outlet", "section", "published"],
                "properties": {name: {"type": "array", "items": ref("FacetValue")}
                               for name in ("outlet", "section", "published")},
            },
            "suggestion": {"type": ["string", "null"], "description": "A corrected query (did you mean)."},
            "partial_total": {"type": "integer", "minimum": 0,
                              "description": "When all the words together match less than a page: how many "
                                             "articles matching most of them follow the full matches "
                                             "(their hits have `partial: true`; not counted in `total`)."},
        },
    },
    "Article": {
        "type": "object",
        "description": "A cleaned article: the shape of `python -m index clean --json`.",
        "required": ["id", "title", "outlet", "section", "published", "url", "byline", "contributors",
                     "paragraphs", "removed"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "outlet": {"type": "string"},
            "section": {"type": "string"},
            "published": {"type": ["string", "null"], "format": "date"},
            "language": {"type": "string", "description": "ISO 639-1 code (\"en\") when the sources file, "
                                                          "feed, sitemap or page states one; else empty."},
            "url": {"type": "string"},
            "byline": {"type": "string"},
            "contributors": {"type": "array", "items": {"type": "string"}},
            "credits": {"type": "array", "items": {"type": "string"}, "description": "Photo credits."},
            "paragraphs": {"type": "array", "items": {
                "type": "object", "required": ["kind", "text"],
                "properties": {"kind": {"enum": list(PARAGRAPH_KINDS)}, "text": {"type": "string"}}}},
            "removed": {"type": "array", "description": "What the cleaner dropped, and why.", "items": {
                "type": "object", "required": ["reason", "text"],
                "properties": {"reason": {"type": "string"}, "text": {"type": "string"}}}},
            "source": {"type": "string", "description": "The file the article was read from."},
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "documents"],
        "properties": {
            "status": {"const": "ok"},
            "documents": {"type": "integer", "minimum": 0},
            "generation": {"type": ["string", "null"], "description": "The live index generation."},
        },
    },
    "Unavailable": {
        "type": "object",
        "required": ["status", "message"],
        "properties": {"status": {"const": "unavailable"},
                       "message": {"type": "string", "description": "What is wrong and the command that fixes it."}},
    },
}

ERROR = ref("Error")


def error_responses(*statuses: int) -> dict:
    meaning = {400: "A parameter broke its rule; `error.param` names it.",
               404: "Nothing there.", 405: "Only GET (and HEAD) are allowed.",
               503: "No index is live yet; the message names the command that builds one."}
    return {str(s): json_body(ERROR, meaning[s]) for s in statuses}


@lru_cache(maxsize=1)
def document() -> dict:
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Lede",
            "version": VERSION,
            "summary": "Full-text search for news coverage.",
            "description": "Search cleaned news articles with filters, facets and highlighted snippets. "
                           "Every error answers with the `Error` shape. Unknown paths under /api/ answer 404.",
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/search": {"get": {
                "operationId": "search",
                "summary": "Search articles",
                "parameters": search_parameters(),
                "responses": {"200": json_body(ref("SearchResults"), "One page of hits, with facets."),
                              **error_responses(400, 405, 503)},
            }},
            "/api/articles/{id}": {"get": {
                "operationId": "getArticle",
                "summary": "One cleaned article",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "description": "A hit's `id`. It may contain `/`, `-` and `.`.",
                                "schema": {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH}}],
                "responses": {"200": json_body(ref("Article"), "The article as the cleaner left it."),
                              **error_responses(404, 405, 503)},
            }},
            "/healthz": {"get": {
                "operationId": "health",
                "summary": "Is an index live, and how many documents does it hold",
                "responses": {"200": json_body(ref("Health"), "Serving."),
                              "503": json_body(ref("Unavailable"), "No usable index.")},
            }},
            "/api/openapi.json": {"get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": json_body({"type": "object"}, "OpenAPI 3.1.")},
            }},
        },
        "components": {"schemas": SCHEMAS},
    }

"""The OpenAPI 3.1 description of Lede's HTTP API, served at /api/openapi.json.

The parameter rules are read from ``search.request`` (the code that enforces
them), so the document cannot drift from the validation. Schemas are JSON
Schema 2020-12, which OpenAPI 3.1 uses unchanged; tests validate real
responses, success and error, against them.
"""
from __future__ import annotations

from functools import lru_cache

from search import PARAGRAPH_KINDS
from search import request as rules
from search import similar

from . import openapi_workflow, story_schemas
from .ids import MAX_ID_LENGTH

VERSION = "1.0.0"  # of the API contract, not of the package


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def param(name: str, description: str, schema: dict, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, **extra}


def or_empty(schema: dict) -> dict:
    """``schema``, or an empty value: ``to=`` or ``page=`` (an HTML form sends empty fields) means absent."""
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


def any_case(words) -> str:
    """A pattern matching any of ``words`` in any letter case (JSON Schema patterns have no flags)."""
    return "^(" + "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in w)
                           for w in words) + ")$"


def one_of(values=None) -> dict:
    """A filter's value; ``values``: the live index's (unknown values are a 400)."""
    return {"type": "string", "enum": list(values)} if values else {"type": "string", "minLength": 1}


def search_param(name: str, description: str, schema: dict) -> dict:
    """One of ``request.PARAMETERS``; a repeatable one takes a list of ``schema``'s values."""
    if name in rules.REPEATABLE:
        return param(name, description, {"type": "array", "items": or_empty(schema)}, style="form", explode=True)
    return param(name, description, schema)


#: ``published`` values: a month of a real year, or a real day (request.published_value checks the calendar).
PUBLISHED_MONTH = r"^([1-9]\d{3}|0[1-9]\d{2}|00[1-9]\d|000[1-9])-(0[1-9]|1[0-2])$"


def search_parameters(outlets=None, sections=None) -> list[dict]:
    """The parameters of /api/search (and of every endpoint that takes a search); every one may be empty.

    One for each of ``request.PARAMETERS``, in its order (one without a description here is a KeyError).
    """
    described = {
        "q": ("The query, in the query language described at /help: all words required by default, "
              "`OR`, `NOT`/`-word`, `\"phrases\"`, `field:value` (title, outlet, section, byline), "
              "`published:[2019-12-31 TO 2020-01-01]`, `prefix*`, `fuzzy~`. Empty or absent: every article. "
              "`outlet:`, `section:` and `published:` are strict filters, like the parameters of the same "
              "names (`outlet:cnn` and `outlet:\"bbc news\"` name an outlet ignoring case, else every outlet "
              "whose name holds all the words; `published:` also takes a year, a range or `undated`); "
              "a value they reject is a 400 with the parameter's message. "
              f"At most {rules.MAX_QUERY_LENGTH:,} characters (longer: 400). A query of more than "
              f"{similar.LONG_QUERY_WORDS} words is a pasted passage, not the query language: its "
              f"{similar.MAX_QUERY_TERMS} most distinctive words (tf-idf) are looked for, articles holding "
              f"{similar.MIN_SHOULD_MATCH:.0%} of them match, best first (`match` does not apply). "
              "Long queries fit better in the body of `POST /api/search` than in a URL.",
              {"type": "string", "maxLength": rules.MAX_QUERY_LENGTH}),
        "outlet": ("Keep only these outlets (repeat for several; any of them matches). "
                   "Values are exactly the `value`s of `facets.outlet`; empty values are ignored.", one_of(outlets)),
        "section": ("Keep only these sections (repeatable; any matches). "
                    "Values are exactly the `value`s of `facets.section`; empty values are ignored.", one_of(sections)),
        "published": ("Keep articles published in these months (`YYYY-MM`) or days (`YYYY-MM-DD`), "
                      "or `undated` for articles without a date; repeatable, any matches. Values are exactly the "
                      "`value`s of `facets.published`.",
                      {"anyOf": [{"type": "string", "pattern": PUBLISHED_MONTH}, {"type": "string", "format": "date"},
                                 {"type": "string", "enum": [rules.UNDATED]}]}),
        "from": ("Keep articles published on or after this date (YYYY-MM-DD).",
                 or_empty({"type": "string", "format": "date"})),
        "to": ("Keep articles published on or before this date (YYYY-MM-DD); not before `from`.",
               or_empty({"type": "string", "format": "date"})),
        "sort": ("Order of hits: best match first, or by publication date.",
                 or_empty({"type": "string", "enum": list(rules.SORTS), "default": rules.DEFAULTS["sort"]})),
        "match": ("`all`: every word of `q` must match; `any`: at least one.",
                  or_empty({"type": "string", "enum": list(rules.MATCHES), "default": rules.DEFAULTS["match"]})),
        "page": (f"Page of hits, from 1 to {rules.MAX_PAGE}.",
                 or_empty({"type": "integer", "minimum": 1, "maximum": rules.MAX_PAGE,
                           "default": rules.DEFAULTS["page"]})),
        "per_page": (f"Hits per page, from 1 to {rules.MAX_PER_PAGE}.",
                     or_empty({"type": "integer", "minimum": 1, "maximum": rules.MAX_PER_PAGE,
                               "default": rules.DEFAULTS["per_page"]})),
        "collapse": ("Fold near-identical copies (one text run by several outlets) into one hit whose "
                     "`also_in` names the others (`true`/`false`; also `1`/`0`, `yes`/`no`, `on`/`off`, in any case).",
                     or_empty({"anyOf": [{"type": "boolean", "default": rules.DEFAULTS["collapse"]},
                                         {"type": "string", "pattern": any_case(rules.BOOLEAN_WORDS)}]})),
    }
    return [search_param(name, *described[name]) for name in rules.PARAMETERS]


def search_body(parameters: list[dict], json: bool) -> dict:
    """POST /api/search's body: the GET parameters as the fields of a form, or of a JSON object
    (where a repeatable parameter may also be one value, and page, per_page and collapse are JSON's
    own integers and booleans; an empty string still means absent)."""
    properties = {}
    for p in parameters:
        schema = p["schema"]
        if json and schema.get("type") == "array":
            schema = {"anyOf": [schema, schema["items"]]}
        properties[p["name"]] = {**schema, "description": p["description"]}
    return {"type": "object", "properties": properties}


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
                         "description": "Passages as HTML: text escaped, matched words in `<mark>` (a phrase "
                                        "marked whole, only where it stands), each within one paragraph; "
                                        "`…` where a passage starts or stops inside its paragraph."},
            "also_in": {"type": "array", "items": {"type": "string"},
                        "description": "Other outlets that ran a near-identical copy (folded into this hit)."},
            "partial": {"type": "boolean", "description": "Only part of the query matched this article."},
            "story": {"type": ["string", "null"], "description": "The story it is in, for /api/stories/{id}."},
        },
    },
    "SearchResults": {
        "type": "object",
        "required": ["query", "total", "page", "per_page", "took_ms", "hits", "facets", "suggestion",
                     "hits_total", "pages"],
        "additionalProperties": False,
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0,
                      "description": "Articles matching the whole query, on all pages, including near-duplicates "
                                     "folded into another hit's `also_in`."},
            "hits_total": {"type": "integer", "minimum": 0,
                           "description": "Hits on all pages together: full and partial matches, one per group of near-identical "
                                          "copies when `collapse` is on (so at most `total` + `partial_total`)."},
            "pages": {"type": "integer", "minimum": 0, "maximum": rules.MAX_PAGE,
                      "description": "Pages of `per_page` hits that hold them: pages 1 to `pages` are never "
                                     "empty, later ones are (at most " + str(rules.MAX_PAGE) + ")."},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": rules.MAX_PER_PAGE},
            "took_ms": {"type": "number", "minimum": 0},
            "hits": {"type": "array", "items": ref("Hit")},
            "facets": {
                "type": "object",
                "description": "Counts over every matching article: outlets and sections largest first; "
                               "`published` per month (`YYYY-MM`), or per day when the search is within one month, "
                               "then `undated` for articles without a date (when there are any).",
                "required": ["outlet", "section", "published"],
                "properties": {name: {"type": "array", "items": ref("FacetValue")}
                               for name in ("outlet", "section", "published")},
            },
            "suggestion": {"type": ["string", "null"], "description": "A corrected query (did you mean)."},
            "partial_shards": {"type": "array", "items": {"type": "string"},
                               "description": "LEDE_BACKEND=xapian only: the shards (host:port) that were down "
                                              "and left out of this answer (LEDE_XAPIAN_PARTIAL=1); empty when all answered."},
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
            "status": {"enum": ["ok", "degraded"],
                       "description": "`degraded`: some Xapian shards are down and LEDE_XAPIAN_PARTIAL=1 answers from the rest."},
            "documents": {"type": "integer", "minimum": 0},
            "generation": {"type": ["string", "null"], "description": "The live index generation."},
            "backend": {"enum": ["xapian"], "description": "Present when LEDE_BACKEND=xapian answers."},
            "shards": {"type": "array", "items": ref("ShardHealth")},
        },
    },
    "ShardHealth": {
        "type": "object",
        "description": "One Xapian shard server (LEDE_XAPIAN_SHARDS), as /healthz found it.",
        "required": ["shard", "status"],
        "properties": {"shard": {"type": "string", "description": "host:port"},
                       "status": {"enum": ["ok", "down"]},
                       "documents": {"type": "integer", "minimum": 0},
                       "generation": {"type": "string"},
                       "message": {"type": "string", "description": "Why it is down."}},
    },
    "Unavailable": {
        "type": "object",
        "required": ["status", "message"],
        "properties": {"status": {"const": "unavailable"},
                       "message": {"type": "string", "description": "What is wrong and the command that fixes it."},
                       "shards": {"type": "array", "items": ref("ShardHealth")}},
    },
}

ERROR = ref("Error")


def error_responses(*statuses: int) -> dict:
    meaning = {400: "A parameter broke its rule; `error.param` names it.",
               404: "Nothing there.", 405: "Only the documented methods are allowed (see the `Allow` header).",
               413: "The body is over the size limit (1 MiB by default).",
               415: "The body is neither form-encoded nor JSON.",
               503: "No index is live yet; the message names the command that builds one."}
    return {str(s): json_body(ERROR, meaning[s]) for s in statuses}


@lru_cache(maxsize=4)
def document(outlets: tuple[str, ...] = (), sections: tuple[str, ...] = ()) -> dict:
    """The document; ``outlets``/``sections``: the live index's values, listed as the filters' only values."""
    parameters = search_parameters(outlets, sections)
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
                "parameters": parameters,
                "responses": {"200": json_body(ref("SearchResults"), "One page of hits, with facets."),
                              **error_responses(400, 405, 503)},
            }, "post": {
                "operationId": "searchByBody",
                "summary": "Search articles, the parameters in the body (for long queries: a pasted passage)",
                "description": "The same search as GET, the same answer. Parameters also given in the URL "
                               "are read too; the body's win.",
                "requestBody": {"required": True, "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": search_body(parameters, json=False),
                        "encoding": {name: {"style": "form", "explode": True}
                                     for name in rules.REPEATABLE}},
                    "application/json": {"schema": search_body(parameters, json=True)},
                }},
                "responses": {"200": json_body(ref("SearchResults"), "One page of hits, with facets."),
                              **error_responses(400, 413, 415, 503)},
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
            **story_schemas.paths(parameters, error_responses, json_body),
            "/api/openapi.json": {"get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": json_body({"type": "object"}, "OpenAPI 3.1.")},
            }},
            **openapi_workflow.paths(parameters),
        },
        "components": {"schemas": {**SCHEMAS, **story_schemas.SCHEMAS}},
    }

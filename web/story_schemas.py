"""The stories part of the OpenAPI document (openapi.py merges it): /api/stories and /api/stories/{id}.

Kept apart so the description of stories sits in one place; the shapes are those of
search/stories.py, search/quotes.py and search/coverage.py, and tests validate real
responses against them.
"""
from __future__ import annotations


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


DATE = {"type": ["string", "null"], "format": "date"}
STRINGS = {"type": "array", "items": {"type": "string"}}
ARTICLE_REF = {"type": "object", "required": ["outlet", "article"],
               "properties": {"outlet": {"type": "string"}, "article": {"type": "string"}}}

SCHEMAS = {
    "StorySummary": {
        "type": "object",
        "description": "A story: articles of several outlets about one event, grouped at rebuild.",
        "required": ["id", "title", "first_published", "outlets", "article_count"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": "^s[0-9a-f]{12}$", "description": "For /api/stories/{id}."},
            "title": {"type": "string", "description": "The headline of its first article."},
            "first_published": DATE,
            "outlets": {**STRINGS, "description": "In the order they first published."},
            "article_count": {"type": "integer", "minimum": 1},
        },
    },
    "StoryList": {
        "type": "object",
        "required": ["query", "total", "page", "per_page", "stories"],
        "additionalProperties": False,
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0, "description": "Stories the matching articles are in."},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "stories": {"type": "array", "items": ref("StorySummary"),
                        "description": "Most outlets first, then most articles, then newest."},
        },
    },
    "Quotation": {
        "type": "object",
        "required": ["text", "speaker", "variants", "first"],
        "additionalProperties": False,
        "properties": {
            "text": {"type": "string", "description": "The longest wording (fragments joined with ` … `)."},
            "speaker": {"type": "string", "description": "Who said it, where the text says; empty otherwise."},
            "variants": {"type": "array", "minItems": 1, "description": "Each distinct wording, and who printed "
                         "it (an embedded tweet or statement printed without quote marks included).",
                         "items": {"type": "object", "required": ["text", "outlets", "articles"],
                                   "additionalProperties": False,
                                   "properties": {"text": {"type": "string"}, "outlets": STRINGS,
                                                  "articles": STRINGS}}},
            "first": {**ARTICLE_REF, "description": "The earliest article carrying it."},
        },
    },
    "Story": {
        "type": "object",
        "required": ["id", "title", "first_published", "last_published", "outlets", "articles", "timeline",
                     "quotes", "only_in", "copies", "absent"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "first_published": {**DATE, "description": "The earliest article's date."},
            "last_published": DATE,
            "outlets": STRINGS,
            "articles": {"type": "array", "description": "Oldest first, undated last.", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["id", "title", "outlet", "section", "published", "byline", "url"],
                "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                               "outlet": {"type": "string"}, "section": {"type": "string"},
                               "published": DATE, "byline": {"type": "string"}, "url": {"type": "string"}}}},
            "timeline": {"type": "array", "description": "Who published when: one entry per day, oldest first, "
                         "undated (`date` null) last.", "items": {
                             "type": "object", "required": ["date", "articles"],
                             "properties": {"date": DATE, "articles": {"type": "array", "items": {
                                 "type": "object", "required": ["id", "outlet", "title"]}}}}},
            "quotes": {"type": "array", "items": ref("Quotation"),
                       "description": "Most widely carried first."},
            "only_in": {"type": "array", "description": "Per article, the passages no other article of the "
                        "story reports.", "items": {
                            "type": "object", "required": ["article", "outlet", "passages"],
                            "properties": {"article": {"type": "string"}, "outlet": {"type": "string"},
                                           "passages": STRINGS}}},
            "copies": {"type": "array", "description": "Near-identical copies of an earlier article, and what "
                       "each changed against it.", "items": {
                           "type": "object",
                           "required": ["article", "outlet", "of", "headline", "cut", "added", "credit_dropped"],
                           "properties": {
                               "article": {"type": "string"}, "outlet": {"type": "string"}, "of": ARTICLE_REF,
                               "headline": {"type": ["object", "null"], "required": ["from", "to"],
                                            "description": "null when the headline is unchanged."},
                               "cut": {**STRINGS, "description": "Paragraphs of the original missing here."},
                               "added": {**STRINGS, "description": "Paragraphs the copy added."},
                               "credit_dropped": {**STRINGS, "description": "Contributors, photo credits and "
                                                  "agencies the original credits and the copy does not."}}}},
            "absent": {"type": "array", "description": "Outlets with no article in the story, with how many of "
                       "theirs were indexed in the story's days: 0 means not collected, not silence.", "items": {
                           "type": "object", "required": ["outlet", "articles_in_window", "collected"],
                           "properties": {"outlet": {"type": "string"},
                                          "articles_in_window": {"type": "integer", "minimum": 0},
                                          "collected": {"type": "boolean"}}}},
        },
    },
}


def paths(search_parameters: list[dict], error_responses, json_body) -> dict:
    return {
        "/api/stories": {"get": {
            "operationId": "searchStories",
            "summary": "The stories a search's matching articles belong to",
            "description": "Takes the parameters of /api/search; `page` and `per_page` page the stories.",
            "parameters": search_parameters,
            "responses": {"200": json_body(ref("StoryList"), "One page of stories."),
                          **error_responses(400, 405, 503)},
        }},
        "/api/stories/{id}": {"get": {
            "operationId": "getStory",
            "summary": "How each outlet told one story",
            "parameters": [{"name": "id", "in": "path", "required": True, "description": "A hit's `story`.",
                            "schema": {"type": "string", "minLength": 1}}],
            "responses": {"200": json_body(ref("Story"), "The story's coverage."),
                          **error_responses(404, 405, 503)},
        }},
    }

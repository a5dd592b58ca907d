"""The index schema, defined once; ``search/`` imports its field names from here.

Analysis folds case, accents and curly quotes, and stems English, so that
``Iran’s`` finds ``Iran's`` and ``protesters`` finds ``protester``.
"""
from __future__ import annotations

from whoosh import fields
from whoosh.analysis import CharsetFilter, Filter, RegexTokenizer, LowercaseFilter, StemFilter, StopFilter
from whoosh.support.charset import accent_map

# Curly quotes and apostrophes are folded to straight ones before tokenizing.
QUOTE_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u02bc": "'"})
TOKEN_PATTERN = r"\w+(?:['\u2019]\w+)*"


class QuoteFoldFilter(Filter):
    """Folds curly apostrophes in tokens to straight ones (token offsets are unchanged)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text.translate(QUOTE_FOLD)
            yield t


def text_analyzer():
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | QuoteFoldFilter()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter()
    )


# Field names, for the search side.
ID, URL, OUTLET, SECTION, TITLE, BODY, CAPTIONS = "id", "url", "outlet", "section", "title", "body", "captions"
BYLINE, CONTRIBUTORS, PUBLISHED, SOURCE, HASH, ARTICLE = (
    "byline", "contributors", "published", "source", "hash", "article")

TITLE_BOOST = 2.0


def build_schema() -> fields.Schema:
    analyzer = text_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        url=fields.STORED(),
        outlet=fields.ID(stored=True, sortable=True),
        section=fields.ID(stored=True, sortable=True),
        title=fields.TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST, chars=True),
        body=fields.TEXT(analyzer=analyzer, stored=True, chars=True),
        captions=fields.TEXT(analyzer=analyzer, stored=True, chars=True),
        byline=fields.TEXT(analyzer=analyzer, stored=True),
        contributors=fields.TEXT(analyzer=analyzer, stored=True),
        published=fields.DATETIME(stored=True, sortable=True),
        source=fields.ID(stored=True),
        hash=fields.ID(stored=True),
        article=fields.STORED(),  # the cleaned Article as JSON, for the article page
    )

"""Document stage: a cleaned Article becomes the fields of one Whoosh document.

Besides the article's own text, it derives what search needs cheaply at query
time: analysed copies of outlet and section (for ``outlet:telegraph``), month
and day keys of the publication date (facets and filters), a near-duplicate
sketch of the body, and the title, body and captions again for their common-word
companion fields (schema.COMMON_FIELDS: phrases with "of", "the", …). (The did-you-mean words are counted apart: vocabulary.py.)
"""
from __future__ import annotations

import json
from datetime import datetime

from .. import fingerprint
from .. import schema as f
from ..article import Article


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10])
    except ValueError:
        return None


def to_document(article: Article, source_hash: str = "") -> dict:
    body = article.text("body", "subhead", "list")
    captions = article.text("caption")
    doc = {
        f.ID: article.id,
        f.URL: article.url,
        f.OUTLET: article.outlet,
        f.SECTION: article.section,
        f.OUTLET_TEXT: article.outlet,
        f.SECTION_TEXT: article.section,
        f.TITLE: article.title,
        f.BODY: body,
        f.CAPTIONS: captions,
        f.BYLINE: article.byline,
        f.CONTRIBUTORS: "; ".join(article.contributors),
        f.FINGERPRINT: fingerprint.sketch(body),
        f.SOURCE: article.source,
        f.HASH: source_hash,
        f.ARTICLE: json.dumps(article.to_json(), ensure_ascii=False),
    }
    for name, common in f.COMMON_FIELDS.items():
        doc[common] = doc[name]
    published = parse_date(article.published)
    if published is not None:
        doc[f.PUBLISHED] = published
        doc[f.MONTH] = published.strftime("%Y-%m")
        doc[f.DAY] = published.strftime("%Y-%m-%d")
    return doc

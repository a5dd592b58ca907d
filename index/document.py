"""Document stage: a cleaned Article becomes the fields of one Whoosh document."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from . import schema as f
from .article import Article


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10])
    except ValueError:
        return None


def to_document(article: Article, source_hash: str = "") -> dict:
    doc = {
        f.ID: article.id,
        f.URL: article.url,
        f.OUTLET: article.outlet,
        f.SECTION: article.section,
        f.TITLE: article.title,
        f.BODY: article.text("body", "subhead", "list"),
        f.CAPTIONS: article.text("caption"),
        f.BYLINE: article.byline,
        f.CONTRIBUTORS: "; ".join(article.contributors),
        f.SOURCE: article.source,
        f.HASH: source_hash,
        f.ARTICLE: json.dumps(article.to_json(), ensure_ascii=False),
    }
    published = parse_date(article.published)
    if published is not None:
        doc[f.PUBLISHED] = published
    return doc

"""What a search returns: plain values, ready for JSON or a template."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    title_html: str
    outlet: str
    section: str
    published: str | None
    url: str
    byline: str
    score: float
    snippets: tuple[str, ...] = ()
    also_in: tuple[str, ...] = ()
    partial: bool = False
    story: str | None = None  # the id of the story the article is in (search/stories.py)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class Results:
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: tuple[Hit, ...] = ()
    facets: dict = field(default_factory=dict)  # name → tuple[FacetValue, ...]
    suggestion: str | None = None
    partial_total: int = 0  # documents matching most but not all words (listed after the full matches)
    hits_total: int = 0  # hits on all pages together: full and partial matches, one per group of near-identical copies when collapsing
    pages: int = 0  # pages holding hits (at most request.MAX_PAGE): pages 1..pages are never empty

    def to_json(self) -> dict:
        data = asdict(self)
        for hit in data["hits"]:
            hit["snippets"] = list(hit["snippets"])
            hit["also_in"] = list(hit["also_in"])
        data["facets"] = {name: [dict(v) for v in values] for name, values in data["facets"].items()}
        return data

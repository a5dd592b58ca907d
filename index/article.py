"""The cleaned article: the one value that flows from the cleaner to the index.

Every stage after cleaning (turning an article into a Whoosh document, the
article page, ``python -m index clean --json``) reads this value and nothing
else, so it is frozen: a stage that wants a different article makes a new one.
"""
from __future__ import annotations

from dataclasses import dataclass

#: The kinds a kept paragraph can have. Captions are kept once, as their own kind.
PARAGRAPH_KINDS = ("body", "subhead", "caption", "list")

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Paragraph:
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Removal:
    """Text the cleaner dropped, and why (a short stable reason code)."""

    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str = ""
    outlet: str = UNKNOWN
    section: str = UNKNOWN
    published: str | None = None  # ISO date, YYYY-MM-DD
    language: str = ""  # ISO 639-1 code ("en") when the sources file, feed, sitemap or page states one
    url: str = ""
    byline: str = ""
    contributors: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()  # photo credits moved out of captions
    paragraphs: tuple[Paragraph, ...] = ()
    removed: tuple[Removal, ...] = ()
    source: str = ""  # the path it was read from

    def text(self, *kinds: str) -> str:
        """The kept paragraphs of the given kinds (all but captions if none), one per line."""
        wanted = kinds or ("body", "subhead", "list")
        return "\n\n".join(p.text for p in self.paragraphs if p.kind in wanted)

    def to_json(self) -> dict:
        """The public shape, as printed by ``python -m index clean --json`` and the API.

        Built field by field (in declaration order) rather than with ``dataclasses.asdict``,
        whose recursive deep copy cost a fifth of turning an article into a document.
        """
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for key in ("contributors", "credits"):
            data[key] = list(data[key])
        data["paragraphs"] = [{"kind": p.kind, "text": p.text} for p in self.paragraphs]
        data["removed"] = [{"reason": r.reason, "text": r.text} for r in self.removed]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Article":
        return cls(
            **{
                **{k: v for k, v in data.items() if k in cls.__dataclass_fields__},
                "contributors": tuple(data.get("contributors", ())),
                "credits": tuple(data.get("credits", ())),
                "paragraphs": tuple(Paragraph(**p) for p in data.get("paragraphs", ())),
                "removed": tuple(Removal(**r) for r in data.get("removed", ())),
            }
        )

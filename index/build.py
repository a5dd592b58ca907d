"""Rebuild: read every source, clean it, and write a new index generation.

The new generation is made live only once it is complete (see generations.py);
until then the old one keeps serving.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from . import generations
from .clean import clean
from .document import content_hash, to_document
from .read import ReadError, find_sources, read_source
from .schema import build_schema

DEFAULT_SOURCES = [Path("seeds")]


@dataclass
class Summary:
    indexed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    per_outlet: Counter = field(default_factory=Counter)
    removed_by_reason: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    generation: str = ""

    def to_json(self) -> dict:
        return {
            "generation": self.generation,
            "indexed": self.indexed,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "per_outlet": dict(self.per_outlet),
            "removed_by_reason": dict(self.removed_by_reason),
            "seconds": round(self.seconds, 3),
        }


def rebuild(sources: list[Path], index_dir: Path) -> Summary:
    """Build a new generation from ``sources`` and make it live. Raises on failure; the old generation stays live."""
    started = time.monotonic()
    summary = Summary()
    generation = generations.new_generation(index_dir)
    ix = whoosh_index.create_in(str(generation), build_schema())
    writer = ix.writer()
    seen_ids = set()
    source_paths = []
    try:
        for root, path in find_sources([Path(s) for s in sources]):
            source_paths.append(str(path))
            source_hash = content_hash(path.read_bytes())
            for item in read_source(root, path):
                if isinstance(item, ReadError):
                    summary.skipped.append((item.path, item.reason))
                    continue
                if item.id in seen_ids:
                    summary.skipped.append((item.source, f"duplicate id {item.id!r}"))
                    continue
                seen_ids.add(item.id)
                article = clean(item)
                writer.add_document(**to_document(article, source_hash))
                summary.indexed += 1
                summary.per_outlet[article.outlet] += 1
                summary.removed_by_reason.update(r.reason for r in article.removed)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    summary.seconds = time.monotonic() - started
    summary.generation = generation.name
    generations.make_live(index_dir, generation, {
        "generation": generation.name,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "documents": summary.indexed,
        "sources": [str(s) for s in sources],
        "summary": summary.to_json(),
    })
    return summary

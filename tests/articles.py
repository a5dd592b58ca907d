"""Tiny real indexes for the search tests: synthetic Articles through the real document stage."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index

from index import generations, vocabulary
from index.article import Article, Paragraph
from index.document import to_document
from index.schema import build_schema


def article(id: str, title: str = "", body: str = "", outlet: str = "Wire", section: str = "World",
            published: str | None = "2020-01-15", captions: str = "", byline: str = "") -> Article:
    paragraphs = tuple(Paragraph("body", p) for p in body.split("\n\n") if p)
    if captions:
        paragraphs += (Paragraph("caption", captions),)
    return Article(id=id, title=title, outlet=outlet, section=section, published=published,
                   byline=byline, paragraphs=paragraphs, source=f"{id}.txt")


def build_index(index_dir: Path, articles, segments: int = 1) -> Path:
    """Write ``articles`` as a live generation in ``index_dir`` (in ``segments`` commits) and return its path."""
    gen = generations.new_generation(index_dir)
    ix = whoosh_index.create_in(str(gen), build_schema())
    articles = list(articles)
    size = max(1, -(-len(articles) // segments))
    for start in range(0, len(articles), size):
        writer = ix.writer()
        for a in articles[start:start + size]:
            writer.add_document(**to_document(a, "hash-" + a.id))
        writer.commit(merge=False)
    vocabulary.save(gen, Counter(w for a in articles for w in vocabulary.words_of(a)))
    generations.make_live(index_dir, gen, {"generation": gen.name, "documents": len(articles)})
    return gen


def delete(gen: Path, *ids: str) -> None:
    """Delete documents by id without merging, as an incremental rebuild may."""
    ix = whoosh_index.open_dir(str(gen))
    writer = ix.writer()
    for i in ids:
        writer.delete_by_term("id", i)
    writer.commit(merge=False)

"""Tiny real indexes for the search tests: synthetic Articles through the real document stage."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index

from index.store import generations, vocabulary
from index.article import Article, Paragraph
from index.store.document import to_document
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


NEWSROOM_OUTLETS = ("BBC News", "Reuters", "CNN")
#: Titles a spreadsheet would run as formulas (export tests check they are neutralised).
FORMULA_TITLES = ('=HYPERLINK("http://example.com","click")', "+1 embassy figures", "-2 embassy staff",
                  "@SUM(A1:A2) embassy")


def newsroom(size: int = 620) -> list[Article]:
    """A deterministic corpus for exports, feeds and attention: three outlets over ~three months.

    Article ``i``: outlet ``i % 3``; published 2020-01-01 plus ``(i * 7) % 90`` days, except every
    25th, undated; ``embassy`` in every even one's body, ``protest`` in every third, ``siege`` in
    every fifth's title; every 40th repeats article ``i - 2``'s body word for word in another
    outlet (a syndicated copy, which search pages fold but exports and counts must not).
    The first four titles start like spreadsheet formulas.
    """
    from datetime import date, timedelta

    made = []
    for i in range(size):
        words = ["report", f"number{i}"]
        if i % 2 == 0:
            words.append("embassy")
        if i % 3 == 0:
            words.append("protest")
        body = f"The {' '.join(words)} story, paragraph one of article {i}.\n\nA second paragraph for article {i}."
        if i % 40 == 0 and i:
            body = made[-2].text()
        title = FORMULA_TITLES[i] if i < len(FORMULA_TITLES) else f"Story {i}{' siege' if i % 5 == 0 else ''}"
        published = None if i % 25 == 0 else (date(2020, 1, 1) + timedelta(days=(i * 7) % 90)).isoformat()
        made.append(article(f"n{i:04d}", title=title, body=body, outlet=NEWSROOM_OUTLETS[i % 3],
                            section="World" if i % 2 else "Politics", published=published,
                            byline="=cmd|' /C calc'!A0" if i == 7 else ""))
    return made

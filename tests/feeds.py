"""Small real corpora written into a test's temp dir: JSON Lines feeds and text files with a manifest."""
from __future__ import annotations

import json
import random
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.qparser import QueryParser

from index.store import generations

WORDS = ("embassy protest minister talks market shares election court budget storm rescue "
         "summit treaty oil bank rates strike union vote council police report health school "
         "energy trade border river harvest airline factory bridge museum festival").split()
OUTLETS = ("The Telegraph", "Daily Mail", "CNBC")


def article(n: int, rng: random.Random, words: int = 60) -> dict:
    text = []
    for _ in range(3):
        text.append(" ".join(rng.choice(WORDS) for _ in range(words // 3)).capitalize() + ".")
    return {"id": f"a{n:05d}", "url": f"https://example.com/{n}", "outlet": OUTLETS[n % len(OUTLETS)],
            "section": ("World", "Business")[n % 2], "title": f"Story {n}: " + " ".join(rng.sample(WORDS, 5)),
            "published": f"2020-01-{1 + n % 28:02d}", "text": "\n\n".join(text)}


def write_feed(path: Path, count: int, seed: int = 7, words: int = 60) -> list[dict]:
    rng = random.Random(seed)
    items = [article(n, rng, words) for n in range(count)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return items


def write_text_sources(directory: Path, texts: dict[str, str], outlet: str = "The Telegraph") -> None:
    """``texts``: file name → text (title on the first line); outlets come from a manifest.json."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (directory / name).write_text(text, encoding="utf-8")
    manifest = {name: {"outlet": outlet, "section": "World", "published": "2020-01-01"} for name in texts}
    (directory / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def answers(index_dir: Path, query: str = "embassy", limit: int | None = None):
    """What the live generation answers: document count and the hits' (id, score), best first.

    Equal scores are ordered by id: their order by document number depends on
    which worker indexed which article.
    """
    gen = generations.live_generation(index_dir)
    ix = whoosh_index.open_dir(str(gen))
    with ix.searcher() as searcher:
        q = QueryParser("body", ix.schema).parse(query)
        hits = [(h["id"], round(h.score, 6)) for h in searcher.search(q, limit=limit)]
        return searcher.doc_count(), sorted(hits, key=lambda h: (-h[1], h[0]))


def ids(index_dir: Path) -> set[str]:
    gen = generations.live_generation(index_dir)
    ix = whoosh_index.open_dir(str(gen))
    with ix.searcher() as searcher:
        return {fields["id"] for fields in searcher.all_stored_fields()}

"""The did-you-mean vocabulary: every word of the live documents, and how many documents hold it.

One file per generation (``vocabulary.json``) instead of a Whoosh field. As a
field it was half of all the postings a rebuild wrote — a word list per
document — while did-you-mean only ever asks which words exist and in how many
documents; it cost a quarter of the rebuild's time. Now each indexing worker
counts the words of the documents it adds, and the rebuild combines the
counts, takes out the documents it deletes or folds (their words re-derived
from their stored text), and writes the file into the new generation before it
goes live. The counts are exact for the documents the generation holds (a
Whoosh field's document frequencies also count deleted documents).

The words are the unstemmed, folded words of title, body and captions that a
correction could be (``analysis.is_spell_word``).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .. import analysis
from .. import schema as f
from ..article import Article
from .files import write_json

FILENAME = "vocabulary.json"
FORMAT = 1
#: The document fields the words come from: an article's title, body and captions (as words_of).
FIELDS = (f.TITLE, f.BODY, f.CAPTIONS)


def words_of(article: Article) -> list[str]:
    """The distinct vocabulary words of a cleaned article.

    The indexing workers count the same words as they index the article's FIELDS
    (``segment.FastSegmentWriter(count_words=FIELDS)``); this is for the articles indexed
    elsewhere, and for the tests that hold the two equal.
    """
    return analysis.spell_words(article.title, article.text("body", "subhead", "list"), article.text("caption"))


def words_of_stored(fields: dict) -> list[str]:
    """The same words from a document's stored fields (what to_document stored for the article)."""
    return analysis.spell_words(fields.get(f.TITLE) or "", fields.get(f.BODY) or "", fields.get(f.CAPTIONS) or "")


def count_reader(reader) -> Counter:
    """The vocabulary of every live document a Whoosh reader holds (for generations without the file)."""
    counts: Counter = Counter()
    for docnum, fields in reader.iter_docs():
        counts.update(words_of_stored(fields))
    return counts


def save(generation: Path, counts: Counter) -> None:

    write_json(Path(generation) / FILENAME, {
        "format": FORMAT, "words": {w: n for w, n in sorted(counts.items()) if n > 0}})


def load(generation: Path) -> dict[str, int] | None:
    """word → number of documents; None when the generation has no (readable) vocabulary file."""
    try:
        data = json.loads((Path(generation) / FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("words"), dict):
        return None
    return data["words"]

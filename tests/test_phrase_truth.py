"""Phrases against the truth: the article text itself, not Whoosh's phrase query.

An index is built by the real rebuild from the seeds and, when ../shared/data is
beside the checkout, a few hundred BBC articles. Phrases of 2–6 words are drawn
(seeded) from the cleaned text the index stores — some without common words,
some with, some made only of common words — and each is searched as
``"word word …"``. The oracle reads the stored text:

* words are runs of letters and digits (``\\w+``), with inner apostrophes kept
  (``don't``) and a possessive ``'s`` dropped (``Iran's`` → ``iran``); hyphens,
  dots and all other punctuation separate words (``tear-gas`` → ``tear gas``,
  ``U.S.`` → ``u s``); case and accents are folded, curly apostrophes straightened;
* an article *holds* a phrase when one of its fields (title, body, captions)
  has the phrase's words consecutively.

Every article holding the phrase must be returned. Every article returned must
hold the phrase's words in order up to word form: the words compared by their
Snowball stem, as search matches ``protesters`` for ``protester``, and a
hyphenated word also read as its joined form (``tear-gas`` is ``teargas``).
"""
from __future__ import annotations

import json
import random
import re
import unicodedata

import pytest
from whoosh.lang import stemmer_for_language

from conftest import SEEDS, SHARED_DATA
from index.store import build
from index import analysis
from index import schema as f
from search import Engine, SearchRequest
from search.fast.matching import matching_docs
from search.parse import parse_query

FIELDS = (f.TITLE, f.BODY, f.CAPTIONS)
RAW_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
BBC_EVERY = 7  # every 7th BBC article: ~320 of 2,225
QUOTA = {"content": 110, "mixed": 120, "common": 70}  # phrases drawn per kind
SEED = 13
_stem = stemmer_for_language("en")


def words(text: str) -> list[str]:
    """The oracle's words of ``text`` (see the module docstring)."""
    out = []
    for raw in RAW_WORD.findall(text):
        for part in re.split(r"-", raw):
            out.append(_normal(part))
    return [w for w in out if w]


def _normal(word: str) -> str:
    word = word.replace("’", "'").lower()
    if word.endswith("'s"):
        word = word[:-2]
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def stem_lines(text: str) -> list[str]:
    """The stems of ``text``'s words, and a copy with each hyphenated word joined (its first part's place)."""
    plain, joined = [], []
    for raw in RAW_WORD.findall(text):
        parts = [_normal(p) for p in raw.split("-")]
        plain += [_stem(p) for p in parts if p]
        joined += [_stem("".join(parts))] + [_stem(p) for p in parts[1:] if p]
    return [" ".join(plain), " ".join(joined)]


def holds(line: str, phrase: list[str]) -> bool:
    return f" {' '.join(phrase)} " in f" {line} "


def is_common(word: str) -> bool:
    return len(word) < analysis.STOP_MIN_SIZE or word in analysis.STOP_LIST


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(engine, {article id: {field: text}}) for the seeds plus a BBC sample when present."""
    root = tmp_path_factory.mktemp("truth")
    sources = [SEEDS]
    bbc = SHARED_DATA / "bbc-news"
    if bbc.is_dir():
        feed = root / "bbc.jsonl"
        with open(feed, "w", encoding="utf-8") as out:
            for path in sorted(bbc.glob("*/*.txt"))[::BBC_EVERY]:
                raw = path.read_bytes()
                text = raw.decode("utf-8", errors="replace")
                title, _, body = text.strip().partition("\n")
                out.write(json.dumps({"id": f"bbc-{path.parent.name}-{path.stem}", "outlet": "BBC News",
                                      "title": title.strip(), "text": body.strip()}) + "\n")
        sources.append(feed)
    # One worker, one segment: a generation with a segment of undated articles only does not open
    # today (facets.Ordinals reads a column that skips that segment; issue 13's undated work).
    build.rebuild(sources, root / "index", jobs=1)
    engine = Engine(root / "index")
    searcher = engine.live().searcher
    texts = {}
    for docnum in searcher.reader().all_doc_ids():
        stored = searcher.stored_fields(docnum)
        texts[stored[f.ID]] = Text({name: stored.get(name) or "" for name in FIELDS})
    yield engine, texts
    engine.close()


class Text:
    """One article's fields, with the oracle's word lines worked out once."""

    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        self.lines = [" ".join(words(t)) for t in fields.values()]
        self.stems = [line for t in fields.values() for line in stem_lines(t)]

    def holds(self, phrase: list[str]) -> bool:
        return any(holds(line, phrase) for line in self.lines)

    def holds_stems(self, stems: list[str]) -> bool:
        return any(holds(line, stems) for line in self.stems)


def draw_phrases(texts: dict) -> dict[str, list[list[str]]]:
    """Raw-word phrases per kind, drawn from paragraphs of the stored text (seeded)."""
    rng = random.Random(SEED)
    paragraphs = [p for t in texts.values() for text in t.fields.values() for p in text.split("\n") if p]
    drawn: dict[str, list] = {kind: [] for kind in QUOTA}
    seen = set()
    for _ in range(200_000):
        if all(len(drawn[k]) >= n for k, n in QUOTA.items()):
            break
        raws = [r for raw in RAW_WORD.findall(rng.choice(paragraphs)) for r in raw.split("-") if r]
        size = rng.randint(2, 6)
        if len(raws) < size:
            continue
        start = rng.randrange(len(raws) - size + 1)
        phrase = raws[start:start + size]
        common = [is_common(_normal(w)) for w in phrase]
        kind = "common" if all(common) else "mixed" if any(common) else "content"
        key = " ".join(words(" ".join(phrase)))
        if len(drawn[kind]) < QUOTA[kind] and key not in seen:
            seen.add(key)
            drawn[kind].append(phrase)
    return drawn


def found_ids(engine, q: str) -> tuple[set, set]:
    """(ids the scored pass returns, ids the unscored matching returns) for query ``q``."""
    live = engine.live()
    query = parse_query(q, live.schema)
    scored = live.scores.score_all(query, None)
    assert scored is not None, q
    ids = live.searcher.stored_fields
    return {ids(d)[f.ID] for d in scored[0]}, {ids(d)[f.ID] for d in matching_docs(query, live.terms)}


def check(engine, texts, phrase_text: str) -> list[str]:
    """What is wrong with the answer to ``"phrase_text"`` (empty when it is right)."""
    phrase = words(phrase_text)
    expected = {i for i, t in texts.items() if t.holds(phrase)}
    scored, unscored = found_ids(engine, f'"{phrase_text}"')
    problems = []
    if scored != unscored:
        problems.append(f"scored and unscored matches differ: {sorted(scored ^ unscored)[:3]}")
    if expected - scored:
        problems.append(f"missed {len(expected - scored)} of {len(expected)}: {sorted(expected - scored)[:3]}")
    stems = [_stem(w) for w in phrase]
    wrong = {i for i in scored if not texts[i].holds_stems(stems)}
    if wrong:
        problems.append(f"{len(wrong)} returned without the words in order: {sorted(wrong)[:3]}")
    return problems


def test_sampled_phrases_find_exactly_the_articles_that_hold_them(corpus):
    engine, texts = corpus
    drawn = draw_phrases(texts)
    assert {k: len(v) for k, v in drawn.items()} == QUOTA
    failures = {}
    for kind, phrases in drawn.items():
        for phrase in phrases:
            text = " ".join(phrase)
            problems = check(engine, texts, text)
            if problems:
                failures[f"{kind}: {text!r}"] = problems
    assert not failures, f"{len(failures)} wrong: " + json.dumps(dict(list(failures.items())[:8]), indent=1)


SEED_PHRASES = {  # phrase → how many of the five seeds hold it, counted by hand
    "Secretary of State": 5,
    "Death to America": 3,
    "US embassy in Baghdad": None,
    "Iran killed an American contractor": None,
    "Iran and US": None,
}


@pytest.mark.parametrize("phrase", SEED_PHRASES)
def test_phrases_from_the_issue_find_the_seeds_that_hold_them(corpus, phrase):
    engine, texts = corpus
    assert check(engine, texts, phrase) == []
    seeds = {h.id for h in engine.search(SearchRequest(q=f'"{phrase}"', per_page=100, collapse=False)).hits
             if not h.id.startswith("bbc-")}
    assert seeds, phrase
    if SEED_PHRASES[phrase] is not None:
        assert len(seeds) == SEED_PHRASES[phrase]


@pytest.mark.parametrize("q", ["the", '"to be or not to be"', '"we can"', '"Let it be"', "it is", '"of the"'])
def test_queries_of_common_words_only_find_the_articles_that_hold_them(corpus, q):
    engine, texts = corpus
    results = engine.search(SearchRequest(q=q, collapse=False))
    phrase = words(q)
    if q.startswith('"'):
        expected = {i for i, t in texts.items() if t.holds(phrase)}
    else:  # plain words: every word, anywhere
        expected = {i for i, t in texts.items() if set(phrase) <= {w for line in t.lines for w in line.split()}}
    assert results.total == len(expected)
    if q in ('"we can"', "the"):
        assert results.total > 0
    assert {h.id for h in results.hits} <= expected


def test_common_words_are_dropped_from_plain_queries_with_other_words(corpus):
    """``the embassy`` ranks exactly as ``embassy``: a common word adds nothing to a plain query."""
    engine, _ = corpus
    with_the = engine.search(SearchRequest(q="the embassy", collapse=False, per_page=50))
    alone = engine.search(SearchRequest(q="embassy", collapse=False, per_page=50))
    assert with_the.total == alone.total > 0
    assert [(h.id, h.score) for h in with_the.hits] == [(h.id, h.score) for h in alone.hits]

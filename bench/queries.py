"""The benchmark's query set: one-to-three-word spans of real titles, seeded.

    python bench/queries.py bench/out/real.jsonl --queries 200 --seed 7   # prints the set as JSON lines

Each query is a run of 1–3 consecutive words from the title of an article
picked at random (seeded, so every run and both servers see the same set).
Spans made only of stopwords are skipped: nobody searches for "of the", and
Lede drops stopwords while FTS5 does not, so such spans would compare nothing.
Every query is sent in three kinds:

    plain     q=word word
    phrase    q="word word"             (the same words, as a phrase)
    filtered  q=word word & outlet=O    (even-numbered queries; O = the source article's outlet)
              q=word word & section=S   (odd-numbered; S = its section, or its outlet when it has none)

so the filter always leaves the source article in the results.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

WORD = re.compile(r"[A-Za-z][A-Za-z]+")   # ASCII words of 2+ letters: safe for both query syntaxes
SPAN_WORDS = (1, 2, 3)                   # how many consecutive title words a query takes
MAX_DRAWS_PER_QUERY = 50                 # give up on a title that yields no usable span
# English function words; a span of only these is not a query anyone types.
STOPWORDS = frozenset("""
a an and are as at be but by for from has have he her his i if in into is it its no not of on or
our s she so than that the their then there these they this to up was we were what when which who
will with would you your after over says said new more
""".split())
KINDS = ("plain", "phrase", "filtered")


@dataclass(frozen=True)
class Query:
    words: str            # the 1–3 title words
    kind: str             # plain | phrase | filtered
    outlet: str | None    # the filter, for kind == filtered
    section: str | None
    source_id: str        # the article whose title gave the words

    @property
    def q(self) -> str:
        return f'"{self.words}"' if self.kind == "phrase" else self.words

    def lede_path(self) -> str:
        params = [("q", self.q)]
        if self.outlet:
            params.append(("outlet", self.outlet))
        if self.section:
            params.append(("section", self.section))
        return "/api/search?" + urlencode(params)

    def datasette_path(self, db: str = "db", table: str = "articles", size: int | None = None) -> str:
        params = [("_search", self.q), ("_facet", "outlet"), ("_facet", "section")]
        if size is not None:
            params.append(("_size", str(size)))
        if self.outlet:
            params.append(("outlet", self.outlet))
        if self.section:
            params.append(("section", self.section))
        return f"/{db}/{table}.json?" + urlencode(params)


def load_titles(feed: Path) -> list[dict]:
    """(id, title, outlet, section) of every article in a JSONL feed that has a title."""
    rows = []
    with open(feed, encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if item.get("title"):
                rows.append({k: item.get(k) for k in ("id", "title", "outlet", "section")})
    if not rows:
        raise ValueError(f"feed {feed} has no titled articles — build it with `python bench/corpus.py`")
    return rows


def draw_words(rng: random.Random, articles: list[dict]) -> tuple[str, dict]:
    """A usable 1–3-word span and the article it came from."""
    for _ in range(MAX_DRAWS_PER_QUERY * 20):
        article = rng.choice(articles)
        words = WORD.findall(article["title"])
        if not words:
            continue
        n = min(rng.choice(SPAN_WORDS), len(words))
        start = rng.randrange(len(words) - n + 1)
        span = words[start:start + n]
        if all(w.lower() in STOPWORDS for w in span):
            continue
        return " ".join(span), article
    raise ValueError("no usable title span found — is the feed all stopwords?")


def make_queries(feed: Path, count: int = 200, seed: int = 7) -> list[list[Query]]:
    """``count`` query groups; each group holds the same words in the three kinds, in KINDS order."""
    rng = random.Random(seed)
    articles = load_titles(feed)
    groups, seen = [], set()
    while len(groups) < count:
        words, article = draw_words(rng, articles)
        if words.lower() in seen:
            continue
        seen.add(words.lower())
        i = len(groups)
        if i % 2 == 0 or not article.get("section"):
            outlet, section = article["outlet"], None
        else:
            outlet, section = None, article["section"]
        groups.append([
            Query(words, "plain", None, None, article["id"]),
            Query(words, "phrase", None, None, article["id"]),
            Query(words, "filtered", outlet, section, article["id"]),
        ])
    return groups


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Print the benchmark query set as JSON lines.")
    p.add_argument("feed", type=Path, help="a JSONL feed, e.g. bench/out/real.jsonl")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    for group in make_queries(args.feed, args.queries, args.seed):
        for query in group:
            print(json.dumps({**asdict(query), "lede": query.lede_path(), "datasette": query.datasette_path()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Relevance benchmark: Lede's ranking against an SQLite FTS5 bm25() reference, same text, same run.

    .venv/bin/python bench/relevance.py                 # both collections, prints a table
    .venv/bin/python bench/relevance.py --collections time --depth 100

Collections (read from ../shared/data/ir, never copied):

    time   TIME magazine 1963: 423 articles, 83 queries, binary judgments (TIME.ALL/QUE/REL)
    cran   Cranfield: 1,400 aeronautics abstracts (title + text), 225 queries, graded
           judgments 1 (complete answer) … 4 (minimal interest); -1 entries are not judgments.
           The text's opening repeat of the title is dropped (news bodies do not repeat headlines).

Lede: each document becomes an Article (title and body paragraphs) and goes
through the real document stage and schema into a real index generation;
each query goes through ``Engine.search`` with ``match=any`` (the queries are
natural-language sentences) and collapsing off (it is a ranking measure).
Reference: an FTS5 table (tokenize='porter unicode61') over the same title
and body columns, the OR of the query's words, ordered by bm25().

Both systems see the query lower-cased with punctuation removed (TIME's
queries are upper case: ``NOT`` would otherwise be an operator). Measures:
nDCG@10 (graded gain 5 - code on Cranfield, 1 on TIME) and MAP over the top
``--depth`` results (relevant documents not retrieved count as misses).
"""
from __future__ import annotations

import argparse
import math
import re
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402

from index.store import generations  # noqa: E402
from index import analysis, schema  # noqa: E402
from index.article import Article, Paragraph  # noqa: E402
from index.store.document import to_document  # noqa: E402
from index.schema import build_schema  # noqa: E402
from search import Engine, SearchRequest, feedback, parse, ranking  # noqa: E402
from search.plan import plan  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ir"
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
NDCG_AT = 10
CHECKED_QUERIES = 10  # queries also sent through Engine.search, to check it serves the same top 10
DEFAULT_DEPTH = 100  # results per query scored for MAP (Engine pages of 100)
#: The configurations cross-validated: BM25's usual ranges (K1 1.2 and B 0.75 the textbook defaults), the
#: index-time title weight, RM3 feedback off or at Anserini's default depth. Few on purpose: a grid this
#: coarse can pick a method that works, not the quirks of one collection.
GRID_K1 = (0.9, 1.2, 1.6)
GRID_B = (0.75, 0.9)
GRID_TITLE = (1.0, 2.0)
#: RM3 as (feedback documents, the query's weight): off, Anserini's default, and milder ones.
GRID_FEEDBACK = ((0, 1.0), (10, 0.5), (10, 0.8), (5, 0.8))


# -- reading the collections ------------------------------------------------
def _records(text: str, marker: str) -> list[tuple[str, str]]:
    """(header, body) for each record that starts with a line beginning with ``marker``."""
    parts = re.split(r"^(%s.*)$" % re.escape(marker), text, flags=re.M)
    return [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


# TIME.REL numbers documents by position in the original 425-document file; this copy holds 423, two
# fewer somewhere after position TIME_GAP_AFTER. The gap was located by the overlap of each judged
# document's words with its query (offset 0 fits up to 370, offset 2 from 378; nothing is judged between).
TIME_GAP_AFTER, TIME_GAP = 370, 2


def read_time(root: Path):
    docs = {}
    records = _records((root / "TIME.ALL").read_text(errors="replace"), "*TEXT")
    for position, (header, body) in enumerate(records, start=1):
        number = position if position <= TIME_GAP_AFTER else position + TIME_GAP
        docs[str(number)] = ("", " ".join(body.split()))
    queries = {}
    for header, body in _records((root / "TIME.QUE").read_text(errors="replace"), "*FIND"):
        queries[str(int(header.split()[1]))] = " ".join(body.split())
    qrels: dict[str, dict[str, int]] = {}
    for line in (root / "TIME.REL").read_text().splitlines():
        fields = line.split()
        if fields:
            qrels[fields[0]] = {d: 1 for d in fields[1:]}
    return docs, queries, qrels


def read_cran(root: Path):
    docs = {}
    for header, body in _records((root / "cran.all.1400").read_text(errors="replace"), ".I"):
        sections = dict(re.findall(r"^\.([TABW])\n(.*?)(?=^\.[TABW]\n|\Z)", body, flags=re.M | re.S))
        title = " ".join(sections.get("T", "").split())
        text = " ".join(sections.get("W", "").split())
        # The abstract opens by repeating the title; a news body does not repeat its headline, so drop it
        # (for both systems) to measure the title weight as it matters for news.
        if title and text.startswith(title):
            text = text[len(title):].lstrip()
        docs[str(int(header.split()[1]))] = (title, text)
    # Queries are numbered 1..225 in the judgments, in file order (their .I numbers have gaps).
    queries = {}
    for n, (_, body) in enumerate(_records((root / "cran.qry").read_text(errors="replace"), ".I"), start=1):
        queries[str(n)] = " ".join(body.split(".W", 1)[-1].split())
    qrels: dict[str, dict[str, int]] = {}
    for line in (root / "cran.qrels").read_text().splitlines():
        q, d, code = line.split()
        if 1 <= int(code) <= 4:
            qrels.setdefault(q, {})[d] = 5 - int(code)
    return docs, queries, qrels


COLLECTIONS = {"time": ("time", read_time), "cran": ("cran", read_cran)}


# -- the two systems -----------------------------------------------------------
def words(query: str) -> list[str]:
    return WORD.findall(query.lower().replace("\u2019", "'"))


def build_collection(docs, workdir: Path) -> None:
    """A live index generation of ``docs`` in ``workdir``, through the real document stage and schema
    (with schema.TITLE_BOOST as set now)."""
    gen = generations.new_generation(workdir)
    ix = whoosh_index.create_in(str(gen), build_schema())
    writer = ix.writer()
    for doc_id, (title, text) in docs.items():
        article = Article(id=doc_id, title=title, outlet="Collection", section="All",
                          paragraphs=(Paragraph("body", text),))
        writer.add_document(**to_document(article))
    writer.commit()
    generations.make_live(workdir, gen, {"generation": gen.name})


def lede_runs(workdir: Path, queries, depth: int) -> tuple[dict, float]:
    """Each query's ranking to ``depth`` as Engine.search ranks it (query, scored pass, feedback, best first),
    read from the same stages without building pages of 100 snippets; the first CHECKED_QUERIES are also
    sent through Engine.search, which must serve the same top 10. A new Engine: ranking's current K1/B."""
    engine = Engine(workdir)
    live = engine.live()
    runs, started = {}, time.perf_counter()
    for n, (qid, text) in enumerate(queries.items()):
        request = SearchRequest(q=" ".join(words(text)), match="any", collapse=False, per_page=NDCG_AT)
        scored = plan(live, request, partial=False).scored  # with feedback where it applies
        ranked = [live.article_id(d) for d, _ in ranking.best(live, scored, depth)]
        if n < CHECKED_QUERIES:
            assert [h.id for h in engine.search(request).hits] == ranked[:NDCG_AT], qid
        runs[qid] = ranked
    engine.close()
    return runs, (time.perf_counter() - started) * 1000 / max(1, len(queries))


def fts5_runs(docs, queries, depth: int) -> tuple[dict, float]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(i, t, b) for i, (t, b) in docs.items()])
    runs, started = {}, time.perf_counter()
    for qid, text in queries.items():
        terms = sorted(set(words(text)))
        if not terms:
            runs[qid] = []
            continue
        match = " OR ".join('"%s"' % t.replace('"', '""') for t in terms)
        rows = db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, depth))
        runs[qid] = [r[0] for r in rows]
    return runs, (time.perf_counter() - started) * 1000 / max(1, len(queries))


# -- measures -----------------------------------------------------------------
def ndcg(ranked: list[str], gains: dict[str, int], k: int = NDCG_AT) -> float:
    dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def average_precision(ranked: list[str], gains: dict[str, int]) -> float:
    hits, total = 0, 0.0
    for i, d in enumerate(ranked, start=1):
        if gains.get(d, 0) > 0:
            hits += 1
            total += hits / i
    return total / len(gains) if gains else 0.0


def evaluate(runs: dict, qrels: dict) -> tuple[float, float, int]:
    judged = [q for q in runs if qrels.get(q)]
    n = len(judged)
    return (sum(ndcg(runs[q], qrels[q]) for q in judged) / n,
            sum(average_precision(runs[q], qrels[q]) for q in judged) / n, n)


@dataclass(frozen=True)
class Config:
    """One ranking configuration: BM25F's K1 and B, the index-time title weight, RM3's feedback documents
    (0: none) and the original query's weight in RM3's mixture."""

    k1: float
    b: float
    title: float
    fb_docs: int
    fb_weight: float

    @classmethod
    def shipped(cls) -> "Config":
        return cls(ranking.K1, ranking.B, schema.TITLE_BOOST, feedback.FB_DOCS, feedback.ORIGINAL_WEIGHT)

    def label(self) -> str:
        rm3 = f"RM3({self.fb_docs} docs, q {self.fb_weight:g})" if self.fb_docs else "no RM3"
        return f"K1 {self.k1} B {self.b} title x{self.title:g} {rm3}"

    def apply(self) -> None:
        """Override the shipped constants for this run only (TITLE_BOOST applies to indexes built after)."""
        ranking.K1, ranking.B, schema.TITLE_BOOST = self.k1, self.b, self.title
        feedback.FB_DOCS, feedback.ORIGINAL_WEIGHT = self.fb_docs, self.fb_weight


def grid() -> list[Config]:
    return [Config(k1, b, t, docs, weight) for t in GRID_TITLE for k1 in GRID_K1 for b in GRID_B
            for docs, weight in GRID_FEEDBACK]


def measure(docs, queries, qrels, configs: list[Config], depth: int) -> dict[Config, tuple[float, float, float]]:
    """{config: (nDCG@10, MAP, ms/query)} of Lede on one collection; one index per title weight."""
    results = {}
    for title in sorted({c.title for c in configs}):
        with tempfile.TemporaryDirectory(prefix="lede-rel-") as tmp:
            schema.TITLE_BOOST = title
            build_collection(docs, Path(tmp))
            for config in (c for c in configs if c.title == title):
                config.apply()
                runs, ms = lede_runs(Path(tmp), queries, depth)
                results[config] = (*evaluate(runs, qrels)[:2], ms)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--depth", type=int, default=DEFAULT_DEPTH, help="results per query for MAP")
    parser.add_argument("--shipped", action="store_true", help="measure only the shipped ranking (no grid)")
    parser.add_argument("--k1", type=float, help=f"measure only this K1 (default {ranking.K1})")
    parser.add_argument("--b", type=float, help=f"measure only this B (default {ranking.B})")
    parser.add_argument("--title-boost", type=float, help=f"measure only this title weight (default {schema.TITLE_BOOST})")
    parser.add_argument("--feedback-docs", type=int, help=f"measure only this RM3 depth, 0: off (default {feedback.FB_DOCS})")
    parser.add_argument("--feedback-weight", type=float,
                        help=f"measure only this RM3 query weight (default {feedback.ORIGINAL_WEIGHT})")
    parser.add_argument("--idf", choices=["robertson", "whoosh"], help=f"try an idf (default {ranking.IDF})")
    parser.add_argument("--stemmer", choices=["porter", "snowball"], help="try a stemmer (default: the schema's)")
    args = parser.parse_args(argv)
    if args.idf:
        ranking.IDF = args.idf
    if args.stemmer:
        analysis.STEM_LANGUAGE = "en" if args.stemmer == "snowball" else None
    shipped = Config.shipped()
    given = (args.k1, args.b, args.title_boost, args.feedback_docs, args.feedback_weight)
    chosen = Config(*(g if g is not None else d for g, d in zip(given, (
        shipped.k1, shipped.b, shipped.title, shipped.fb_docs, shipped.fb_weight))))
    configs = [chosen] if args.shipped or chosen != shipped else sorted(set(grid()) | {shipped}, key=Config.label)
    print(f"shipped: {shipped.label()}, idf={ranking.IDF}, field boosts={parse.FIELD_BOOSTS}, "
          f"stemmer={'snowball' if analysis.STEM_LANGUAGE else 'porter'}; {len(configs)} configuration(s)")

    lede, fts5, judged, sizes = {}, {}, {}, {}
    for name, (folder, reader) in COLLECTIONS.items():
        root = DATA / folder
        if not root.exists():
            print(f"{root} not present: the relevance benchmark needs ../shared/data/ir", file=sys.stderr)
            return 1
        docs, queries, qrels = reader(root)
        sizes[name], judged[name] = len(docs), sum(1 for q in queries if qrels.get(q))
        lede[name] = measure(docs, queries, qrels, configs, args.depth)
        runs, ms = fts5_runs(docs, queries, args.depth)
        fts5[name] = (*evaluate(runs, qrels)[:2], ms)
    shipped.apply()
    names = list(COLLECTIONS)
    at = f"MAP@{args.depth}"

    if len(configs) > 1:
        print(f"\nEvery configuration (nDCG@10 / {at}):")
        print(f"{'configuration':<44}" + "".join(f" {n + ' nDCG':>10} {n + ' MAP':>9}" for n in names))
        for c in configs:
            print(f"{c.label():<44}" + "".join(f" {lede[n][c][0]:>10.4f} {lede[n][c][1]:>9.4f}" for n in names))
        print("\nCross-validation: the configuration best on one collection (nDCG@10, then MAP), measured on the other.")
        print(f"{'tuned on':<9} {'reported on':<11} {'configuration':<44} {'Lede nDCG@10':>12} {'FTS5':>7}"
              f" {'Lede ' + at:>12} {'FTS5':>7}  at or above FTS5")
        for train, test in ((names[0], names[1]), (names[1], names[0])):
            best = max(configs, key=lambda c: (lede[train][c][0], lede[train][c][1], c == shipped))
            n, m, _ = lede[test][best]
            ok = "yes" if n >= fts5[test][0] and m >= fts5[test][1] else "NO"
            print(f"{train:<9} {test:<11} {best.label():<44} {n:>12.4f} {fts5[test][0]:>7.4f} {m:>12.4f}"
                  f" {fts5[test][1]:>7.4f}  {ok}")

    print(f"\n{'collection':<10} {'docs':>5} {'queries':>7}  {'system':<52} {'nDCG@10':>8} {at:>8} {'ms/query':>9}")
    for name in names:
        config = shipped if shipped in lede[name] else chosen
        rows = ((f"Lede ({config.label()})", lede[name][config]), ("SQLite FTS5 bm25()", fts5[name]))
        for system, (n, m, ms) in rows:
            print(f"{name:<10} {sizes[name]:>5} {judged[name]:>7}  {system:<52} {n:>8.4f} {m:>8.4f} {ms:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

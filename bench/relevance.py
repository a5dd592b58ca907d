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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402

from index import generations, schema  # noqa: E402
from index.article import Article, Paragraph  # noqa: E402
from index.document import to_document  # noqa: E402
from index.schema import build_schema  # noqa: E402
from index import schema as f  # noqa: E402
from search import Engine, SearchRequest, parse, ranking  # noqa: E402
from search.parse import parse_query  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ir"
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
NDCG_AT = 10
CHECKED_QUERIES = 10  # queries also sent through Engine.search, to check it serves the same top 10
DEFAULT_DEPTH = 100  # results per query scored for MAP (Engine pages of 100)


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


def lede_runs(docs, queries, depth: int, workdir: Path) -> tuple[dict, float]:
    gen = generations.new_generation(workdir)
    ix = whoosh_index.create_in(str(gen), build_schema())
    writer = ix.writer()
    for doc_id, (title, text) in docs.items():
        article = Article(id=doc_id, title=title, outlet="Collection", section="All",
                          paragraphs=(Paragraph("body", text),))
        writer.add_document(**to_document(article))
    writer.commit()
    generations.make_live(workdir, gen, {"generation": gen.name})
    engine = Engine(workdir)
    live = engine.live()
    ids = live.ordinals[f.ID].values
    runs, started = {}, time.perf_counter()
    for n, (qid, text) in enumerate(queries.items()):
        request = SearchRequest(q=" ".join(words(text)), match="any", collapse=False, per_page=NDCG_AT)
        query = parse_query(request.q, live.schema, request.match)
        ranked = [ids[live.ordinals[f.ID].by_doc[d]] for d, _ in engine._order(
            live, request, query, set(live.searcher.docs_for_query(query)), depth, restrict=False)]
        if n < CHECKED_QUERIES:  # the ranking above is the one Engine.search serves
            assert [h.id for h in engine.search(request).hits] == ranked[:NDCG_AT], qid
        runs[qid] = ranked
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--collections", nargs="+", choices=sorted(COLLECTIONS), default=["time", "cran"])
    parser.add_argument("--depth", type=int, default=DEFAULT_DEPTH, help="results per query for MAP")
    parser.add_argument("--k1", type=float, help=f"try a BM25 K1 (default {ranking.K1})")
    parser.add_argument("--b", type=float, help=f"try a BM25 B (default {ranking.B})")
    parser.add_argument("--title-boost", type=float, help=f"try a title boost (default {schema.TITLE_BOOST})")
    parser.add_argument("--idf", choices=["robertson", "whoosh"], help=f"try an idf (default {ranking.IDF})")
    parser.add_argument("--stemmer", choices=["porter", "snowball"], help="try a stemmer (default: the schema's)")
    args = parser.parse_args(argv)
    # Tuning knobs: override the shipped constants for this run only.
    if args.k1 is not None:
        ranking.K1 = args.k1
    if args.b is not None:
        ranking.B = args.b
    if args.title_boost is not None:
        parse.FIELD_BOOSTS[schema.TITLE] = args.title_boost
    if args.idf:
        ranking.IDF = args.idf
    if args.stemmer:
        schema.STEM_LANGUAGE = "en" if args.stemmer == "snowball" else None
    print(f"K1={ranking.K1} B={ranking.B} idf={ranking.IDF} field boosts={parse.FIELD_BOOSTS} "
          f"stemmer={'snowball' if schema.STEM_LANGUAGE else 'porter'}")
    rows = []
    for name in args.collections:
        folder, reader = COLLECTIONS[name]
        root = DATA / folder
        if not root.exists():
            print(f"skipping {name}: {root} not present", file=sys.stderr)
            continue
        docs, queries, qrels = reader(root)
        with tempfile.TemporaryDirectory(prefix=f"lede-rel-{name}-") as tmp:
            lede, lede_ms = lede_runs(docs, queries, args.depth, Path(tmp))
        ref, ref_ms = fts5_runs(docs, queries, args.depth)
        for system, runs, ms in (("Lede (BM25F, match=any)", lede, lede_ms), ("SQLite FTS5 bm25()", ref, ref_ms)):
            n_ndcg, n_map, judged = evaluate(runs, qrels)
            rows.append((name, len(docs), judged, system, n_ndcg, n_map, ms))
    print(f"{'collection':<10} {'docs':>5} {'queries':>7}  {'system':<26} {'nDCG@10':>8} {'MAP@' + str(args.depth):>8}"
          f" {'ms/query':>9}")
    for name, ndocs, judged, system, n_ndcg, n_map, ms in rows:
        print(f"{name:<10} {ndocs:>5} {judged:>7}  {system:<26} {n_ndcg:>8.4f} {n_map:>8.4f} {ms:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

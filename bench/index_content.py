"""What an index generation holds, written canonically: to show two builds made the same index.

    python bench/index_content.py var/index > a.jsonl          # the live generation
    python bench/index_content.py --compare INDEX_A INDEX_B    # "same" or the first difference

Segment file names are random and the documents' numbers depend on how the
work was split between processes, so the files themselves cannot be compared.
This reads them through Whoosh instead and writes, keyed by each document's
id: its stored fields, its field lengths and column values, then every
field's terms with their postings (document id, weight, value), and the
generation's JSON side files (sources, vocabulary, stories) without what
differs from build to build by design (times, generation names, the code
fingerprint). Two builds of the same sources by code that behaves the same
give the same lines.
"""
from __future__ import annotations

import argparse
import json
import sys
from itertools import zip_longest
from pathlib import Path

from whoosh import index as whoosh_index

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index import schema as f  # noqa: E402
from index.store import generations  # noqa: E402

#: Side files of a generation compared, and the keys in them that change with every build.
SIDE_FILES = ("sources.json", "vocabulary.json", "stories.json", "story-vectors.json")
VARYING = {"fingerprint", "built_at", "generation", "seconds"}


def _plain(value):
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in VARYING}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def lines(generation: Path):
    """The canonical lines of one generation's content."""
    ix = whoosh_index.open_dir(str(generation))
    with ix.reader() as reader:
        ids = {docnum: fields[f.ID] for docnum, fields in reader.iter_docs()}
        scorable = [name for name, field in ix.schema.items() if field.scorable]
        columns = [name for name in ix.schema.names() if reader.has_column(name)]
        column_readers = {name: reader.column_reader(name, translate=False) for name in columns}
        # A missing field's length reads as None or 0, as the segment the document landed in (which
        # depends on how the workers shared the work) has the field or not: both are 0 here.
        for docnum in sorted(ids, key=ids.get):
            yield json.dumps({"doc": ids[docnum], "stored": _plain(reader.stored_fields(docnum)),
                              "lengths": {n: reader.doc_field_length(docnum, n) or 0 for n in scorable},
                              "columns": {n: _plain(c[docnum]) for n, c in column_readers.items()}},
                             sort_keys=True, ensure_ascii=False)
        for field in sorted(reader.indexed_field_names()):
            for term in reader.lexicon(field):
                matcher = reader.postings(field, term)
                postings = []
                while matcher.is_active():
                    postings.append((ids[matcher.id()], matcher.weight(), _plain(matcher.value())))
                    matcher.next()
                if postings:  # a term left only in deleted documents is not content
                    yield json.dumps({"field": field, "term": term.hex(), "postings": sorted(postings)},
                                     ensure_ascii=False)
    for name in SIDE_FILES:
        path = generation / name
        if path.exists():
            yield json.dumps({"file": name, "content": _plain(json.loads(path.read_text("utf-8")))},
                             sort_keys=True, ensure_ascii=False)


def generation_of(path: Path) -> Path:
    """An index directory's live generation, or ``path`` itself when it is a generation."""
    return generations.live_generation(path) if (path / generations.CURRENT).exists() else path


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("index", type=Path, nargs="+", help="an index directory or a generation (two with --compare)")
    p.add_argument("--compare", action="store_true", help="compare two indexes; exit 1 when they differ")
    args = p.parse_args(argv)
    if not args.compare:
        for index in args.index:
            for line in lines(generation_of(index)):
                print(line)
        return 0
    if len(args.index) != 2:
        p.error("--compare takes two indexes")
    a, b = (lines(generation_of(i)) for i in args.index)
    count = 0
    for count, (left, right) in enumerate(zip_longest(a, b, fillvalue="(no more lines)"), 1):
        if left != right:
            print(f"differ at line {count}:\n< {left[:500]}\n> {right[:500]}")
            return 1
    print(f"same: {count} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())

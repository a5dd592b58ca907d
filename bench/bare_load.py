"""The reference point of bench/rebuild.py: a bare Whoosh load of the same feed, no cleaning.

    .venv/bin/python bench/bare_load.py FEED INDEX_DIR

What issue 4 calls "a bare Whoosh load of the same feed with ``procs=2,
multisegment=True``" (about 900 articles/s on these machines): each feed line's
id, outlet, section, title and text go into a plain schema — IDs, and title
and body as stored TEXT with Whoosh's StemmingAnalyzer — through Whoosh's own
multiprocessing writer. No cleaning, no character offsets, no facets, no
generations. Run as a subprocess by bench/rebuild.py, timed the same way as
Lede's rebuild, so the two rates can be compared within one run.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer


def main(feed: Path, index_dir: Path) -> int:
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), outlet=fields.ID(stored=True),
                           section=fields.ID(stored=True),
                           title=fields.TEXT(stored=True, analyzer=StemmingAnalyzer()),
                           body=fields.TEXT(stored=True, analyzer=StemmingAnalyzer()))
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), schema)
    procs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    writer = ix.writer(procs=procs, multisegment=True, limitmb=256)
    count = 0
    with open(feed, encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            writer.add_document(id=str(item["id"]), outlet=item.get("outlet") or "unknown",
                                section=item.get("section") or "unknown", title=item.get("title") or "",
                                body=item.get("text") or item.get("html") or "")
            count += 1
    writer.commit()
    print(json.dumps({"documents": count}))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))

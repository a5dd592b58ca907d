"""``python -m index``: rebuild, clean. A thin layer over the library: parse, call, report."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import build, generations
from .clean import clean
from .read import ReadError, find_sources, read_source

DEFAULT_INDEX_DIR = "var/index"


def default_index_dir() -> Path:
    return Path(os.environ.get("LEDE_INDEX_DIR") or DEFAULT_INDEX_DIR)


def cmd_rebuild(args) -> int:
    sources = args.source or build.DEFAULT_SOURCES
    try:
        summary = build.rebuild(sources, args.index_dir)
    except ReadError as exc:
        print(f"error: {exc.path}: {exc.reason}", file=sys.stderr)
        return 1
    print(f"indexed {summary.indexed} articles into {args.index_dir}/{summary.generation} "
          f"in {summary.seconds:.2f}s")
    for outlet, count in sorted(summary.per_outlet.items()):
        print(f"  {outlet}: {count}")
    for reason, count in sorted(summary.removed_by_reason.items()):
        print(f"  removed {count} × {reason}")
    for path, reason in summary.skipped:
        print(f"skipped {path}: {reason}")
    return 0


def cmd_clean(args) -> int:
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            items = list(read_source(path.parent, path)) if path.exists() else [ReadError(name, "no such file")]
        except ReadError as exc:
            items = [exc]
        for item in items:
            if isinstance(item, ReadError):
                print(f"error: {item.path}: {item.reason}", file=sys.stderr)
                status = 1
                continue
            article = clean(item)
            if args.json:
                print(json.dumps(article.to_json(), ensure_ascii=False))
            else:
                print(f"== {article.source}: {article.title}")
                for p in article.paragraphs:
                    print(f"  [{p.kind}] {p.text}")
                for r in article.removed:
                    print(f"  REMOVED ({r.reason}) {r.text}")
    return status


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m index", description="Build and inspect Lede's search index.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("rebuild", help="build a new index generation from the sources and make it live")
    r.add_argument("--source", action="append", type=Path, metavar="PATH",
                   help="a file or directory to index (repeatable; default: seeds/)")
    r.add_argument("--index-dir", type=Path, default=default_index_dir(), metavar="DIR",
                   help=f"where the index lives (default: $LEDE_INDEX_DIR or {DEFAULT_INDEX_DIR})")
    r.set_defaults(func=cmd_rebuild)
    c = sub.add_parser("clean", help="show what the cleaner keeps and removes")
    c.add_argument("files", nargs="+", metavar="FILE")
    c.add_argument("--json", action="store_true", help="one JSON object per article, one per line")
    c.set_defaults(func=cmd_clean)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)

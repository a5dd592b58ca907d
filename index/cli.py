"""``python -m index``: rebuild, clean, status, rollback. A thin layer over the library: parse, call, report."""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

from .store import build, generations
from .extract import fetch, sourcefile
from . import report, status
from .progress import Progress, for_stream
from .extract.clean import clean
from .extract.read import ReadError, read_source


def default_index_dir() -> Path:
    return Path(os.environ.get("LEDE_INDEX_DIR") or generations.DEFAULT_INDEX_DIR)


def choose_sources(args) -> tuple[list, dict, str]:
    """The sources a rebuild uses, their ``[fetch]`` settings, and where they came from.

    ``--source`` first; else the sources file (``--sources-file``,
    ``$LEDE_SOURCES_FILE`` or ``./lede.toml``); else the sources the live
    index was built from; else — only when there is no live index — seeds/.
    Raises SourcesFileError, or NoRecordedSources.
    """
    named = args.sources_file or os.environ.get("LEDE_SOURCES_FILE") or ""
    file = Path(named) if named else Path(sourcefile.DEFAULT_FILE)
    listed, table = sourcefile.load(file) if (named or file.is_file()) else ([], {})
    if args.source:
        return [sourcefile.source_of(s) for s in args.source], table, "--source"
    if listed:
        return listed, table, f"the sources file {file}"
    try:
        info = generations.build_info(args.index_dir)
    except generations.NoIndex:
        return [sourcefile.source_of(s) for s in build.DEFAULT_SOURCES], table, \
            "seeds/ (no live index, no --source, no sources file)"
    recorded = [sourcefile.Source.from_json(s) for s in info.get("specs") or info.get("sources") or []]
    if not recorded:
        raise NoRecordedSources(f"the live index at {args.index_dir} records no sources — name them with "
                                f"--source or in a sources file ({sourcefile.DEFAULT_FILE})")
    return recorded, table, f"the {len(recorded)} sources the live index was built from"


class NoRecordedSources(Exception):
    """A rebuild without sources over a live index that does not say what it was built from."""


def cmd_rebuild(args) -> int:
    progress = Progress() if args.quiet else for_stream(sys.stderr)
    try:
        sources, table, origin = choose_sources(args)
        settings = fetch.FetchSettings.from_env(table)
        if args.extractor:  # the command line's choice, over the sources file's
            sources = [replace(s, extractor=args.extractor) for s in sources]
    except (sourcefile.SourcesFileError, NoRecordedSources, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet and not args.source:  # say where the sources came from when nobody named them
        print(f"rebuild: sources from {origin}", file=sys.stderr)
    if args.backend == "xapian":
        from .shards.command import rebuild_shards

        return rebuild_shards(args, sources)
    if args.scheduler:
        print("error: --scheduler runs the Xapian shard rebuild (--backend xapian)", file=sys.stderr)
        return 2
    def run():
        try:
            return build.rebuild(sources, args.index_dir, full=args.full, jobs=args.jobs, progress=progress,
                                 fetch=settings, allow_removal=args.allow_removal)
        except build.BuildFailed as exc:
            if exc.summary is not None and not args.json:
                for path, reason in exc.summary.skipped:
                    print(f"skipped {path}: {reason}")
            raise

    return report.finish(run, (build.BuildFailed, generations.GenerationError, sourcefile.SourcesFileError),
                         "the live index is", args.json, lambda summary: report.render(summary, args.index_dir))


def cmd_status(args) -> int:
    try:
        st = status.status(args.index_dir)
    except generations.NoIndex as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(st, ensure_ascii=False) if args.json else status.render(st))
    return 0


def cmd_rollback(args) -> int:
    try:
        was, now = generations.rollback(args.index_dir)
    except generations.GenerationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"rolled back {args.index_dir}: {now} is live again (was {was}; "
          "`python -m index rollback` again to undo)")
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
                print(f"error: {item.where}: {item.reason}", file=sys.stderr)
                status = 1
                continue
            article = clean(replace(item, meta={**item.meta, "extractor": args.extractor}))
            if args.json:
                print(json.dumps(article.to_json(), ensure_ascii=False))
                continue
            print(f"== {article.source} (id {article.id})")
            print(f"   title: {article.title or '(none)'}")
            print(f"   outlet: {article.outlet} · section: {article.section} · published: {article.published or 'unknown'}")
            for label, values in (("byline", [article.byline] if article.byline else []),
                                  ("contributors", article.contributors), ("credits", article.credits)):
                if values:
                    print(f"   {label}: {'; '.join(values)}")
            print(f"   kept {len(article.paragraphs)} paragraphs:")
            for p in article.paragraphs:
                print(f"  [{p.kind}] {p.text}")
            print(f"   removed {len(article.removed)}:")
            for r in article.removed:
                print(f"  REMOVED ({r.reason}) {r.text}")
            print()
    return status


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m index", description="Build and inspect Lede's search index.")
    sub = p.add_subparsers(dest="command", required=True)

    def index_dir_option(cmd):
        cmd.add_argument("--index-dir", type=Path, default=default_index_dir(), metavar="DIR",
                         help=f"where the index lives (default: $LEDE_INDEX_DIR or {generations.DEFAULT_INDEX_DIR})")

    r = sub.add_parser("rebuild", help="bring the index up to date with the sources in a new generation, "
                                       "and make it live")
    r.add_argument("--source", action="append", metavar="PATH|URL",
                   help="a file, folder, .warc(.gz), or http(s) URL of a feed, sitemap or article to index "
                        "(repeatable; default: the sources file, else the live index's sources, "
                        "else seeds/ when there is no index yet)")
    r.add_argument("--sources-file", type=Path, metavar="FILE",
                   help=f"the sources file (default: $LEDE_SOURCES_FILE or ./{sourcefile.DEFAULT_FILE} if present)")
    r.add_argument("--allow-removal", action="store_true",
                   help="let a rebuild remove most of the live index because its sources are no longer given")
    index_dir_option(r)
    r.add_argument("--full", action="store_true",
                   help="clean and index every source again, not only the ones that changed")
    r.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                   help="worker processes that clean and index (default: one per core; 1 = in this process)")
    r.add_argument("--extractor", choices=sourcefile.EXTRACTORS, default=None,
                   help="how HTML pages find their article text, for every source of this rebuild: full "
                        "(trafilatura: the best F1) or fast (Resiliparse: more pages/s, less F1); default: "
                        "each source's own (lede.toml's extractor), else full")
    r.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    r.add_argument("--quiet", action="store_true", help="no progress output on stderr")
    r.add_argument("--backend", choices=("whoosh", "xapian"), default="whoosh",
                   help="whoosh: the embedded index (default); xapian: shard databases for xapian-tcpsrv "
                        "under INDEX_DIR/xapian (README, \"Scaling out\")")
    r.add_argument("--shards", type=shard_count, default=3, metavar="N",
                   help="with --backend xapian: how many shards (default: 3)")
    r.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="with --backend xapian: clean on this Dask cluster (default: here)")
    r.set_defaults(func=cmd_rebuild)
    c = sub.add_parser("clean", help="show what the cleaner keeps and removes")
    c.add_argument("files", nargs="+", metavar="FILE")
    c.add_argument("--json", action="store_true", help="one JSON object per article, one per line")
    c.add_argument("--extractor", choices=sourcefile.EXTRACTORS, default=sourcefile.EXTRACTORS[0],
                   help="how HTML pages find their article text: full (default) or fast")
    c.set_defaults(func=cmd_clean)
    st = sub.add_parser("status", help="the live generation: when built, documents per outlet and section, sources")
    index_dir_option(st)
    st.add_argument("--json", action="store_true", help="print the status as one JSON object")
    st.set_defaults(func=cmd_status)
    rb = sub.add_parser("rollback", help="make the previous generation live again")
    index_dir_option(rb)
    rb.set_defaults(func=cmd_rollback)
    return p


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"--jobs must be a positive integer, not {value!r}")
    return number


def shard_count(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise argparse.ArgumentTypeError(f"--shards must be a positive integer, not {value!r}")
    return int(value)


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)

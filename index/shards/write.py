"""Writing Xapian shards: the same cleaned Articles as the Whoosh rebuild, spread over N shard databases.

Stages: find and read the sources (read.py, as the Whoosh rebuild does) → clean each raw article
(clean.py), or take it unchanged from the live generation when its source digest (sources.item_hash)
is the one it was cleaned from → fold identical articles and refuse repeated ids (the first in source
order wins, as in build.py) → put near-duplicates into copy groups (index/fingerprint.py's grouping, in
id order) → write every article into the shard a stable hash of its id names (layout.py) → switch.

Atomicity: a rebuild writes a complete new generation, one database per shard, in
``<index>/xapian/gen-NNNNNN/shard-KK``, and then makes it live by replacing one symlink,
``<index>/xapian/live`` → ``gen-NNNNNN``, with ``rename(2)``. The shard servers serve the stable paths
``<index>/xapian/live/shard-KK``; ``xapian-tcpsrv`` opens its databases per connection, so every new
connection after the switch reads the new generation on every shard, and a connection opened before
keeps reading the old one, whose files stay until a later rebuild prunes it (the previous generation
is kept). A rebuild that fails or is killed leaves the live symlink as it was: the old state serves.

Incremental as far as cleaning goes: unchanged articles are not cleaned again (cleaning is most of a
rebuild's time). The shards themselves are always written whole — copy groups depend on the whole
collection, and a fresh database per generation is what makes the switch atomic.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.store import generations
from index.article import Article
from index.extract.clean import clean
from index import fingerprint
from index.extract.read import ReadError, find_sources, read_source
from index.extract.sourcefile import Overrides, Source, source_of
from index.store.sources import item_hash, text_key

from . import layout

SHARD_DIR = "xapian"  # under the index directory
LIVE = "live"  # the symlink naming the live generation
GENERATION_PREFIX = "gen-"
INFO = "INFO.json"


class ShardWriteFailed(Exception):
    """No new shard generation was made live; the live one, if any, still serves."""


@dataclass
class ShardSummary:
    generation: str = ""
    shards: int = 0
    documents: int = 0
    cleaned: int = 0  # articles cleaned in this rebuild
    reused: int = 0  # articles taken unchanged from the live generation
    folded: int = 0
    skipped: list = field(default_factory=list)  # (where, reason)
    per_shard: list = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {**self.__dict__, "skipped": [list(s) for s in self.skipped]}


def shard_root(index_dir: Path) -> Path:
    return Path(index_dir) / SHARD_DIR


def live_generation(index_dir: Path) -> Path | None:
    """The live shard generation's directory, or None before the first shard rebuild."""
    link = shard_root(index_dir) / LIVE
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def shard_paths(index_dir: Path, shards: int) -> list[Path]:
    """The stable paths ``xapian-tcpsrv`` serves, one per shard (through the live symlink)."""
    return [shard_root(index_dir) / LIVE / shard_name(k) for k in range(shards)]


def shard_name(k: int) -> str:
    return f"shard-{k:02d}"


def rebuild(sources: list, index_dir: Path, shards: int, *, full: bool = False, clean_all=None,
            jobs: int = 1) -> ShardSummary:
    """Write every article of ``sources`` into ``shards`` new shard databases and make them live.

    ``clean_all(raws) → [Article]`` cleans a list of raw articles (default: here, in order; the Dask
    path passes one that cleans on a cluster, cluster.py). ``full``: clean every article again.
    ``jobs``: shards written at once, each in a process of its own.
    Raises ShardWriteFailed (the live generation unchanged), or generations.RebuildRunning.
    """
    started = time.monotonic()
    index_dir = Path(index_dir)
    specs = [s if isinstance(s, Source) else source_of(s) for s in sources]
    if any(s.is_url for s in specs):
        raise ShardWriteFailed("the Xapian shard writer reads files and folders only; fetch URL sources "
                               "with a Whoosh rebuild first and name the archives it wrote")
    roots = [Path(s.location) for s in specs]
    overrides = Overrides(specs, roots)
    summary = ShardSummary(shards=shards)
    with generations.exclusive(index_dir):
        raws = _read(roots, overrides, summary)
        previous = {} if full else _previous_articles(index_dir)
        articles = _clean(raws, previous, clean_all or _clean_here, summary)
        if not articles:
            raise ShardWriteFailed("no article could be indexed from the sources — the live shards are unchanged")
        copies = copy_groups(articles)
        root = shard_root(index_dir)
        root.mkdir(parents=True, exist_ok=True)
        target = _new_generation(root)
        try:
            summary.per_shard = write_shards(target, articles, copies, shards, jobs)
            summary.generation, summary.documents = target.name, len(articles)
            generations.write_json(target / INFO, {"generation": target.name, "shards": shards,
                                                   "documents": len(articles),
                                                   "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
            _switch(root, target)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        _prune(root)
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


def _read(roots: list[Path], overrides: Overrides, summary: ShardSummary) -> list[tuple[object, str]]:
    """Every raw article of the sources, with its digest, in source order."""
    try:
        found = find_sources(roots)
    except ReadError as exc:
        raise ShardWriteFailed(f"{exc.where}: {exc.reason} — check the --source paths") from None
    raws = []
    for root, path in found:
        extra = overrides.of(path)
        for raw in read_source(root, path):
            if isinstance(raw, ReadError):
                summary.skipped.append((raw.where, raw.reason))
                continue
            if extra:
                raw = replace(raw, meta={**raw.meta, **extra})
            raws.append((raw, item_hash(raw)))
    return raws


def _clean_here(raws: list) -> list[Article]:
    return [clean(raw) for raw in raws]


def _clean(raws, previous: dict, clean_all, summary: ShardSummary) -> list[tuple[Article, str]]:
    """(Article, digest) per article to index: unchanged ones from ``previous`` (id → (digest, Article)),
    the rest cleaned; identical texts folded into the first, repeated ids skipped."""
    todo = [(i, raw) for i, (raw, digest) in enumerate(raws)
            if previous.get(raw.id, ("",))[0] != digest]
    cleaned = dict(zip((i for i, _ in todo), clean_all([raw for _, raw in todo])))
    summary.cleaned, summary.reused = len(todo), len(raws) - len(todo)
    taken_ids: set[str] = set()
    taken_keys: set[str] = set()
    kept = []
    for i, (raw, digest) in enumerate(raws):
        article = cleaned[i] if i in cleaned else previous[raw.id][1]
        if article.id in taken_ids:
            summary.skipped.append((raw.source, f"duplicate id {article.id!r}"))
            continue
        key = text_key(article)
        if key in taken_keys:
            summary.folded += 1
            continue
        taken_ids.add(article.id)
        taken_keys.add(key)
        kept.append((article, digest))
    return kept


def _previous_articles(index_dir: Path) -> dict[str, tuple[str, Article]]:
    """id → (digest, Article) of the live generation, read from its local shard directories."""
    import xapian

    live = live_generation(index_dir)
    if live is None:
        return {}
    found = {}
    for path in sorted(live.glob("shard-*")):
        db = xapian.Database(str(path))
        try:
            for post in db.postlist(""):
                stored = json.loads(db.get_document(post.docid).get_data())
                article = Article.from_json(stored["article"])
                found[article.id] = (stored.get("hash", ""), article)
        finally:
            db.close()
    return found


def copy_groups(articles: list[tuple[Article, str]]) -> dict[str, str]:
    """article id → the id of its copy group's first article, grouped as the Whoosh backend groups
    (fingerprint.copy_groups over the body sketches, as search/collapse.py groups), in id order."""
    ordered = sorted(a.id for a, _ in articles)
    body = {a.id: a.text("body", "subhead", "list") for a, _ in articles}
    of, _ = fingerprint.copy_groups([fingerprint.sketch(body[i]) for i in ordered])
    return {i: ordered[of[d]] for d, i in enumerate(ordered)}


def write_shards(target: Path, articles, copies: dict[str, str], shards: int, jobs: int = 1) -> list[int]:
    """Write each article into its shard under ``target``, ``jobs`` shards at a time (each in a process
    of its own: a shard's analysis and Xapian's inverter are most of a rebuild); returns the documents
    per shard."""
    per_shard: list[list] = [[] for _ in range(shards)]
    for article, digest in sorted(articles, key=lambda ad: ad[0].id):
        per_shard[layout.shard_of(article.id, shards)].append((article, digest, copies[article.id]))
    built = str(time.time())
    pool = ProcessPoolExecutor(min(jobs, shards)) if jobs > 1 and shards > 1 else None
    run = pool.map if pool is not None else map
    try:
        # Every field's average length over the whole collection first (BM25F's, layout.py), one
        # shard's articles per task; then the shards, written with it.
        totals = Counter()
        for counted in run(field_totals, per_shard):
            totals.update(counted)
        averages = {name: n / len(articles) for name, n in totals.items()}
        tasks = [(str(target / shard_name(k)), per_shard[k], target.name, k, shards, built, averages)
                 for k in range(shards)]
        list(run(write_shard, *zip(*tasks)))
    finally:
        if pool is not None:
            pool.shutdown()
    return [len(items) for items in per_shard]


def field_totals(items: list) -> Counter:
    """The summed length of each searched field over one shard's (Article, digest, copy group) items."""
    totals = Counter()
    for article, digest, _ in items:
        totals.update(layout.field_lengths(article, digest))
    return totals


def write_shard(path: str, items: list, generation: str, k: int, shards: int, built: str,
                averages: dict) -> None:
    """One shard's database at ``path``: ``items`` as (Article, digest, copy group) and the metadata."""
    import xapian

    db = xapian.WritableDatabase(path, xapian.DB_CREATE)
    try:
        for article, digest, copy_of in items:
            db.add_document(layout.to_xapian(article, digest, copy_of, xapian, averages))
        for key, value in ((layout.GENERATION_KEY, generation), (layout.SHARD_KEY, str(k)),
                           (layout.SHARDS_KEY, str(shards)), (layout.BUILT_KEY, built)):
            db.set_metadata(key, value)
        db.commit()
    finally:
        db.close()


def _new_generation(root: Path) -> Path:
    numbers = [int(p.name[len(GENERATION_PREFIX):]) for p in root.glob(GENERATION_PREFIX + "*")
               if p.name[len(GENERATION_PREFIX):].isdigit()]
    target = root / f"{GENERATION_PREFIX}{max(numbers, default=0) + 1:06d}"
    target.mkdir()
    return target


def _switch(root: Path, target: Path) -> None:
    """Point ``live`` at ``target`` in one rename: every shard's stable path changes at once."""
    temporary = root / f".{LIVE}.{os.getpid()}"
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(target.name, temporary)
    os.replace(temporary, root / LIVE)
    generations.fsync_dir(root)


KEEP = 2  # generations kept: the live one and the one before (connections opened before the switch read it)


def _prune(root: Path) -> None:
    live = (root / LIVE).resolve().name
    done = sorted(p for p in root.glob(GENERATION_PREFIX + "*") if (p / INFO).is_file())
    unfinished = [p for p in root.glob(GENERATION_PREFIX + "*") if not (p / INFO).is_file()]
    for old in [p for p in done[:-KEEP] if p.name != live] + unfinished:
        shutil.rmtree(old, ignore_errors=True)

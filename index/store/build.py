"""Rebuild: bring the index up to date with the sources in a new generation, made live atomically.

Stages: plan what changed since the live generation (sources.py) → start the
new generation as a hardlinked copy of the live one, or empty for a full
rebuild → read the changed sources here while worker processes clean and
index them (workers.py) → fold identical articles, drop stale documents →
count the did-you-mean words (vocabulary.py) → commit → group stories (stories.py) → make live (generations.py). The live generation is never written
to; it keeps serving until the switch, and stays intact if the rebuild fails
or is killed at any point.
"""
from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from . import generations, vocabulary
from ..extract import ingest
from .. import stories
from .. import schema as f
from ..progress import Progress
from ..extract.read import ReadError, find_sources, read_source
from ..extract.clean import clean
from .document import to_document
from ..report import Summary
from ..extract.sourcefile import Overrides, Source, SourcesFileError, source_of
from ..schema import build_schema
from .sources import Inventory, Item, Plan, SourceRecord, item_hash, pipeline_fingerprint, plan
from .workers import InProcess, Workers, WorkerFailed

DEFAULT_SOURCES = [Path("seeds")]
#: Raw articles per batch handed to a worker (small enough to balance two workers at the end).
BATCH = 50
#: Fewer articles to clean than this are done in this process: each worker's segment has a
#: fixed cost (writing every term's postings) that a handful of articles never earns back.
PARALLEL_FROM = 200


class BuildFailed(Exception):
    """No new generation could be made live; the live one, if any, still serves.

    ``summary`` holds what was learnt before failing (skipped sources), when anything was.
    """

    def __init__(self, message: str, summary: Summary | None = None):
        super().__init__(message)
        self.summary = summary


def unwritable(generation: Path, exc: OSError) -> BuildFailed:
    return BuildFailed(f"could not write the new generation {generation}: {exc.strerror or exc} — "
                       "free some space (or fix the permissions) and rebuild; the live index is unchanged")


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def rebuild(sources: list, index_dir: Path, *, full: bool = False, jobs: int | None = None,
            progress: Progress | None = None, fetch=None, allow_removal: bool = False) -> Summary:
    """Bring the index at ``index_dir`` up to date with ``sources`` and make the result live.

    ``sources``: paths, URLs or sourcefile.Source values. URL sources are
    fetched first (ingest.py, with ``fetch`` settings) into WARC archives
    beside the index, which are then read like files. Incremental unless
    ``full``: unchanged sources are not read, changed ones re-indexed, vanished
    ones removed; when nothing changed no generation is made and the summary
    says so. Raises BuildFailed (the live generation unchanged and serving) —
    also when the sources given would remove most of the live index and not
    ``allow_removal`` — or generations.RebuildRunning.
    """
    started = time.monotonic()
    progress = progress or Progress()
    index_dir = Path(index_dir)
    try:
        specs = [s if isinstance(s, Source) else source_of(s) for s in sources]
    except SourcesFileError as exc:
        raise BuildFailed(f"{exc} — the live index is unchanged") from None
    with generations.exclusive(index_dir) as lock_fd:
        generations.prune(index_dir)  # unfinished generations of builds that died
        roots, fetched = ingest.roots_of(specs, index_dir, fetch, progress)
        overrides = Overrides(specs, roots)
        progress.phase(f"scanning {', '.join(map(str, roots))}")
        try:
            found = find_sources(roots)
        except ReadError as exc:
            raise BuildFailed(f"{exc.where}: {exc.reason} — check the --source paths; "
                              "the live index is unchanged") from None
        if not found:
            raise BuildFailed(f"no sources (.txt, .html, .html.gz, .jsonl) under "
                              f"{', '.join(map(str, roots))} — the live index is unchanged")
        live = _live_or_none(index_dir)
        fingerprint = pipeline_fingerprint()
        old = Inventory.load(live) if live else None
        why = _why_full(full, live, old, fingerprint)
        base = None if why else old
        if old is not None and not allow_removal:
            _refuse_mass_removal(roots, old, index_dir)
        todo = plan(found, base, overrides.digest)
        # A live generation built before stories existed gets them from a rebuild that changes nothing else.
        if base is not None and todo.nothing_changed and stories.load_entries(live) is not None:
            summary = unchanged_summary(base, live.name, len(found))
        else:
            if jobs is None:
                jobs = default_jobs() if sum(t.articles for t in todo.to_read) >= PARALLEL_FROM else 1
            build = Build(index_dir, roots, todo, base, live if base else None, fingerprint,
                          jobs, lock_fd, progress, started)
            build.summary.mode, build.summary.why = ("incremental", "") if base else ("full", why)
            build.summary.sources = len(found)
            build.specs, build.overrides = specs, overrides
            summary = build.run()
        ingest.prune_cache(index_dir)
    summary.fetched = fetched
    summary.seconds = time.monotonic() - started
    return summary


#: The share of the live index's articles a rebuild may drop because their sources are no
#: longer given, before it stops and asks for --allow-removal.
REMOVAL_GUARD = 0.5


def _refuse_mass_removal(roots: list[Path], old: Inventory, index_dir: Path) -> None:
    """BuildFailed when the sources given no longer include the sources of most live articles.

    Files deleted from a source that is still given are not counted: removing
    their articles is what a rebuild is for.
    """
    given = [os.path.abspath(r) for r in roots]
    total = sum(1 for _ in old.indexed())
    lost = {path: sum(1 for i in r.items if not i.folded_into) for path, r in old.sources.items()
            if not any(path == g or path.startswith(g.rstrip("/") + "/") for g in given)}
    removed = sum(lost.values())
    if total and removed > REMOVAL_GUARD * total:
        urls = {os.path.abspath(r["archive"]): url for url, r in ingest.load_reports(index_dir).items()}
        gone = sorted({urls.get(p) or os.path.dirname(p) for p in lost})
        raise BuildFailed(f"this rebuild would remove {removed} of the {total} live articles: their sources "
                          f"({', '.join(gone[:3])}{' …' if len(gone) > 3 else ''}) are not among the sources "
                          "given — the live index is unchanged; check --source (or the sources file), "
                          "or pass --allow-removal to remove them")


def _live_or_none(index_dir: Path) -> Path | None:
    try:
        return generations.live_generation(index_dir)
    except generations.NoIndex:
        return None


def _why_full(full: bool, live, old, fingerprint: str) -> str:
    if full:
        return "--full"
    if live is None:
        return "no live generation"
    if old is None:
        return "the live generation has no source inventory"
    if old.fingerprint != fingerprint:
        return "the reader, cleaner or schema changed since the live generation was built"
    return ""


def unchanged_summary(inventory: Inventory, generation: str, found: int) -> Summary:
    s = Summary(generation=generation, mode="unchanged", why="no source changed", sources=found)
    for item in inventory.indexed():
        s.per_outlet[item.outlet]["unchanged"] += 1
        s.per_outlet[item.outlet]["documents"] += 1
    s.documents = s.count("documents")
    s.skipped = inventory.skipped()
    return s


class Build:
    """One rebuild that writes a new generation; ``run`` returns its Summary once it is live."""

    specs: list = []  # the sources as given (sourcefile.Source), recorded in the build info
    overrides: Overrides | None = None  # per-source metadata from the sources file

    def __init__(self, index_dir, roots, todo: Plan, base: Inventory | None, live: Path | None,
                 fingerprint, jobs, lock_fd, progress, started):
        self.index_dir, self.roots, self.todo, self.base, self.live = index_dir, roots, todo, base, live
        self.fingerprint, self.jobs, self.lock_fd, self.progress = fingerprint, jobs, lock_fd, progress
        self.summary = Summary()
        self.started = started
        self.records: dict[str, SourceRecord] = {r.path: r for r in todo.unchanged}
        self.pending: dict[int, tuple[str, str, str]] = {}  # seq → (source key, where, raw hash)
        self.kept: list[tuple[Item, str]] = []  # unchanged articles of re-read sources, with their source
        self.outcomes = []
        self.raws: dict[int, object] = {}  # seq → RawArticle, until its outcome arrives
        self.held: dict[int, object] = {}  # seq → RawArticle a worker held back (Outcome.held)
        self.readd: list[tuple[object, str]] = []  # held articles to index after all: (raw, raw hash)

    def run(self) -> Summary:
        generation = generations.new_generation(self.index_dir)
        try:
            return self._run(generation)
        except BaseException:
            generations.discard(generation)
            raise

    def _run(self, generation: Path) -> Summary:
        s = self.summary
        if self.live is not None:
            generations.copy_generation(self.live, generation)
            ix = whoosh_index.open_dir(str(generation))
        else:
            ix = whoosh_index.create_in(str(generation), build_schema())
        self.progress.phase(f"reading {len(self.todo.to_read)} changed sources "
                            f"({len(self.todo.unchanged)} unchanged, {len(self.todo.vanished)} gone)")
        pipe = InProcess(generation) if self.jobs <= 1 else Workers(generation, self.jobs, self.lock_fd)
        try:
            self.progress.start(sum(t.articles for t in self.todo.to_read))
            self._feed(pipe)
            rest, segments = (pipe.finish(self._progressed) if isinstance(pipe, Workers)
                              else pipe.finish())
            self._progressed(rest)
        except WorkerFailed as exc:
            pipe.abort()
            raise BuildFailed(f"{exc} — the live index is unchanged") from None
        except OSError as exc:
            pipe.abort()
            raise unwritable(generation, exc) from None
        except BaseException:
            pipe.abort()
            raise
        finally:
            self.progress.close()
        losers, to_delete = self._decide()
        if s.documents == 0:
            raise BuildFailed("no article could be indexed from the sources — the live index is "
                              "unchanged; the skipped sources are listed above", s)
        self.progress.phase(f"committing {s.documents} documents")
        try:
            words = self._vocabulary(ix, segments, losers, to_delete)
            self._commit(ix, segments, losers, to_delete)
            vocabulary.save(generation, words)
            self._stories(ix, generation)
            Inventory(self.fingerprint, [os.path.abspath(r) for r in self.roots], self.records,
                      self.todo.manifests).save(generation)
            self.progress.phase(f"switching CURRENT to {generation.name}")
            s.generation, s.made_live = generation.name, True
            s.seconds = time.monotonic() - self.started
            generations.make_live(self.index_dir, generation, {
                "generation": generation.name,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "documents": s.documents,
                "sources": [os.path.abspath(r) for r in self.roots],
                "specs": [spec.to_json() for spec in self.specs],
                "summary": s.to_json(),
            })
        except OSError as exc:
            if generations.read_pointer(self.index_dir) == generation.name:
                raise  # it is live: only pruning the old ones failed
            raise unwritable(generation, exc) from None
        return s

    def _progressed(self, outcomes) -> None:
        self.outcomes.extend(outcomes)
        for o in outcomes:
            raw = self.raws.pop(o.seq, None)
            if o.held:
                self.held[o.seq] = raw
        if outcomes:
            self.progress.advance(len(outcomes))

    def _feed(self, pipe) -> None:
        """Read the changed sources; hand changed articles to the workers, keep the unchanged ones."""
        batch, seq = [], 0
        for todo in self.todo.to_read:
            old = self.base.sources.get(todo.key) if self.base else None
            old_items = {i.id: i for i in old.items if not i.folded_into} if old else {}
            record = self.records[todo.key] = SourceRecord(
                todo.key, todo.size, todo.mtime_ns, todo.hash, todo.manifest)
            self.summary.sources_read += 1
            kept = 0
            extra = self.overrides.of(todo.path) if self.overrides else {}
            for raw in read_source(todo.root, todo.path):
                if isinstance(raw, ReadError):
                    record.skipped.append((raw.where, raw.reason))
                    kept += 1
                    continue
                if extra:
                    raw = replace(raw, meta={**raw.meta, **extra})
                raw_hash = item_hash(raw)
                previous = old_items.get(raw.id)
                if previous is not None and previous.hash == raw_hash:
                    del old_items[raw.id]
                    record.items.append(previous)
                    self.kept.append((previous, todo.key))
                    kept += 1
                    continue
                self.pending[seq] = (todo.key, raw.source, raw_hash)
                self.raws[seq] = raw
                batch.append((seq, raw, raw_hash))
                seq += 1
                if len(batch) >= BATCH:
                    pipe.submit(batch)
                    batch = []
                    self._progressed(pipe.collect())
            if kept:
                self.progress.advance(kept)
        if batch:
            pipe.submit(batch)
        self.summary.sources_vanished = len(self.todo.vanished)

    def _decide(self):
        """Fold duplicates and refuse repeated ids; count everything. Returns (losers, ids to delete).

        Articles already in the live generation win over new ones; among new
        ones the first in source order wins.
        """
        s = self.summary
        taken_ids: dict[str, str] = {}  # id → the source it is indexed from
        taken_keys: dict[str, str] = {}  # text key → id
        for record in self.todo.unchanged:
            for item in record.items:
                if not item.folded_into:
                    taken_ids[item.id], taken_keys[item.key] = record.path, item.id
                    s.per_outlet[item.outlet]["unchanged"] += 1
        for item, source in self.kept:
            taken_ids[item.id], taken_keys[item.key] = source, item.id
            s.per_outlet[item.outlet]["unchanged"] += 1
        old_ids = {i.id: i for i in self.base.indexed()} if self.base else {}
        to_delete = set(old_ids) - set(taken_ids)
        losers = defaultdict(list)
        for o in sorted(self.outcomes, key=lambda o: o.seq):
            key, where, raw_hash = self.pending[o.seq]
            record = self.records[key]
            if o.error:
                record.skipped.append((where, o.error))
                continue
            s.cleaned += 1
            s.removed_by_reason.update(o.removed)
            if o.id in taken_ids:
                if not o.held:
                    losers[o.worker].append(o.docnum)
                record.skipped.append((where, f"duplicate id {o.id!r}: already indexed from {taken_ids[o.id]}"))
                continue
            if o.key in taken_keys:
                if not o.held:
                    losers[o.worker].append(o.docnum)
                record.items.append(Item(o.id, raw_hash, o.key, o.outlet, o.section, taken_keys[o.key]))
                s.folded.append((o.id, taken_keys[o.key]))
                s.per_outlet[o.outlet]["folded"] += 1
                continue
            if o.held:
                self.readd.append((self.held[o.seq], raw_hash))
            taken_ids[o.id], taken_keys[o.key] = where, o.id
            record.items.append(Item(o.id, raw_hash, o.key, o.outlet, o.section))
            s.per_outlet[o.outlet]["updated" if o.id in old_ids else "indexed"] += 1
        for gone in set(old_ids) - set(taken_ids):
            s.per_outlet[old_ids[gone].outlet]["removed"] += 1
        for counts in s.per_outlet.values():
            counts["documents"] = counts["unchanged"] + counts["indexed"] + counts["updated"]
        s.documents = len(taken_ids)
        s.skipped = [sk for r in self.records.values() for sk in r.skipped]
        return losers, to_delete

    def _vocabulary(self, ix, built: dict, losers: dict, to_delete: set) -> Counter:
        """The did-you-mean word counts of the new generation's documents (vocabulary.py).

        The live generation's counts, minus the documents deleted from it, plus
        the workers' counts, minus the new documents dropped (folded or a repeated
        id), plus those the parent indexes itself. Deleted and dropped documents'
        words are re-derived from their stored text. Call before ``_commit``
        (which deletes them).
        """
        words: Counter = Counter()
        if self.live is not None:
            old = vocabulary.load(self.live)
            with ix.reader() as reader:
                words.update(old if old is not None else vocabulary.count_reader(reader))
                for ident in to_delete:
                    docnum = next(iter(reader.postings(f.ID, ident.encode("utf-8")).all_ids()), None) \
                        if (f.ID, ident.encode("utf-8")) in reader else None
                    if docnum is not None:
                        words.subtract(vocabulary.words_of_stored(reader.stored_fields(docnum)))
        for worker, made in built.items():
            words.update(made.words)
            if made.segment is not None and losers.get(worker):
                reader = SegmentReader(ix.storage, ix.schema, made.segment)
                try:
                    for docnum in losers[worker]:
                        words.subtract(vocabulary.words_of_stored(reader.stored_fields(docnum)))
                finally:
                    reader.close()
        for raw, _ in self.readd:
            words.update(vocabulary.words_of(clean(raw)))
        return +words  # drops words no document holds any more

    def _stories(self, ix, generation: Path) -> None:
        """Place the new and changed articles into stories (stories.py) and save them in the generation."""
        self.progress.phase("grouping stories")
        changed = {o.id for o in self.outcomes if not o.error}
        with ix.reader() as reader:
            stories.save(generation, stories.group(reader, self.live, changed))

    def _commit(self, ix, segments: dict, losers: dict, to_delete: set) -> None:
        """Delete stale documents, add the workers' segments, write the table of contents.

        The steps of ``MpWriter._commit(multisegment=True)``, plus deletions in
        the new segments (folded duplicates, repeated ids) by document number.
        """
        writer = ix.writer()
        try:
            for ident in to_delete:
                writer.delete_by_term(f.ID, ident)
            for raw, raw_hash in self.readd:
                writer.add_document(**to_document(clean(raw), raw_hash))
            final = writer._merge_segments(None, None, None)
            for worker, made in sorted(segments.items()):
                segment = made.segment
                if segment is None:
                    continue
                for docnum in losers.get(worker, ()):
                    segment.delete_document(docnum)
                final.append(segment)
            if writer._added:
                final.append(writer._finalize_segment())
            else:
                writer._close_segment()
        except BaseException:
            try:
                writer.cancel()
            except OSError:
                pass  # the generation is discarded anyway
            raise
        live_docs = sum(seg.doc_count() for seg in final)
        if live_docs != self.summary.documents:
            writer.cancel()
            raise BuildFailed(f"internal error: the new generation would hold {live_docs} documents "
                              f"but {self.summary.documents} were decided — the live index is unchanged")
        writer._commit_toc(final)
        writer._finish()

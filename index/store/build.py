"""Rebuild: bring the index up to date with the sources in a new generation, made live atomically.

Stages: plan what changed since the live generation (sources.py) → start the
new generation as a hardlinked copy of the live one, or empty for a full
rebuild → read the changed sources here while the pipeline (workers.py, in
this process or in workers) cleans and indexes them → decide what becomes of
every article: folded, kept, removed (decide.py, pure) → count the
did-you-mean words (vocabulary.py) → commit (commit.py) → group stories
(stories.py) → make live (generations.py). The live generation is never
written to; it keeps serving until the switch, and stays intact if the
rebuild fails or is killed at any point.
"""
from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from . import generations, vocabulary, workers
from ..extract import ingest
from .. import stories
from .. import schema as f
from ..progress import Progress
from ..extract.read import ReadError, find_sources, read_source
from ..report import Summary
from ..extract.sourcefile import Overrides, Source, SourcesFileError, source_of
from ..schema import build_schema
from .commit import CountMismatch, commit
from .decide import Decision, Outcome, Pending, decide, mass_removal, unchanged_item, why_full
from .sources import Inventory, Item, Plan, SourceRecord, item_hash, pipeline_fingerprint, plan
from .workers import WorkerFailed

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


@dataclass(frozen=True)
class Job:
    """What one rebuild is to do, settled before it writes anything."""

    index_dir: Path
    roots: list[Path]
    specs: list[Source]  # the sources as given, recorded in the build info
    overrides: Overrides  # per-source metadata from the sources file
    todo: Plan  # the sources unchanged, to read, and vanished
    base: Inventory | None  # the live inventory an incremental rebuild starts from; None: full
    live: Path | None  # the live generation an incremental rebuild copies
    fingerprint: str
    why: str  # why the rebuild is full; "" when incremental
    found: int  # source files found


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
        why = why_full(full, live is not None, old, fingerprint)
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
            job = Job(index_dir, roots, specs, overrides, todo, base, live if base else None, fingerprint,
                      why, len(found))
            summary = Build(job, progress, started).run(jobs, lock_fd)
        ingest.prune_cache(index_dir)
    summary.fetched = fetched
    summary.seconds = time.monotonic() - started
    return summary


def _refuse_mass_removal(roots: list[Path], old: Inventory, index_dir: Path) -> None:
    """BuildFailed when the sources given no longer include the sources of most live articles."""
    removal = mass_removal(roots, old)
    if removal is not None:
        urls = {os.path.abspath(r["archive"]): url for url, r in ingest.load_reports(index_dir).items()}
        gone = sorted({urls.get(p) or os.path.dirname(p) for p in removal.sources})
        raise BuildFailed(f"this rebuild would remove {removal.removed} of the {removal.total} live articles: "
                          f"their sources ({', '.join(gone[:3])}{' …' if len(gone) > 3 else ''}) are not among "
                          "the sources given — the live index is unchanged; check --source (or the sources "
                          "file), or pass --allow-removal to remove them")


def _live_or_none(index_dir: Path) -> Path | None:
    try:
        return generations.live_generation(index_dir)
    except generations.NoIndex:
        return None


def unchanged_summary(inventory: Inventory, generation: str, found: int) -> Summary:
    s = Summary(generation=generation, mode="unchanged", why="no source changed", sources=found)
    for item in inventory.indexed():
        s.per_outlet[item.outlet]["unchanged"] += 1
        s.per_outlet[item.outlet]["documents"] += 1
    s.documents = s.count("documents")
    s.skipped = inventory.skipped()
    return s


class Build:
    """Carries out one Job in a new generation; ``run`` returns its Summary once it is live."""

    def __init__(self, job: Job, progress: Progress, started: float):
        self.job, self.progress, self.started = job, progress, started
        self.summary = Summary(mode="incremental" if job.base else "full", why=job.why, sources=job.found)
        self.records: dict[str, SourceRecord] = {r.path: r for r in job.todo.unchanged}
        self.pending: dict[int, Pending] = {}  # seq → where the article handed over came from
        self.kept: list[tuple[Item, str]] = []  # unchanged articles of re-read sources, with their source
        self.outcomes: list[Outcome] = []

    def run(self, jobs: int, lock_fd) -> Summary:
        generation = generations.new_generation(self.job.index_dir)
        try:
            return self._run(generation, jobs, lock_fd)
        except BaseException:
            generations.discard(generation)
            raise

    def _run(self, generation: Path, jobs: int, lock_fd) -> Summary:
        job, s = self.job, self.summary
        if job.live is not None:
            generations.copy_generation(job.live, generation)
            ix = whoosh_index.open_dir(str(generation))
        else:
            ix = whoosh_index.create_in(str(generation), build_schema())
        self.progress.phase(f"reading {len(job.todo.to_read)} changed sources "
                            f"({len(job.todo.unchanged)} unchanged, {len(job.todo.vanished)} gone)")
        pipe = workers.start(generation, jobs, lock_fd)
        try:
            self.progress.start(sum(t.articles for t in job.todo.to_read))
            self._feed(pipe)
            segments = pipe.finish(self._progressed)
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
        decision = decide(job.todo.unchanged, self.kept, self.outcomes, self.pending, job.base)
        self._record(decision)
        if s.documents == 0:
            raise BuildFailed("no article could be indexed from the sources — the live index is "
                              "unchanged; the skipped sources are listed above", s)
        self.progress.phase(f"committing {s.documents} documents")
        try:
            words = self._vocabulary(ix, segments, decision)
            try:
                commit(ix, segments, decision)
            except CountMismatch as exc:
                raise BuildFailed(f"internal error: {exc} — the live index is unchanged") from None
            vocabulary.save(generation, words)
            self._stories(ix, generation)
            Inventory(job.fingerprint, [os.path.abspath(r) for r in job.roots], self.records,
                      job.todo.manifests).save(generation)
            self.progress.phase(f"switching CURRENT to {generation.name}")
            s.generation, s.made_live = generation.name, True
            s.seconds = time.monotonic() - self.started
            generations.make_live(job.index_dir, generation, {
                "generation": generation.name,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "documents": s.documents,
                "sources": [os.path.abspath(r) for r in job.roots],
                "specs": [spec.to_json() for spec in job.specs],
                "summary": s.to_json(),
            })
        except OSError as exc:
            if generations.read_pointer(job.index_dir) == generation.name:
                raise  # it is live: only pruning the old ones failed
            raise unwritable(generation, exc) from None
        return s

    def _progressed(self, outcomes) -> None:
        self.outcomes.extend(outcomes)
        if outcomes:
            self.progress.advance(len(outcomes))

    def _feed(self, pipe: workers.Pipeline) -> None:
        """Read the changed sources; hand changed articles to the pipeline, keep the unchanged ones."""
        job = self.job
        batch, seq = [], 0
        for todo in job.todo.to_read:
            old = job.base.sources.get(todo.key) if job.base else None
            old_items = {i.id: i for i in old.items if not i.folded_into} if old else {}
            record = self.records[todo.key] = SourceRecord(
                todo.key, todo.size, todo.mtime_ns, todo.hash, todo.manifest)
            self.summary.sources_read += 1
            kept = 0
            extra = job.overrides.of(todo.path)
            for raw in read_source(todo.root, todo.path):
                if isinstance(raw, ReadError):
                    record.skipped.append((raw.where, raw.reason))
                    kept += 1
                    continue
                if extra:
                    raw = replace(raw, meta={**raw.meta, **extra})
                raw_hash = item_hash(raw)
                previous = unchanged_item(old_items, raw.id, raw_hash)
                if previous is not None:
                    record.items.append(previous)
                    self.kept.append((previous, todo.key))
                    kept += 1
                    continue
                self.pending[seq] = Pending(todo.key, raw.source, raw_hash)
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
        self.summary.sources_vanished = len(job.todo.vanished)

    def _record(self, decision: Decision) -> None:
        """Write the decision into the sources' records and the summary."""
        for key, items in decision.items.items():
            self.records[key].items.extend(items)
        for key, skipped in decision.skipped.items():
            self.records[key].skipped.extend(skipped)
        s = self.summary
        s.per_outlet = defaultdict(Counter, decision.per_outlet)
        s.removed_by_reason.update(decision.removed_by_reason)
        s.folded.extend(decision.folded)
        s.cleaned, s.documents = decision.cleaned, decision.documents
        s.skipped = [sk for r in self.records.values() for sk in r.skipped]

    def _vocabulary(self, ix, built: dict, decision: Decision) -> Counter:
        """The did-you-mean word counts of the new generation's documents (vocabulary.py).

        The live generation's counts, minus the documents deleted from it, plus
        the workers' counts, minus the new documents dropped (folded or a repeated
        id), plus the held articles the commit adds. Deleted and dropped documents'
        words are re-derived from their stored text. Call before ``commit``
        (which deletes them).
        """
        words: Counter = Counter()
        if self.job.live is not None:
            old = vocabulary.load(self.job.live)
            with ix.reader() as reader:
                words.update(old if old is not None else vocabulary.count_reader(reader))
                for ident in decision.delete:
                    docnum = next(iter(reader.postings(f.ID, ident.encode("utf-8")).all_ids()), None) \
                        if (f.ID, ident.encode("utf-8")) in reader else None
                    if docnum is not None:
                        words.subtract(vocabulary.words_of_stored(reader.stored_fields(docnum)))
        for worker, made in built.items():
            words.update(made.words)
            if made.segment is not None and decision.losers.get(worker):
                reader = SegmentReader(ix.storage, ix.schema, made.segment)
                try:
                    for docnum in decision.losers[worker]:
                        words.subtract(vocabulary.words_of_stored(reader.stored_fields(docnum)))
                finally:
                    reader.close()
        for article, _ in decision.readd:
            words.update(vocabulary.words_of(article))
        return +words  # drops words no document holds any more

    def _stories(self, ix, generation: Path) -> None:
        """Place the new and changed articles into stories (stories.py) and save them in the generation."""
        self.progress.phase("grouping stories")
        changed = {o.id for o in self.outcomes if not o.error}
        with ix.reader() as reader:
            stories.save(generation, stories.group(reader, self.job.live, changed))

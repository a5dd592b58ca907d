"""Indexing workers: each cleans raw articles and writes them into a Whoosh segment of its own.

Whoosh's own ``MpWriter`` parallelises analysis only; cleaning would still
run in the parent, and every document would be pickled twice. Here each
worker process runs the whole per-article pipeline (clean → document → add to
its own segment), so both cores share cleaning and analysis, and only raw
articles in and small per-article records out cross process boundaries.

The parent commits every worker's segment into the generation at once
(commit.py), the way ``MpWriter(multisegment=True)`` does.

Both ways of running — ``InProcess`` (``--jobs 1``) and ``Workers`` (one
process per job) — speak one protocol, ``Pipeline``: ``submit`` batches,
``collect`` the outcomes ready so far, ``finish`` for the segments, ``abort``
on failure. The build does not know which one it drives.

Workers die with the parent (``PR_SET_PDEATHSIG``, and a parent-pid check
as a fallback), and close their copy of the rebuild lock, so a killed rebuild
leaves neither orphans nor a held lock behind.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import signal
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from whoosh import index as whoosh_index

from ..extract.clean import clean
from .segment import FastSegmentWriter
from . import vocabulary
from .decide import Outcome
from .document import to_document
from .sources import text_key
from ..extract.triage import not_an_article

#: Segments are left as separate files, not assembled into one compound file (Whoosh's default):
#: Whoosh reads a compound file's parts by copying each into memory, so every web worker held a
#: private copy of the whole index (RSS grew by the index size when the searcher opened), and
#: assembling cost a copy of the segment. A truncated or garbled file is still caught when the
#: generation opens (search/integrity.py; tests/test_reliability_faults.py).
COMPOUND = False
#: Seconds a worker waits for work before checking that its parent is still alive.
PARENT_CHECK_S = 1.0
#: Seconds the parent waits for a worker's next message before checking the workers are alive.
WORKER_CHECK_S = 0.5


class WorkerFailed(Exception):
    """A worker process died or could not write its segment; the build cannot be completed."""


@dataclass(frozen=True, slots=True)
class Built:
    """What a worker made: its segment (None if it added nothing) and the did-you-mean word counts."""

    segment: object
    words: Counter


class SegmentBuilder:
    """Cleans articles and adds them to one new segment of the generation at ``generation``."""

    def __init__(self, generation: Path, worker: int = 0):
        ix = whoosh_index.open_dir(str(generation))
        # The writer counts the did-you-mean words of the articles added (vocabulary.py).
        self.writer = FastSegmentWriter(ix, compound=COMPOUND, count_words=vocabulary.FIELDS)
        self.worker = worker
        self.count = 0
        self.keys: set[str] = set()  # text keys of the articles added to this segment

    def add(self, batch) -> list[Outcome]:
        """``batch``: (seq, RawArticle, raw hash) triples."""
        out = []
        for seq, raw, raw_hash in batch:
            try:
                article = clean(raw)
                unfit = not_an_article(raw, article)
                if unfit:
                    out.append(Outcome(seq, raw.id, worker=self.worker, error=unfit))
                    continue
                document = to_document(article, raw_hash)
                key = text_key(article)
            except Exception as exc:  # noqa: BLE001 — a cleaner bug on one input skips that input, not the build
                out.append(Outcome(seq, raw.id, worker=self.worker,
                                   error=f"could not be cleaned ({type(exc).__name__}: {exc})"))
                continue
            if key in self.keys:
                out.append(Outcome(seq, article.id, key, article.outlet, article.section,
                                   tuple(r.reason for r in article.removed), self.worker, held=article))
                continue
            self.keys.add(key)
            self.writer.add_document(**document)
            out.append(Outcome(seq, article.id, key, article.outlet, article.section,
                               tuple(r.reason for r in article.removed), self.worker, self.count))
            self.count += 1
        return out

    def finish(self) -> "Built":
        """The finished segment (None when nothing was added) and the words of its documents."""
        return Built(self.writer.finish_segment(), self.writer.words)

    def cancel(self) -> None:
        self.writer.abandon()


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (best effort elsewhere)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_main(worker, generation, tasks, results, close_fd, parent_pid):
    if close_fd is not None:
        os.close(close_fd)
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    try:
        builder = SegmentBuilder(generation, worker)
        while True:
            try:
                batch = tasks.get(timeout=PARENT_CHECK_S)
            except queue.Empty:
                if os.getppid() != parent_pid:
                    os._exit(1)
                continue
            if batch is None:
                break
            results.put(("batch", worker, builder.add(batch)))
        results.put(("done", worker, builder.finish()))
    except OSError as exc:  # a full disk, a vanished directory: raised again in the parent
        results.put(("oserror", worker, (exc.errno, exc.strerror or str(exc))))
    except BaseException as exc:  # noqa: BLE001 — reported to the parent, which fails the build
        traceback.print_exc()
        results.put(("failed", worker, f"{type(exc).__name__}: {exc}"))


#: What a pipeline calls back with the outcomes that arrive while it finishes.
OnOutcomes = Callable[[list[Outcome]], None]


class Pipeline(Protocol):
    """How the build drives the cleaning and indexing of raw articles, in this process or in workers."""

    def submit(self, batch) -> None:
        """Hand over (seq, RawArticle, raw hash) triples; may wait while the workers are busy."""

    def collect(self) -> list[Outcome]:
        """The outcomes ready since the last call, without waiting."""

    def finish(self, on_outcomes: OnOutcomes) -> dict[int, Built]:
        """Wait for every outcome (each handed to ``on_outcomes``); the segments by worker."""

    def abort(self) -> None:
        """Stop, best effort: the generation is deleted next."""


def start(generation: Path, jobs: int, close_fd: int | None = None) -> Pipeline:
    """The pipeline for ``jobs`` workers: this process for one, worker processes for more."""
    return InProcess(generation) if jobs <= 1 else Workers(generation, jobs, close_fd)


class InProcess:
    """The Pipeline in this process (``--jobs 1``, and for profiling)."""

    def __init__(self, generation: Path):
        self.builder = SegmentBuilder(generation)
        self.ready: list[Outcome] = []

    def submit(self, batch) -> None:
        self.ready.extend(self.builder.add(batch))

    def collect(self) -> list[Outcome]:
        ready, self.ready = self.ready, []
        return ready

    def finish(self, on_outcomes: OnOutcomes) -> dict[int, Built]:
        on_outcomes(self.collect())
        return {0: self.builder.finish()}

    def abort(self) -> None:
        try:
            self.builder.cancel()
        except OSError:
            pass


class Workers:
    """The Pipeline as ``jobs`` worker processes fed batches of raw articles through a bounded queue."""

    def __init__(self, generation: Path, jobs: int, close_fd: int | None = None):
        ctx = multiprocessing.get_context("fork")
        self.tasks = ctx.Queue(maxsize=jobs * 3)
        self.results = ctx.Queue()
        self.ready: list[Outcome] = []
        self.segments: dict[int, object] = {}
        self.procs = [
            ctx.Process(target=_worker_main, name=f"lede-index-{n}", daemon=True,
                        args=(n, str(generation), self.tasks, self.results, close_fd, os.getpid()))
            for n in range(jobs)
        ]
        for proc in self.procs:
            proc.start()

    def submit(self, batch) -> None:
        while True:
            try:
                self.tasks.put(batch, timeout=WORKER_CHECK_S)
                return
            except queue.Full:
                self._receive(block=True)

    def collect(self) -> list[Outcome]:
        self._receive(block=False)
        ready, self.ready = self.ready, []
        return ready

    def finish(self, on_outcomes: OnOutcomes) -> dict[int, Built]:
        for _ in self.procs:
            self.tasks.put(None)
        while len(self.segments) < len(self.procs):
            self._receive(block=True)
            on_outcomes(self.collect())
        for proc in self.procs:
            proc.join()
        on_outcomes(self.collect())
        return self.segments

    def abort(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.kill()
        for proc in self.procs:
            proc.join()

    def _receive(self, block: bool) -> None:
        """Take every message waiting; with ``block``, first wait until there is at least one."""
        while True:
            try:
                message = self.results.get(timeout=WORKER_CHECK_S) if block else self.results.get_nowait()
            except queue.Empty:
                dead = self._dead_without_result()
                if dead is None:
                    if block:
                        continue
                    return
                try:  # a worker that exited may have left its last message in the pipe
                    message = self.results.get(timeout=WORKER_CHECK_S)
                except queue.Empty:
                    raise WorkerFailed(f"indexing worker {dead} died (exit code "
                                       f"{self.procs[dead].exitcode})") from None
            self._handle(*message)
            block = False

    def _handle(self, kind: str, worker: int, payload) -> None:
        if kind == "batch":
            self.ready.extend(payload)
        elif kind == "done":
            self.segments[worker] = payload
        elif kind == "oserror":
            raise OSError(*payload)
        else:
            raise WorkerFailed(f"indexing worker {worker} failed: {payload}")

    def _dead_without_result(self) -> int | None:
        for n, proc in enumerate(self.procs):
            if n not in self.segments and not proc.is_alive():
                return n
        return None

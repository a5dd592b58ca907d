"""Index generations: each rebuild writes a new generation; one atomic rename makes it live.

Layout of an index directory::

    var/index/
      CURRENT              name of the live generation (replaced atomically)
      PREVIOUS             name of the one before it, for rollback
      LOCK                 flock()ed by the one rebuild or rollback allowed at a time
      gen-<stamp>/         a complete Whoosh index plus build.json and sources.json

Readers resolve CURRENT on every request they serve (a cheap stat), so web
workers follow a new generation without a restart. A generation is only ever
pointed at once it is complete and on disk, so a rebuild that dies (even by
SIGKILL) leaves at most an unfinished ``gen-*`` directory that nothing points
at; the next rebuild, holding the lock, deletes it.

Copying a generation hardlinks its files. That is safe because Whoosh 2.7.4
never writes into an existing file: segments are written once under fresh
random names, the table of contents (which also records deletions) is written
to a temporary name and renamed to a new ``_MAIN_<n>.toc``, and superseded
files are unlinked (which removes a name in the new generation only).
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from .files import fsync_dir, fsync_tree, write_json

#: Where the index lives unless LEDE_INDEX_DIR says otherwise (the CLI's and the web app's default).
DEFAULT_INDEX_DIR = "var/index"
CURRENT = "CURRENT"
PREVIOUS = "PREVIOUS"
LOCK = "LOCK"
BUILD_INFO = "build.json"
PREFIX = "gen-"
#: Files of a generation that belong to the rebuild, not to Whoosh; never copied forward.
OWN_FILES = (BUILD_INFO, "sources.json", "vocabulary.json", "stories.json", "story-vectors.json")


class GenerationError(Exception):
    """Base for the index directory's failures; ``str()`` names the path and the fix."""


class NoIndex(GenerationError):
    """There is no live generation in the index directory."""

    def __init__(self, index_dir: Path):
        super().__init__(
            f"no index at {index_dir} — run `python -m index rebuild` to build one"
        )
        self.index_dir = index_dir


class NoPrevious(GenerationError):
    def __init__(self, index_dir: Path):
        super().__init__(
            f"no previous generation in {index_dir} to roll back to — "
            "rollback needs two successful rebuilds"
        )


class UnusableIndexDir(GenerationError):
    def __init__(self, index_dir: Path, exc: OSError):
        super().__init__(
            f"cannot use {index_dir} as an index directory ({exc.strerror or exc}) — pass "
            "--index-dir DIR or set LEDE_INDEX_DIR to a writable directory"
        )


class RebuildRunning(GenerationError):
    def __init__(self, index_dir: Path, holder: str):
        super().__init__(
            f"another rebuild or rollback is running on {index_dir} ({holder} holds "
            f"{Path(index_dir) / LOCK}) — wait for it to finish, then run this again"
        )


def read_pointer(index_dir: Path, name: str = CURRENT) -> str | None:
    """The generation a pointer file names, or None when it is missing or names nothing sensible."""
    try:
        value = (Path(index_dir) / name).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not value.startswith(PREFIX) or "/" in value or "\x00" in value:
        return None
    return value


def is_complete(path: Path) -> bool:
    return (path / BUILD_INFO).is_file()


def live_generation(index_dir: Path) -> Path:
    """The directory of the live generation; raises NoIndex when there is none."""
    name = read_pointer(index_dir)
    if not name or not is_complete(Path(index_dir) / name):
        raise NoIndex(Path(index_dir))
    return Path(index_dir) / name


def previous_generation(index_dir: Path) -> Path | None:
    name = read_pointer(index_dir, PREVIOUS)
    if not name or name == read_pointer(index_dir) or not is_complete(Path(index_dir) / name):
        return None
    return Path(index_dir) / name


@contextmanager
def exclusive(index_dir: Path):
    """Hold the index directory's lock; raises RebuildRunning at once if another process has it.

    The lock is an ``flock`` on ``LOCK``, so the kernel drops it when its holder
    dies, however it dies: a killed rebuild never leaves a stale lock behind.
    Yields the lock's file descriptor (worker processes must close their
    inherited copy, or a surviving worker would keep the lock).
    """
    index_dir = Path(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise UnusableIndexDir(index_dir, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise RebuildRunning(index_dir, holder) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # only a courtesy for the message another process may print
        yield fd
    finally:
        os.close(fd)


def new_generation(index_dir: Path) -> Path:
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = index_dir / f"{PREFIX}{stamp}-{os.getpid()}-{time.monotonic_ns() % 100000:05d}"
    path.mkdir()
    return path


def copy_generation(source: Path, target: Path) -> None:
    """Make ``target`` (an empty directory) hold the Whoosh index of ``source``, by hardlinks.

    Falls back to copying when the filesystem cannot link. Whoosh's lock and
    temporary files and the rebuild's own files are left behind.
    """
    for path in source.iterdir():
        name = path.name
        if name in OWN_FILES or name.endswith(("WRITELOCK", ".tmp")) or not path.is_file():
            continue
        try:
            os.link(path, target / name)
        except OSError:
            shutil.copy2(path, target / name)


def write_pointer(index_dir: Path, name: str, value: str) -> None:
    """Atomically replace a pointer file: write a temp file, fsync, rename."""
    tmp = Path(index_dir) / f".{name}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, Path(index_dir) / name)
    fsync_dir(Path(index_dir))


def make_live(index_dir: Path, generation: Path, info: dict) -> None:
    """Record the build info, then switch CURRENT to ``generation`` in one rename.

    Call with the lock held. ``build.json`` is written last inside the
    generation: it is what marks the generation complete.
    """
    fsync_tree(generation)
    write_json(generation / BUILD_INFO, info)
    fsync_dir(generation)
    previous = read_pointer(index_dir)
    if previous and previous != generation.name:
        write_pointer(index_dir, PREVIOUS, previous)
    write_pointer(index_dir, CURRENT, generation.name)
    prune(index_dir)


def rollback(index_dir: Path) -> tuple[str, str]:
    """Make the previous generation live again (and the live one previous). Returns (from, to)."""
    index_dir = Path(index_dir)
    with exclusive(index_dir):
        live = live_generation(index_dir)
        previous = previous_generation(index_dir)
        if previous is None:
            raise NoPrevious(index_dir)
        write_pointer(index_dir, CURRENT, previous.name)
        write_pointer(index_dir, PREVIOUS, live.name)
        return live.name, previous.name


def prune(index_dir: Path) -> list[str]:
    """Delete every generation but the live and previous ones; call with the lock held.

    With the lock held no other rebuild is writing, so an unfinished
    generation here belongs to a build that died. Leftover temporary pointer
    files of killed processes go too. Returns the names removed.
    """
    index_dir = Path(index_dir)
    keep = {read_pointer(index_dir), read_pointer(index_dir, PREVIOUS)}
    removed = []
    for path in index_dir.glob(f"{PREFIX}*"):
        if path.name in keep or not path.is_dir():
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    for path in index_dir.glob(".*.tmp-*"):
        path.unlink(missing_ok=True)
    return removed


def discard(generation: Path) -> None:
    """Remove a generation that will never be made live (a failed or pointless build)."""
    shutil.rmtree(generation, ignore_errors=True)


def build_info(index_dir: Path) -> dict:
    gen = live_generation(index_dir)
    return json.loads((gen / BUILD_INFO).read_text(encoding="utf-8"))

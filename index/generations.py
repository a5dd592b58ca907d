"""Index generations: each rebuild writes a new generation; one atomic rename makes it live.

Layout of an index directory::

    var/index/
      CURRENT              name of the live generation (replaced atomically)
      PREVIOUS             name of the one before it, for rollback
      gen-<stamp>/         a complete Whoosh index plus build.json

Readers resolve CURRENT on every request they serve (a cheap stat), so web
workers follow a new generation without a restart. A rebuild that dies
leaves at most an unfinished ``gen-*`` directory that is never pointed at.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

CURRENT = "CURRENT"
PREVIOUS = "PREVIOUS"
BUILD_INFO = "build.json"


class NoIndex(Exception):
    """There is no live generation in the index directory."""

    def __init__(self, index_dir: Path):
        super().__init__(
            f"no index at {index_dir} — run `python -m index rebuild` to build one"
        )
        self.index_dir = index_dir


def read_pointer(index_dir: Path, name: str = CURRENT) -> str | None:
    try:
        value = (Path(index_dir) / name).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return value or None


def live_generation(index_dir: Path) -> Path:
    """The directory of the live generation; raises NoIndex when there is none."""
    name = read_pointer(index_dir)
    if not name or not (Path(index_dir) / name / BUILD_INFO).is_file():
        raise NoIndex(Path(index_dir))
    return Path(index_dir) / name


def new_generation(index_dir: Path) -> Path:
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = index_dir / f"gen-{stamp}-{os.getpid()}-{time.monotonic_ns() % 100000:05d}"
    path.mkdir()
    return path


def write_pointer(index_dir: Path, name: str, value: str) -> None:
    """Atomically replace a pointer file: write a temp file, fsync, rename."""
    tmp = Path(index_dir) / f".{name}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, Path(index_dir) / name)
    fsync_dir(Path(index_dir))


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_live(index_dir: Path, generation: Path, info: dict) -> None:
    """Record the build info, then switch CURRENT to ``generation`` in one rename."""
    with open(generation / BUILD_INFO, "w", encoding="utf-8") as fh:
        json.dump(info, fh, indent=1, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    previous = read_pointer(index_dir)
    if previous and previous != generation.name:
        write_pointer(index_dir, PREVIOUS, previous)
    write_pointer(index_dir, CURRENT, generation.name)
    prune(index_dir)


def prune(index_dir: Path) -> None:
    """Delete generations other than the live and previous ones (and unfinished builds of dead processes)."""
    keep = {read_pointer(index_dir), read_pointer(index_dir, PREVIOUS)}
    for path in Path(index_dir).glob("gen-*"):
        if path.name in keep or not path.is_dir():
            continue
        if not (path / BUILD_INFO).exists() and _owner_alive(path.name):
            continue  # another rebuild is still writing it
        shutil.rmtree(path, ignore_errors=True)


def _owner_alive(name: str) -> bool:
    try:
        pid = int(name.split("-")[2])
    except (IndexError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_info(index_dir: Path) -> dict:
    gen = live_generation(index_dir)
    return json.loads((gen / BUILD_INFO).read_text(encoding="utf-8"))

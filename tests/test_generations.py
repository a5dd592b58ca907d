"""Generations: rollback, pruning, leftovers of dead builds, and rebuilds killed with SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from feeds import answers, write_feed, write_text_sources
from index.store import build, generations


def three_generations(tmp_path):
    src, index_dir = tmp_path / "src", tmp_path / "ix"
    names = []
    for n in range(3):
        write_text_sources(src, {"a.txt": f"Embassy report {n}\n\nThe embassy statement number {n}.\n",
                                 f"b{n}.txt": "Harbour bridge\n\nThe bridge opened.\n"})
        names.append(build.rebuild([src], index_dir).generation)
    return index_dir, names


def test_only_the_live_and_previous_generations_are_kept(tmp_path):
    index_dir, names = three_generations(tmp_path)
    assert sorted(p.name for p in index_dir.glob("gen-*")) == sorted(names[1:])
    assert generations.live_generation(index_dir).name == names[2]
    assert generations.previous_generation(index_dir).name == names[1]


def test_rollback_swaps_live_and_previous_and_back(tmp_path):
    index_dir, names = three_generations(tmp_path)
    assert generations.rollback(index_dir) == (names[2], names[1])
    assert generations.live_generation(index_dir).name == names[1]
    assert answers(index_dir, "number")[0] == 3  # as built second: a.txt, b0.txt, b1.txt
    assert generations.rollback(index_dir) == (names[1], names[2])
    assert generations.live_generation(index_dir).name == names[2]


def test_rollback_needs_an_index_and_a_previous_generation(tmp_path):
    with pytest.raises(generations.NoIndex, match="run `python -m index rebuild`"):
        generations.rollback(tmp_path / "nothing")
    src = tmp_path / "src"
    write_text_sources(src, {"a.txt": "Title\n\nSome text.\n"})
    build.rebuild([src], tmp_path / "ix")
    with pytest.raises(generations.NoPrevious, match="rollback needs two successful rebuilds"):
        generations.rollback(tmp_path / "ix")


def test_an_unfinished_generation_of_a_dead_build_is_removed_by_the_next_rebuild(tmp_path):
    src, index_dir = tmp_path / "src", tmp_path / "ix"
    write_text_sources(src, {"a.txt": "Title\n\nSome text.\n"})
    live = build.rebuild([src], index_dir).generation
    dead = index_dir / "gen-20200101T000000-999999-00001"
    dead.mkdir()
    (dead / "_MAIN_1.toc").write_bytes(b"half written")
    (index_dir / ".CURRENT.tmp-999999").write_text("gen-half\n")
    assert build.rebuild([src], index_dir).mode == "unchanged"
    assert not dead.exists() and not (index_dir / ".CURRENT.tmp-999999").exists()
    assert generations.live_generation(index_dir).name == live


def rebuild_process(feed: Path, index_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "index", "rebuild", "--full", "--jobs", "2", "--source", str(feed),
         "--index-dir", str(index_dir)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def kill_at(proc: subprocess.Popen, phase: str, delay: float) -> str:
    """SIGKILL the rebuild ``delay`` seconds after it logs a line starting with ``phase``."""
    for line in proc.stderr:
        if line.startswith("rebuild: " + phase):
            time.sleep(delay)
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proc.stderr.close()
    return line


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


#: Moments to kill a rebuild at: (the log line that starts a phase, seconds after it).
KILL_MOMENTS = [
    ("reading", 0.0),  # workers just forked
    ("reading", 0.5),  # cleaning and indexing in the workers
    ("committing", 0.0),  # the table of contents being written
    ("switching", 0.0),  # build.json, fsync, the CURRENT rename
]


def test_a_rebuild_killed_at_any_moment_leaves_the_live_generation_answering_as_before(tmp_path):
    feed, index_dir = tmp_path / "feed.jsonl", tmp_path / "ix"
    write_feed(feed, 150)
    build.rebuild([feed], index_dir, jobs=2)
    before = answers(index_dir)
    assert before[0] == 150 and before[1]
    for phase, delay in KILL_MOMENTS:
        proc = rebuild_process(feed, index_dir)
        seen = kill_at(proc, phase, delay)
        assert seen.startswith("rebuild: " + phase), f"the rebuild ended before reaching {phase}"
        deadline = time.monotonic() + 5
        while processes_mentioning(str(index_dir)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_mentioning(str(index_dir)) == [], f"workers outlived a kill at {phase}"
        generations.live_generation(index_dir)  # CURRENT names a complete generation
        assert answers(index_dir) == before, f"killed at {phase} +{delay}s"

    after = build.rebuild([feed], index_dir, full=True, jobs=2)  # the lock is free; leftovers go
    assert after.made_live and answers(index_dir) == before
    kept = {generations.live_generation(index_dir).name, generations.previous_generation(index_dir).name}
    assert {p.name for p in index_dir.glob("gen-*")} == kept

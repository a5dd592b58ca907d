"""Faults: the rebuild killed with SIGKILL at spread moments, a missing or corrupted index, a full disk.

After every fault the live index must answer exactly as before, and the app must start and
say what is wrong and how to fix it (never a 500)."""
import html
import os
import random
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench import soak
from conftest import SEEDS, Server
from web import create_app

pytestmark = pytest.mark.reliability

FIX = "python -m index rebuild"  # every "the index is broken" message must name this command
PROBES = ("/healthz", "/api/search?q=embassy", "/api/articles/000_1c53ba83fc47eed3", "/?q=embassy", "/")


@pytest.fixture(scope="module")
def reliability_feed(tmp_path_factory) -> Path:
    """A feed big enough that a rebuild lasts seconds (so kills land mid-build), from the seeds' text."""
    return soak.synthetic_feed(tmp_path_factory.mktemp("feed") / "feed.jsonl", soak.CI_ARTICLES)


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# -- kill -9 ---------------------------------------------------------------------------------
def test_rebuild_killed_at_any_moment_leaves_the_live_index_answering_as_before(reliability_feed, tmp_path):
    report = soak.kill_drill(tmp_path, reliability_feed, SEEDS, soak.KILL_MOMENTS_CI)
    print(f"\nreference rebuild: {report.rebuild_s:.2f} s")
    for k in report.kills:
        where = "after" if k.switched else "before"
        print(f"kill at {soak.describe(k.moment)} ({k.after_s:.2f} s): {where} the switch; "
              f"{'survived' if k.survived else 'FAILED: ' + k.detail}")
    assert report.kills and report.final_rebuild_ok, report.detail
    failed = [k for k in report.kills if not k.survived]
    assert not failed, "\n".join(f"kill at {soak.describe(k.moment)}: {k.detail}" for k in failed)
    assert not report.leftovers, f"killed builds left these behind: {report.leftovers}"


# -- a missing or corrupted index ----------------------------------------------------------------
def _segment(gen: Path) -> Path:
    """The biggest file of the index's segments (a compound .seg, or the postings of a plain one)."""
    return max((p for p in gen.glob("MAIN_*") if p.is_file()), key=lambda p: p.stat().st_size)


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(8)
    for i in range(len(data) // 4, len(data) * 3 // 4):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


CORRUPTIONS = {
    "generation directory deleted": lambda ix, gen: shutil.rmtree(gen),
    "CURRENT names nothing": lambda ix, gen: (ix / "CURRENT").write_text("garbage\n"),
    "CURRENT holds binary garbage": lambda ix, gen: (ix / "CURRENT").write_bytes(bytes(range(256))),
    "CURRENT is empty": lambda ix, gen: (ix / "CURRENT").write_bytes(b""),
    "CURRENT points outside": lambda ix, gen: (ix / "CURRENT").write_text("../../../../etc\n"),
    "CURRENT is a directory": lambda ix, gen: ((ix / "CURRENT").unlink(), (ix / "CURRENT").mkdir()),
    "segment truncated to half": lambda ix, gen: os.truncate(_segment(gen), _segment(gen).stat().st_size // 2),
    "segment emptied": lambda ix, gen: os.truncate(_segment(gen), 0),
    "segment garbled": lambda ix, gen: _garble(_segment(gen)),
    "table of contents deleted": lambda ix, gen: [p.unlink() for p in gen.glob("*.toc")],
    "table of contents garbled": lambda ix, gen: [_garble(p) for p in gen.glob("*.toc")],
    "index directory emptied": lambda ix, gen: [shutil.rmtree(p) if p.is_dir() else p.unlink()
                                                for p in ix.iterdir()],
    "index directory missing": lambda ix, gen: shutil.rmtree(ix),
}


@pytest.fixture
def broken_index(seed_index, tmp_path, request):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    gen = index_dir / soak.live_pointer(index_dir)
    CORRUPTIONS[request.param](index_dir, gen)
    return index_dir


# Whoosh leaves a corrupt segment's file for the garbage collector to close when opening fails.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("broken_index", list(CORRUPTIONS), indirect=True)
def test_a_broken_index_is_reported_with_the_fix_never_a_500(broken_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(broken_index)}).test_client()
    for path in PROBES:
        response = client.get(path)
        text = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 503, f"{path}: {response.status_code} {text[:300]}"
        assert FIX in text, f"{path} does not name the fix: {text[:300]}"
    assert client.get("/healthz").get_json()["status"] != "ok"


@pytest.mark.server
def test_gunicorn_starts_without_an_index_and_says_what_to_do(tmp_path):
    server = Server(tmp_path / "no-index-here", tmp_path / "gunicorn.log")
    try:
        for path in ("/healthz", "/"):
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(server.url + path, timeout=10)
            body = html.unescape(answer.value.read().decode())
            assert answer.value.code == 503 and FIX in body, (path, body[:300])
    finally:
        server.stop()


# -- a full disk ---------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A 1.2 MB tmpfs: room for the seeds' index (~0.5 MB) and its successor, not for the seeds'
    index and the reliability feed's (~1.1 MB) side by side."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here (needs root): {done.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_fails_the_rebuild_clearly_and_leaves_the_live_index_untouched(small_disk,
                                                                                   reliability_feed):
    index_dir = small_disk / "index"
    first = soak.index_cli(*soak.rebuild_args([SEEDS], index_dir))
    assert first.returncode == 0, first.stderr
    pointer, before = soak.live_pointer(index_dir), soak.answers(index_dir)
    used_before = du(small_disk)

    full = soak.index_cli(*soak.rebuild_args([reliability_feed], index_dir, full=True))
    print(f"\nexit {full.returncode}; stderr: {full.stderr.strip()[-500:]}")
    assert full.returncode != 0
    assert "Traceback" not in full.stderr, full.stderr[-2000:]
    assert "space" in full.stderr.lower() and str(index_dir) in full.stderr, full.stderr[-1000:]
    assert soak.live_pointer(index_dir) == pointer
    assert soak.answers(index_dir) == before
    # The failed build is cleaned away, so the disk is as full as before and the next rebuild fits.
    assert du(small_disk) <= used_before + 64 * 1024, sorted(p.name for p in index_dir.iterdir())
    again = soak.index_cli(*soak.rebuild_args([SEEDS], index_dir))
    assert again.returncode == 0, again.stderr


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_broken_generation_is_not_reopened_by_every_request_until_it_changes_or_time_passes(
        seed_index, tmp_path, monkeypatch):
    from search import Engine, IndexUnavailable
    from search import live as live_module

    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    segment = _segment(index_dir / soak.live_pointer(index_dir))
    good = segment.read_bytes()
    os.truncate(segment, 0)
    engine = Engine(index_dir)
    with pytest.raises(IndexUnavailable) as first:
        engine.live()
    segment.write_bytes(good)  # repaired behind CURRENT's back: not noticed until the retry time
    with pytest.raises(IndexUnavailable) as again:
        engine.live()
    assert again.value.message == first.value.message
    monkeypatch.setattr(live_module, "RETRY_BROKEN_S", 0.0)
    assert engine.live().doc_count == 5
    engine.close()

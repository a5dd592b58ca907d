"""Rebuilds on real indexes in tmp_path: incremental by default, --full, folding, skips, failures."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import zlib

import pytest
from whoosh import index as whoosh_index

from bench import index_content
from feeds import answers, ids, write_feed, write_text_sources
from index.store import build, generations, vocabulary
from index import fingerprint
from index.store.sources import INVENTORY, PACKAGE, pipeline_fingerprint

TEXTS = {
    "one.txt": "Embassy besieged\n\nProtesters stormed the embassy compound on Tuesday.\n",
    "two.txt": "Markets fall\n\nShares fell sharply as oil prices rose.\n",
    "three.txt": "Storm hits coast\n\nA storm flooded the river valley overnight.\n",
    "four.txt": "Court rules on vote\n\nThe court upheld the election result.\n",
}


def file_digests(path):
    return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in path.iterdir() if p.is_file()}


@pytest.fixture
def src(tmp_path):
    directory = tmp_path / "src"
    write_text_sources(directory, TEXTS)
    return directory


def test_incremental_rebuild_adds_updates_and_removes_only_what_changed(src, tmp_path):
    index_dir = tmp_path / "ix"
    first = build.rebuild([src], index_dir)
    assert (first.mode, first.documents, first.indexed) == ("full", 4, 4)
    old_gen = generations.live_generation(index_dir)
    before = file_digests(old_gen)

    (src / "one.txt").write_text("Embassy besieged\n\nProtesters stormed the embassy compound and set fires.\n")
    (src / "two.txt").unlink()
    (src / "five.txt").write_text("Bridge opens\n\nThe new bridge over the harbour opened.\n")
    second = build.rebuild([src], index_dir)

    assert second.mode == "incremental" and second.made_live
    assert (second.count("indexed"), second.count("updated"), second.count("removed"),
            second.count("unchanged")) == (1, 1, 1, 2)
    assert second.cleaned == 2  # only the new and the changed file were cleaned
    assert (second.sources_read, second.sources_vanished) == (2, 1)
    assert ids(index_dir) == {"one", "three", "four", "five"}
    assert answers(index_dir, "fires")[1][0][0] == "one"
    assert answers(index_dir, "harbour")[1][0][0] == "five"
    assert answers(index_dir, "shares")[1] == []
    with whoosh_index.open_dir(str(generations.live_generation(index_dir))).searcher() as searcher:
        assert "set fires" in searcher.document(id="one")["body"]  # the new version, not the deleted one
    # The previous generation, whose files the new one shares, is untouched and still answers as before.
    assert file_digests(old_gen) == before
    assert generations.previous_generation(index_dir) == old_gen


def test_nothing_changed_makes_no_generation_and_says_so(src, tmp_path):
    index_dir = tmp_path / "ix"
    (src / "empty.txt").write_text("")
    build.rebuild([src], index_dir)
    live = generations.live_generation(index_dir)
    again = build.rebuild([src], index_dir)
    assert (again.mode, again.made_live, again.generation) == ("unchanged", False, live.name)
    assert (again.documents, again.count("unchanged"), again.cleaned) == (4, 4, 0)
    assert again.skipped == [(str(src / "empty.txt"), "empty file")]
    assert generations.live_generation(index_dir) == live


def test_a_source_with_the_same_size_and_mtime_is_not_read_until_full(src, tmp_path):
    index_dir = tmp_path / "ix"
    build.rebuild([src], index_dir)
    path = src / "three.txt"
    st = path.stat()
    path.write_text(path.read_text().replace("flooded", "drowned"))  # same length
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert build.rebuild([src], index_dir).mode == "unchanged"
    assert answers(index_dir, "drowned")[1] == []
    full = build.rebuild([src], index_dir, full=True)
    assert (full.mode, full.why, full.cleaned) == ("full", "--full", 4)
    assert answers(index_dir, "drowned")[1][0][0] == "three"


def test_a_touched_source_with_the_same_content_is_unchanged(src, tmp_path):
    index_dir = tmp_path / "ix"
    build.rebuild([src], index_dir)
    os.utime(src / "four.txt", ns=(1, 1))
    assert build.rebuild([src], index_dir).mode == "unchanged"


def test_a_changed_manifest_updates_the_articles_it_describes(src, tmp_path):
    index_dir = tmp_path / "ix"
    build.rebuild([src], index_dir)
    manifest = json.loads((src / "manifest.json").read_text())
    manifest["two.txt"]["outlet"] = "CNBC"
    (src / "manifest.json").write_text(json.dumps(manifest))
    s = build.rebuild([src], index_dir)
    assert (s.cleaned, s.per_outlet["CNBC"]["updated"], s.count("unchanged")) == (1, 1, 3)


def test_one_changed_line_of_a_feed_is_the_only_article_cleaned_again(tmp_path):
    feed = tmp_path / "feed.jsonl"
    items = write_feed(feed, 12)
    index_dir = tmp_path / "ix"
    assert build.rebuild([feed], index_dir).documents == 12
    items[5]["text"] += "\n\nThe embassy issued a statement."
    del items[9]
    feed.write_text("".join(json.dumps(i) + "\n" for i in items))
    s = build.rebuild([feed], index_dir)
    assert (s.cleaned, s.count("updated"), s.count("removed"), s.count("unchanged")) == (1, 1, 1, 10)
    assert "a00009" not in ids(index_dir) and len(ids(index_dir)) == 11


def test_identical_articles_are_indexed_once_and_the_copy_takes_over_when_the_original_goes(src, tmp_path):
    index_dir = tmp_path / "ix"
    write_text_sources(src, {**TEXTS, "copy.txt": TEXTS["one.txt"], "zz-copy.txt": TEXTS["one.txt"]})
    s = build.rebuild([src], index_dir)
    assert s.documents == 4 and s.folded == [("one", "copy"), ("zz-copy", "copy")]
    assert s.per_outlet["The Telegraph"]["folded"] == 2
    assert ids(index_dir) == {"copy", "two", "three", "four"}

    (src / "copy.txt").unlink()
    s = build.rebuild([src], index_dir)
    assert s.documents == 4 and s.count("removed") == 1 and len(s.folded) == 1
    assert ids(index_dir) == {"one", "two", "three", "four"}
    assert answers(index_dir, "compound")[1][0][0] == "one"


def test_a_repeated_id_is_skipped_with_its_reason(tmp_path):
    feed = tmp_path / "feed.jsonl"
    items = write_feed(feed, 3)
    twin = {**items[0], "text": "A different story about the harbour bridge."}
    with feed.open("a") as fh:
        fh.write(json.dumps(twin) + "\n")
    s = build.rebuild([feed], tmp_path / "ix")
    assert s.documents == 3
    assert s.skipped == [(f"{feed}:4", f"duplicate id 'a00000': already indexed from {feed}:1")]


def test_unreadable_sources_are_skipped_with_path_and_reason_and_the_rest_indexed(src, tmp_path):
    (src / "empty.txt").write_text("")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "f1", "text": "The embassy reopened."}\nnot json\n{"id": "f2"}\n')
    s = build.rebuild([src, feed], tmp_path / "ix")
    assert s.documents == 5 and s.made_live
    reasons = dict(s.skipped)
    assert reasons[str(src / "empty.txt")] == "empty file"
    assert reasons[str(src / "binary.txt")].startswith("binary file")
    assert reasons[f"{feed}:2"].startswith("invalid JSON")
    assert reasons[f"{feed}:3"] == "needs a 'text' or 'html' string"


def test_a_missing_source_fails_and_the_live_generation_keeps_serving(src, tmp_path):
    index_dir = tmp_path / "ix"
    build.rebuild([src], index_dir)
    live, before = generations.live_generation(index_dir), answers(index_dir)
    with pytest.raises(build.BuildFailed, match="no such file or directory — check the --source"):
        build.rebuild([src, tmp_path / "gone"], index_dir)
    assert generations.live_generation(index_dir) == live and answers(index_dir) == before
    assert sorted(p.name for p in index_dir.glob("gen-*")) == [live.name]


def test_sources_that_all_fail_make_nothing_live(src, tmp_path):
    index_dir = tmp_path / "ix"
    build.rebuild([src], index_dir)
    live = generations.live_generation(index_dir)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    with pytest.raises(build.BuildFailed, match="no article could be indexed") as failure:
        build.rebuild([bad], index_dir, allow_removal=True)
    assert failure.value.summary.skipped == [(str(bad / "empty.txt"), "empty file")]
    assert generations.live_generation(index_dir) == live
    assert sorted(p.name for p in index_dir.glob("gen-*")) == [live.name]


def test_stale_cleaning_forces_a_full_rebuild(src, tmp_path):
    """The live inventory's code fingerprint no longer matches (as after editing the cleaner)."""
    index_dir = tmp_path / "ix"
    build.rebuild([src], index_dir)
    path = generations.live_generation(index_dir) / INVENTORY
    data = json.loads(path.read_text())
    data["fingerprint"] = "cleaner-of-yesterday"
    path.write_text(json.dumps(data))
    s = build.rebuild([src], index_dir)
    assert s.mode == "full" and "cleaner" in s.why and s.cleaned == 4


@pytest.mark.parametrize("edited, stale", [
    ("fingerprint.py", True), ("schema.py", True), ("analysis.py", True), ("words.py", True), ("store/segment.py", True), ("store/blocks.py", True),
    ("store/document.py", True), ("extract/clean.py", True), ("extract/rules.py", True),
    ("store/build.py", False), ("store/decide.py", False), ("store/commit.py", False), ("store/workers.py", False),
    ("cli.py", False), ("extract/fetch.py", False),
])
def test_editing_the_code_that_shapes_documents_changes_the_pipeline_fingerprint(tmp_path, edited, stale):
    """Editing a module that shapes documents or postings makes the next rebuild a full one, so old
    and new cleaning never share a generation; editing one that only runs the build does not."""
    package = tmp_path / "index"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = pipeline_fingerprint(package)
    assert before == pipeline_fingerprint(PACKAGE)
    with open(package / edited, "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert (pipeline_fingerprint(package) != before) == stale


@pytest.mark.parametrize("text", [
    "Police fired tear-gas at protesters outside the embassy on Tuesday, witnesses said. " * 3,
    "Zürich’s café owners said the naïve plan would fail; the city’s council voted it down. " * 2,
    "Short text only.",
    "\u212a kelvin " * 12,
])
def test_sketches_are_the_bottom_crc32_of_four_word_shingles(text):
    words = re.findall(r"\w+", text.lower())
    shingles = {" ".join(words[i:i + 4]) for i in range(len(words) - 3)}
    smallest = sorted(zlib.crc32(s.encode()) for s in shingles)[:16] if len(words) >= 12 else []
    assert fingerprint.sketch(text) == struct.pack(">%dI" % len(smallest), *smallest)


def test_a_second_rebuild_fails_at_once_while_one_holds_the_lock(src, tmp_path):
    index_dir = tmp_path / "ix"
    with generations.exclusive(index_dir):
        with pytest.raises(generations.RebuildRunning, match=f"pid {os.getpid()} holds"):
            build.rebuild([src], index_dir)
    assert build.rebuild([src], index_dir).made_live


def test_in_process_and_worker_builds_index_the_same(tmp_path):
    """Whether the work is done here or split between workers, the index holds the same documents, terms
    and postings (bench/index_content.py), folded copies included (held back, or added then deleted)."""
    feed = tmp_path / "feed.jsonl"
    items = write_feed(feed, 40)
    with feed.open("a") as fh:
        fh.writelines(json.dumps({**items[n], "id": f"copy-{n}"}) + "\n" for n in (2, 30))
    one = build.rebuild([feed], tmp_path / "one", jobs=1)
    two = build.rebuild([feed], tmp_path / "two", jobs=2)
    assert one.documents == two.documents == 40 and len(one.folded) == len(two.folded) == 2
    assert answers(tmp_path / "one", "summit") == answers(tmp_path / "two", "summit")
    contents = [list(index_content.lines(generations.live_generation(tmp_path / ix))) for ix in ("one", "two")]
    assert contents[0] == contents[1] and len(contents[0]) > 40


def test_a_held_back_twin_is_indexed_when_the_article_it_copies_loses_on_a_repeated_id(tmp_path):
    """A worker holds back an article whose text it has just indexed (it is almost surely folded);
    when that first one is then refused as a repeated id, the held one is indexed by the parent."""
    feed = tmp_path / "src" / "feed.jsonl"
    items = write_feed(feed, 3)
    index_dir = tmp_path / "ix"
    build.rebuild([feed.parent], index_dir, jobs=1)
    twin = {**items[1], "text": "The lighthouse keepers saw a kraken off the point."}
    more = tmp_path / "src" / "more.jsonl"
    more.write_text("".join(json.dumps(i) + "\n" for i in (twin, {**twin, "id": "twin-of-a00001"})),
                    encoding="utf-8")
    s = build.rebuild([feed.parent], index_dir, jobs=1)
    assert s.mode == "incremental" and s.folded == [] and s.count("indexed") == 1
    assert [reason for _, reason in s.skipped] == [f"duplicate id 'a00001': already indexed from {feed}"]
    assert ids(index_dir) == {"a00000", "a00001", "a00002", "twin-of-a00001"}
    assert answers(index_dir, "kraken")[1][0][0] == "twin-of-a00001"
    saved, counted = live_vocabulary(index_dir)
    assert saved == counted and saved["kraken"] == 1


def live_vocabulary(index_dir):
    """(the generation's vocabulary file, the same counted afresh from its live documents' stored text)."""
    gen = generations.live_generation(index_dir)
    with whoosh_index.open_dir(str(gen)).reader() as reader:
        return vocabulary.load(gen), dict(vocabulary.count_reader(reader))


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_vocabulary_counts_exactly_the_live_documents(tmp_path, jobs):
    feed = tmp_path / "src" / "feed.jsonl"
    items = write_feed(feed, 60, words=30)
    extra = [{**items[n], "id": f"copy-{n}"} for n in (3, 40)]  # folded into a00003 and a00040
    extra.append({**items[0], "text": "Lighthouse keepers report a kraken."})  # a repeated id: skipped
    with feed.open("a") as fh:
        fh.writelines(json.dumps(i) + "\n" for i in extra)
    index_dir = tmp_path / "ix"
    s = build.rebuild([feed.parent], index_dir, jobs=jobs)
    assert s.documents == 60 and len(s.folded) == 2 and len(s.skipped) == 1
    saved, counted = live_vocabulary(index_dir)
    assert saved == counted
    assert "kraken" not in saved and saved["embassy"] > 1

    items[5]["text"] = "Zeppelins over the harbour."  # updated: its old words go, these come
    del items[7]  # removed
    feed.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    s = build.rebuild([feed.parent], index_dir, jobs=jobs)
    assert s.mode == "incremental" and s.count("updated") >= 1 and s.count("removed") >= 1
    saved, counted = live_vocabulary(index_dir)
    assert saved == counted
    assert saved["zeppelins"] == 1

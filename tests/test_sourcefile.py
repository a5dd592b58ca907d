"""What a rebuild indexes: the sources file, the live index's own sources, never silently the seeds."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS
from feeds import ids, write_feed, write_text_sources
from index.store import build
from index import status
from index.extract.sourcefile import SourcesFileError, load


def run_cli(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("LEDE_INDEX_DIR", "LEDE_SOURCES_FILE")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "index", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


def test_a_rebuild_without_sources_repeats_the_live_index_sources_not_the_seeds(tmp_path):
    feed = tmp_path / "src" / "feed.jsonl"
    write_feed(feed, 30)
    index_dir = tmp_path / "ix"
    first = run_cli("rebuild", "--source", str(feed.parent), "--index-dir", str(index_dir), "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = run_cli("rebuild", "--index-dir", str(index_dir), "--json", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "sources the live index was built from" in again.stderr
    summary = json.loads(again.stdout)
    assert summary["mode"] == "unchanged" and summary["documents"] == 30
    assert ids(index_dir) == {f"a{n:05d}" for n in range(30)}


def test_seeds_only_when_there_is_no_index_and_no_sources_file(tmp_path):
    (tmp_path / "seeds").symlink_to(SEEDS)
    result = run_cli("rebuild", "--index-dir", str(tmp_path / "ix"), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "seeds/ (no live index" in result.stderr
    assert json.loads(result.stdout)["documents"] == 5


def test_a_rebuild_that_would_remove_most_of_the_index_stops_until_allowed(tmp_path):
    feed = tmp_path / "big" / "feed.jsonl"
    write_feed(feed, 40)
    other = tmp_path / "small"
    write_text_sources(other, {"one.txt": "Council votes\n\nThe council voted on the budget today."})
    index_dir = tmp_path / "ix"
    build.rebuild([feed.parent], index_dir)
    refused = run_cli("rebuild", "--source", str(other), "--index-dir", str(index_dir), cwd=tmp_path)
    assert refused.returncode == 1
    assert "would remove 40 of the 40 live articles" in refused.stderr and "--allow-removal" in refused.stderr
    assert len(ids(index_dir)) == 40, "the live index is untouched"
    allowed = run_cli("rebuild", "--source", str(other), "--index-dir", str(index_dir), "--allow-removal", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert ids(index_dir) == {"one"}


def test_the_sources_file_lists_sources_with_overrides(tmp_path):
    world, sport = tmp_path / "world", tmp_path / "sport"
    write_text_sources(world, {"w.txt": "Summit ends\n\nLeaders left the summit without a deal."}, outlet="Manifest Outlet")
    write_text_sources(sport, {"s.txt": "Cup final\n\nThe final ended in a draw after extra time."})
    (tmp_path / "lede.toml").write_text(
        '[fetch]\ncontact = "desk@example.org"\n\n'
        '[[source]]\nlocation = "world"\nsection = "World news"\noutlet = "The Example"\n\n'
        '[[source]]\nlocation = "sport"\nsection = "sport"\nlanguage = "en"\n')
    index_dir = tmp_path / "ix"
    result = run_cli("rebuild", "--index-dir", str(index_dir), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "the sources file lede.toml" in result.stderr
    st = status.status(index_dir)
    assert st["per_outlet"] == {"The Example": 1, "The Telegraph": 1}
    assert st["per_section"] == {"Sport": 1, "World News": 1}
    health = {h["source"]: h for h in st["per_source"]}
    assert health[str(world)]["articles"] == 1 and health[str(world)]["overrides"]["outlet"] == "The Example"
    shown = run_cli("status", "--index-dir", str(index_dir), cwd=tmp_path)
    assert f"source {sport}: 1 articles, 0 skipped" in shown.stdout
    # Changing an override re-reads the source.
    (tmp_path / "lede.toml").write_text('[[source]]\nlocation = "world"\noutlet = "Renamed"\n\n'
                                        '[[source]]\nlocation = "sport"\n')
    again = run_cli("rebuild", "--index-dir", str(index_dir), "--json", cwd=tmp_path)
    assert json.loads(again.stdout)["per_outlet"]["Renamed"]["updated"] == 1


@pytest.mark.parametrize("text, message", [
    ("[[source]]\noutlet = 'x'\n", "needs a location"),
    ("[[source]]\nlocation = 'a'\ncolour = 'red'\n", "unknown key 'colour'"),
    ("[[source]]\nlocation = 'a'\noutlet = ''\n", "outlet must be a non-empty string"),
    ("[[source]]\nlocation = 'a'\nextractor = 'turbo'\n", "extractor must be one of 'full', 'fast'"),
    ("[sources]\n", "unknown table 'sources'"),
    ("[fetch]\ncontact = 'x'\n", "lists no [[source]] entries"),
    ("[[source]\n", "not valid TOML"),
    ("[[source]]\nlocation = 'ftp://example.org/feed'\n", "only http:// and https://"),
])
def test_a_bad_sources_file_is_named_with_the_problem(tmp_path, text, message):
    path = tmp_path / "lede.toml"
    path.write_text(text)
    with pytest.raises(SourcesFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load(path)
    result = run_cli("rebuild", "--index-dir", str(tmp_path / "ix"), cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr and "lede.toml" in result.stderr


def test_readme_files_are_skipped_with_a_reason(tmp_path):
    src = tmp_path / "src"
    write_text_sources(src, {"story.txt": "Council votes\n\nThe council voted on the budget today."})
    (src / "README.TXT").write_text("This folder holds the BBC dataset.\n")
    s = build.rebuild([src], tmp_path / "ix")
    assert dict(s.skipped)[str(src / "README.TXT")] == "not an article: a README or licence file"
    assert ids(tmp_path / "ix") == {"story"}

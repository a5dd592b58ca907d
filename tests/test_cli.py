"""The index CLI through its real entry point: ``python -m index``."""
import json
import subprocess
import sys

from conftest import ROOT, SEEDS


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "index", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_rebuild_indexes_the_seeds_and_makes_a_generation_live(tmp_path):
    result = run_cli("rebuild", "--source", str(SEEDS), "--index-dir", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert "indexed 5 articles" in result.stdout
    for outlet in ("The Telegraph", "Daily Mail", "CNBC", "The Washington Post", "BBC News"):
        assert outlet in result.stdout
    current = (tmp_path / "ix" / "CURRENT").read_text().strip()
    assert (tmp_path / "ix" / current / "build.json").is_file()


def test_rebuild_reports_unreadable_sources_and_indexes_the_rest(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text("A headline\n\nThe embassy was besieged on Tuesday.\n")
    (src / "empty.txt").write_text("")
    (src / "bad.jsonl").write_text('{"id": "x1", "text": "fine"}\nnot json\n')
    result = run_cli("rebuild", "--source", str(src), "--index-dir", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert "indexed 2 articles" in result.stdout
    assert f"{src / 'empty.txt'}: empty file" in result.stdout
    assert f"{src / 'bad.jsonl'}:2: invalid JSON" in result.stdout


def test_clean_json_prints_one_object_per_file():
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    result = run_cli("clean", "--json", *files)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    first = json.loads(lines[0])
    assert set(first) >= {"id", "title", "outlet", "section", "published", "url", "byline",
                          "contributors", "paragraphs", "removed"}
    assert first["outlet"] == "The Telegraph"
    assert first["title"].startswith("Iran's supreme leader and Trump trade blame")

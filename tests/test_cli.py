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


def test_a_second_rebuild_reports_nothing_changed_and_json_is_machine_readable(tmp_path):
    ix = str(tmp_path / "ix")
    first = run_cli("rebuild", "--source", str(SEEDS), "--index-dir", ix, "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert (data["mode"], data["made_live"], data["documents"], data["counts"]["indexed"]) == ("full", True, 5, 5)
    assert set(data["per_outlet"]["CNBC"]) == {"indexed", "updated", "removed", "unchanged", "folded", "documents"}
    assert "rebuild: switching CURRENT to " + data["generation"] in first.stderr  # plain log lines off a terminal
    second = run_cli("rebuild", "--source", str(SEEDS), "--index-dir", ix)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith(f"nothing changed: {ix}/{data['generation']} stays live with 5 articles")


def test_a_rebuild_that_cannot_make_anything_live_exits_1_and_the_old_index_serves(tmp_path):
    ix = str(tmp_path / "ix")
    assert run_cli("rebuild", "--source", str(SEEDS), "--index-dir", ix).returncode == 0
    live = (tmp_path / "ix" / "CURRENT").read_text()
    result = run_cli("rebuild", "--source", str(tmp_path / "nowhere"), "--index-dir", ix)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {tmp_path / 'nowhere'}: no such file or directory — check the --source paths; "
        "the live index is unchanged")
    assert (tmp_path / "ix" / "CURRENT").read_text() == live


def test_status_shows_the_live_generation_and_its_counts(seed_index):
    ix = str(seed_index)
    generation = (seed_index / "CURRENT").read_text().strip()
    result = run_cli("status", "--index-dir", ix)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"live generation: {ix}/{generation}"
    assert "documents: 5" in lines
    assert any(line.split() == ["CNBC", "1"] for line in lines)
    assert f"sources: {SEEDS} (5 files; 0 skipped, 0 duplicates folded)" in lines
    data = json.loads(run_cli("status", "--index-dir", ix, "--json").stdout)
    assert data["documents"] == 5 and sum(data["per_section"].values()) == 5
    assert data["per_outlet"] == dict.fromkeys(
        ("BBC News", "CNBC", "Daily Mail", "The Telegraph", "The Washington Post"), 1)


def test_status_and_rollback_without_an_index_say_how_to_make_one(tmp_path):
    for command in ("status", "rollback"):
        result = run_cli(command, "--index-dir", str(tmp_path / "none"))
        assert result.returncode == 1
        assert result.stderr == (f"error: no index at {tmp_path / 'none'} — "
                                 "run `python -m index rebuild` to build one\n")


def test_rollback_makes_the_previous_generation_live(tmp_path):
    ix = str(tmp_path / "ix")
    first = json.loads(run_cli("rebuild", "--source", str(SEEDS), "--index-dir", ix, "--json").stdout)
    second = json.loads(run_cli("rebuild", "--source", str(SEEDS), "--index-dir", ix, "--json", "--full").stdout)
    result = run_cli("rollback", "--index-dir", ix)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"rolled back {ix}: {first['generation']} is live again "
                                    f"(was {second['generation']}")
    assert (tmp_path / "ix" / "CURRENT").read_text().strip() == first["generation"]


def test_a_rebuild_while_another_holds_the_lock_fails_with_a_clear_message(tmp_path):
    from index.store import generations

    with generations.exclusive(tmp_path / "ix"):
        result = run_cli("rebuild", "--source", str(SEEDS), "--index-dir", str(tmp_path / "ix"))
    assert result.returncode == 1
    assert "another rebuild or rollback is running" in result.stderr
    assert "wait for it to finish" in result.stderr


def test_an_index_dir_that_cannot_be_one_is_named_with_the_fix(tmp_path):
    (tmp_path / "a-file").write_text("not a directory")
    result = run_cli("rebuild", "--source", str(SEEDS), "--index-dir", str(tmp_path / "a-file" / "ix"))
    assert result.returncode == 1
    assert result.stderr == (f"error: cannot use {tmp_path / 'a-file' / 'ix'} as an index directory "
                             "(Not a directory) — pass --index-dir DIR or set LEDE_INDEX_DIR to a "
                             "writable directory\n")


def test_extractor_option_for_clean_and_rebuild(tmp_path):
    page = tmp_path / "story.html"
    paragraphs = "".join(f"<p>The river rose overnight and bridge number {n} was closed to traffic by the council.</p>"
                         for n in range(6))
    page.write_text(f"<html><head><title>Flood</title></head><body><nav><a href='/'>Home</a> <a href='/w'>World</a>"
                    f"</nav><article>{paragraphs}</article></body></html>")
    texts = {}
    for extractor in ("full", "fast"):
        result = run_cli("clean", "--json", "--extractor", extractor, str(page))
        assert result.returncode == 0, result.stderr
        texts[extractor] = [p["text"] for p in json.loads(result.stdout)["paragraphs"]]
    assert texts["fast"] == texts["full"] == [f"The river rose overnight and bridge number {n} was closed to "
                                              f"traffic by the council." for n in range(6)]
    wrong = run_cli("rebuild", "--source", str(tmp_path), "--extractor", "turbo", "--index-dir", str(tmp_path / "ix"))
    assert wrong.returncode == 2 and "--extractor" in wrong.stderr and "'full', 'fast'" in wrong.stderr
    fast = run_cli("rebuild", "--source", str(tmp_path), "--extractor", "fast", "--index-dir", str(tmp_path / "ix"),
                   "--json")
    assert fast.returncode == 0 and json.loads(fast.stdout)["documents"] == 1, fast.stderr
    status = run_cli("status", "--index-dir", str(tmp_path / "ix"), "--json")
    [source] = json.loads(status.stdout)["per_source"]
    assert source["overrides"] == {"extractor": "fast"}, "the choice is recorded with the source"

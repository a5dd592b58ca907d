"""Readers: every file type and encoding becomes raw articles or a clear ReadError, never an exception."""
from __future__ import annotations

import gzip
import json

import pytest

from conftest import needs_shared
from index.extract.clean import clean
from index.extract import read
from index.extract.read import RawArticle, ReadError, decode, find_sources, read_source


def read_all(path):
    return list(read_source(path.parent, path))


def only_article(path) -> RawArticle:
    (item,) = read_all(path)
    assert isinstance(item, RawArticle), item
    return item


def test_latin1_text_decodes_without_loss(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Café owners in Zürich\n\nThe façade cost €5m, said señor Núñez.".encode("cp1252"))
    raw = only_article(path)
    assert raw.text.startswith("Café owners in Zürich") and "€5m" in raw.text and "Núñez" in raw.text
    path.write_bytes("Côte d'Ivoire\n\nPrix: 10\x81 francs".encode("latin-1"))  # \x81 is undefined in cp1252
    assert "Côte d'Ivoire" in only_article(path).text


def test_bbc_latin1_file_reads(tmp_path):
    path = needs_shared("bbc-news", "sport", "199.txt")
    raw = only_article(path)
    assert raw.text.strip() and "\ufffd" not in raw.text


@pytest.mark.parametrize("bom, encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_byte_order_marks(tmp_path, bom, encoding):
    path = tmp_path / "bom.txt"
    path.write_bytes(bom + "Headline\n\nBody “quoted” text.".encode(encoding))
    raw = only_article(path)
    assert raw.text.startswith("Headline") and "“quoted”" in raw.text


def test_html_gz_and_declared_charset(tmp_path):
    page = '<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head><body><p>Na\xefve caf\xe9 owners protest.</p></body></html>'
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(page.encode("cp1252")))
    raw = only_article(path)
    assert raw.html is not None and raw.text is None and "Naïve café" in raw.html
    assert raw.id == "page"
    assert "Naïve café owners protest." in clean(raw).text()


def test_oversized_articles_and_gzip_bombs_are_reported_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_ARTICLE_BYTES", 1000)
    (tmp_path / "huge.txt").write_bytes(b"Huge headline\n\n" + b"the embassy siege went on. " * 100)
    (tmp_path / "bomb.html.gz").write_bytes(gzip.compress(b"<p>" + b"a" * 100_000 + b"</p>"))
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "big", "text": "word " * 400}) + "\n"
                                         + json.dumps({"id": "small", "text": "A small article."}) + "\n")
    for name in ("huge.txt", "bomb.html.gz"):
        (error,) = read_all(tmp_path / name)
        assert isinstance(error, ReadError) and "larger than one article can be" in error.reason
    big, small = read_all(tmp_path / "feed.jsonl")
    assert isinstance(big, ReadError) and big.where.endswith(":1") and isinstance(small, RawArticle)


def test_lone_surrogates_in_a_feed_are_repaired(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "s1", "title": "lone \\ud800 half", "\\udfff": 1, "text": "Body here."}\n')
    raw = only_article(path)
    assert raw.meta["title"] == "lone \ufffd half"
    raw.meta["title"].encode("utf-8")


def test_text_gz_and_broken_gz(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"Headline\n\nBody text here."))
    assert only_article(tmp_path / "a.txt.gz").text.startswith("Headline")
    (tmp_path / "b.html.gz").write_bytes(b"this is not gzip")
    (error,) = read_all(tmp_path / "b.html.gz")
    assert isinstance(error, ReadError) and "not a valid gzip file" in error.reason


def test_jsonl_feed_ids_fields_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "wire-1", "url": "https://example.com/1", "outlet": "Example", "section": "World",
                    "title": "Embassy besieged", "published": "2019-12-31T10:00:00Z", "byline": "Jane Doe",
                    "text": "The embassy was besieged.\n\nMore followed."}),
        "not json at all",
        json.dumps(["a", "list"]),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "wire-2"}),
        json.dumps({"id": "wire-3", "title": 5, "text": "x"}),
        "",
        json.dumps({"id": 42, "html": "<p>An HTML body in a feed, long enough to keep.</p>"}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = read_all(path)
    articles = [i for i in items if isinstance(i, RawArticle)]
    errors = {e.where.rsplit(":", 1)[1]: e.reason for e in items if isinstance(e, ReadError)}
    assert [a.id for a in articles] == ["wire-1", "42"]
    assert articles[0].meta == {"url": "https://example.com/1", "outlet": "Example", "section": "World",
                                "title": "Embassy besieged", "published": "2019-12-31T10:00:00Z", "byline": "Jane Doe"}
    assert articles[1].html and articles[1].text is None
    assert errors["2"].startswith("invalid JSON") and "JSON object" in errors["3"]
    assert "'id'" in errors["4"] and "'text' or 'html'" in errors["5"] and "'title' must be a string" in errors["6"]
    article = clean(articles[0])
    assert (article.id, article.title, article.outlet, article.published) == ("wire-1", "Embassy besieged", "Example", "2019-12-31")


def test_empty_and_binary_files_are_errors_not_crashes(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n \t\n")
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "noise.txt").write_bytes(bytes(range(1, 32)) * 20)
    reasons = {p.name: read_all(p)[0] for p in sorted(tmp_path.iterdir())}
    assert all(isinstance(r, ReadError) for r in reasons.values())
    assert {reasons[n].reason for n in ("empty.txt", "blank.txt", "empty.jsonl")} == {"empty file"}
    assert "binary" in reasons["image.html"].reason and "binary" in reasons["noise.txt"].reason


def test_decode_never_fails_on_any_bytes():
    assert isinstance(decode(bytes(range(256))), str)
    assert decode("naïve".encode("utf-8")) == "naïve"
    assert decode(b"\x93quoted\x94") == "“quoted”"


def test_manifest_supplies_metadata_and_a_bad_manifest_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Body text of the article.", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(json.dumps({"a.txt": {"outlet": "Example", "title": "A title"}}))
    raw = only_article(tmp_path / "a.txt")
    assert raw.meta == {"outlet": "Example", "title": "A title"} and raw.id == "a"
    (tmp_path / "manifest.json").write_text("{broken")
    items = read_all(tmp_path / "a.txt")
    assert isinstance(items[0], ReadError) and "manifest is not valid JSON" in items[0].reason
    assert isinstance(items[1], RawArticle)


def test_find_sources_walks_directories_and_skips_hidden_and_manifests(tmp_path):
    for name in ("a.txt", "b.html", "c.htm.gz", "d.jsonl", "e.txt.gz", ".hidden.txt", "manifest.json", "f.pdf"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "g.txt").write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for _, p in find_sources([tmp_path])]
    assert found == ["a.txt", "b.html", "c.htm.gz", "d.jsonl", "e.txt.gz", "sub/g.txt"]
    with pytest.raises(ReadError, match="no such file"):
        find_sources([tmp_path / "missing"])

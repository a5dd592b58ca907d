"""Read stage: find source files and turn them into raw articles.

A raw article is what a source says before cleaning: its text or HTML and
whatever metadata came with it (a feed's fields, or the manifest beside
plain-text dumps). Reading never guesses metadata; the cleaner does that.
"""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

SUFFIXES = (".txt", ".html", ".htm", ".html.gz", ".htm.gz", ".jsonl")
MANIFEST = "manifest.json"
FEED_FIELDS = ("id", "url", "outlet", "section", "title", "published", "byline")


class ReadError(Exception):
    """A source that could not be read; ``str()`` is the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(reason)
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class RawArticle:
    id: str
    source: str
    text: str | None = None
    html: str | None = None
    meta: dict = field(default_factory=dict)


def is_source(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and name != MANIFEST and name.endswith(SUFFIXES)


def find_sources(roots: list[Path]) -> list[tuple[Path, Path]]:
    """Every readable source under ``roots``, as (root, path) pairs, sorted.

    A root may be a file or a directory (walked recursively; hidden files skipped).
    """
    found = []
    for root in roots:
        if root.is_file():
            found.append((root.parent, root))
        elif root.is_dir():
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if is_source(path):
                    found.append((root, path))
        else:
            raise ReadError(str(root), "no such file or directory")
    return found


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM) first, else cp1252, else Latin-1.

    Latin-1 maps every byte, so this never fails; cp1252 is tried before it
    because scraped 'Latin-1' is almost always Windows text with curly quotes.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def article_id(root: Path, path: Path) -> str:
    """A stable, URL-safe id from the path below its root: ``business/001.txt`` → ``business-001``."""
    rel = path.relative_to(root) if path != root else Path(path.name)
    stem = str(rel)
    for suffix in (".gz", ".html", ".htm", ".txt", ".jsonl"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "article"


def load_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReadError(str(path), f"manifest is not valid JSON: {exc}") from exc
    return data if isinstance(data, dict) else {}


def read_source(root: Path, path: Path) -> Iterator[RawArticle | ReadError]:
    """The raw articles in one file; problems are yielded as ReadError, never raised."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ReadError(str(path), exc.strerror or str(exc))
        return
    name = path.name.lower()
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            yield ReadError(str(path), f"not a valid gzip file: {exc}")
            return
    if b"\x00" in data[:4096]:
        yield ReadError(str(path), "binary file (NUL bytes), not text")
        return
    text = decode(data)
    if not text.strip():
        yield ReadError(str(path), "empty file")
        return
    if name.endswith(".jsonl"):
        yield from read_feed(path, text)
        return
    try:
        meta = dict(load_manifest(path.parent).get(path.name, {}))
    except ReadError as exc:
        yield exc
        meta = {}
    ident = str(meta.pop("id", "")) or article_id(root, path)
    if name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
        yield RawArticle(id=ident, source=str(path), html=text, meta=meta)
    else:
        yield RawArticle(id=ident, source=str(path), text=text, meta=meta)


def read_feed(path: Path, text: str) -> Iterator[RawArticle | ReadError]:
    """JSON Lines: one article per line with id, url, outlet, section, title, published, byline, text or html."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except ValueError as exc:
            yield ReadError(where, f"invalid JSON: {exc}")
            continue
        if not isinstance(item, dict):
            yield ReadError(where, "a feed line must be a JSON object")
            continue
        ident = item.get("id")
        if not isinstance(ident, (str, int)) or isinstance(ident, bool) or not str(ident).strip():
            yield ReadError(where, "missing or invalid 'id' (a non-empty string is required)")
            continue
        body, html = item.get("text"), item.get("html")
        if not isinstance(body, str) and not isinstance(html, str):
            yield ReadError(where, "needs a 'text' or 'html' string")
            continue
        meta = {}
        for key in FEED_FIELDS[1:]:
            value = item.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                yield ReadError(where, f"field '{key}' must be a string")
                break
            meta[key] = value
        else:
            yield RawArticle(
                id=str(ident).strip(),
                source=where,
                text=body if isinstance(body, str) else None,
                html=html if isinstance(html, str) and not isinstance(body, str) else None,
                meta=meta,
            )

"""Read stage: find source files and turn them into raw articles.

A raw article is what a source says before cleaning: its text or HTML and
whatever metadata came with it (a feed's fields, or the manifest beside
plain-text dumps). Reading never guesses metadata; the cleaner does that.
"""
from __future__ import annotations

import codecs
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import ftfy

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".txt.gz", ".html.gz", ".htm.gz", ".jsonl.gz", ".warc", ".warc.gz")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
MANIFEST = "manifest.json"
FEED_FIELDS = ("id", "url", "outlet", "section", "title", "published", "byline", "language")
#: File names (before the first dot, any case) that describe a collection rather than report news.
NOT_ARTICLES = frozenset({"readme", "license", "licence", "copying", "changelog", "notice", "authors"})


#: The largest single article Lede reads, in bytes (a file, or one feed line). The
#: longest real news pages are a few MB of HTML; anything larger is not an
#: article, and cleaning it would hold many times its size in memory.
MAX_ARTICLE_BYTES = 16 * 1024 * 1024
#: The largest a .gz source may inflate to (bytes): a feed of many articles may be big, a zip bomb may not.
MAX_INFLATED_BYTES = 1024 * 1024 * 1024


class SourceError(Exception):
    """A source that could not be read or fetched: ``where`` it is, and the ``reason`` (also ``str()``)."""

    def __init__(self, where: str, reason: str):
        super().__init__(reason)
        self.where = where
        self.reason = reason


class ReadError(SourceError):
    """A file, folder or feed line that could not be read (``where``: its path, or path:line)."""


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


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset=["']?([A-Za-z0-9_.:-]{2,40})""", re.I)


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text, never failing: a BOM's encoding, UTF-8, the declared charset, cp1252, Latin-1.

    UTF-8 goes before the declared charset because pages often declare one
    thing and send UTF-8. cp1252 is tried before Latin-1 because scraped
    "Latin-1" is almost always Windows text with curly quotes; Latin-1 maps
    every byte, so it always succeeds. Mojibake already in the text (UTF-8
    once read as Windows-1252: "â€™") is repaired.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return repair(data.decode(encoding))
            except UnicodeDecodeError:
                break
    candidates = ["utf-8", declared, "cp1252"]
    for encoding in candidates:
        if not encoding:
            continue
        try:
            return repair(data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            pass
    return repair(data.decode("latin-1"))


#: The marks of mojibake: UTF-8 read as Windows-1252 or Latin-1 ("â€™", "Ã©"). A cheap C-speed
#: test first; ftfy (slow on long text) runs only where it matches.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                       "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
                       "\u2039\u203a\u20ac\u2122]")
_FTFY = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
                             fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
                             remove_control_chars=False, normalization=None, explain=False)


#: Every mark of _MOJIBAKE starts with one of these (UTF-8 lead bytes read as Windows-1252);
#: ``in`` finds them far faster than the regex scans a page.
_LEADS = ("\u00e2", "\u00c3", "\u00c2", "\u00c5", "\u00ce", "\u00d0", "\u00d1")
_RUN_ENDS = "\n<>"


def repair(text: str) -> str:
    """``text`` with mojibake repaired ("Mexicoâ€™s" → "Mexico’s"); anything else left as it is.

    ftfy (about 0.5 ms per KB) sees only the runs of text, between newlines
    and tags, that hold a mark of mojibake — not the whole page.
    """
    if not text or not any(lead in text for lead in _LEADS):
        return text
    out, done = [], 0
    for mark in _MOJIBAKE.finditer(text):
        if mark.start() < done:
            continue
        start = max(done, max(text.rfind(c, 0, mark.start()) for c in _RUN_ENDS) + 1)
        ends = [i for i in (text.find(c, mark.end()) for c in _RUN_ENDS) if i >= 0]
        end = min(ends, default=len(text))
        out += [text[done:start], ftfy.fix_text(text[start:end], _FTFY)]
        done = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB (``<meta charset>`` or http-equiv), if any."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 4 KB (text files in a BOM'd UTF-16/32 are not binary)."""
    head = data[:4096]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(head) // 50)


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
    name = path.name.lower()
    if name.split(".")[0] in NOT_ARTICLES:
        yield ReadError(str(path), "not an article: a README or licence file")
        return
    if name.endswith((".warc", ".warc.gz")):
        from .warc import read_warc  # warc.py builds on this module's decoding: imported here, not above

        yield from read_warc(path)
        return
    is_feed = name.endswith((".jsonl", ".jsonl.gz"))
    try:
        if not is_feed and not name.endswith(".gz") and path.stat().st_size > MAX_ARTICLE_BYTES:
            yield ReadError(str(path), _too_large(path.stat().st_size))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield ReadError(str(path), exc.strerror or str(exc))
        return
    if name.endswith(".gz"):
        try:
            data = inflate(data, MAX_INFLATED_BYTES if is_feed else MAX_ARTICLE_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            yield ReadError(str(path), f"not a valid gzip file: {exc}")
            return
        except ValueError as exc:
            yield ReadError(str(path), str(exc))
            return
    if looks_binary(data):
        yield ReadError(str(path), "binary file (NUL or control bytes), not text")
        return
    if is_feed:
        if not data.strip():
            yield ReadError(str(path), "empty file")
        yield from read_feed(path, data)
        return
    is_html = name.endswith(HTML_SUFFIXES)
    text = decode(data, declared_charset(data) if is_html else None)
    if not text.strip():
        yield ReadError(str(path), "empty file")
        return
    try:
        meta = dict(load_manifest(path.parent).get(path.name, {}))
    except ReadError as exc:
        yield exc
        meta = {}
    ident = str(meta.pop("id", "")) or article_id(root, path)
    if is_html:
        yield RawArticle(id=ident, source=str(path), html=text, meta=meta)
    else:
        yield RawArticle(id=ident, source=str(path), text=text, meta=meta)


def _too_large(size: int) -> str:
    return (f"{size / 2**20:.0f} MB is larger than one article can be ({MAX_ARTICLE_BYTES // 2**20} MB): "
            "split it into articles (e.g. a .jsonl feed, one per line)")


def inflate(data: bytes, limit: int) -> bytes:
    """gunzip, refusing (ValueError) to inflate past ``limit`` bytes."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit:
        raise ValueError(_too_large(len(out)) if limit == MAX_ARTICLE_BYTES
                         else f"inflates to more than {limit // 2**20} MB: split it into smaller feeds")
    if not inflater.eof:
        raise EOFError("compressed file ended before the end-of-stream marker was reached")
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_unicode(value):
    """Strings with lone surrogates (JSON allows "\\ud800") repaired to U+FFFD, so they can be encoded,
    and mojibake repaired."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = _SURROGATE.sub("\ufffd", value)
        return repair(value)
    return value


def read_feed(path: Path, data: bytes) -> Iterator[RawArticle | ReadError]:
    """JSON Lines: one article per line with id, url, outlet, section, title, published, byline, text or html.

    Lines are decoded one at a time (any encoding, as ``decode``), so a bad
    line is reported alone and a big feed is never copied whole.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for number, raw_line in enumerate(io.BytesIO(data), 1):
        if not raw_line.strip():
            continue
        where = f"{path}:{number}"
        if len(raw_line) > MAX_ARTICLE_BYTES:
            yield ReadError(where, _too_large(len(raw_line)))
            continue
        try:
            item = json.loads(decode(raw_line))
        except ValueError as exc:
            yield ReadError(where, f"invalid JSON: {exc}")
            continue
        if isinstance(item, dict):
            item = {key: _valid_unicode(value) for key, value in item.items() if key in FEED_FIELDS + ("text", "html")}
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

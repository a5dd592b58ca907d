"""Source inventory: what each source file gave a generation, and what changed since.

Each generation keeps ``sources.json``: for every source file its size,
mtime, content hash (and the hash of the ``manifest.json`` whose metadata it
takes), and the articles it yielded, each with the hash of its raw form, the
hash of its cleaned text, its outlet and section, and whether it was folded
into an identical article. The next rebuild compares the sources on disk with
that inventory, in three steps, each cheaper than the next would be:

1. same size and mtime (one ``stat``) → unchanged, not even read;
2. otherwise the content hash decides → unchanged if equal;
3. a changed file is read again, and of its articles only those whose raw
   hash changed are cleaned again (one edited line of a feed is one article).

The inventory also records a fingerprint of the code that turns sources into
documents (reader, cleaner, document, schema, their rules): when it differs,
earlier cleaning is stale and the rebuild is a full one.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..article import Article
from ..extract.read import MANIFEST, RawArticle
from .files import write_json

INVENTORY = "sources.json"
#: A WARC file's size divided by this estimates its articles, for the progress bar only.
WARC_BYTES_PER_ARTICLE = 30_000
FORMAT = 1

#: Files of the index package (paths relative to it) that do not change what gets
#: indexed; editing them does not make earlier cleaning stale. Everything else in
#: the package (extract/, analysis, schema, store/document.py, store/segment.py, ...)
#: is part of the fingerprint.
ORCHESTRATION = frozenset({
    "__init__.py", "__main__.py", "cli.py", "progress.py", "report.py", "status.py",
    "store/__init__.py", "store/build.py", "store/commit.py", "store/decide.py", "store/files.py",
    "store/generations.py", "store/sources.py", "store/workers.py",
    # Fetching only decides what the archives hold; their content is compared itself.
    "extract/fetch.py", "extract/ingest.py", "extract/sourcefile.py",
})


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_hash(path: Path) -> str:
    return hash_and_lines(path)[0]


def hash_and_lines(path: Path) -> tuple[str, int]:
    """The content hash of a file and its number of lines (a feed's article count, near enough)."""
    h = hashlib.blake2b(digest_size=16)
    lines = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            lines += chunk.count(b"\n")
    return h.hexdigest(), lines


def item_hash(raw: RawArticle) -> str:
    """The hash of what a source says about one article (its line number in a feed excluded,
    so that inserting a line does not make every later article look changed)."""
    return digest(json.dumps([raw.id, raw.text, raw.html, raw.meta], sort_keys=True,
                             ensure_ascii=False).encode("utf-8"))


def text_key(article: Article) -> str:
    """Identity of a cleaned article for folding duplicates: outlet, title and every kept paragraph.

    The outlet is part of it: the same wire story run by two outlets is two
    outlets' coverage, and both stay searchable.
    """
    parts = [article.outlet, article.title, *(p.text for p in article.paragraphs)]
    return digest("\x00".join(parts).encode("utf-8"))


#: The index package, whose files the pipeline fingerprint hashes.
PACKAGE = Path(__file__).resolve().parent.parent


def pipeline_fingerprint(package: Path = PACKAGE) -> str:
    """A hash of every file of the index package that shapes the documents, and Whoosh's version."""
    import whoosh

    h = hashlib.blake2b(digest_size=16)
    h.update(repr(whoosh.versionstring()).encode())
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package)
        if not path.is_file() or "__pycache__" in rel.parts or path.suffix == ".pyc":
            continue
        if rel.as_posix() in ORCHESTRATION:
            continue
        h.update(str(rel).encode() + b"\x00" + path.read_bytes() + b"\x00")
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Item:
    """One article a source yielded, as the generation holds it."""

    id: str
    hash: str  # item_hash of the raw article
    key: str  # text_key of the cleaned article
    outlet: str
    section: str
    folded_into: str = ""  # id of the identical article indexed instead; "" when indexed itself

    def to_json(self) -> list:
        return [self.id, self.hash, self.key, self.outlet, self.section, self.folded_into]

    @classmethod
    def from_json(cls, row: list) -> "Item":
        return cls(*row)


@dataclass(slots=True)
class SourceRecord:
    path: str  # absolute
    size: int
    mtime_ns: int
    hash: str
    manifest: str | None  # hash of the manifest.json it takes metadata from, if any
    items: list[Item] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)

    def to_json(self) -> dict:
        return {"path": self.path, "size": self.size, "mtime_ns": self.mtime_ns, "hash": self.hash,
                "manifest": self.manifest, "items": [i.to_json() for i in self.items],
                "skipped": [list(s) for s in self.skipped]}

    @classmethod
    def from_json(cls, data: dict) -> "SourceRecord":
        return cls(data["path"], data["size"], data["mtime_ns"], data["hash"], data.get("manifest"),
                   [Item.from_json(r) for r in data.get("items", ())],
                   [tuple(s) for s in data.get("skipped", ())])


@dataclass(slots=True)
class Inventory:
    fingerprint: str
    roots: list[str]
    sources: dict[str, SourceRecord]  # by absolute path
    manifests: dict[str, list]  # directory → [size, mtime_ns, hash]

    def items(self):
        for record in self.sources.values():
            yield from record.items

    def indexed(self):
        """The items that are documents of the generation (not folded)."""
        return (i for i in self.items() if not i.folded_into)

    def skipped(self) -> list[tuple[str, str]]:
        return [s for record in self.sources.values() for s in record.skipped]

    def save(self, generation: Path) -> None:

        write_json(generation / INVENTORY, {
            "format": FORMAT, "fingerprint": self.fingerprint, "roots": self.roots,
            "manifests": self.manifests,
            "sources": [r.to_json() for r in self.sources.values()],
        })

    @classmethod
    def load(cls, generation: Path) -> "Inventory | None":
        """The generation's inventory, or None when it has none (or one this code cannot read)."""
        try:
            data = json.loads((generation / INVENTORY).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        records = [SourceRecord.from_json(r) for r in data.get("sources", ())]
        return cls(data.get("fingerprint", ""), data.get("roots", []),
                   {r.path: r for r in records}, data.get("manifests", {}))


@dataclass(frozen=True, slots=True)
class ToRead:
    root: Path
    path: Path
    key: str  # absolute path
    size: int
    mtime_ns: int
    hash: str
    manifest: str | None
    articles: int = 1  # an estimate, for progress


@dataclass(slots=True)
class Plan:
    """What a rebuild must do, decided from the sources on disk and the live inventory."""

    unchanged: list[SourceRecord]
    to_read: list[ToRead]
    vanished: list[SourceRecord]
    manifests: dict[str, list]

    @property
    def nothing_changed(self) -> bool:
        return not self.to_read and not self.vanished


class ManifestHashes:
    """Hashes of the ``manifest.json`` files beside text and HTML sources, stat-checked like sources."""

    def __init__(self, known: dict[str, list]):
        self.known = known
        self.seen: dict[str, list] = {}

    def of(self, directory: Path) -> str | None:
        key = os.path.abspath(directory)
        if key not in self.seen:
            path = Path(key) / MANIFEST
            try:
                st = path.stat()
            except (FileNotFoundError, NotADirectoryError):
                self.seen[key] = [0, 0, None]
            else:
                old = self.known.get(key)
                if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
                    self.seen[key] = old
                else:
                    self.seen[key] = [st.st_size, st.st_mtime_ns, file_hash(path)]
        return self.seen[key][2]


def plan(found: list[tuple[Path, Path]], old: Inventory | None, overrides=None) -> Plan:
    """Sort the sources on disk into unchanged, to read, and vanished (``old`` None: read all).

    ``overrides(path)``: the sources file's overrides of a source as text, or
    None; they count as part of its manifest, so changing them re-reads it.
    """
    old_sources = old.sources if old else {}
    manifests = ManifestHashes(old.manifests if old else {})
    unchanged, to_read, present = [], [], {}
    for root, path in found:
        key = os.path.abspath(path)
        if key in present:
            continue  # the same file under two roots
        present[key] = (root, path)
        try:
            st = path.stat()
            manifest = None if path.name.lower().endswith((".jsonl", ".warc", ".warc.gz")) \
                else manifests.of(path.parent)
            extra = overrides(path) if overrides else None
            if extra is not None:
                manifest = digest(f"{manifest}\x00{extra}".encode("utf-8"))
        except OSError:  # gone since it was found: reading it will say why, and skip it
            to_read.append(ToRead(root, path, key, 0, 0, "", None))
            continue
        record = old_sources.get(key)
        if record and record.manifest == manifest and (record.size, record.mtime_ns) == (st.st_size, st.st_mtime_ns):
            unchanged.append(record)
            continue
        try:
            content, lines = hash_and_lines(path)
        except OSError:
            to_read.append(ToRead(root, path, key, 0, 0, "", manifest))
            continue
        if record and record.manifest == manifest and record.hash == content:
            record.size, record.mtime_ns = st.st_size, st.st_mtime_ns
            unchanged.append(record)
            continue
        estimate = max(lines, 1) if path.name.lower().endswith(".jsonl") else \
            max(1, st.st_size // WARC_BYTES_PER_ARTICLE) if path.name.lower().endswith((".warc", ".warc.gz")) else 1
        to_read.append(ToRead(root, path, key, st.st_size, st.st_mtime_ns, content, manifest, estimate))
    vanished = [r for k, r in old_sources.items() if k not in present]
    changed = [old_sources[t.key] for t in to_read if t.key in old_sources]
    for record in orphaned_folds(unchanged, changed + vanished):
        unchanged.remove(record)
        root, path = present[record.path]
        to_read.append(ToRead(root, path, record.path, record.size, record.mtime_ns, record.hash,
                              record.manifest, len(record.items) + len(record.skipped)))
    return Plan(unchanged, to_read, vanished,
                {k: v for k, v in manifests.seen.items() if v[2] is not None})


def orphaned_folds(unchanged: list[SourceRecord], in_flux: list[SourceRecord]) -> list[SourceRecord]:
    """Unchanged sources holding a folded article whose original is in a changed or vanished source.

    They are read again, so that the folded copy can take the original's place
    if the original changes or goes (whether it does is known only after reading).
    """
    flux_ids = {i.id for r in in_flux for i in r.items if not i.folded_into}
    return [r for r in unchanged if any(i.folded_into in flux_ids for i in r.items if i.folded_into)]

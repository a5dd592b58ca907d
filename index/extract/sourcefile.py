"""The sources file (``lede.toml``): what a rebuild indexes, with per-source metadata overrides.

    [fetch]                      # optional: FetchSettings (fetch.py), e.g. the contact address
    contact = "newsdesk@example.org"

    [[source]]
    location = "https://example.org/rss.xml"   # a URL, a file or a folder (relative to this file)
    outlet = "Example News"                     # optional overrides for every article of the source
    section = "World"
    language = "en"
    extractor = "fast"                          # optional: "full" (the default) or "fast"

``extractor`` picks how HTML pages find their article text: "full"
(trafilatura, with Lede's placing of captions and standfirsts: the best F1)
or "fast" (Resiliparse: several times the pages per second, a few points of
F1 less; bench/ingest.py measures both). It is carried to the cleaner in the
raw article's metadata, so changing it re-cleans the source's articles.

A ``Source`` is one entry: its location and overrides. ``--source`` values
on the command line are Sources without overrides. The live generation
records the Sources it was built from, so a rebuild without ``--source``
repeats them (cli.py decides which list a rebuild uses).
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_FILE = "lede.toml"
OVERRIDES = ("outlet", "section", "language", "extractor")
#: The extractors a source may name; the first is the default (index/extract/html.py: ``extract``).
EXTRACTORS = ("full", "fast")


class SourcesFileError(Exception):
    """A sources file that cannot be used; ``str()`` names the file and the problem."""


@dataclass(frozen=True)
class Source:
    location: str  # an http(s) URL, or an absolute path
    outlet: str = ""
    section: str = ""
    language: str = ""
    extractor: str = ""  # "" or "full": the default extractor; "fast": Resiliparse (see the module's text)

    @property
    def is_url(self) -> bool:
        return is_url(self.location)

    def overrides(self) -> dict:
        found = {k: getattr(self, k) for k in OVERRIDES if getattr(self, k)}
        if found.get("extractor") == EXTRACTORS[0]:
            del found["extractor"]  # the default: the same digest, so no re-read, as a source without it
        return found

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v}

    @classmethod
    def from_json(cls, data) -> "Source":
        if isinstance(data, str):
            return cls(data)
        return cls(**{k: str(v) for k, v in data.items() if k in ("location",) + OVERRIDES})


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def source_of(location, base: Path | None = None, **overrides) -> Source:
    """A Source from a command-line or sources-file location (paths made absolute, against ``base``)."""
    text = str(location)
    if is_url(text):
        return Source(text, **overrides)
    if "://" in text:
        raise SourcesFileError(f"{text}: only http:// and https:// URLs are fetched")
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    return Source(str(path.absolute()), **overrides)


def load(path: Path) -> tuple[list[Source], dict]:
    """The sources a sources file lists, and its ``[fetch]`` table; SourcesFileError when unusable."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesFileError(f"{path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesFileError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"source", "fetch"}
    if unknown:
        raise SourcesFileError(f"{path}: unknown table {sorted(unknown)[0]!r} (expected [[source]] and [fetch])")
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise SourcesFileError(f"{path}: lists no [[source]] entries")
    sources = []
    for number, entry in enumerate(entries, 1):
        where = f"{path}: source {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("location"), str):
            raise SourcesFileError(f"{where} needs a location (a URL, file or folder)")
        extra = set(entry) - {"location", *OVERRIDES}
        if extra:
            raise SourcesFileError(f"{where}: unknown key {sorted(extra)[0]!r} "
                                   f"(a source has location, {', '.join(OVERRIDES)})")
        for key in OVERRIDES:
            if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
                raise SourcesFileError(f"{where}: {key} must be a non-empty string")
        if entry.get("extractor", EXTRACTORS[0]).strip() not in EXTRACTORS:
            raise SourcesFileError(f"{where}: extractor must be one of {', '.join(map(repr, EXTRACTORS))}, "
                                   f"not {entry['extractor']!r}")
        try:
            sources.append(source_of(entry["location"], Path(path).parent,
                                     **{k: entry[k].strip() for k in OVERRIDES if k in entry}))
        except SourcesFileError as exc:
            raise SourcesFileError(f"{where}: {exc}") from None
    fetch = data.get("fetch", {})
    if not isinstance(fetch, dict):
        raise SourcesFileError(f"{path}: [fetch] must be a table")
    return sources, fetch


class Overrides:
    """Which overrides apply to a source file: those of the innermost Source holding it."""

    def __init__(self, specs: list[Source], roots: list[Path]):
        self.by_root = {str(Path(root).absolute()): spec.overrides()
                        for spec, root in zip(specs, roots) if spec.overrides()}

    def of(self, path: Path) -> dict:
        path = str(Path(path).absolute())
        best = ""
        for root in self.by_root:
            if (path == root or path.startswith(root.rstrip("/") + "/")) and len(root) > len(best):
                best = root
        return self.by_root.get(best, {})

    def digest(self, path: Path) -> str | None:
        """A stable text of the overrides of ``path`` (None when none apply), so a change re-reads it."""
        found = self.of(path)
        return json.dumps(found, sort_keys=True) if found else None

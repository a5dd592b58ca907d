"""The rebuild's summary: what it indexed, updated, removed, kept, folded and skipped, and how fast.

``Summary`` is the value ``build.rebuild`` returns; ``render`` turns it into
the text the CLI prints and ``Summary.to_json`` into ``rebuild --json``.
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field

#: Per-outlet columns, in the order they are printed.
COLUMNS = ("indexed", "updated", "removed", "unchanged", "folded", "documents")
#: Folded pairs listed in the text summary (--json lists all).
FOLDS_SHOWN = 10


@dataclass
class Summary:
    generation: str = ""  # the live generation after the rebuild
    made_live: bool = False  # whether this rebuild made a new generation live
    mode: str = "full"  # full | incremental | unchanged
    why: str = ""  # why a rebuild was full, or why nothing was done
    documents: int = 0  # documents in the live generation afterwards
    per_outlet: dict = field(default_factory=lambda: defaultdict(Counter))  # outlet → Counter over COLUMNS
    removed_by_reason: Counter = field(default_factory=Counter)  # boilerplate, in articles cleaned this time
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    folded: list[tuple[str, str]] = field(default_factory=list)  # (id, id of the identical article indexed)
    sources: int = 0  # source files found
    sources_read: int = 0  # of which read this time
    sources_vanished: int = 0
    cleaned: int = 0  # articles cleaned this time
    fetched: list = field(default_factory=list)  # ingest.Fetched of each URL source, as dicts
    seconds: float = 0.0

    def count(self, column: str) -> int:
        return sum(c[column] for c in self.per_outlet.values())

    @property
    def indexed(self) -> int:
        """Articles new to the index in this rebuild."""
        return self.count("indexed")

    @property
    def rate(self) -> float:
        """Articles cleaned and indexed per second."""
        return self.cleaned / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict:
        counts = {c: self.count(c) for c in COLUMNS[:-1]}
        return {
            "generation": self.generation,
            "made_live": self.made_live,
            "mode": self.mode,
            "why": self.why,
            "documents": self.documents,
            "indexed": counts["indexed"],
            "counts": {**counts, "skipped": len(self.skipped)},
            "per_outlet": {o: {c: n[c] for c in COLUMNS} for o, n in sorted(self.per_outlet.items())},
            "removed_by_reason": dict(sorted(self.removed_by_reason.items())),
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "folded": [{"id": i, "into": into} for i, into in self.folded],
            "sources": {"found": self.sources, "read": self.sources_read, "vanished": self.sources_vanished},
            "cleaned": self.cleaned,
            "fetched": self.fetched,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.rate, 1),
        }


def headline(s: Summary, index_dir) -> str:
    where = f"{index_dir}/{s.generation}"
    timing = f"in {s.seconds:.2f}s"
    if s.cleaned:
        timing += f" ({s.rate:.0f} articles/s)"
    if s.mode == "unchanged":
        return (f"nothing changed: {where} stays live with {s.documents} articles "
                f"({s.sources} sources checked {timing})")
    if s.mode == "full":
        return f"indexed {s.documents} articles into {where} {timing} (full rebuild: {s.why})"
    return (f"updated the index into {where} {timing}: {s.count('indexed')} new, "
            f"{s.count('updated')} updated, {s.count('removed')} removed, "
            f"{s.count('unchanged')} unchanged; {s.documents} articles live")


def render(s: Summary, index_dir) -> str:
    """The summary as the CLI prints it: headline, per-outlet table, boilerplate, folds, skips."""
    lines = [headline(s, index_dir)]
    width = max([len("outlet"), len("total")] + [len(o) for o in s.per_outlet])
    lines.append("  " + "outlet".ljust(width) + "".join(f"{c:>11}" for c in COLUMNS))
    for outlet, counts in sorted(s.per_outlet.items()):
        lines.append("  " + outlet.ljust(width) + "".join(f"{counts[c]:>11}" for c in COLUMNS))
    lines.append("  " + "total".ljust(width) + "".join(f"{s.count(c):>11}" for c in COLUMNS))
    lines.append(f"sources: {s.sources} found, {s.sources_read} read, {s.sources_vanished} gone; "
                 f"{s.cleaned} articles cleaned")
    lines.extend(fetch_line(f) for f in s.fetched)
    if s.removed_by_reason:
        lines.append("boilerplate removed: " + ", ".join(
            f"{n} × {reason}" for reason, n in s.removed_by_reason.most_common()))
    if s.folded:
        lines.append(f"duplicates folded: {len(s.folded)} identical articles indexed once")
        lines.extend(f"  folded {i} into {into}" for i, into in s.folded[:FOLDS_SHOWN])
        if len(s.folded) > FOLDS_SHOWN:
            lines.append(f"  … and {len(s.folded) - FOLDS_SHOWN} more (all of them in --json)")
    if s.skipped:
        lines.append(f"skipped {len(s.skipped)}:")
        lines.extend(f"skipped {path}: {reason}" for path, reason in s.skipped)
    return "\n".join(lines)


def fetch_line(f: dict) -> str:
    """One URL source's refresh: ``fetched URL: feed, HTTP 304, 3 requests (3 conditional), 50 articles``."""
    status = f["status"] if isinstance(f["status"], str) else f"HTTP {f['status']}"
    return (f"fetched {f['source']}: {f['kind'] or 'nothing'}, {status}, {f['requests']} requests "
            f"({f['conditional']} conditional), {f['articles']} articles, {len(f['skipped'])} skipped"
            f"{f', {rechecked} re-checked for edits' if (rechecked := f.get('rechecked')) else ''}"
            f"{'' if f['changed'] else ', unchanged'}")


def finish(run, errors: tuple, unchanged: str, as_json: bool, render_text) -> int:
    """Run a rebuild and print its outcome: the summary (``--json``: as JSON, else ``render_text``'s
    lines), or one ``error:`` line saying ``unchanged`` is unchanged. Returns the exit status."""
    try:
        summary = run()
    except errors as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"error: interrupted — {unchanged} unchanged", file=sys.stderr)
        return 130
    print(json.dumps(summary.to_json(), ensure_ascii=False) if as_json else render_text(summary))
    return 0

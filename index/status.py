"""What the live generation holds: when it was built, how many documents, per outlet and section, from what.

Counts come from the index itself (a facet count over every live document),
not from the build's records, so ``status`` also shows that the generation
opens and answers.
"""
from __future__ import annotations

import json
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from .store import generations
from .extract import ingest
from . import schema as f
from .extract.sourcefile import Source
from .store.sources import Inventory

#: Sections listed by the text output before "… and N more" (``--json`` lists all).
SECTIONS_SHOWN = 25


def status(index_dir: Path) -> dict:
    """The live generation's facts; raises generations.NoIndex when there is none."""
    gen = generations.live_generation(index_dir)
    info = json.loads((gen / generations.BUILD_INFO).read_text(encoding="utf-8"))
    ix = whoosh_index.open_dir(str(gen))
    with ix.searcher() as searcher:
        results = searcher.search(wq.Every(), groupedby=[f.OUTLET, f.SECTION], limit=1)
        outlets = {k: len(v) for k, v in results.groups(f.OUTLET).items()}
        sections = {k: len(v) for k, v in results.groups(f.SECTION).items()}
        documents = searcher.doc_count()
    inventory = Inventory.load(gen)
    previous = generations.previous_generation(index_dir)
    summary = info.get("summary", {})
    return {
        "index_dir": str(index_dir),
        "generation": gen.name,
        "built_at": info.get("built_at"),
        "mode": summary.get("mode"),
        "seconds": summary.get("seconds"),
        "documents": documents,
        "per_outlet": dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
        "per_section": dict(sorted(sections.items(), key=lambda kv: (-kv[1], kv[0]))),
        "roots": info.get("sources", []),
        "source_files": len(inventory.sources) if inventory else None,
        "skipped": [{"path": p, "reason": r} for p, r in inventory.skipped()] if inventory else [],
        "folded": sum(1 for i in inventory.items() if i.folded_into) if inventory else 0,
        "previous": previous.name if previous else None,
        "per_source": per_source(index_dir, info, inventory),
    }


def per_source(index_dir: Path, info: dict, inventory: Inventory | None) -> list[dict]:
    """Each source the live generation was built from: its last fetch, HTTP status, articles and skips.

    Local sources have no fetch: their "last fetch" is when the generation was built.
    """
    reports = ingest.load_reports(index_dir)
    out = []
    for spec in (Source.from_json(s) for s in info.get("specs") or info.get("sources") or []):
        report = reports.get(spec.location, {})
        root = str(ingest.archive_path(index_dir, spec.location).absolute()) if spec.is_url else spec.location
        records = [r for path, r in (inventory.sources.items() if inventory else ())
                   if path == root or path.startswith(root.rstrip("/") + "/")]
        out.append({
            "source": spec.location,
            "overrides": spec.overrides(),
            "last_fetch": report.get("fetched_at") if spec.is_url else info.get("built_at"),
            "http_status": report.get("status") if spec.is_url else None,
            "requests": report.get("requests", 0),
            "articles": sum(1 for r in records for i in r.items if not i.folded_into),
            "skipped": sum(len(r.skipped) for r in records),
        })
    return out


def render(st: dict) -> str:
    lines = [
        f"live generation: {st['index_dir']}/{st['generation']}",
        f"built: {st['built_at']} ({st['mode']} rebuild, {st['seconds']}s)",
        f"documents: {st['documents']}",
        f"previous: {st['previous'] or 'none (rollback not available)'}",
        "sources: " + ", ".join(st["roots"]) + (
            f" ({st['source_files']} files; {len(st['skipped'])} skipped, {st['folded']} duplicates folded)"
            if st["source_files"] is not None else ""),
        "per outlet:",
    ]
    width = max([len(k) for k in st["per_outlet"]] + [len(k) for k in st["per_section"]] + [1])
    lines.extend(f"  {k.ljust(width)} {v:>8}" for k, v in st["per_outlet"].items())
    lines.append("per section:")
    sections = list(st["per_section"].items())
    lines.extend(f"  {k.ljust(width)} {v:>8}" for k, v in sections[:SECTIONS_SHOWN])
    if len(sections) > SECTIONS_SHOWN:
        lines.append(f"  … and {len(sections) - SECTIONS_SHOWN} more (all of them in --json)")
    for h in st.get("per_source", []):
        status = f"HTTP {h['http_status']}" if isinstance(h["http_status"], int) else (h["http_status"] or "local")
        lines.append(f"source {h['source']}: {h['articles']} articles, {h['skipped']} skipped; "
                     f"last fetch {h['last_fetch']} ({status})")
    for item in st["skipped"]:
        lines.append(f"skipped {item['path']}: {item['reason']}")
    return "\n".join(lines)

"""GET /api/export: every match of a search as a CSV or JSON Lines download, streamed.

The search library (search/export.py) yields one row at a time; this view only turns rows into
bytes, a chunk of rows per write, so a 100k-article export holds one chunk in memory. CSV is
written for spreadsheets: UTF-8 with a byte-order mark (Excel reads UTF-8 only with one), a
header row, quoting by the csv module, and formula injection neutralised — a text cell that a
spreadsheet would run as a formula gets a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote

from flask import Blueprint, current_app, request

from search import BadQuery, SearchRequest
from search import export as exporting

from .engine import get_engine

bp = Blueprint("export", __name__)

FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
FIELDS = ("text",)  # extra columns ``fields`` may ask for
ROWS_PER_CHUNK = 256  # rows turned into one write: fewer, larger writes without holding the export
#: What a spreadsheet reads as the start of a formula (OWASP's list: = + - @, tab and carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
FILENAME_WORDS = 8  # words of the query kept in the download's file name
_WORD = re.compile(r"\w+")


def neutralise(value) -> str:
    """A CSV cell that no spreadsheet evaluates: text starting like a formula gets a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(rows, columns):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(columns)
    for n, row in enumerate(rows, 1):
        writer.writerow([neutralise(row[c]) for c in columns])
        if n % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def jsonl_chunks(rows, columns):
    lines = []
    for row in rows:
        lines.append(json.dumps(row, ensure_ascii=False))
        if len(lines) == ROWS_PER_CHUNK:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {"csv": csv_chunks, "jsonl": jsonl_chunks}


def filename(q: str, fmt: str) -> str:
    """``lede-tear-gas-embassy.csv`` for q=``"tear gas" embassy``; ``lede-everything.csv`` for no query."""
    words = _WORD.findall(q.lower())[:FILENAME_WORDS]
    return f"lede-{'-'.join(words) or 'everything'}.{fmt}"


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` and, for other letters, RFC 6266's ``filename*``."""
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name)}"
    return header


def choice(name: str, choices, default: str | None) -> str | None:
    value = request.args.get(name) or default
    if value is not None and value not in choices:
        raise BadQuery(f"{name} must be one of {', '.join(choices)}", name)
    return value


@bp.get("/api/export")
def api_export():
    """Every match of the search the parameters describe, as CSV (default) or JSON Lines."""
    fmt = choice("format", tuple(FORMATS), "csv")
    extra = choice("fields", FIELDS, None)
    search_request = SearchRequest.from_params(request.args.get, request.args.getlist)
    found = exporting.export(get_engine(), search_request, text=extra == "text")
    body = WRITERS[fmt](found.rows(), found.columns)
    response = current_app.response_class(body, content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = content_disposition(filename(search_request.q, fmt))
    response.headers["X-Total-Count"] = str(found.total)
    return response


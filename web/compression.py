"""gzip for every text answer when the client accepts it: Flask-Compress, configured once here.

Flask-Compress (a maintained extension) compresses what Flask answers — pages, CSS, JavaScript,
JSON, the feed, and the exports as they stream, chunk by chunk — and adds
``Vary: Accept-Encoding``. Only gzip is offered: every client reads it, and repeats.py, which
answers repeated searches before Flask, sends the same encoding from parts compressed once
(gzip_parts.py). Answers under MIN_SIZE bytes are sent as they are (gzip would not pay).
"""
from __future__ import annotations

from flask_compress import Compress

MIN_SIZE = 500  # bytes
MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
             "application/atom+xml", "image/svg+xml", "text/csv", "application/x-ndjson", "text/plain"]
SETTINGS = {
    "COMPRESS_ALGORITHM": ["gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["gzip"],
    "COMPRESS_MIMETYPES": MIMETYPES,
    "COMPRESS_MIN_SIZE": MIN_SIZE,
    "COMPRESS_LEVEL": 6,
}


def init_app(app) -> None:
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    Compress(app)

"""Repeated /api/search URLs answered from the bytes sent the first time, in front of Flask.

A search page is reloaded, paged back and forth, linked and shared, so the same URL comes
back often. The engine already keeps each request's results, but a cached answer still went
through Flask and Werkzeug: building the request, routing, the view, the response object and
the after-request hooks — three quarters of a repeated request's time in the worker. This
WSGI layer keys on the raw query string and the live generation, and answers a repeat with
the status, headers and body the app produced for it (security headers included), filling in
only ``took_ms`` and Content-Length.

It stores only complete 200 answers to GET /api/search of one generation (one that changed
while the app was answering is not stored), so errors, other routes and other methods
always reach the app. A new generation makes every stored answer unreachable; the LRU
drops them.
"""
from __future__ import annotations

import re
import time

from search import IndexUnavailable
from search.cache import LRUCache

PATH = "/api/search"
SIZE = 512  # answers kept per worker process (a search answer is ~10 KB: ~5 MB)
#: The ``took_ms`` value in an answer: a key, never inside a JSON string (its quotes would be escaped).
TOOK_MS = re.compile(rb'"took_ms":\s*[-0-9.eE+]+')


class RepeatedSearches:
    """WSGI middleware: ``app.wsgi_app = RepeatedSearches(app.wsgi_app, engine)``."""

    def __init__(self, app, engine, size: int = SIZE):
        self.app = app
        self.engine = engine
        self._answers = LRUCache(size)
        self.hits = 0  # answers given from here (tests read it; approximate under threads)

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "GET":
            return self.app(environ, start_response)
        started = time.perf_counter()
        try:
            generation = self.engine.live().generation
        except IndexUnavailable:
            return self.app(environ, start_response)  # the app answers 503 with its message
        key = (generation, environ.get("QUERY_STRING", ""))
        stored = self._answers.get(key)
        if stored is not None:
            status, headers, head, tail = stored
            body = b"%s%s%s" % (head, repr(round((time.perf_counter() - started) * 1000, 2)).encode(), tail)
            start_response(status, [*headers, ("Content-Length", str(len(body)))])
            self.hits += 1
            return [body]
        return self._answer_and_keep(environ, start_response, key)

    def _answer_and_keep(self, environ, start_response, key):
        sent = []

        def keep_status(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.app(environ, keep_status)
        if not sent or not sent[0].startswith("200 "):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        took = TOOK_MS.search(body)
        try:
            same_generation = self.engine.live().generation == key[0]
        except IndexUnavailable:
            same_generation = False
        if took is not None and same_generation:
            headers = [(k, v) for k, v in sent[1] if k.lower() != "content-length"]
            self._answers.put(key, (sent[0], headers, body[:took.start()] + b'"took_ms":', body[took.end():]))
        return [body]

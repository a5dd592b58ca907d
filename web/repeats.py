"""Repeated /api/search URLs answered from the bytes sent the first time, in front of Flask.

A search page is reloaded, paged back and forth, linked and shared, so the same URL comes
back often. This is Lede's one cache of answers: the engine keeps no results of its own
(search/engine.py), because a cached answer that still goes through Flask and Werkzeug —
building the request, routing, the view, the response object and the after-request hooks —
pays three quarters of a repeated request's time in the worker, and a second cache of the same
answer would only hold memory twice and disagree about when to drop it. This WSGI layer keys on
the raw query string and the live generation, and answers a repeat with the status, headers and
body the app produced for it (security headers included), filling in only ``took_ms`` and
Content-Length.

The generation is resolved once per request, here: the request's pinned engine
(web/engine.py) is made before the app runs and handed to it in the environ, so the answer
stored under a generation was computed from that generation, whatever a rebuild does to
CURRENT meanwhile. It stores only complete 200 answers to GET /api/search, so errors, other
routes and other methods always reach the app. A new generation makes every stored answer
unreachable; the LRU drops them.

Compression: the app is asked for the uncompressed answer (the client's Accept-Encoding is not
passed on), which is what is stored; a client that accepts gzip gets it gzipped from parts
compressed once when stored (gzip_parts.py), so a repeat costs a few microseconds more, not a
compression.
"""
from __future__ import annotations

import re
import time

from search import IndexUnavailable
from search.cache import LRUCache

from .engine import request_engine
from .gzip_parts import Parts, accepts_gzip

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
            generation = request_engine(environ, self.engine).live().generation
        except IndexUnavailable:
            return self.app(environ, start_response)  # the app answers 503 with its message
        key = (generation, environ.get("QUERY_STRING", ""))
        gzip = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
        stored = self._answers.get(key)
        if stored is not None:
            self.hits += 1
            took = repr(round((time.perf_counter() - started) * 1000, 2)).encode()
            return self._send(start_response, stored, took, gzip)
        plain = {k: v for k, v in environ.items() if k != "HTTP_ACCEPT_ENCODING"}
        return self._answer_and_keep(plain, start_response, key, gzip)

    @staticmethod
    def _send(start_response, stored, took: bytes, gzip: bool):
        status, headers, head, tail, parts = stored
        if gzip:
            body = parts.body(took)
            headers = [*headers, ("Content-Encoding", "gzip")]
        else:
            body = b"%s%s%s" % (head, took, tail)
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _answer_and_keep(self, environ, start_response, key, gzip: bool):
        sent = []

        def keep_status(status, headers, exc_info=None):
            if exc_info is not None or not status.startswith("200 "):
                return start_response(status, headers, exc_info)
            sent[:] = [status, headers]  # sent by _send, once the answer is read
            return None

        result = self.app(environ, keep_status)
        if not sent:
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        took = TOOK_MS.search(body)
        headers = [(k, v) for k, v in sent[1] if k.lower() != "content-length"]
        if took is None:
            start_response(sent[0], [*headers, ("Content-Length", str(len(body)))])
            return [body]
        head, tail = body[:took.start()] + b'"took_ms":', body[took.end():]
        stored = (sent[0], headers, head, tail, Parts(head, tail))
        self._answers.put(key, stored)  # answered from the generation in ``key`` (the request's pinned engine)
        return self._send(start_response, stored, body[took.start() + len(b'"took_ms":'):took.end()].strip(), gzip)

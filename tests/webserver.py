"""A real HTTP server on 127.0.0.1, in a thread, for the fetching tests: static files plus misbehaving routes.

Files under the served folder get Last-Modified (http.server's own) and an
ETag, and both validators are honoured with 304. Routes that misbehave on
purpose: ``/e500`` (500), ``/e429`` (429 with ``Retry-After: 0``; ``/e429-long`` asks for an hour), ``/slow``
(answers after ``SLOW_S``), ``/loop-a`` ↔ ``/loop-b`` (a redirect loop),
``/moved`` (a redirect to ``/moved-to.html``); ``/robots.txt`` answers with the
status in a ``robots.status`` file, or redirects to the path in ``robots.redirect``. Every request is logged with
its conditional headers.
"""
from __future__ import annotations

import email.utils
import os
import threading
import time
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SLOW_S = 2.0


@dataclass
class Logged:
    path: str
    status: int
    conditional: bool
    user_agent: str


class _Handler(SimpleHTTPRequestHandler):
    server_version = "TestServer/1"

    def log_message(self, *args):  # quiet: the test reads ``server.log`` instead
        pass

    def send_response(self, code, message=None):
        self.server.log.append(Logged(self.path, code, bool(self.headers.get("If-None-Match")
                                                             or self.headers.get("If-Modified-Since")),
                                      self.headers.get("User-Agent", "")))
        super().send_response(code, message)

    def end_headers(self):
        if getattr(self, "etag", None):
            self.send_header("ETag", self.etag)
        super().end_headers()

    def do_GET(self):
        self.etag = None
        route = self.path.split("?")[0]
        if route == "/e500":
            return self.send_error(500)
        if route in ("/e429", "/e429-long"):
            self.send_response(429)
            self.send_header("Retry-After", "0" if route == "/e429" else "3600")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if route == "/slow":
            time.sleep(SLOW_S)
            return self.send_error(404)
        folder = Path(self.directory)
        if route == "/robots.txt" and (folder / "robots.status").exists():
            return self.send_error(int((folder / "robots.status").read_text()))
        redirects = {"/loop-a": "/loop-b", "/loop-b": "/loop-a", "/moved": "/moved-to.html"}
        if (folder / "robots.redirect").exists():
            redirects["/robots.txt"] = (folder / "robots.redirect").read_text()
        if route in redirects:
            self.send_response(302)
            self.send_header("Location", redirects[route])
            self.send_header("Content-Length", "0")
            return self.end_headers()
        return super().do_GET()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isfile(path):
            st = os.stat(path)
            self.etag = f'"{st.st_size:x}-{st.st_mtime_ns:x}"'
            if self.headers.get("If-None-Match") == self.etag:
                self.send_response(304)
                self.send_header("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True))
                self.end_headers()
                return None
        return super().send_head()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that hangs up on purpose (a size cap, a timeout) is not a server error


class Server:
    """``with Server(folder) as s:`` serves ``folder`` at ``s.url``; ``s.log`` lists the requests."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.httpd = None
        self.thread = None

    def __enter__(self) -> "Server":
        folder = str(self.folder)

        class Handler(_Handler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=folder, **kwargs)

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.log = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def log(self) -> list[Logged]:
        return self.httpd.log

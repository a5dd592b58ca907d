"""gunicorn's workers, answering oversized requests in Lede's error shape.

A request line over ``limit_request_line`` (REQUEST_LINE_LIMIT), or headers over
``limit_request_field_size``/``limit_request_fields``, never reach the app: gunicorn answers
itself, as a plain HTML page without Lede's security headers. These workers write that answer
as the app would — the JSON ``{"error": {"code", "message", "param"}}`` of errors.py, with
web/security.py's headers — and leave every other error to gunicorn. Queries longer than a URL
allows are sent in a POST body instead, which these limits do not cover.
"""
from __future__ import annotations

import json

from gunicorn.http import message as gunicorn_message
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.util import write_nonblock
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

from .security import HEADERS

#: bytes a request line may hold: a 10,000-character q (search.request.MAX_QUERY_LENGTH) percent-encodes
#: to at most 120,000 bytes, plus the path and the other parameters.
REQUEST_LINE_LIMIT = 131072

# --- gunicorn internals (gunicorn >= 22; re-check on upgrade) ---------------------------------
# gunicorn caps ``limit_request_line`` at ``http.message.MAX_REQUEST_LINE`` (8190) unless it is 0,
# which reads a line of any length into memory. Raising the module's cap keeps a bound, ours.
# Fallback if the name disappears: set limit_request_line to 8190 and long queries use POST.
gunicorn_message.MAX_REQUEST_LINE = max(gunicorn_message.MAX_REQUEST_LINE, REQUEST_LINE_LIMIT)
# ---------------------------------------------------------------------------------------------

#: exception → (status, reason phrase, error code)
SIZE_ERRORS = {
    LimitRequestLine: (414, "URI Too Long", "uri_too_long"),
    LimitRequestHeaders: (431, "Request Header Fields Too Large", "request_header_fields_too_large"),
}


def size_error(exc: Exception, line_limit: int) -> bytes | None:
    """The whole HTTP answer for a size error, or None for any other error."""
    for kind, (status, reason, code) in SIZE_ERRORS.items():
        if isinstance(exc, kind):
            break
    else:
        return None
    if kind is LimitRequestLine:
        message = (f"the request line is longer than {line_limit:,} bytes — shorten the URL, "
                   "or send a long query as POST /api/search")
    else:
        message = f"the request headers are too large ({exc}) — send fewer or shorter headers"
    body = json.dumps({"error": {"code": code, "message": message, "param": None}}).encode()
    head = [f"HTTP/1.1 {status} {reason}", "Connection: close", "Content-Type: application/json",
            f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in HEADERS.items())]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class SizeErrors:
    """Mixin for a gunicorn worker: size errors answered by ``size_error``, the rest by gunicorn."""

    def handle_error(self, req, client, addr, exc):
        answer = size_error(exc, self.cfg.limit_request_line)
        if answer is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            write_nonblock(client, answer)
        except Exception:  # the client went away: nothing to tell it
            self.log.debug("Failed to send error message.")
        return None


class LedeSyncWorker(SizeErrors, SyncWorker):
    pass


class LedeThreadWorker(SizeErrors, ThreadWorker):
    pass

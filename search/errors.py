"""The search library's exceptions. Each carries what an HTTP layer needs to answer well."""
from __future__ import annotations


class SearchError(Exception):
    status = 500
    code = "search_error"

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.message = message
        self.param = param


class BadQuery(SearchError):
    """The request cannot be answered as asked: a malformed query or an invalid parameter."""

    status = 400
    code = "bad_request"

    def in_query(self, typed: str) -> "BadQuery":
        """This parameter's error for the same filter typed in the query: its message, then where it was typed."""
        return BadQuery(f"{self.message} — in q: {typed}", "q")


class IndexUnavailable(SearchError):
    """No live index generation, or one that cannot be opened; the message names the fix."""

    status = 503
    code = "index_unavailable"

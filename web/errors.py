"""One error handler: JSON for API paths, an HTML page for everything else.

API errors all have one shape, ``{"error": {"code", "message", "param"}}``
(described in openapi.py as ``Error``). Nothing a client sends reaches the
catch-all 500: every expected failure is a named exception with its status.
"""
from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search import SearchError

JSON_PATHS = ("/api/", "/healthz")
#: Headers of an HTTPException's own response that the error answer keeps (405 lists the methods).
KEPT_HEADERS = ("Allow", "Retry-After")


def wants_json() -> bool:
    return request.path.startswith(JSON_PATHS) or request.path == "/api"


def error_response(status: int, code: str, message: str, param: str | None = None, headers=None):
    if wants_json():
        response = jsonify({"error": {"code": code, "message": message, "param": param}})
    else:
        response = render_template("error.html", status=status, message=message, code=code)
    return response, status, headers or {}


def init_app(app) -> None:
    @app.errorhandler(SearchError)
    def search_error(exc: SearchError):
        return error_response(exc.status, exc.code, exc.message, exc.param)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_").replace("-", "_")
        headers = {k: v for k, v in exc.get_headers() if k in KEPT_HEADERS}
        return error_response(exc.code or 500, code, exc.description or exc.name, headers=headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        return error_response(500, "internal_error", "an internal error occurred; it has been logged")

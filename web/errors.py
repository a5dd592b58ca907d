"""One error handler: JSON for API paths, an HTML page for everything else."""
from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search import SearchError


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str, message: str, param: str | None = None):
    if wants_json():
        response = jsonify({"error": {"code": code, "message": message, "param": param}})
        response.status_code = status
        return response
    return render_template("error.html", status=status, message=message), status


def init_app(app) -> None:
    @app.errorhandler(SearchError)
    def search_error(exc: SearchError):
        return error_response(exc.status, exc.code, exc.message, exc.param)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", "an internal error occurred")

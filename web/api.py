"""The JSON API: /api/search, /api/articles/<id>, /healthz."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from search import IndexUnavailable, SearchRequest

bp = Blueprint("api", __name__)


def engine():
    return current_app.extensions["lede_engine"]


@bp.get("/api/search")
def api_search():
    search_request = SearchRequest.from_params(request.args.get, request.args.getlist)
    return jsonify(engine().search(search_request).to_json())


@bp.get("/api/articles/<path:article_id>")
def api_article(article_id: str):
    article = engine().article(article_id)
    if article is None:
        abort(404, description=f"no article with id {article_id!r}")
    return jsonify(article)


@bp.get("/healthz")
def healthz():
    try:
        return jsonify(engine().health())
    except IndexUnavailable as exc:
        return jsonify({"status": "unavailable", "message": exc.message}), 503


@bp.route("/api/<path:anything>")
def api_not_found(anything: str):
    abort(404, description=f"no API endpoint at /api/{anything}")

"""The HTML pages: search (/) and article (/articles/<id>)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from search import SearchRequest

from .api import engine

bp = Blueprint("pages", __name__)


@bp.get("/")
def search_page():
    search_request = SearchRequest.from_params(request.args.get, request.args.getlist)
    results = engine().search(search_request) if search_request.q else None
    return render_template("search.html", request=search_request, results=results)


@bp.get("/articles/<path:article_id>")
def article_page(article_id: str):
    article = engine().article(article_id)
    if article is None:
        abort(404, description=f"no article with id {article_id!r}")
    return render_template("article.html", article=article)

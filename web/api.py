"""The JSON API: /api/search (GET, or POST for long queries), /api/attention, /api/articles/<id>, /healthz, /api/openapi.json.

Views only validate (through ``search.SearchRequest``), call the engine and
serialise; every failure becomes the one error shape in errors.py.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, UnsupportedMediaType

from search import BadQuery, IndexUnavailable, SearchRequest, attention
from search import request as rules

from . import openapi
from .engine import get_engine
from .ids import plausible_id

bp = Blueprint("api", __name__)

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def find_article(article_id: str) -> dict:
    """The article's JSON, or a 404 naming the id (shortened: ids in URLs can be long)."""
    article = get_engine().article(article_id) if plausible_id(article_id) else None
    if article is None:
        not_found(article_id)
    return article


def not_found(article_id: str):
    """Abort with the 404 for an article id (shortened: ids in URLs can be long)."""
    shown = article_id if len(article_id) <= 80 else article_id[:80] + "…"
    abort(404, description=f"no article with id {shown!r}")


@bp.get("/api/search")
def api_search():
    """A search as JSON. A repeat of the same URL is answered before Flask (repeats.py)."""
    return search_response(SearchRequest.from_params(request.args.get, request.args.getlist))


@bp.post("/api/search")
def api_search_post():
    """The same search with its parameters in the body, for queries longer than a URL should carry
    (a pasted passage): form-encoded or a JSON object. Parameters in the URL count too; the body wins."""
    body = body_params()

    def getlist(name):
        return body[name] if name in body else request.args.getlist(name)

    return search_response(SearchRequest.from_params(lambda name: next(iter(getlist(name)), None), getlist))


def search_response(search_request: SearchRequest):
    body = current_app.json.dumps(get_engine().search(search_request).to_json())
    return current_app.response_class(body + "\n", mimetype="application/json")


def body_params() -> dict[str, list[str]]:
    """A POST body's parameters as {name: [values as GET would send them]}.

    JSON: ``{"q": "…", "outlet": ["BBC News", "CNN"], "page": 2, "collapse": false}`` — strings, a
    list for a repeatable parameter, an integer for page and per_page, a boolean for collapse (names
    that are no search parameter are ignored, as in a URL). Raises BadQuery or 415 for any other body.
    """
    if request.mimetype in FORM_TYPES:
        return request.form.to_dict(flat=False)
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(f"POST /api/search takes a body of type {FORM_TYPES[0]} "
                                   f"or application/json, not {request.mimetype or 'none'!r}")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadQuery('the body must be a JSON object of search parameters, e.g. {"q": "oil"}')
    return {name: _values(name, value) for name, value in data.items() if name in rules.PARAMETERS}


def _values(name: str, value) -> list[str]:
    """A JSON value as the strings a URL would carry: a list only for a repeatable parameter,
    integers for page and per_page, booleans for collapse, strings for any; BadQuery otherwise."""
    if isinstance(value, list):
        if name not in rules.REPEATABLE:
            raise BadQuery(f"{name} takes one value, not a list", name)
        return [_plain(name, v) for v in value]
    return [_plain(name, value)]


def _plain(name: str, value) -> str:
    if isinstance(value, str) and (name not in rules.INTEGERS or not value):  # "" means absent
        return value
    if name in rules.BOOLEANS and isinstance(value, bool):
        return "true" if value else "false"
    if name in rules.INTEGERS and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    kinds = "an integer" if name in rules.INTEGERS else (
        "a boolean or a string" if name in rules.BOOLEANS else "a string")
    raise BadQuery(f"{name} must be {kinds}" + (" or a list of strings" if name in rules.REPEATABLE else ""), name)


@bp.get("/api/articles/<path:article_id>")
def api_article(article_id: str):
    return jsonify(find_article(article_id))


@bp.get("/healthz")
def healthz():
    try:
        health = get_engine().health()  # the Xapian backend reports each shard, "unavailable" when one is down
        return jsonify(health), 503 if health["status"] == "unavailable" else 200
    except IndexUnavailable as exc:
        return jsonify({"status": "unavailable", "message": exc.message}), 503


@bp.get("/api/openapi.json")
def openapi_document():
    """The API's description; filter parameters list the live index's outlets and sections when there is one."""
    try:
        live = get_engine().live()
        values = live.filter_values("outlet"), live.filter_values("section")
    except IndexUnavailable:
        values = (), ()
    return jsonify(openapi.document(*values))


CATCH_ALL = "api.api_not_found"


def allowed_methods() -> list[str]:
    """The methods a real endpoint answers at this request's path (the catch-all aside); [] if none lives there."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed: set = set()
    for method in ALL_METHODS:
        try:
            rule, _ = adapter.match(method=method, return_rule=True)
        except HTTPException:  # NotFound, MethodNotAllowed, RequestRedirect
            continue
        if rule.endpoint != CATCH_ALL:
            allowed |= set(rule.methods or ())
    return sorted(allowed)


@bp.before_app_request
def answer_options():
    """OPTIONS lists the methods the endpoint really has. Flask's own answer would add the catch-all's."""
    if request.method == "OPTIONS" and request.url_rule is not None and request.endpoint != CATCH_ALL:
        response = current_app.response_class(status=200)
        response.headers["Allow"] = ", ".join(allowed_methods())
        return response
    return None


@bp.route("/api", defaults={"anything": ""}, methods=ALL_METHODS)
@bp.route("/api/<path:anything>", methods=ALL_METHODS)
def api_not_found(anything: str):
    """Any other /api/ URL: 405 if a real endpoint lives there (wrong method), else 404."""
    allowed = allowed_methods()
    if allowed:
        used = " or ".join(m for m in allowed if m not in ("HEAD", "OPTIONS"))
        raise MethodNotAllowed(valid_methods=allowed,
                               description=f"{request.method} is not allowed on {request.path}; use {used}")
    abort(404, description=f"no API endpoint at {request.path} — see /api/openapi.json")


@bp.get("/api/attention")
def api_attention():
    """Matches per outlet per day, week or month, with each outlet's output in the same periods."""
    search_request = SearchRequest.from_params(request.args.get, request.args.getlist)
    return jsonify(attention.attention(get_engine(), search_request, request.args.get("interval") or "month"))

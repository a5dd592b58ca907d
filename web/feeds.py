"""GET /feeds/search.atom: follow a search in a feed reader (Atom 1.0, RFC 4287).

The feed holds the newest FEED_SIZE articles the search matches (the search's own filters; sort,
page and per_page do not apply). Its ``id`` is derived from the search's canonical parameters, so
the same search is the same feed whatever order its URL lists them in; ``updated`` is the newest
entry's. Readers poll every few minutes, and the answer can only change with a new index
generation, so the (weak) ETag names the generation and the search: a poll between rebuilds is a
304 answered before anything is searched.

An undated article (the BBC set has none) cannot say when it appeared; its entry's ``updated``
is when the generation that holds it was built — when Lede first could show it.
"""
from __future__ import annotations

import hashlib
import uuid
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timezone

from flask import Blueprint, current_app, request, url_for

from search import SearchRequest

from .engine import get_engine
from .links import State
from .printable import printable

bp = Blueprint("feeds", __name__)

FEED_SIZE = 50  # entries: the newest matches
ATOM = "http://www.w3.org/2005/Atom"
MIMETYPE = "application/atom+xml"
#: Parameters that do not change which articles a feed follows (it is always the newest, one page).
NOT_THE_SEARCH = ("sort", "page", "per_page", "collapse", "attention")

ET.register_namespace("", ATOM)


def search_state_query(state: State) -> str:
    """The search a page's state describes, without its paging and order: what a feed (and its id) follow."""
    return state.without(*NOT_THE_SEARCH).query_string()


def feed_url(state: State) -> str:
    query = search_state_query(state)
    return url_for("feeds.search_feed") + ("?" + query if query else "")


def feed_id(query: str) -> str:
    """A URN stable for one search: the same parameters give the same id, on any host."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "lede:search?" + query))


def entry_id(article_id: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "lede:article:" + article_id))


def etag_for(generation: str, query: str) -> str:
    return hashlib.blake2b(f"{generation}\n{query}".encode(), digest_size=12).hexdigest()


@bp.get("/feeds/search.atom")
def search_feed():
    search_request = SearchRequest.from_params(request.args.get, request.args.getlist)
    query = search_state_query(State.from_args(request.args))
    live = get_engine().live()
    etag = etag_for(live.generation, query)
    if request.if_none_match.contains_weak(etag):
        response = current_app.response_class(status=304)
    else:
        newest = replace(search_request, sort="newest", page=1, per_page=FEED_SIZE, collapse=False)
        hits = [h for h in get_engine().search(newest).hits if not h.partial]
        built = datetime.fromtimestamp(live.path.stat().st_mtime, timezone.utc).replace(microsecond=0)
        body = ET.tostring(feed(search_request.q, query, hits, built), encoding="utf-8", xml_declaration=True)
        response = current_app.response_class(body, content_type=MIMETYPE + "; charset=utf-8")
    response.set_etag(etag, weak=True)  # weak: the same feed gzipped or not (compression.py)
    response.headers["Cache-Control"] = "no-cache"  # readers revalidate: a 304 costs nothing
    return response


def feed(q: str, query: str, hits, built: datetime) -> ET.Element:
    root = ET.Element(f"{{{ATOM}}}feed")
    search_page = url_for("pages.search_page", _external=True) + ("?" + query if query else "")
    updated = []
    text(root, "id", feed_id(query))
    text(root, "title", f"Lede: {q}" if q else "Lede: every article")
    text(root, "subtitle", f"The newest {FEED_SIZE} articles matching this search")
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", type=MIMETYPE,
                  href=url_for("feeds.search_feed", _external=True) + ("?" + query if query else ""))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=search_page)
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    text(author, "name", "Lede")
    text(root, "generator", "Lede")
    stamp = text(root, "updated", "")
    for hit in hits:
        updated.append(entry(root, hit, query, built))
    stamp.text = _iso(max(updated, default=built))
    return root


def entry(root: ET.Element, hit, query: str, built: datetime) -> datetime:
    """One article as an entry; returns its ``updated`` time."""
    node = ET.SubElement(root, f"{{{ATOM}}}entry")
    when = datetime.fromisoformat(hit.published).replace(tzinfo=timezone.utc) if hit.published else built
    text(node, "id", entry_id(hit.id))
    text(node, "title", hit.title or "(untitled)")
    href = url_for("pages.article_page", article_id=hit.id, _external=True) + ("?" + query if query else "")
    ET.SubElement(node, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=href)
    author = ET.SubElement(node, f"{{{ATOM}}}author")
    text(author, "name", hit.outlet or "Unknown outlet")
    text(node, "updated", _iso(when))
    if hit.published:
        text(node, "published", _iso(when))
    if hit.section:
        ET.SubElement(node, f"{{{ATOM}}}category", term=printable(hit.section))
    text(node, "summary", first_paragraph(hit.id))
    return when


def first_paragraph(article_id: str) -> str:
    article = get_engine().article(article_id) or {}
    for p in article.get("paragraphs", ()):
        if p["kind"] == "body":
            return p["text"]
    return ""


def text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    node.text = printable(value)
    return node


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

"""Stories on the web: /api/stories, /api/stories/<id> and the story page /stories/<id>.

Views validate, ask the engine (search/stories.py) and serialise or render.
Two template helpers let the search and article pages name an article's
story without their views knowing about stories: ``story_summary(id)`` and
``story_of(article_id)``.
"""
from __future__ import annotations

import difflib
import re

from flask import Blueprint, abort, jsonify, render_template, request

from search import IndexUnavailable, SearchRequest

from .engine import get_engine

bp = Blueprint("stories", __name__)

#: Story ids are made by index/stories.py: "s" and 12 hex digits (anything else is a 404 at once).
STORY_ID = re.compile(r"s[0-9a-f]{12}")


def find_story(story_id: str) -> dict:
    story = get_engine().story(story_id) if STORY_ID.fullmatch(story_id) else None
    if story is None:
        shown = story_id if len(story_id) <= 80 else story_id[:80] + "…"
        abort(404, description=f"no story with id {shown!r}")
    return story


@bp.get("/api/stories/<path:story_id>")
def api_story(story_id: str):
    return jsonify(find_story(story_id))


@bp.get("/api/stories")
def api_stories():
    """The stories the search's matching articles belong to (the search parameters, paged by story)."""
    search_request = SearchRequest.from_params(request.args.get, request.args.getlist)
    found = get_engine().stories(search_request)
    start = (search_request.page - 1) * search_request.per_page
    return jsonify({"query": search_request.q, "total": len(found), "page": search_request.page,
                    "per_page": search_request.per_page,
                    "stories": found[start:start + search_request.per_page]})


@bp.get("/stories/<path:story_id>")
def story_page(story_id: str):
    story = find_story(story_id)
    return render_template("story.html", story=story, quotes=[with_marks(q) for q in story["quotes"]])


def with_marks(quotation: dict) -> dict:
    """A quotation whose variants carry ``parts``: runs of their words, ``changed`` where they differ
    from the first variant (the template marks those; it escapes every text)."""
    variants = quotation["variants"]
    base = variants[0]["text"].split() if variants else []
    return {**quotation, "variants": [{**v, "parts": [{"text": v["text"], "changed": False}] if n == 0
                                       else differences(base, v["text"].split())}
                                      for n, v in enumerate(variants)]}


def differences(base: list[str], words: list[str]) -> list[dict]:
    """``words`` as runs ``{"text", "changed"}``: changed where they differ from ``base`` (case and punctuation aside)."""
    def norm(w):
        return re.sub(r"\W", "", w).lower()
    matcher = difflib.SequenceMatcher(None, [norm(w) for w in base], [norm(w) for w in words], autojunk=False)
    return [{"text": " ".join(words[j1:j2]), "changed": tag != "equal"}
            for tag, _, _, j1, j2 in matcher.get_opcodes() if j2 > j1]


@bp.app_template_global()
def story_summary(story_id: str | None) -> dict | None:
    """The listing of a story (id, title, first_published, outlets, article_count), for the search page."""
    if not story_id:
        return None
    try:
        index = get_engine().live().stories()
    except IndexUnavailable:
        return None
    return index.listing(story_id) if index.get(story_id) else None


@bp.app_template_global()
def story_of(article_id: str) -> dict | None:
    """The article's story with its other articles ({"id", "title", "outlets", "others"}), for the article page."""
    try:
        story_id = get_engine().live().stories().story_of(article_id)
    except IndexUnavailable:
        return None
    if story_id is None:
        return None
    story = get_engine().story(story_id)
    others = [a for a in story["articles"] if a["id"] != article_id] if story else []
    return {"id": story_id, "title": story["title"], "outlets": story["outlets"], "others": others} if story else None

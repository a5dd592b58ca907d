"""The HTML pages: search (/), article (/articles/<id>) and query syntax help (/help).

The search page keeps all its state in the URL (see links.py): every filter,
sort order and page is a link, so it works with JavaScript off, can be
bookmarked, and the back button behaves. A bad parameter is shown next to the
search box, with status 400, keeping what was typed.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from search import BadQuery, SearchRequest, attention, reading, similar
from search import request as rules

from . import chart, feeds, outlets
from .api import not_found
from .engine import get_engine
from .ids import plausible_id
from .links import FILTER_PARAMS, State

bp = Blueprint("pages", __name__)

PAGE_WINDOW = 2  # page numbers shown either side of the current one
FACET_LIMIT = 12  # facet entries shown before "and N more"

FACET_LABELS = {"outlet": "Outlet", "section": "Section", "published": "Date"}
SORT_LABELS = {"relevance": "Best match", "newest": "Newest first", "oldest": "Oldest first"}
MATCH_LABELS = {"all": "All words", "any": "Any word"}


@bp.get("/")
def search_page():
    state = State.from_args(request.args)
    try:
        search_request = SearchRequest.from_params(request.args.get, request.args.getlist)
        if state.get("attention") not in ("", *outlets.MEASURES):
            raise BadQuery(f"attention must be one of {', '.join(outlets.MEASURES)}", "attention")
        # No parameters at all: the welcome page. Any (even an empty q): search or browse.
        results = get_engine().search(search_request) if state.pairs else None
    except BadQuery as exc:
        return render_template("search.html", state=state, error=exc, results=None,
                               search_request=None, **page_context(state)), 400
    overview = None if results is not None else corpus_overview(state)
    return render_template("search.html", state=state, error=None, results=results,
                           search_request=search_request, overview=overview,
                           **page_context(state, search_request, results)), 200


def corpus_overview(state: State) -> dict:
    """For the welcome page: what the index holds, with each outlet a link to browse it."""
    everything = get_engine().search(SearchRequest(per_page=1))
    facets = everything.facets or {}
    outlets = [facet_entry(state.replace(q=""), "outlet", item) for item in facets.get("outlet", ())]
    built = chart.build(facets.get("published", ()))
    return {"total": everything.total, "outlets": outlets,
            "span": (built.first.label, built.last.label) if built else None}


def page_context(state: State, search_request: SearchRequest | None = None, results=None) -> dict:
    """What the template needs besides the results: active filters, facet links, chart, pages."""
    context = {"active": active_filters(state), "sort_labels": SORT_LABELS, "match_labels": MATCH_LABELS,
               "max_query_length": rules.MAX_QUERY_LENGTH, "facets": [], "chart": None, "undated": None,
               "pages": None,
               "passage": similar.is_passage(state.get("q")),  # searched by its distinctive words
               "passage_words": similar.LONG_QUERY_WORDS}
    if results is None:
        return context
    facets = results.facets or {}
    for name in ("outlet", "section"):
        entries = [facet_entry(state, name, item) for item in facets.get(name, ())]
        # A chosen value the counts do not include (no match left) stays visible, to be removed.
        shown = {e["value"] for e in entries}
        entries += [{"value": v, "count": 0, "active": True, "url": state.toggle(name, v).url()}
                    for v in state.getlist(name) if v not in shown]
        context["facets"].append({"name": name, "label": FACET_LABELS[name], "entries": entries,
                                  "limit": FACET_LIMIT})
    context["chart"] = date_chart(state, facets.get("published", ()))
    context["undated"] = next((facet_entry(state, "published", item) for item in facets.get("published", ())
                               if _value_count(item)[0] == rules.UNDATED), None)
    context["pages"] = pagination(state, results.pages, search_request)
    context["elsewhere"] = elsewhere(state)
    query = state.without("attention").query_string()
    context["from_search"] = "?" + query if query else ""
    context["outlet_view"] = outlet_view(state, search_request, facets.get("published", ()))
    return context


def outlet_view(state: State, search_request: SearchRequest, published) -> dict:
    """The outlets-over-time view: links to show it (counts or share) or hide it, and its rows when shown."""
    view = {"links": {m: state.replace(attention=m).url() for m in outlets.MEASURES},
            "hide": state.without("attention").url(), "measure": state.get("attention") or None}
    if view["measure"]:
        interval = outlets.interval_for(published)
        query = state.without("page", "per_page", "attention", "sort").query_string()
        view["json"] = url_for("api.api_attention") + "?" + (query + "&" if query else "") + "interval=" + interval
        view["drawn"] = outlets.small_multiples(attention.attention(get_engine(), search_request, interval),
                                                view["measure"])
    return view


def elsewhere(state: State) -> dict:
    """Where this search can go from the page: every match downloaded, and the feed that follows it."""
    query = state.without("page", "per_page", "attention").query_string()
    export = url_for("export.api_export") + "?" + (query + "&" if query else "")
    return {"csv": export + "format=csv", "jsonl": export + "format=jsonl", "feed": feeds.feed_url(state)}


def facet_entry(state: State, name: str, item) -> dict:
    value, count = _value_count(item)
    return {"value": value, "count": count, "active": state.has(name, value),
            "url": state.toggle(name, value).url()}


def _value_count(item) -> tuple[str, int]:
    return (item["value"], item["count"]) if isinstance(item, dict) else (item.value, item.count)


def active_filters(state: State) -> list[dict]:
    """The chips above the results: one per filter value, each a link that removes it."""
    chips = [{"label": FACET_LABELS.get(name, name), "value": chart.label(value) if name == "published" else value,
              "url": state.remove(name, value).url()}
             for name in FILTER_PARAMS for value in state.getlist(name)]
    start, end = state.get("from"), state.get("to")
    if start or end:
        shown = f"{start} to {end}" if start and end and start != end else (
            start if start == end else f"from {start}" if start else f"until {end}")
        chips.append({"label": "Date", "value": shown, "url": state.without("from", "to").replace().url()})
    return chips


def date_chart(state: State, values) -> dict | None:
    built = chart.build(values)
    if built is None:
        return None
    start, end = state.get("from"), state.get("to")
    bars = []
    for bar in built.bars:
        if bar.value:  # a month or a day: the published filter, one period at a time
            active = state.has("published", bar.value)
            url = (state.remove("published", bar.value) if active else state.replace(published=bar.value)).url()
        else:  # a year: a date range
            active = (start, end) == (bar.start.isoformat(), bar.end.isoformat())
            url = (state.without("from", "to") if active else
                   state.without("published").replace(from_=bar.start.isoformat(), to=bar.end.isoformat())).url()
        bars.append({"bar": bar, "active": active, "url": url})
    return {"chart": built, "bars": bars, "list": [b for b in bars if b["bar"].count]}


def pagination(state: State, last: int, search_request: SearchRequest) -> dict | None:
    """Links to pages 1..``last`` (the results' ``pages``: each holds hits) around the current one."""
    if last <= 1:
        return None
    current = min(search_request.page, last)
    numbers = sorted({1, last, *range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)})
    items, previous = [], 0
    for n in numbers:
        if n - previous > 1:
            items.append(None)  # a gap: "…"
        items.append({"number": n, "url": state.at_page(n).url(), "current": n == search_request.page})
        previous = n
    return {
        "links": items,
        "previous": state.at_page(current - 1).url() if search_request.page > 1 else None,
        "next": state.at_page(search_request.page + 1).url() if search_request.page < last else None,
        "last": last,
    }


@bp.get("/articles/<path:article_id>")
def article_page(article_id: str):
    """The article; reached from a search (its parameters in the URL), with that search's words marked
    and a link back to its results."""
    state = State.from_args(request.args).without("attention")
    article = (reading.marked_article(get_engine(), article_id, state.get("q"), state.get("match") or "all")
               if plausible_id(article_id) else None)
    if article is None:
        not_found(article_id)
    return render_template("article.html", article=article, blocks=blocks(article.get("paragraphs", ())),
                           back=state.url() if state.pairs else None, back_q=state.get("q"))


def blocks(paragraphs) -> list[dict]:
    """Paragraphs as blocks to render (``html``: highlight.py's escaped, marked text); consecutive
    ``list`` paragraphs become one list."""
    out: list[dict] = []
    for p in paragraphs:
        if p["kind"] == "list" and out and out[-1]["kind"] == "list":
            out[-1]["texts"].append(p["html"])
        else:
            out.append({"kind": p["kind"], "texts": [p["html"]]})
    return out


@bp.get("/help")
def help_page():
    return render_template("help.html", max_query_length=rules.MAX_QUERY_LENGTH,
                           passage_words=similar.LONG_QUERY_WORDS, passage_terms=similar.MAX_QUERY_TERMS,
                           max_per_page=rules.MAX_PER_PAGE, sorts=rules.SORTS)

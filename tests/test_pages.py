"""The HTML pages through Flask's test client: search, article, help, errors, escaping and headers."""
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from index.store import build
from search.request import MAX_QUERY_LENGTH
from web import create_app

ARTICLE_ID = "000_1c53ba83fc47eed3"  # The Telegraph, with captions and removed boilerplate


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def params(href):
    return parse_qsl(urlsplit(href).query, keep_blank_values=True)


def facet_links(soup, name):
    return {a.select_one(".facet__value").get_text(): a for a in soup.select(f"#facet-{name} ~ ul .facet__link")}


# -- the search page ----------------------------------------------------------------

def test_welcome_page_has_an_autofocused_labelled_search_box_and_tips(client):
    soup = page(client, "/")
    box = soup.select_one("form[role=search] input[name=q]")
    assert box.has_attr("autofocus")
    assert soup.select_one(f"label[for={box['id']}]").get_text(strip=True) == "Search news coverage"
    assert soup.select(".tips li")
    assert "5 articles from 5 outlets" in " ".join(soup.select_one(".welcome__stats").get_text().split())
    assert [a.get_text() for a in soup.select(".welcome__outlets a")] == [
        "BBC News", "CNBC", "Daily Mail", "The Telegraph", "The Washington Post"]
    assert not soup.select(".hit")
    for landmark in ("header", "main", "nav", "footer"):
        assert soup.find(landmark), landmark


def test_results_show_title_link_meta_and_highlighted_snippets(client):
    soup = page(client, "/?q=teargas")
    assert " ".join(soup.select_one("#results-heading").get_text().split()) == "1 article for teargas"
    assert "ms" in soup.select_one(".results__took").get_text()
    hits = soup.select(".hit")
    assert len(hits) == 1
    link = hits[0].select_one(".hit__title a")
    assert link["href"] == "/articles/004_67ccd451deed0674?q=teargas"  # the article page carries the search
    assert link.get_text() == "Iran and US trade blame after militia supporters attack Baghdad embassy"
    meta = hits[0].select_one(".hit__meta")
    assert meta.select_one(".hit__outlet").get_text() == "BBC News"
    assert meta.select_one(".hit__section").get_text() == "World"
    assert meta.select_one("time")["datetime"] == "2020-01-01"
    assert meta.select_one("time").get_text() == "1 Jan 2020"
    marks = {m.get_text().lower().replace("-", "") for m in hits[0].select(".snippet mark")}
    assert marks == {"teargas"}  # "teargas" and "tear-gas" are one word to the analyzer


def test_results_are_in_the_api_order(client):
    soup = page(client, "/?q=embassy")
    api = client.get("/api/search?q=embassy").json
    assert [a["href"] for a in soup.select(".hit__title a")] == [f"/articles/{h['id']}?q=embassy" for h in api["hits"]]


def test_facet_sidebar_counts_and_links_add_the_filter(client):
    soup = page(client, "/?q=embassy")
    outlets = facet_links(soup, "outlet")
    assert {k: v.select_one(".facet__count").get_text() for k, v in outlets.items()} == {
        "BBC News": "1", "CNBC": "1", "Daily Mail": "1", "The Telegraph": "1", "The Washington Post": "1"}
    sections = facet_links(soup, "section")
    assert {k: v.select_one(".facet__count").get_text() for k, v in sections.items()} == {
        "World": "2", "News": "1", "Politics": "1", "World News": "1"}
    assert params(sections["World"]["href"]) == [("q", "embassy"), ("section", "World")]
    filtered = page(client, sections["World"]["href"])
    assert sorted(h.select_one(".hit__outlet").get_text() for h in filtered.select(".hit")) == [
        "BBC News", "The Washington Post"]
    active = facet_links(filtered, "section")["World"]
    assert "is-active" in active["class"] and active["aria-current"] == "true"
    assert params(active["href"]) == [("q", "embassy")]  # the same entry removes it


def test_two_outlets_are_combined_and_each_chip_removes_one(client):
    soup = page(client, "/?q=embassy&outlet=CNBC&outlet=BBC+News")
    assert len(soup.select(".hit")) == 2
    chips = {" ".join(a.get_text().split()): a["href"] for a in soup.select(".chips a")}
    assert params(chips["Outlet: CNBC × (remove this filter)"]) == [("q", "embassy"), ("outlet", "BBC News")]
    assert params(chips["Outlet: BBC News × (remove this filter)"]) == [("q", "embassy"), ("outlet", "CNBC")]
    assert params(chips["Clear all"]) == [("q", "embassy")]


def test_filters_are_kept_when_the_query_changes_and_sorting_keeps_everything(client):
    soup = page(client, "/?q=embassy&section=World&sort=newest&per_page=2&page=2")
    search_form = soup.select_one("form[role=search]")
    assert [(i["name"], i["value"]) for i in search_form.select("input[type=hidden]")] == [
        ("section", "World"), ("sort", "newest"), ("per_page", "2")]
    sort_form = soup.select_one("form.sort-form")
    assert [(i["name"], i["value"]) for i in sort_form.select("input[type=hidden]")] == [
        ("q", "embassy"), ("section", "World"), ("per_page", "2")]
    assert sort_form.select_one("#sort option[selected]")["value"] == "newest"
    assert sort_form.select_one("label[for=sort]")


def test_match_control_keeps_the_state_and_shows_the_choice(client):
    soup = page(client, "/?q=teargas+Khamenei&match=any&section=World")
    form = soup.select_one("form.sort-form")
    assert form.select_one("#match option[selected]")["value"] == "any"
    assert form.select_one("label[for=match]")
    assert [(i["name"], i["value"]) for i in form.select("input[type=hidden]")] == [
        ("q", "teargas Khamenei"), ("section", "World")]
    assert len(soup.select(".hit")) == 2  # BBC News and The Washington Post have either word


def test_without_an_index_the_page_names_the_rebuild_command(tmp_path):
    empty = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    soup = page(empty, "/?q=embassy", status=503)
    assert "python -m index rebuild" in soup.select_one("[role=alert]").get_text()
    assert page(empty, "/", status=503)


def test_date_chart_bars_filter_by_their_period(client):
    soup = page(client, "/?q=embassy")
    bars = soup.select("svg.timeline a")
    assert [b["aria-label"] for b in bars] == ["Dec 2019: 2 articles", "Jan 2020: 3 articles"]
    assert params(bars[0]["href"]) == [("q", "embassy"), ("published", "2019-12")]
    month = page(client, bars[0]["href"])
    assert sorted(h.select_one(".hit__outlet").get_text() for h in month.select(".hit")) == [
        "CNBC", "The Washington Post"]
    # Within one month the chart shows days, the empty ones too.
    day_bars = month.select("svg.timeline a")
    assert [b["aria-label"] for b in day_bars] == ["31 Dec 2019: 2 articles"]
    assert [" ".join(c.get_text().split()) for c in month.select(".chips a")] == [
        "Date: Dec 2019 × (remove this filter)"]


def test_heights_of_the_bars_follow_the_counts(client):
    soup = page(client, "/?q=embassy")
    heights = [float(r["height"]) for r in soup.select("svg.timeline rect.timeline__bar")]
    assert heights[1] == pytest.approx(heights[0] * 3 / 2, abs=0.02)


def test_pagination_with_two_per_page_gives_three_pages(client):
    soup = page(client, "/?q=embassy&per_page=2")
    nav = soup.select_one("nav.pagination")
    assert nav["aria-label"] == "Pages of results"
    numbers = [a.get_text().replace("Page", "").strip() for a in nav.select("a:not([rel])")]
    assert numbers == ["1", "2", "3"]
    assert nav.select_one("[aria-current=page]").get_text().strip().endswith("1")
    next_href = nav.select_one("a[rel=next]")["href"]
    assert params(next_href) == [("q", "embassy"), ("per_page", "2"), ("page", "2")]
    last = page(client, "/?q=embassy&per_page=2&page=3")
    assert len(last.select(".hit")) == 1
    assert last.select_one("nav.pagination a[rel=prev]") and not last.select_one("nav.pagination a[rel=next]")
    assert last.select_one("ol.hits")["start"] == "5"


def test_a_page_past_the_end_links_back_to_the_first(client):
    soup = page(client, "/?q=embassy&page=9")
    assert "past the last page" in soup.select_one(".empty h2").get_text()
    assert params(soup.select_one(".empty a")["href"]) == [("q", "embassy")]  # page 1 is the default


def test_no_results_shows_tips(client):
    soup = page(client, "/?q=zzzqqqxxx")
    assert "0 articles" in soup.select_one("#results-heading").get_text()
    assert soup.select(".empty .tips li")


def test_suggestion_is_a_link_that_keeps_the_filters(client):
    assert client.get("/api/search?q=embasy&section=World").json["suggestion"] == "embassy"
    soup = page(client, "/?q=embasy&section=World")
    link = soup.select_one(".suggestion a")
    assert link.get_text() == "embassy"
    assert params(link["href"]) == [("q", "embassy"), ("section", "World")]
    assert len(page(client, link["href"]).select(".hit")) == 2


# -- errors on the page ------------------------------------------------------------------

@pytest.mark.parametrize("url, param", [
    ("/?q=embassy&page=0", "page"), ("/?q=embassy&page=abc", "page"), ("/?q=embassy&per_page=1000", "per_page"),
    ("/?q=embassy&sort=bogus", "sort"), ("/?q=embassy&from=2020-13-01", "from"),
    ("/?q=" + "x" * (MAX_QUERY_LENGTH + 1), "q"), ("/?q=published:[bogus+TO+x]", "q"),
])
def test_bad_parameters_show_a_readable_400_keeping_the_query(client, url, param):
    soup = page(client, url, status=400)
    notice = soup.select_one("#search-error[role=alert]")
    assert param in notice.get_text()
    box = soup.select_one("input[name=q]")
    assert box["value"] == dict(parse_qsl(urlsplit(url).query))["q"]
    assert (box.get("aria-invalid") == "true") == (param == "q")
    assert "search-error" in box["aria-describedby"]


@pytest.mark.parametrize("path", [
    "/articles/no-such-id", "/articles/../" + ARTICLE_ID, "/articles/%2e%2e/%2e%2e/etc/passwd",
    "/articles/x%00y", "/articles/" + "a" * 4000, "/nothing-here"])
def test_unknown_pages_are_html_404s(client, path):
    soup = page(client, path, status=404)
    assert "Not found" in soup.select_one("h1").get_text()


def test_wrong_method_on_a_page_is_405(client):
    assert client.post("/").status_code == 405


# -- the article page ---------------------------------------------------------------

def test_article_page_shows_the_cleaned_article(client):
    article = client.get(f"/api/articles/{ARTICLE_ID}").json
    soup = page(client, f"/articles/{ARTICLE_ID}")
    assert soup.select_one("h1").get_text() == article["title"]
    assert soup.select_one(".article__kicker").get_text(" ", strip=True) == "The Telegraph · World News"
    assert soup.select_one(".article__meta time")["datetime"] == "2020-01-01"
    captions = [p["text"] for p in article["paragraphs"] if p["kind"] == "caption"]
    assert captions and [f.get_text() for f in soup.select("figure figcaption")] == captions
    body = [p["text"] for p in article["paragraphs"] if p["kind"] == "body"]
    assert [p.get_text() for p in soup.select(".article__body > p")] == body
    removed = soup.select_one("details.removed")
    assert not removed.has_attr("open")
    assert f"({len(article['removed'])})" in removed.select_one("summary").get_text()
    assert [td.get_text() for td in removed.select("tbody tr td:first-child")] == [
        r["reason"] for r in article["removed"]]


def test_article_ids_with_slashes_and_dots_work_and_original_links_are_checked(xss_client):
    soup = page(xss_client, "/articles/plain-2.x")
    assert soup.select_one("h1").get_text() == "A calm embassy report"
    assert soup.select_one(".article__original a")["href"] == "https://example.org/news/2"
    assert "By Jane Doe" in soup.select_one(".article__byline").get_text() or \
        soup.select_one(".article__byline").get_text() == "Jane Doe"
    evil = page(xss_client, "/articles/evil/1")
    assert not evil.select(".article__original")  # a javascript: URL is never a link
    assert xss_client.get("/api/articles/evil/1").json["id"] == "evil/1"


def test_help_page_describes_the_query_language(client):
    soup = page(client, "/help")
    text = soup.get_text()
    for example in ('"tear gas"', "siege OR storming", "embassy -protest", "outlet:\"BBC News\"",
                    "published:[2019-12-31 TO 2020-01-01]", "embass*", "Khamenei~", f"{MAX_QUERY_LENGTH:,}",
                    "Find coverage of this text", "POST /api/search"):
        assert example in text, example


# -- escaping, headers, no external or inline code ----------------------------------------

EVIL = [
    {"id": "evil/1", "url": "javascript:alert(1)", "outlet": "<script>alert('outlet')</script>",
     "section": "<b>World</b>", "title": "<script>alert('title')</script> Embassy <img src=x onerror=alert(1)>",
     "published": "2020-01-02", "byline": "<i>By Mallory</i>",
     "text": "The embassy was stormed. <script>alert('body')</script> Witnesses said the embassy burned."
             "\n\nA second paragraph about the embassy & \"quotes\" <b>bold</b>."},
    {"id": "plain-2.x", "url": "https://example.org/news/2", "outlet": "Example Times", "section": "World",
     "title": "A calm embassy report", "published": "2020-01-03", "byline": "Jane Doe",
     "text": "Nothing happened at the embassy today.\n\nReporters waited outside the embassy."},
]


@pytest.fixture(scope="module")
def xss_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    feed = root / "src" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text("\n".join(json.dumps(a) for a in EVIL) + "\n")
    build.rebuild([feed.parent], root / "index")
    return root / "index"


@pytest.fixture
def xss_client(xss_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(xss_index)}).test_client()


def no_injected_markup(html):
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("b, i, img"), "document markup reached the page as markup"
    assert [s.get("src") for s in soup.select("script")] == ["/static/lede.js"]
    return soup


@pytest.mark.parametrize("url", [
    "/?q=embassy", "/?q=<script>alert('q')</script>", "/?q=embassy&outlet=<script>alert('outlet')</script>",
    "/articles/evil/1", "/", "/?q=" + "<script>" * 80])
def test_document_and_user_strings_are_escaped_on_pages(xss_client, url):
    response = xss_client.get(url)
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    soup = no_injected_markup(html)
    if url.startswith("/?q=embassy"):  # the hostile strings arrive as text, exactly as written
        evil = next(h for h in soup.select(".hit") if h.select_one("a")["href"].startswith("/articles/evil/1?q=embassy"))
        assert evil.select_one(".hit__title").get_text() == EVIL[0]["title"]
        assert evil.select_one(".hit__outlet").get_text() == EVIL[0]["outlet"]
        assert evil.select_one(".hit__byline").get_text() == EVIL[0]["byline"]
        assert "<script>alert('body')</script>" in evil.select_one(".snippet").get_text()
        assert EVIL[0]["outlet"] in [v.get_text() for v in soup.select(".facet__value")]
    if url.startswith("/?q=<script>"):
        assert soup.select_one("input[name=q]")["value"] == dict(parse_qsl(urlsplit(url).query))["q"]


def test_api_html_fields_are_escaped_except_the_marks(xss_client):
    data = xss_client.get("/api/search?q=embassy").json
    hit = next(h for h in data["hits"] if h["id"] == "evil/1")
    assert hit["title"].startswith("<script>")  # plain-text fields are text, for programs to escape
    assert hit["title_html"].startswith("&lt;script&gt;alert(")
    assert "<mark>Embassy</mark>" in hit["title_html"]
    assert "<img" not in hit["title_html"]
    html = " ".join(hit["snippets"])
    assert "&lt;script&gt;" in html and "<script>" not in html
    without_marks = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize("url", ["/", "/?q=embassy", f"/articles/{ARTICLE_ID}", "/help", "/api/search?q=x",
                                 "/healthz", "/api/nothing", "/nothing", "/static/lede.css"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    response.close()
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", "/?q=embassy", "/?q=embassy&per_page=2", f"/articles/{ARTICLE_ID}",
                                 "/help", "/?page=0", "/articles/none"])
def test_pages_have_no_inline_code_and_no_external_assets(client, url):
    soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    assert not soup.find("style")
    assert not soup.select("[style]")
    for script in soup.find_all("script"):
        assert script.get("src", "").startswith("/static/") and not script.string
    for tag in soup.select("[onclick], [onload], [onerror], [onchange], [onsubmit]"):
        pytest.fail(f"inline handler on {tag.name}")
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
        for element in soup.find_all(tag):
            assert element[attr].startswith("/"), element


def test_static_assets_are_served(client):
    for name, mimetype in (("lede.css", "text/css"), ("lede.js", "text/javascript"),
                           ("favicon.svg", "image/svg+xml")):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and response.mimetype == mimetype
        response.close()


# -- one story from several outlets ----------------------------------------------------------

WIRE_TEXT = (
    "Firefighters battled a large blaze at a grain warehouse near the river port on Sunday night, officials said, "
    "as thick smoke drifted over the old town and residents were told to keep windows closed. No injuries were "
    "reported, according to the regional fire service, which sent twelve engines and more than sixty firefighters "
    "to the scene.\n\nThe cause of the fire was not immediately known. The warehouse, built in the nineteenth "
    "century, stored wheat and barley for export and had been inspected last spring, the port authority said in a "
    "statement. Traffic on the riverside road was diverted for several hours while crews worked to stop the "
    "flames from spreading to nearby buildings.")
WIRE = [
    {"id": "wire-1", "outlet": "Morning Courier", "section": "News", "published": "2021-05-02",
     "title": "Fire destroys grain warehouse at river port", "text": WIRE_TEXT},
    {"id": "wire-2", "outlet": "Evening Post", "section": "Local", "published": "2021-05-02",
     "title": "Grain warehouse blaze at port", "text": WIRE_TEXT + "\n\nThis story will be updated."},
    {"id": "other-3", "outlet": "Evening Post", "section": "Local", "published": "2021-05-03",
     "title": "Council approves new bridge", "text": "The council approved a new bridge near the port warehouses."},
]


@pytest.fixture(scope="module")
def wire_client(tmp_path_factory):
    root = tmp_path_factory.mktemp("wire")
    (root / "src").mkdir()
    (root / "src" / "feed.jsonl").write_text("\n".join(json.dumps(a) for a in WIRE) + "\n")
    build.rebuild([root / "src"], root / "index")
    return create_app({"TESTING": True, "INDEX_DIR": str(root / "index")}).test_client()


def test_the_same_story_from_two_outlets_is_one_hit_naming_the_other(wire_client):
    soup = page(wire_client, "/?q=warehouse")
    hits = soup.select(".hit")
    assert len(hits) == 2
    shown = {(h.select_one(".hit__title a")["href"].removesuffix("?q=warehouse"), h.select_one(".hit__outlet").get_text(),
              tuple(o.get_text() for o in h.select(".also-in__outlet"))) for h in hits}
    assert ("/articles/other-3", "Evening Post", ()) in shown
    wire = (shown - {("/articles/other-3", "Evening Post", ())}).pop()
    assert wire in {("/articles/wire-1", "Morning Courier", ("Evening Post",)),
                    ("/articles/wire-2", "Evening Post", ("Morning Courier",))}
    assert "3 articles" in soup.select_one("#results-heading").get_text()  # the total counts every article
    assert len(page(wire_client, "/?q=warehouse&collapse=false").select(".hit")) == 3

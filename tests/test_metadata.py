"""Metadata users can trust: dates in UTC and plausible, mojibake repaired, sections and outlets that are names."""
from __future__ import annotations

import datetime as dt

import pytest

from index.extract import metadata
from index.extract.clean import clean
from index.extract.read import RawArticle, decode
from index.extract.sourcefile import EXTRACTORS

BODY = "<p>" + " ".join(["The council met on Tuesday to vote on the budget for the coming year."] * 4) + "</p>"


def page(head: str, body: str = BODY) -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def raw(html: str, extractor: str, **meta) -> RawArticle:
    """A page to clean with ``extractor``: each reads the page's metadata from its own parse of the page."""
    return RawArticle("a", "a.html", html=html, meta={**meta, "extractor": extractor})


@pytest.mark.parametrize("value, day", [
    ("2019-12-31T23:30:00-05:00", "2020-01-01"),  # evening in New York is the next day in UTC
    ("Tue, 31 Dec 2019 23:30:00 -0500", "2020-01-01"),
    ("2020-01-01T00:30:00+01:00", "2019-12-31"),
    ("2019-12-31T18:03Z", "2019-12-31"),
    ("2019-12-31", "2019-12-31"),  # a bare date has no zone to convert from
])
def test_dates_are_normalised_to_utc(value, day):
    assert metadata.normalise_date(value) == day


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_dates_are_taken_in_order_of_trust(extractor):
    head = ('<meta property="article:published_time" content="2019-11-02T10:00:00Z">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-11-03"}</script>')
    assert clean(raw(page(head), extractor, published="2019-11-01")).published == "2019-11-01"
    assert clean(raw(page(head), extractor)).published == "2019-11-02"
    json_ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-11-03"}</script>'
    assert clean(raw(page(json_ld), extractor)).published == "2019-11-03"
    time_tag = page("", '<time datetime="2019-11-04T23:00:00-02:00">4 Nov</time>' + BODY)
    assert clean(raw(time_tag, extractor)).published == "2019-11-05"


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_implausible_dates_are_dropped_with_the_reason(extractor):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    head = f'<meta property="article:published_time" content="{future}T10:00:00Z">'
    article = clean(raw(page(head), extractor, published="1066-10-14"))
    assert article.published is None
    reasons = [r.text for r in article.removed if r.reason == "date"]
    assert any("before 1800" in r for r in reasons) and any("in the future" in r for r in reasons)
    fallback = clean(raw(page('<meta property="article:published_time" content="2019-05-05">'), extractor,
                        published=future))
    assert fallback.published == "2019-05-05", "the next trusted date stands in"


def test_mojibake_is_repaired_in_text_and_titles():
    broken = "Mexico’s former president said “no’".encode("utf-8").decode("cp1252").encode("utf-8")
    assert broken.decode("utf-8").startswith("Mexicoâ€™s")
    assert decode(broken) == "Mexico’s former president said “no’"
    article = clean(RawArticle("a", "a.txt", text="Body text here.", meta={"title": "Donâ€™t panic"}))
    assert article.title == "Don’t panic"


def test_no_title_casing_after_apostrophes():
    assert metadata.tidy_title("Texaco'S Profit Can'T Grow, Says O'Neill") == "Texaco's Profit Can't Grow, Says O'Neill"
    assert metadata.headline_case("TEXACO'S PROFIT CAN'T GROW") == "Texaco's Profit Can't Grow"
    assert metadata.tidy_title("CAN'T STOP") == "CAN'T STOP"


@pytest.mark.parametrize("value, section", [
    ("news", "News"), ("NEWS", "News"), ("  News ", "News"), ("world  news", "World News"),
    ("World news", "World News"), ("Middle East", "Middle East"), ("middle east", "Middle East"),
    ("MIDDLE EAST", "Middle East"), ("Middle east", "Middle East"), ("arts and culture", "Arts and Culture"),
    ("the arts", "The Arts"), ("op-ed", "Op-Ed"),
    ("UK politics", "UK Politics"), ("politics, trump, election", None), ("https://example.com/world", None),
    ("/world/middle-east", None), ("news|world", None),
])
def test_sections_are_normalised(value, section):
    assert metadata.normal_section(value) == section


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_outlets_are_names_never_handles_or_lists(extractor):
    head = ('<meta property="og:site_name" content="@dailyexample">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "publisher": {"name": "Home | World | Sport"}}</script>'
            '<link rel="canonical" href="https://www.example-news.org/world/story">')
    assert clean(raw(page(head), extractor)).outlet == "example-news.org", "the host stands in"
    good = '<meta property="og:site_name" content="The Daily Example">'
    assert clean(raw(page(good), extractor)).outlet == "The Daily Example"
    assert clean(raw(page(good), extractor, outlet="From The Sources File")).outlet \
        == "From The Sources File"


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_language_from_the_sources_file_or_the_page(extractor):
    head = '<meta property="og:locale" content="en_GB">'
    assert clean(raw(page(head), extractor)).language == "en"
    assert clean(raw(page(head), extractor, language="fr-FR")).language == "fr"
    assert clean(raw(page(""), extractor)).language == ""
    assert metadata.normal_language("english") == ""


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_title_byline_and_address_from_the_page(extractor):
    head = ('<title>\n  Council  passes\nthe budget </title><link rel="alternate stylesheet" href="/x.css">'
            '<link rel="canonical" href="https://www.example-news.org/budget">'
            '<script type="application/ld+json">[{"@type": "Organization", "name": "Not an author"},'
            ' {"@type": "NewsArticle", "author": [{"name": "Ann Lee"}, {"name": "Bo Ma"}]}]</script>')
    article = clean(raw(page(head), extractor))
    assert (article.title, article.byline, article.url) == (
        "Council passes the budget", "Ann Lee, Bo Ma", "https://www.example-news.org/budget")

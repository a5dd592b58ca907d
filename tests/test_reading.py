"""search/reading.py: an article's paragraphs with a search's words marked, checked against the text itself."""
import re

import pytest

from articles import article, build_index
from search import Engine
from search.reading import marked_article

PARAGRAPHS = ["Protesters gathered at the embassy.", "Police used tear-gas near the Embassy gate.",
              "Nothing relevant here."]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("reading")
    build_index(index_dir, [
        article("a", title="Embassy siege", body="\n\n".join(PARAGRAPHS), captions="The embassy at night"),
        article("b", title="Other", body="Unrelated text about markets."),
    ])
    return Engine(index_dir)


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_every_paragraph_marks_exactly_the_query_words(engine):
    found = marked_article(engine, "a", "embassy gas")
    html = [p["html"] for p in found["paragraphs"]]
    assert [marked(h) for h in html] == [["embassy"], ["gas", "Embassy"], [], ["embassy"]]
    assert [re.sub(r"</?mark>", "", h) for h in html] == [*PARAGRAPHS, "The embassy at night"]
    assert marked(found["title_html"]) == ["Embassy"]
    assert found["marks"] == 5


def test_not_words_are_not_marked_and_unreadable_queries_mark_nothing(engine):
    assert marked_article(engine, "a", "embassy -police")["paragraphs"][1]["html"].count("<mark>") == 1
    plain = marked_article(engine, "a", "*")
    assert plain["marks"] == 0 and plain["paragraphs"][0]["html"] == PARAGRAPHS[0]
    assert marked_article(engine, "nope", "embassy") is None

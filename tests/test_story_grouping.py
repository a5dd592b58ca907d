"""index/stories.py on the seeds' real text: signatures, the date window, undated articles, incremental placing."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index import stories
from index.extract.clean import clean
from index.extract.read import read_source

from conftest import SEEDS


@pytest.fixture(scope="module")
def seeds():
    return [clean(raw) for path in sorted(Path(SEEDS).glob("*.txt")) for raw in read_source(SEEDS, path)]


def entry(article, **changes):
    article = replace(article, **changes)
    return stories.Entry(article.id, article.published, article.outlet, article.title,
                         stories.signature(article.title, article.text("body", "subhead", "list")))


def place_all(entries) -> stories.Grouper:
    grouper = stories.Grouper()
    for e in stories.order(entries):
        grouper.place(e)
    return grouper


def test_signatures_are_normalised_and_weigh_rare_words(seeds):
    cnbc = entry(next(a for a in seeds if a.outlet == "CNBC"))
    assert len(cnbc.vector) <= stories.TERMS
    assert abs(sum(w * w for w in cnbc.vector.values()) - 1) < 0.01
    assert cnbc.vector.get("mousavi", 0) > cnbc.vector.get("said", 0)


def test_the_seeds_are_one_story_and_the_same_text_from_another_year_is_not(seeds):
    entries = [entry(a) for a in seeds]
    reprint = entry(seeds[2], id="old", published="2015-12-31")
    undated = entry(seeds[2], id="undated", published=None)
    grouper = place_all([*entries, reprint, undated])
    assert len({e.story for e in entries}) == 1
    assert grouper.entries["old"].story != entries[0].story
    assert grouper.entries["undated"].story not in {entries[0].story, grouper.entries["old"].story}


def test_a_window_too_wide_is_not_crossed(seeds):
    entries = [entry(a) for a in seeds]
    later = entry(seeds[2], id="later", published="2020-01-20")  # same words, three weeks on
    grouper = place_all([*entries, later])
    assert grouper.entries["later"].story != entries[0].story


def test_incremental_placing_equals_placing_all_at_once(seeds):
    """Signatures do not depend on the other articles: keeping earlier places and adding the newest
    gives the stories a full grouping gives."""
    entries = [entry(a) for a in seeds]
    full = place_all(entries)
    first = place_all([e for e in entries if e.day == "2019-12-31"])
    grouper = stories.Grouper()
    for e in first.entries.values():
        grouper.keep(stories.Entry.from_json(e.id, e.to_json()))
    for e in stories.order(entry(a) for a in seeds if a.published != "2019-12-31"):
        grouper.place(e)
    assert {i: e.story for i, e in grouper.entries.items()} == {i: e.story for i, e in full.entries.items()}

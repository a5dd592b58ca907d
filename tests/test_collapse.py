"""Near-duplicates: a syndicated story is one hit listing the other outlets; collapse=False shows all."""
import pytest

from articles import article, build_index
from index import fingerprint
from search import Engine, SearchRequest

STORY = ("Protesters stormed the outer wall of the embassy compound in Baghdad on Tuesday, setting fire to a "
         "reception area and chanting slogans against the United States, officials said. Guards fired tear gas "
         "and the ambassador was reported to be out of the country at the time. The militia behind the protest "
         "later called on supporters to withdraw.")
OTHER = ("The embassy said on Wednesday that consular services would resume next week after repairs to the "
         "reception area, which was damaged by fire, were finished and staff had returned to the compound.")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("collapse")
    build_index(index_dir, [
        article("wire-1", "Protesters storm embassy", STORY, outlet="Wire", published="2020-01-01"),
        article("paper-1", "Embassy stormed by protesters", "By our staff. " + STORY + " More to follow.",
                outlet="Paper", published="2020-01-01"),
        article("tv-1", "Embassy attack", STORY.replace("Tuesday", "Tuesday morning"), outlet="TV",
                published="2020-01-01"),
        article("paper-2", "Embassy services resume", OTHER, outlet="Paper", published="2020-01-02"),
    ])
    return Engine(index_dir)


def test_syndicated_copies_fold_into_one_hit_listing_the_other_outlets(engine):
    results = engine.search(SearchRequest(q="embassy fire"))
    assert results.total == 4  # totals count every matching document, folded or not
    assert len(results.hits) == 2
    story = next(h for h in results.hits if h.id != "paper-2")
    assert sorted((story.outlet, *story.also_in)) == ["Paper", "TV", "Wire"]
    assert story.outlet not in story.also_in
    other = next(h for h in results.hits if h.id == "paper-2")
    assert other.also_in == ()


def test_collapse_off_lists_every_copy(engine):
    results = engine.search(SearchRequest(q="embassy fire", collapse=False))
    assert len(results.hits) == 4
    assert all(h.also_in == () for h in results.hits)


def test_sketches_tell_copies_from_different_stories():
    a, b = fingerprint.unpack(fingerprint.sketch(STORY)), fingerprint.unpack(fingerprint.sketch("Intro. " + STORY))
    assert fingerprint.is_duplicate(a, b)
    assert not fingerprint.is_duplicate(a, fingerprint.unpack(fingerprint.sketch(OTHER)))
    assert fingerprint.sketch("too short to judge") == b""

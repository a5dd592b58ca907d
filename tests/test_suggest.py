"""Did-you-mean: real, unstemmed words from the index."""
import pytest

from articles import article, build_index
from search import Engine, SearchRequest

DOCS = [article(str(i), "An instance of governance", "Each instance shows how governments govern instances "
                "of unrest and protesters gather.") for i in range(6)] + [
    article("x", "Instnce", "A typo that appears once.")]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("suggest")
    build_index(index_dir, DOCS)
    return Engine(index_dir)


def test_the_seeds_suggest_embassy_for_embasy(seed_index):
    results = Engine(seed_index).search(SearchRequest(q="embasy"))
    assert results.total == 0
    assert results.suggestion == "embassy"


def test_suggestions_are_words_not_stems(engine):
    # "instnce" occurs once (a typo in the index itself); "instance" is far more common.
    assert engine.search(SearchRequest(q="instnce")).suggestion == "instance"
    assert engine.search(SearchRequest(q="governmnts")).suggestion == "governments"


def test_only_the_misspelt_word_changes_and_operators_survive(engine):
    assert engine.search(SearchRequest(q="Protestrs -instnce")).suggestion == "Protesters -instance"


def test_no_suggestion_when_the_query_finds_enough(engine):
    assert engine.search(SearchRequest(q="instance")).suggestion is None
    assert engine.search(SearchRequest(q="zzzzqqq")).suggestion is None  # nothing close: nothing offered

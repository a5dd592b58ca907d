"""The fast indexing path writes exactly what Whoosh's own would.

``NewsAnalyzer.postings`` must give the postings of the analysis chain, and
``FastSegmentWriter`` the same segment files as Whoosh's ``SegmentWriter``,
byte for byte, for the same documents.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.formats import Characters
from whoosh.writing import SegmentWriter

from index import schema as f
from index.store import vocabulary
from index.extract.clean import clean
from index.store.document import to_document
from index.extract.read import find_sources, read_source
from index.common_grams import CommonGramsAnalyzer
from index import analysis, words
from index.analysis import NewsAnalyzer, spell_words, text_analyzer
from index.schema import build_schema
from index.store.blocks import encode_characters
from index.store.segment import FastSegmentWriter

from articles import article
from conftest import SEEDS, needs_shared


def chain_postings(analyzer, text):
    """What Whoosh's Characters format gathers from the analysis chain, term → [(pos, start, end)]."""
    seen = defaultdict(list)
    for t in analyzer(text, positions=True, chars=True, mode="index"):
        if not t.stopped:
            seen[t.text].append((t.pos, t.startchar, t.endchar))
    return dict(seen)


TRICKY = [
    "Tear-gas and stun-grenades: the police's tear‐gas, Iran’s “embassy” and the U.S.-led talks.",
    "Naïve café owners in São Paulo said 'no' — twice; the co-op's re-re-election was a non-event.",
    "It is what it is: a, an, the, to-be-or-not-to-be; bye-bye bye and 2020-01-15 at 10:30.",
    "Ünïcödé WORDS, mixed-CASE-Words, O'Neill's, rock'n'roll, ‘quoted’, l’État, ʼokina.",
    "",
    "   ",
    "——— …",
]

WORDS = st.sampled_from(["the", "tear", "gas", "tear-gas", "Iran’s", "Iran's", "café", "CAFÉ", "a", "of",
                         "co-op", "x", "2020", "police", "Police's", "re-re-elect", "naïve", "—", "U.S.",
                         "bye-bye", "l’État", "embassy", "embassies", "running", "ran"])
SEPARATORS = st.sampled_from([" ", "  ", ", ", ". ", "\n", "\n\n", " - ", "'", "“", "”", "-"])


def fast_analyzers():
    """Every analyzer with a fast postings path: the text fields' (stemmed and not) and the companion
    fields' of common words and their pairs (index/common_grams.py)."""
    return (text_analyzer(), text_analyzer(stem=False), CommonGramsAnalyzer())


@pytest.mark.parametrize("text", TRICKY)
def test_fast_postings_equal_the_chain_on_tricky_text(text):
    for analyzer in fast_analyzers():
        assert analyzer.postings(text) == chain_postings(analyzer, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=40))
def test_fast_postings_equal_the_chain_on_generated_text(pieces):
    text = "".join(w + s for w, s in pieces)
    for analyzer in (text_analyzer(), CommonGramsAnalyzer()):
        assert analyzer.postings(text) == chain_postings(analyzer, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab É1_'’‘ʼ-‐‑—.\n"), max_size=30))
def test_the_fast_token_pattern_finds_the_chain_words(text):
    assert re.findall(words.FAST_TOKEN_PATTERN, text) == re.findall(analysis.TOKEN_PATTERN, text)
    analyzer = text_analyzer()
    assert analyzer.postings(text) == chain_postings(analyzer, text)


def test_a_chain_of_other_filters_is_run_as_it_is():
    """Only the chains text_analyzer builds have the generator-free word analysis."""
    analyzer = NewsAnalyzer(RegexTokenizer(analysis.TOKEN_PATTERN) | analysis.QuoteFoldFilter() | analysis.HyphenFilter()
                            | LowercaseFilter())
    assert analyzer._word is None and text_analyzer()._word is not None
    text = "Tear-gas and the police’s tear gas"
    assert analyzer.postings(text) == chain_postings(analyzer, text)
    assert {"teargas", "police's"} <= set(analyzer.postings(text))


@pytest.mark.parametrize("text", TRICKY + ["Iran’s IRAN Iran's iran-iraq talks; re-run, rerun. Zürich ZURICH"])
def test_the_words_noted_while_indexing_are_the_did_you_mean_words(text):
    noted = set()
    text_analyzer().postings(text, noted)
    assert noted == set(spell_words(text))


def test_characters_values_are_encoded_as_whoosh_encodes_them():
    encode = Characters().encode
    for poslist in ([(0, 0, 0)], [(3, 17, 22)], [(255, 255, 255 + 255)], [(256, 65535, 65535 + 65535)],
                    [(65536, 1, 2)], [(1, 65536, 65540)], [(2, 70000, 70000 + 65536)],
                    [(0, 0, 4), (1, 5, 8), (300, 70000, 70009)]):
        assert encode_characters(poslist) == encode(poslist), poslist


def test_fast_postings_equal_the_chain_on_the_seeds():
    analyzer = text_analyzer()
    texts = [clean(raw).text("body", "subhead", "list") for root, path in find_sources([SEEDS])
             for raw in read_source(root, path)]
    assert len(texts) == 5
    for text in texts:
        assert analyzer.postings(text) == chain_postings(analyzer, text)


def test_fast_postings_equal_the_chain_on_real_articles():
    bbc = needs_shared("bbc-news")
    analyzer = text_analyzer()
    files = sorted(bbc.rglob("*.txt"))[::20]
    assert files
    for path in files:
        text = path.read_text(encoding="latin-1")
        assert analyzer.postings(text) == chain_postings(analyzer, text), path


def documents():
    """Real seed documents plus synthetic ones: a word in >128 documents (several posting blocks),
    title boosts, captions, bylines, missing dates and empty fields."""
    docs = [to_document(clean(raw), "h") for root, path in find_sources([SEEDS]) for raw in read_source(root, path)]
    for n in range(300):
        docs.append(to_document(article(
            f"syn-{n:03d}", title=f"Protest {n} in the capital" if n % 3 else "",
            body=("Police fired tear-gas at protesters. " * (1 + n % 7)) + f"Word{n % 17} appears here.",
            captions="Protesters near the embassy. Credit: AP" if n % 5 == 0 else "",
            byline="By Ana López" if n % 4 == 0 else "",
            published=None if n % 11 == 0 else f"2020-01-{1 + n % 28:02d}",
            section="World" if n % 2 else "Politics", outlet=f"Outlet {n % 4}")))
    return docs


def write_segment(directory: Path, writer_class, docs, schema=None) -> dict[str, bytes]:
    """The segment's files by extension (segment ids differ between writers; contents must not)."""
    ix = whoosh_index.create_in(str(directory), schema or build_schema())
    if writer_class is FastSegmentWriter:
        writer = FastSegmentWriter(ix, compound=False, compress_from=1)  # compress as Whoosh does
    else:
        writer = SegmentWriter(ix, _lk=False, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    segment = writer._finalize_segment()
    prefix = segment.make_filename("")
    return {path.name[len(prefix):]: path.read_bytes() for path in directory.iterdir()
            if path.name.startswith(prefix)}


def test_fast_writer_writes_the_same_segment_files_as_whoosh(tmp_path):
    docs = documents()
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "fast").mkdir()
    expected = write_segment(tmp_path / "whoosh", SegmentWriter, docs)
    got = write_segment(tmp_path / "fast", FastSegmentWriter, docs)
    assert {".pst", ".trm"} <= set(expected)  # postings and terms are among the files compared
    assert set(got) == set(expected)
    for ext in expected:
        assert got[ext] == expected[ext], f"{ext} differs"


def test_a_field_boost_a_32_bit_float_cannot_hold_is_written_as_whoosh_writes_it(tmp_path):
    """Weights are held as 32-bit floats (a term in one document, a term in several: both paths)."""
    schema = whoosh_fields.Schema(id=whoosh_fields.ID(stored=True),
                                  body=whoosh_fields.TEXT(analyzer=text_analyzer(), chars=True, field_boost=1.3))
    docs = [{"id": f"d{n}", "body": f"Police fired tear-gas at protesters, police said. Word{n} here."}
            for n in range(140)]
    written = {}
    for name, cls in (("whoosh", SegmentWriter), ("fast", FastSegmentWriter)):
        (tmp_path / name).mkdir()
        written[name] = write_segment(tmp_path / name, cls, docs, schema)
    assert written["fast"] == written["whoosh"]


def test_the_writer_counts_the_did_you_mean_words_of_each_document_once(tmp_path):
    articles = [clean(raw) for root, path in find_sources([SEEDS]) for raw in read_source(root, path)]
    articles += [article(f"syn-{n}", title="Tear-gas in Zürich", body=f"Iran’s IRAN Iran's re-run Word{n % 3}.",
                         captions="Police near Zurich. Credit: AP") for n in range(5)]
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = FastSegmentWriter(ix, count_words=vocabulary.FIELDS)
    for a in articles:
        writer.add_document(**to_document(a, "h"))
    writer._close_segment()
    assert writer.words == Counter(w for a in articles for w in vocabulary.words_of(a))
    assert writer.words["zurich"] == 5  # in each synthetic article's title and captions: once per article


def test_the_writer_counts_words_only_of_analysed_text_fields(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = FastSegmentWriter(ix, count_words=(f.OUTLET,))
    with pytest.raises(ValueError, match="'outlet'"):
        writer.add_document(**to_document(article("a1", body="Some text."), "h"))
    writer._close_segment()


def test_fast_writer_segment_searches_like_whoosh(tmp_path):
    """Read back through Whoosh: the same terms, postings, lengths and stored fields."""
    docs = documents()
    readers = []
    for name, cls in (("whoosh", SegmentWriter), ("fast", FastSegmentWriter)):
        directory = tmp_path / name
        directory.mkdir()
        ix = whoosh_index.create_in(str(directory), build_schema())
        writer = ix.writer()
        sub = cls(ix, _lk=False) if cls is SegmentWriter else cls(ix)
        for doc in docs:
            sub.add_document(**doc)
        segment = sub._finalize_segment()
        writer._close_segment()
        writer._commit_toc([segment])
        writer._finish()
        readers.append(whoosh_index.open_dir(str(directory)).reader())
    try:
        compare_readers(*readers, len(docs))
    finally:
        for reader in readers:
            reader.close()


def compare_readers(slow, fast, count):
    terms = list(slow.all_terms())
    assert terms == list(fast.all_terms())
    assert (f.BODY, b"protest") in terms
    for fieldname, text in terms:
        a, b = slow.postings(fieldname, text), fast.postings(fieldname, text)
        assert list(a.items_as("weight")) == list(b.items_as("weight"))
    for docnum in range(count):
        assert slow.stored_fields(docnum) == fast.stored_fields(docnum)
        for fieldname in (f.TITLE, f.BODY, f.CAPTIONS, f.BYLINE):
            assert slow.doc_field_length(docnum, fieldname) == fast.doc_field_length(docnum, fieldname)

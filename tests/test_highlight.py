"""Highlighting: marks the words as written, escapes everything else, cuts at sentence boundaries."""
import pytest

from articles import article, build_index
from search import Engine, SearchRequest
from search.highlight import lead, mark, snippets

LONG = " ".join(f"Filler sentence number {i} says nothing much." for i in range(30))
DOCS = [
    article("xss", "<script>alert('t')</script> Embassy & <b>co</b>",
            "The <script>alert(1)</script> embassy said \"no\" & left. " + LONG,
            captions="A <img src=x onerror=alert(1)> caption about the embassy gates."),
    article("long", "Protesters leave", LONG + " Then protesters stormed the embassy gates; guards fired tear-gas. "
            + LONG + " Later, protesters returned. " + LONG + " Finally, the protesters went home. " + LONG),
    article("caption", "Quiet day", "Nothing happened at all today.", captions="Guards at the embassy gate."),
    article("nomatch", "Embassy reopens", "Staff came back on Monday. " + LONG),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("highlight")
    build_index(index_dir, DOCS)
    return Engine(index_dir)


def hit(engine, q, id):
    return next(h for h in engine.search(SearchRequest(q=q, collapse=False, per_page=20)).hits if h.id == id)


def test_document_markup_is_escaped_in_title_and_snippets(engine):
    h = hit(engine, "embassy", "xss")
    for html in (h.title_html, *h.snippets):
        assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert h.title_html.startswith("&lt;script&gt;")
    assert "<mark>Embassy</mark> &amp; &lt;b&gt;co&lt;/b&gt;" in h.title_html
    assert any("&lt;script&gt;alert(1)&lt;/script&gt; <mark>embassy</mark>" in s for s in h.snippets)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in h.snippets)  # the caption matched too


def test_up_to_three_fragments_cut_at_sentences(engine):
    h = hit(engine, "protesters", "long")
    assert len(h.snippets) == 3
    for s in h.snippets:
        assert "<mark>protesters</mark>" in s
        assert len(s) < 400
        assert s[0].isupper()  # starts at a sentence start
        assert s.rstrip().endswith((".", ";"))  # ends at a sentence or clause end


def test_words_are_marked_as_written_not_as_stems(engine):
    h = hit(engine, "protester tear gas", "long")
    text = " ".join(h.snippets)
    assert "<mark>protesters</mark>" in text
    assert "<mark>tear-gas</mark>" in text


def test_excluded_words_are_not_marked(engine):
    h = hit(engine, "embassy -tear", "xss")
    assert "<mark>embassy</mark>" in " ".join(h.snippets)
    h = hit(engine, "protesters NOT monday", "long")
    assert "<mark>monday</mark>" not in " ".join(h.snippets).lower()


def test_captions_supply_snippets_when_the_body_does_not_match(engine):
    h = hit(engine, "gate", "caption")
    assert h.snippets == ("Guards at the embassy <mark>gate</mark>.",)


def test_a_hit_matched_only_in_its_title_shows_the_opening(engine):
    h = hit(engine, "reopens", "nomatch")
    assert h.title_html == "Embassy <mark>reopens</mark>"
    assert h.snippets[0].startswith("Staff came back on Monday.")
    assert "<mark>" not in h.snippets[0]


def test_mark_and_lead_escape_everything():
    assert mark("a<b & c", [(4, 5)]) == "a&lt;b <mark>&amp;</mark> c"
    assert snippets("x < y and y > z", [(2, 3)]) == ["x <mark>&lt;</mark> y and y &gt; z"]
    assert lead("<p>Hi</p>") == "&lt;p&gt;Hi&lt;/p&gt;"


def test_block_index_finds_the_same_offsets_as_stepping_through_the_postings(tmp_path):
    """Highlighting jumps to the postings blocks that hold the hits; it must read what Whoosh's
    skip_to would, across segments, blocks (a word in every document spans many) and deletions."""
    import random

    from whoosh import index as whoosh_index

    from articles import delete
    from search.cache import LRUCache
    from search.highlight import _step_characters, term_characters

    rng = random.Random(5)
    words = "oil gas embassy protest market police storm vote".split()

    def docs(start, count):
        for i in range(start, start + count):
            body = " ".join(rng.choice(words) for _ in range(rng.randint(3, 40)))
            yield article(f"d{i:04d}", rng.choice(words).title(), "Every story. " + body)

    gen = build_index(tmp_path, docs(0, 1000), segments=2)
    delete(gen, "d0005", "d0400", "d0850")
    ix = whoosh_index.open_dir(str(gen))
    blocks = LRUCache(1000)
    with ix.searcher() as searcher:
        leaves = searcher.leaf_searchers()
        assert len(leaves) == 2
        for n, (sub, offset) in enumerate(leaves):
            reader = sub.reader()
            live = sorted(reader.all_doc_ids())
            for fieldname, text in [t for t in reader.all_terms() if t[0] in ("title", "body")]:
                assert reader.doc_frequency(fieldname, text) > 0
                for trial in range(3):
                    pages = sorted(rng.sample(live, 25))
                    got = list(term_characters(reader, fieldname, text, pages, blocks, (n, fieldname, text)))
                    expected = list(_step_characters(reader.postings(fieldname, text), pages))
                    assert got == expected, (fieldname, text)
        every = [k for k in blocks._entries if k[2] == b"stori"]
        assert every and all(len(blocks.get(k)[0]) > 1 for k in every)  # several blocks: jumps were tested

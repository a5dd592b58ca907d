"""Highlighting: marks the words as written, escapes everything else, cuts at sentence boundaries."""
import itertools

import pytest

from articles import article, build_index
from search import Engine, SearchRequest
from search.highlight import lead, mark, occurrences, snippets

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
        assert s.startswith("… ") and s[2].isupper()  # a sentence start inside its paragraph
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
    from search.highlight import term_characters
    from search.fast.postings import step_values

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
                    expected = list(step_values(reader.postings(fieldname, text), pages, "characters"))
                    assert got == expected, (fieldname, text)
        every = [k for k in blocks._entries if k[2] == b"stori"]
        assert every and all(len(blocks.get(k)[0]) > 1 for k in every)  # several blocks: jumps were tested


SNIPPET_DOCS = [
    article("teargas", "Clashes at the border",
            "Police fired tear gas at the crowd. Hours later men were attempting to tear down razor wire.\n\n"
            "Many who were stricken by the gas needed help. Guards fired tear-gas again at dusk."),
    article("state", "Talks", "The Secretary of State spoke. A secretary said the state of things was calm."),
    article("abbrev", "Envoy",
            "Officials at the ministry said very little about the matter during a long and tiring week of talks. "
            "The U.S. envoy met Mr. Smith and Dr. Jones near the embassy on Friday. Nothing more was said, "
            "and nobody at the ministry or at the embassy would say why it was so quiet all week, not even "
            "the clerks who keep the visitors' book at the gate.\n\n"
            "The embassy stayed shut."),
    article("paras", "Long",
            "Opening words about the harbour. " + " ".join(f"Filler clause {i} goes on and on." for i in range(8))
            + " The harbour was quiet.\n\nA second paragraph names the harbour at once."),
]


@pytest.fixture(scope="module")
def snippet_engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("snippets")
    build_index(index_dir, SNIPPET_DOCS)
    return Engine(index_dir)


def plain(snippet: str) -> str:
    """A snippet's text: marks and the ellipses that say it was cut removed, entities decoded."""
    import html
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", "").strip("… "))


def test_a_phrase_is_marked_where_it_stands_not_its_words_elsewhere(snippet_engine):
    h = hit(snippet_engine, '"tear gas"', "teargas")
    text = " ".join(h.snippets)
    assert "<mark>tear gas</mark> at the crowd" in text
    assert "<mark>tear-gas</mark> again" in text
    assert "<mark>tear</mark> down" not in text
    assert "the <mark>gas</mark>" not in text
    assert text.count("<mark>") == 2


def test_a_phrase_with_common_words_is_marked_whole(snippet_engine):
    h = hit(snippet_engine, '"Secretary of State"', "state")
    assert h.snippets == (  # not the other "secretary" and "state"
        "The <mark>Secretary of State</mark> spoke. A secretary said the state of things was calm.",)
    assert hit(snippet_engine, '"secretary of state" OR things', "state").snippets[0].count("<mark>") == 2


def test_phrases_of_one_common_gram_and_common_words_alone_are_marked(snippet_engine):
    assert hit(snippet_engine, '"said the"', "state").snippets[0].count("<mark>said the</mark>") == 1
    assert "<mark>The</mark> <mark>Secretary</mark>" not in hit(snippet_engine, "the", "state").snippets[0]
    assert hit(snippet_engine, "the", "state").snippets[0].startswith("<mark>The</mark> Secretary")


def test_sentences_are_not_cut_at_abbreviations(snippet_engine):
    h = hit(snippet_engine, "jones", "abbrev")
    assert h.snippets == ("… The U.S. envoy met Mr. Smith and Dr. <mark>Jones</mark> near the embassy on Friday.",)


def test_snippets_stay_in_their_paragraph_and_never_repeat_text(snippet_engine):
    texts = {a.id: a.text("body") for a in SNIPPET_DOCS}
    for q, id in (("harbour", "paras"), ("embassy", "abbrev"), ('"tear gas"', "teargas"), ("gas", "teargas")):
        h = hit(snippet_engine, q, id)
        paragraphs = texts[id].split("\n\n")
        pieces = [plain(s) for s in h.snippets]
        for piece in pieces:
            assert any(piece in p for p in paragraphs), (q, piece)
        for a, b in itertools.combinations(pieces, 2):
            assert a not in b and b not in a and not _shared_words(a, b), (q, a, b)


def _shared_words(a: str, b: str, run: int = 6) -> bool:
    """Whether two snippets share a run of ``run`` words (the same text shown twice)."""
    wa, wb = a.split(), b.split()
    runs = {tuple(wa[i:i + run]) for i in range(len(wa) - run + 1)}
    return any(tuple(wb[i:i + run]) in runs for i in range(len(wb) - run + 1))


def test_an_ellipsis_only_where_a_snippet_cuts_its_paragraph(snippet_engine):
    h = hit(snippet_engine, "harbour", "paras")
    first = next(s for s in h.snippets if "Opening words" in s)
    assert first.startswith("Opening words about the <mark>harbour</mark>.")  # the paragraph's start: no "…"
    second = next(s for s in h.snippets if "second paragraph" in s)
    assert second == "A second paragraph names the <mark>harbour</mark> at once."
    quiet = next(s for s in h.snippets if "quiet" in s)
    assert quiet.startswith("… ")  # starts inside its paragraph
    assert snippets("one two three four", [(4, 7)]) == ["one <mark>two</mark> three four"]
    assert snippets("A " + "long " * 60 + "word ends here and " + "more " * 60, [(305, 309)])[0].endswith(" …")


def test_phrase_occurrences_follow_positions_and_slop():
    words = [[(0, 0, 4), (5, 20, 24)], [(1, 5, 8), (9, 30, 33)]]  # "tear" at 0 and 5, "gas" at 1 and 9
    assert occurrences(words, 1) == [(0, 8)]
    assert sorted(occurrences(words, 4)) == [(0, 4), (5, 8), (20, 24), (30, 33)]
    assert occurrences([[(0, 0, 3), (1, 4, 7)], [(0, 0, 3), (1, 4, 7)]], 1) == [(0, 7)]  # "bye bye"
    # grams "bank of" (at 3 and 9) and "of england" (at 4): one occurrence, from "bank" to "england"
    grams = [[(3, 10, 17), (9, 40, 47)], [(4, 15, 25)]]
    assert occurrences(grams, 1, offsets=(0, 1)) == [(10, 25)]

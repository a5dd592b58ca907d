"""The rebuild's decision on its own (index/store/decide.py): no process, no index, only values in and out."""
from __future__ import annotations

from index.article import Article
from index.store.decide import Outcome, Pending, decide, mass_removal, unchanged_item, why_full
from index.store.sources import Inventory, Item, SourceRecord

S1, S2, NEW = "/src/feed.jsonl", "/src/other/a.txt", "/src/new.jsonl"


def record(path, *items):
    return SourceRecord(path, 1, 1, "h", None, list(items))


def item(ident, key=None, outlet="BBC", folded_into=""):
    return Item(ident, f"raw-{ident}", key or f"key-{ident}", outlet, "World", folded_into)


def inventory(*records, fingerprint="fp"):
    return Inventory(fingerprint, ["/src"], {r.path: r for r in records}, {})


def outcomes(*rows):
    """(seq, id, key, worker, docnum, source) rows → the outcomes and where each came from."""
    made = [Outcome(seq, ident, key, "BBC", "World", ("promo",), worker, docnum)
            for seq, ident, key, worker, docnum, _ in rows]
    pending = {seq: Pending(source, f"{source}:{seq}", f"raw-{ident}-new") for seq, ident, _, _, _, source in rows}
    return made, pending


def counts(decision, *columns):
    return tuple(sum(c[col] for c in decision.per_outlet.values()) for col in columns)


def test_a_full_rebuild_indexes_every_article_cleaned():
    made, pending = outcomes((0, "a", "ka", 0, 0, NEW), (1, "b", "kb", 1, 0, NEW))
    d = decide([], [], made, pending, None)
    assert counts(d, "indexed", "updated", "removed", "unchanged", "folded") == (2, 0, 0, 0, 0)
    assert (d.documents, d.cleaned, d.delete, d.losers, d.readd) == (2, 2, frozenset(), {}, ())
    assert [i.id for i in d.items[NEW]] == ["a", "b"]
    assert d.removed_by_reason == {"promo": 2}


def test_new_changed_removed_and_unchanged_articles_of_an_incremental_rebuild():
    # Live: a, b, c from S1 (re-read now), d from S2 (unchanged). S1 now yields a as it was,
    # b changed, no c, and a new e.
    old = inventory(record(S1, item("a"), item("b"), item("c")), record(S2, item("d")))
    made, pending = outcomes((0, "b", "kb2", 0, 0, S1), (1, "e", "ke", 0, 1, S1))
    d = decide([old.sources[S2]], [(old.sources[S1].items[0], S1)], made, pending, old)
    assert counts(d, "indexed", "updated", "removed", "unchanged", "documents") == (1, 1, 1, 2, 4)
    assert d.delete == {"b", "c"}  # the old b goes, its new version comes from the worker's segment
    assert [(i.id, i.key, i.folded_into) for i in d.items[S1]] == [("b", "kb2", ""), ("e", "ke", "")]
    assert d.losers == {} and d.documents == 4 and d.cleaned == 2


def test_an_article_whose_text_stays_in_the_index_is_folded_into_it():
    old = inventory(record(S2, item("d", key="same")))
    made, pending = outcomes((0, "copy", "same", 1, 7, NEW))
    d = decide([old.sources[S2]], [], made, pending, old)
    assert d.folded == (("copy", "d"),)
    assert d.items[NEW] == [Item("copy", "raw-copy-new", "same", "BBC", "World", "d")]
    assert d.losers == {1: [7]}  # added by worker 1 as its document 7: deleted at the commit
    assert counts(d, "folded", "indexed", "documents") == (1, 0, 1)


def test_among_new_articles_the_first_in_source_order_wins_whatever_order_they_arrive_in():
    made, pending = outcomes((5, "late", "same", 1, 0, NEW), (2, "early", "same", 0, 3, NEW))
    d = decide([], [], made, pending, None)
    assert d.folded == (("late", "early"),) and d.losers == {1: [0]}
    assert [i.id for i in d.items[NEW]] == ["early", "late"]


def test_a_repeated_id_is_skipped_with_the_source_that_has_it():
    old = inventory(record(S2, item("d")))
    made, pending = outcomes((0, "d", "other text", 0, 4, NEW))
    d = decide([old.sources[S2]], [], made, pending, old)
    assert d.skipped == {NEW: [(f"{NEW}:0", f"duplicate id 'd': already indexed from {S2}")]}
    assert d.losers == {0: [4]} and NEW not in d.items and d.documents == 1


def test_a_held_back_article_is_added_by_the_parent_only_when_its_twin_loses():
    twin = Article("b-twin", title="Twin")
    old = inventory(record(S2, item("a")))
    # Worker 0 added "a" again (a repeated id: dropped) and held back "b-twin", whose text equals it.
    made = [Outcome(0, "a", "k", "BBC", "World", (), 0, 0), Outcome(1, "b-twin", "k", "BBC", "World", (), 0, held=twin)]
    pending = {0: Pending(NEW, "n:0", "h0"), 1: Pending(NEW, "n:1", "h1")}
    d = decide([old.sources[S2]], [], made, pending, old)
    assert d.readd == ((twin, "h1"),) and d.losers == {0: [0]}
    assert counts(d, "indexed", "documents") == (1, 2)
    # When the twin wins, the held article is folded and nothing of it is in any segment.
    made[0] = Outcome(0, "fresh", "k", "BBC", "World", (), 0, 0)
    d = decide([old.sources[S2]], [], made, pending, old)
    assert d.readd == () and d.losers == {} and d.folded == (("b-twin", "fresh"),)


def test_an_article_that_could_not_be_cleaned_is_skipped_not_counted():
    made = [Outcome(0, "x", error="not an article (a listing page)")]
    d = decide([], [], made, {0: Pending(NEW, "n:0", "h")}, None)
    assert d.skipped == {NEW: [("n:0", "not an article (a listing page)")]}
    assert (d.cleaned, d.documents, d.per_outlet) == (0, 0, {})


def test_a_re_read_source_keeps_the_articles_whose_raw_hash_is_the_same():
    previous = {"a": item("a"), "b": item("b")}
    assert unchanged_item(previous, "a", "raw-a") == item("a")
    assert unchanged_item(previous, "b", "edited") is None
    assert unchanged_item(previous, "z", "raw-z") is None
    assert set(previous) == {"b"}  # what is left is what the source no longer yields as it was


def test_why_a_rebuild_is_full_or_incremental():
    live = inventory(record(S1, item("a")))
    assert why_full(True, True, live, "fp") == "--full"
    assert why_full(False, False, None, "fp") == "no live generation"
    assert why_full(False, True, None, "fp") == "the live generation has no source inventory"
    assert "cleaner" in why_full(False, True, live, "changed code")
    assert why_full(False, True, live, "fp") == ""


def test_removing_most_of_the_live_index_is_refused_but_deleted_files_of_given_sources_are_not_counted():
    old = inventory(record(S1, item("a"), item("b"), item("c", folded_into="a")), record(S2, item("d")))
    removal = mass_removal(["/src/other"], old)  # feed.jsonl's two indexed articles of three
    assert (removal.removed, removal.total, removal.sources) == (2, 3, (S1,))
    assert mass_removal(["/src/feed.jsonl"], old) is None  # one of three: within the guard
    assert mass_removal(["/src"], old) is None  # every source still given (its files may be gone)
    assert mass_removal(["/elsewhere"], inventory(record(S1, item("a")), record(S2, item("d")))).removed == 2
    assert mass_removal(["/src/other"], inventory(record(S1, item("a")), record(S2, item("d")))) is None

"""The Xapian document layout: the contract between the shard writer (write.py) and search/xapian/.

A cleaned Article becomes one ``xapian.Document`` analysed by Lede's own chain (index/schema.py), so
both backends index the same terms at the same positions by construction:

* each searched text field has a term prefix (TEXT_PREFIXES); its words are the field analyzer's
  terms (folded, stemmed, stop words dropped at their positions) with positions, one wdf each;
* the title, body and captions also have a common-word prefix (COMMON_PREFIXES) holding what
  Whoosh's companion fields hold (index/common_grams.py): stop words unstemmed, and the word pairs
  they form, at their real positions, so a phrase with "of" is scored by its pairs as in Whoosh
  (Xapian counts them in a document's length, which Whoosh keeps per field: README, "Scaling out");
* exact values are boolean terms (BOOLEAN_PREFIXES: ``XO:BBC News``) for filters, and value slots
  (SLOTS) for facets, sorting and collapsing;
* did-you-mean's words are boolean ``W`` terms: a word's term frequency is the number of documents
  holding it, which is what vocabulary.py counts for the Whoosh backend;
* the document data is the Article's JSON (plus the source hash), from which every stored field is
  derived as to_document derives it.

Changing anything here changes what the shards hold: rebuild them (``--full``).
"""
from __future__ import annotations

import hashlib
import json

from index import analysis
from index import schema as f
from index.article import Article
from index.store.document import parse_date, to_document

#: Searched text field → term prefix. Terms start with a lower-case letter or a digit, so prefixes
#: of capitals never run into a term.
TEXT_PREFIXES = {f.TITLE: "S", f.BODY: "B", f.CAPTIONS: "C", f.BYLINE: "A", f.CONTRIBUTORS: "XN",
                 f.OUTLET_TEXT: "XOT", f.SECTION_TEXT: "XST"}
#: Common-word companion field → term prefix (title_common → "XCS", …).
COMMON_PREFIXES = {common: "XC" + TEXT_PREFIXES[name] for name, common in f.COMMON_FIELDS.items()}
PREFIXES = {**TEXT_PREFIXES, **COMMON_PREFIXES}
#: Exact-value field → boolean term prefix; the value follows the colon as written.
BOOLEAN_PREFIXES = {f.ID: "Q", f.OUTLET: "XO:", f.SECTION: "XS:", f.MONTH: "XM:", f.DAY: "XD:"}
UNDATED_TERM = "XU"  # every article without a publication date (parse.undated())
COPY_PREFIX = "XG:"  # + the id of the copy group's first article (near-duplicates, search/collapse.py)
WORD_PREFIX = "W"  # + a did-you-mean word

#: Value slots: facets (outlet, section, month, day), sorting (id; newest and oldest first: one key
#: each, as remote databases sort by one slot, not by a KeyMaker) and collapsing (copy group).
SLOTS = {f.ID: 0, f.OUTLET: 1, f.SECTION: 2, f.MONTH: 3, f.DAY: 4, "copy": 5, "oldest": 6, "newest": 7}
UNDATED_KEY = "~"  # sorts after every date, so undated articles come last in both orders
_NEWEST = str.maketrans("0123456789", "9876543210")  # a date's digits inverted: later dates sort first

#: Metadata keys every shard carries: the generation it belongs to, its place in the set, when built.
GENERATION_KEY, SHARD_KEY, SHARDS_KEY = "lede.generation", "lede.shard", "lede.shards"
BUILT_KEY = "lede.built_at"  # seconds since the epoch, when the generation was written

MAX_TERM = 240  # bytes: Xapian's glass backend refuses terms over 245

#: Lede's schema: its fields' analyzers index the terms here, and the query side parses with it.
SCHEMA = f.build_schema()


def shard_of(article_id: str, shards: int) -> int:
    """The shard an article lives in: a stable hash of its id (the same on every machine and run)."""
    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "big") % shards


#: BM25F in BM25's clothes. Xapian's BM25 normalises a term's frequency by the whole document's
#: length; Lede's (Whoosh's BM25F) by its field's. So each field's frequency is divided here by the
#: field's own normalisation, (1 - B) + B * length / the field's average length, and scaled by
#: LENGTH_SCALE into an integer wdf; the query side weighs with BM25 at b = 0 and
#: k1 = K1 * LENGTH_SCALE, which gives each term tf / (tf + K1 * norm), as BM25F does (up to the
#: rounding of the wdf). Positions are added with no wdf of their own.
LENGTH_SCALE = 100


def field_lengths(article: Article, source_hash: str = "") -> dict[str, int]:
    """Each searched field's length in words, as Whoosh counts it (the words it indexes)."""
    fields = to_document(article, source_hash)
    return {name: sum(len(p) for t, p in SCHEMA[name].analyzer.postings(fields.get(name) or "").items() if t)
            for name in PREFIXES if fields.get(name)}


def to_xapian(article: Article, source_hash: str, copy_of: str, xapian, averages: dict) -> object:
    """The ``xapian.Document`` for ``article`` (``copy_of``: the id of its copy group's first article;
    ``averages``: each field's average length over the whole collection, from ``field_lengths``).

    ``xapian`` is the module, passed in so that index/ imports without the optional bindings.
    """
    fields = to_document(article, source_hash)
    doc = xapian.Document()
    for name, prefix in PREFIXES.items():
        text = fields.get(name) or ""
        if not text:
            continue
        found = {t: p for t, p in SCHEMA[name].analyzer.postings(text).items() if t}
        length = sum(len(p) for p in found.values())
        average = averages.get(name) or length or 1
        norm = (1 - f.LENGTH_B) + f.LENGTH_B * length / average
        for term, postings in found.items():
            key = bounded(prefix + term)
            for pos, _start, _end in postings:
                doc.add_posting(key, pos + 1, 0)  # Xapian positions start at 1
            doc.add_term(key, max(1, round(LENGTH_SCALE * len(postings) / norm)))
    for name, prefix in BOOLEAN_PREFIXES.items():
        if fields.get(name):
            doc.add_boolean_term(bounded(prefix + fields[name]))
        if name in SLOTS and fields.get(name):
            doc.add_value(SLOTS[name], fields[name])
    if f.DAY not in fields:
        doc.add_boolean_term(UNDATED_TERM)
    day = fields.get(f.DAY)
    doc.add_value(SLOTS["oldest"], f"{day or UNDATED_KEY}\x00{article.id}")
    doc.add_value(SLOTS["newest"], f"{day.translate(_NEWEST) if day else UNDATED_KEY}\x00{article.id}")
    doc.add_boolean_term(bounded(COPY_PREFIX + copy_of))
    doc.add_value(SLOTS["copy"], copy_of)
    for word in analysis.spell_words(fields[f.TITLE], fields[f.BODY], fields[f.CAPTIONS]):
        doc.add_boolean_term(WORD_PREFIX + word)
    doc.set_data(json.dumps({"article": article.to_json(), "hash": source_hash}, ensure_ascii=False))
    return doc


def bounded(term: str) -> str:
    """``term``, or when longer than Xapian takes (MAX_TERM bytes) its prefix-free digest form; the
    query side looks terms up through this too, so a long id or URL-like word is still found."""
    raw = term.encode("utf-8")
    if len(raw) <= MAX_TERM:
        return term
    return term[:64] + "#" + hashlib.sha1(raw).hexdigest()


def stored_fields(data: bytes | str) -> dict:
    """A document's stored fields, as the Whoosh backend's ``stored_fields`` has them, from its data."""
    stored = json.loads(data)
    article = Article.from_json(stored["article"])
    fields = to_document(article, stored.get("hash", ""))
    fields[f.PUBLISHED] = parse_date(article.published)
    return fields

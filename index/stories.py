"""Stories: the articles of many outlets about one event, grouped at rebuild.

Each article gets a signature: the weights (frequency × rarity) of the distinctive words of
its title and lead (``LEAD_WORDS`` words of body), the ``TERMS`` heaviest
kept, normalised to length 1. Articles are taken oldest first; each joins the
story of its most similar earlier article when the cosine of their
signatures reaches ``SIMILARITY`` and the two were published at most
``WINDOW_DAYS`` apart (and the story began at most ``MAX_SPAN_DAYS`` before),
or starts a story of its own. Undated articles are compared with undated ones
only: an article whose date is unknown can never join a dated story, so
articles from other years never join one. (Syndicated copies, which the
near-duplicate fingerprint finds, share most words and so land together.)
The method and its thresholds were chosen by ``bench/stories.py`` on a
labelled set from ../shared/data (B-cubed F1).

Incremental: the next rebuild loads the signatures of the live generation
(``story-vectors.json``), drops those of deleted or changed articles, and
only places the new and changed ones — existing stories are never regrouped.
Two files per generation, so rollback brings the stories back with the index:
``stories.json`` (each story's articles and summary, read by the web) and
``story-vectors.json`` (the signatures, read only by the next rebuild).
A word's weight is its rarity in English at large (wordfreq), not in the index.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import wordfreq

from . import analysis
from . import schema as f
from .store.files import write_json

FILENAME = "stories.json"
VECTORS = "story-vectors.json"
FORMAT = 1

LEAD_WORDS = 300  # words of body that go into a signature (the lead tells what the event is)
LEAD_CHARS = 8 * 2 * LEAD_WORDS  # characters of body read for them (stop words dropped; ample)
TITLE_WEIGHT = 2  # a title word counts as this many body words
TERMS = 30  # words kept per signature (the heaviest by weight)
QUERY_TERMS = 12  # of a new article's words, the heaviest this many look for similar articles
CANDIDATE_SHARE = 0.5  # ... and those reaching this share of SIMILARITY through them are compared in full
COMMON_IN_WINDOW = 50  # a word more articles of the window hold is not compared (not distinctive of an event)
SIMILARITY = 0.2  # cosine at which an article joins the story of its nearest earlier article (bench/story_grouping.py)
WINDOW_DAYS = 3  # at most this many days between an article and the one it joins through
MAX_SPAN_DAYS = 10  # and a story takes no article published more than this many days after it began
RARITY_CACHE = 1 << 19  # words whose rarity a process remembers
RARITY_CEILING = 7.0  # Zipf frequency at which a word weighs nothing ("the" is 7.7, "said" 6.0)
UNDATED = None  # the day key of undated articles: they are compared only with each other

_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(eq=False)  # hashed by identity: entries are keys of the similarity accumulator
class Entry:
    """One article's place in the stories: its signature, its day and the story it is in."""

    id: str
    day: str | None  # YYYY-MM-DD
    outlet: str
    title: str
    vector: dict[str, float]
    story: str = ""

    @property
    def ordinal(self) -> int | None:
        return date.fromisoformat(self.day).toordinal() if self.day else UNDATED

    def to_json(self) -> list:
        return [self.story, self.day, self.outlet, self.title, self.vector]

    @classmethod
    def from_json(cls, ident: str, data: list) -> "Entry":
        story, day, outlet, title, vector = data
        return cls(ident, day, outlet, title, vector, story)


def words(text: str) -> list[str]:
    """Lower-cased words of three letters or more, stop words left out."""
    stop = analysis.STOP_LIST
    return [w for w in _WORD.findall(text.lower()) if w not in stop]


_rarity: dict[str, float] = {}


def rarity(word: str) -> float:
    """How distinctive a word is in English at large: ``RARITY_CEILING`` minus its Zipf frequency.

    A fixed background (wordfreq's, from many corpora) rather than the index's own
    document frequencies: it weighs words sensibly in an index of five articles,
    and an article's signature never changes when other articles come and go, so
    an incremental rebuild places articles exactly as a full one would. (Remembered per
    process: a plain dict, as this is asked once per word of every article.)
    """
    found = _rarity.get(word)
    if found is None:
        if len(_rarity) > RARITY_CACHE:
            _rarity.clear()
        found = _rarity[word] = max(0.0, RARITY_CEILING - wordfreq.zipf_frequency(word, "en"))
    return found


def signature(title: str, body: str) -> dict[str, float]:
    """The normalised weights of the ``TERMS`` heaviest words of a title and its lead ((1 + log tf) × rarity)."""
    counts = Counter(words(body[:LEAD_CHARS])[:LEAD_WORDS])
    for w in words(title):
        counts[w] += TITLE_WEIGHT
    weights = {w: (1 + math.log(n)) * rarity(w) for w, n in counts.items()}
    top = heapq.nsmallest(TERMS, weights.items(), key=lambda kv: (-kv[1], kv[0]))
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    return {w: round(v / norm, 4) for w, v in top if v > 0}


def story_id(founder: str, taken) -> str:
    """A story's id: derived from its first article's id, so it stays the same across rebuilds."""
    ident = "s" + hashlib.blake2b(founder.encode("utf-8"), digest_size=6).hexdigest()
    while ident in taken:
        ident = "s" + hashlib.blake2b(ident.encode("ascii"), digest_size=6).hexdigest()
    return ident


@dataclass
class Grouper:
    """Places articles into stories one at a time, against every article placed before."""

    similarity: float = SIMILARITY
    window: int = WINDOW_DAYS
    span: int = MAX_SPAN_DAYS
    entries: dict[str, Entry] = field(default_factory=dict)
    #: word → day ordinal (or UNDATED) → [(entry, weight)]: candidates are found through shared words
    _postings: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    _first_day: dict[str, int | None] = field(default_factory=dict)  # story → its earliest day

    def keep(self, entry: Entry) -> None:
        """Remember an article already placed (a previous generation's), without moving it."""
        self.entries[entry.id] = entry
        day = entry.ordinal
        first = self._first_day.get(entry.story, day)
        self._first_day[entry.story] = day if first is None or (day is not None and day < first) else first
        for word, weight in entry.vector.items():
            self._postings[word][day].append((entry, weight))

    def place(self, entry: Entry) -> str:
        """Put a new article into the story of its nearest earlier article, or a new story; returns its id."""
        best = self.nearest(entry)
        entry.story = best.story if best is not None else story_id(entry.id, self._first_day)
        self.keep(entry)
        return entry.story

    def nearest(self, entry: Entry) -> Entry | None:
        """The most similar earlier article within the window, if similar enough.

        Words held by more than ``COMMON_IN_WINDOW`` articles of the window are left out of the
        comparison: a word that many articles of those days share (a wire service's template,
        "shr cts net") says nothing about which event an article reports — and walking their
        postings was most of the cost. Candidates come from the article's ``QUERY_TERMS``
        heaviest words; those reaching ``CANDIDATE_SHARE`` of the threshold through them get
        their exact cosine over the words left.
        """
        day = entry.ordinal
        days = [UNDATED] if day is None else range(day - self.window, day + self.window + 1)
        scores: dict[Entry, float] = defaultdict(float)
        common = set()
        vector = entry.vector
        for word, weight in heaviest(vector, QUERY_TERMS):
            by_day = self._postings.get(word)
            if by_day is None:
                continue
            lists = [by_day[d] for d in days if d in by_day]
            if sum(map(len, lists)) > COMMON_IN_WINDOW:
                common.add(word)
                continue
            for postings in lists:
                for other, w in postings:
                    scores[other] += weight * w
        best, best_score = None, self.similarity
        floor = CANDIDATE_SHARE * self.similarity
        for other, partial in scores.items():
            if partial < floor or other.id == entry.id:
                continue
            score = sum(w * vector.get(word, 0.0) for word, w in other.vector.items() if word not in common)
            if score < best_score:
                continue
            first = self._first_day.get(other.story)
            if day is not None and first is not None and day - first > self.span:
                continue
            if score > best_score or best is None or other.id < best.id:
                best, best_score = other, score
        return best


def heaviest(vector: dict[str, float], n: int) -> list[tuple[str, float]]:
    return sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def order(entries) -> list[Entry]:
    """Oldest first, undated last, ties by id: the order articles are placed in (and a timeline's)."""
    return sorted(entries, key=lambda e: (e.day is None, e.day or "", e.id))


def summaries(entries) -> dict[str, dict]:
    """Each story's summary: title (its first article's), dates, outlets, articles oldest first."""
    members: dict[str, list[Entry]] = defaultdict(list)
    for e in order(entries):
        members[e.story].append(e)
    out = {}
    for sid, items in sorted(members.items()):
        dated = [e.day for e in items if e.day]
        out[sid] = {
            "title": next((e.title for e in items if e.title), ""),
            "first_published": dated[0] if dated else None,
            "last_published": dated[-1] if dated else None,
            "outlets": list(dict.fromkeys(e.outlet for e in items)),
            "articles": [e.id for e in items],
        }
    return out


def load_entries(generation: Path) -> dict[str, Entry] | None:
    """The signatures a generation recorded, by article id; None without a readable file."""
    try:
        data = json.loads((Path(generation) / VECTORS).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return {ident: Entry.from_json(ident, row) for ident, row in data["articles"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save(generation: Path, entries: dict[str, Entry]) -> None:

    write_json(Path(generation) / VECTORS, {
        "format": FORMAT, "articles": {e.id: e.to_json() for e in order(entries.values())}})
    write_json(Path(generation) / FILENAME, {"format": FORMAT, "stories": summaries(entries.values())})


def entry_of(fields: dict) -> Entry:
    """A new article's entry from its stored document fields (what to_document stored)."""
    published = fields.get(f.PUBLISHED)
    title = fields.get(f.TITLE) or ""
    return Entry(fields[f.ID], published.date().isoformat() if published else None,
                 fields.get(f.OUTLET) or "", title,
                 signature(title, fields.get(f.BODY) or ""))


def group(reader, previous: Path | None, changed: set[str]) -> dict[str, Entry]:
    """The entries of every live document of ``reader``: kept from ``previous`` where unchanged, else placed.

    ``changed``: ids indexed again by this rebuild (their old place is forgotten).
    """
    old = (load_entries(previous) if previous is not None else None) or {}
    grouper = Grouper()
    fresh = []
    ids = list(reader.column_reader(f.ID))  # every document's id in one sequential read
    for docnum in reader.all_doc_ids():
        ident = ids[docnum]
        ident = ident.decode("utf-8") if isinstance(ident, bytes) else ident
        kept = old.get(ident)
        if kept is not None and ident not in changed:
            grouper.keep(kept)
        else:
            fresh.append(reader.stored_fields(docnum))
    for entry in order(entry_of(fields) for fields in fresh):
        grouper.place(entry)
    return grouper.entries

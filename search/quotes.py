"""Quoted speech: found in an article's paragraphs, attributed, and grouped across a story's outlets.

Stages: ``find`` takes each paragraph's quoted spans (curly and straight,
double and single quotes), joins the fragments of one utterance that an
attribution interrupts (“This is not a Warning, it is a Threat,” the
president tweeted. “Happy New Year!”) and names the speaker where the text
says who ("said Mousavi", "Mr Trump tweeted"; "he" is the last speaker
named). ``group`` puts the quotes of a story's articles together when they
are the same quotation — the same words, a fragment of the other (at least
``CONTAINED_WORDS`` words, nearly all found in order), or a rewording —
each distinct wording a variant. ``unquoted`` then looks for a quotation's
longer variants printed without quote marks (an embedded tweet).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from index.extract.neardup import words as normal_words

MIN_WORDS = 2  # shorter quoted spans (a single scare-quoted word) are not quotations
CONTAINED_WORDS = 3  # a quote this long or longer found inside another is a fragment of it
CONTAINED_SHARE = 0.8  # ... when this share of its words appears there, in order
REWORDED_WORDS = 5  # quotes this long or longer with ...
REWORDED_RATIO = 0.6  # ... this SequenceMatcher ratio of their words are one quotation reworded
JOIN_GAP_WORDS = 6  # fragments joined when at most this many words (an attribution) lie between
UNQUOTED_WORDS = 8  # a quotation found unquoted must share a run of this many words

SPEECH_VERBS = (r"said|says|say|wrote|writes|tweeted|tweets|added|adds|told|tells|asked|asks|warned|"
                r"declared|stated|posted|explained|insisted|continued|replied|chanted|shouted|"
                r"announced|argued|noted|claimed|vowed")
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_NAME = r"(?:[A-Z][\w’'.-]*)(?:\s+(?:[A-Z][\w’'.-]*|al-\w+|bin|de|van))*"
_PRONOUN = r"[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I"
_ROLE = r"(?:[Tt]he|[Aa]n?|One|one)\s+(?:[\w-]+\s+){0,3}?[a-z][\w-]+"
#: After a quote: ", Mr Trump tweeted" / " the president wrote" / " he said".
_AFTER_SUBJECT = re.compile(rf"^[\s,—–-]*(?P<who>{_NAME}|{_PRONOUN}|{_ROLE})\s+(?:{SPEECH_VERBS})\b")
#: After a quote: ", said Mousavi" / " said White House Press Secretary Stephanie Grisham".
_AFTER_VERB = re.compile(rf"^[\s,—–-]*(?:{SPEECH_VERBS})\s+(?P<who>{_NAME}|{_ROLE})")
#: After a quote, a name after its description: ", Iranian Foreign Ministry spokesman Abbas Mousavi said".
_AFTER_DESCRIBED = re.compile(rf"^[\s,—–-]*(?:[\w’'.-]+\s+){{1,6}}?(?P<who>{_NAME})\s+(?:{SPEECH_VERBS})\b")
#: Before a quote: "One furious militant said: " / "Mousavi told reporters, ".
_BEFORE = re.compile(rf"(?P<who>{_NAME}|{_PRONOUN}|{_ROLE})\s+(?:{SPEECH_VERBS})\b[^.!?]{{0,40}}?[:,]?\s*$")
_TITLES = re.compile(r"^(?:Mr|Mrs|Ms|Dr|President|Prime Minister|Secretary|Sen|Rep)\.?\s+")
_PRONOUNS = frozenset("he she they it we i".split())
_PERSONAL = frozenset(("he", "she"))  # pronouns that stand for the last person named (not "they")

# Quoted spans: “…”, «…», "…" (straight, paired in order), and single quotes ‘…’ or '…' that open
# after a space or bracket and close before a space or punctuation (so apostrophes never do).
_QUOTED = re.compile(
    r"“(?P<a>[^“”]+)”|«(?P<b>[^«»]+)»|\"(?P<c>[^\"]+)\""
    r"|(?:(?<=^)|(?<=[\s(\[—–-]))[‘'](?P<d>\S(?:.*?\S)?)[’'](?=[\s.,;:!?)\]—–-]|$)")


@dataclass
class Quote:
    text: str  # as printed (fragments joined with " … ")
    speaker: str  # "" when the text does not say
    article: str
    outlet: str
    words: tuple[str, ...]


def spans(paragraph: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every quoted span of at least MIN_WORDS words."""
    out = []
    for m in _QUOTED.finditer(paragraph):
        text = next(g for g in m.groups() if g is not None).strip()
        if len(normal_words(text, credits=False)) >= MIN_WORDS:
            out.append((m.start(), m.end(), text))
    return out


def _speaker(before: str, after: str) -> str:
    for pattern, text in ((_AFTER_SUBJECT, after), (_AFTER_VERB, after), (_AFTER_DESCRIBED, after),
                          (_BEFORE, before)):
        m = pattern.search(text)
        if m:
            who = m.group("who").strip().rstrip(".")
            return _TITLES.sub("", who) if who[:1].isupper() and who.lower() not in _PRONOUNS else who
    return ""


def find(paragraphs, article: str = "", outlet: str = "") -> list[Quote]:
    """The quotes of an article's paragraphs, in order, fragments of one utterance joined."""
    quotes: list[Quote] = []
    last_named = ""
    for paragraph in paragraphs:
        found = spans(paragraph)
        i = 0
        while i < len(found):
            start, end, text = found[i]
            parts = [text]
            speaker = _speaker(paragraph[:start], paragraph[end:])
            while i + 1 < len(found):
                gap = paragraph[end:found[i + 1][0]]
                if len(gap.split()) > JOIN_GAP_WORDS or not _VERB.search(gap):
                    break
                i += 1
                end = found[i][1]
                parts.append(found[i][2])
            if speaker.lower() in _PERSONAL:
                speaker = last_named or speaker
            elif speaker.lower() in _PRONOUNS:
                speaker = ""
            elif speaker[:1].isupper():
                last_named = speaker
            joined = " … ".join(p.rstrip(",") for p in parts)
            quotes.append(Quote(joined, speaker, article, outlet, tuple(normal_words(joined, credits=False))))
            i += 1
    return quotes


@lru_cache(maxsize=4096)
def _counts(words: tuple[str, ...]) -> Counter:
    return Counter(words)


def same_quotation(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two quotes' words are one quotation: equal, one a fragment of the other, or reworded."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < CONTAINED_WORDS:
        return False
    # The words the two have in common bound what SequenceMatcher can match: most pairs stop here.
    most = sum((_counts(short) & _counts(long_)).values())
    if most < CONTAINED_SHARE * len(short) and (
            len(short) < REWORDED_WORDS or 2 * most < REWORDED_RATIO * (len(short) + len(long_))):
        return False
    matcher = SequenceMatcher(None, short, long_, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 2)
    if matched >= CONTAINED_SHARE * len(short):
        return True
    return len(short) >= REWORDED_WORDS and matcher.ratio() >= REWORDED_RATIO


def clusters(quotes: list[Quote]) -> list[list[Quote]]:
    """The quotes put together when they are the same quotation (``same_quotation``, transitively)."""
    parent = list(range(len(quotes)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(quotes)):
        for j in range(i):
            if root(i) != root(j) and same_quotation(quotes[i].words, quotes[j].words):
                parent[root(i)] = root(j)
    members: dict[int, list[Quote]] = {}
    for i, q in enumerate(quotes):
        members.setdefault(root(i), []).append(q)
    return list(members.values())


def _quotation(quotes: list[Quote], order: dict[str, int]) -> dict:
    quotes = sorted(quotes, key=lambda q: order.get(q.article, 0))
    variants: dict[tuple, dict] = {}
    for q in quotes:
        v = variants.setdefault(q.words, {"text": q.text, "outlets": [], "articles": []})
        if q.outlet not in v["outlets"]:
            v["outlets"].append(q.outlet)
        if q.article not in v["articles"]:
            v["articles"].append(q.article)
    named = Counter(q.speaker for q in quotes if q.speaker[:1].isupper() and q.speaker.lower() not in _PRONOUNS)
    anyone = Counter(q.speaker for q in quotes if q.speaker)
    speaker = (named or anyone).most_common(1)[0][0] if (named or anyone) else ""
    longest = max(quotes, key=lambda q: (len(q.words), -order.get(q.article, 0)))
    return {"text": longest.text, "speaker": speaker, "variants": list(variants.values()),
            "first": {"outlet": quotes[0].outlet, "article": quotes[0].article}}


def unquoted(groups: list[list[Quote]], articles: list[dict]) -> list[list[Quote]]:
    """The quotation groups with the paragraphs that print them without quote marks added.

    A paragraph without quote marks that shares a run of UNQUOTED_WORDS words with a quote of a
    group (in an article not quoting it already) prints that quotation: an embedded tweet or
    statement. When one paragraph prints several groups, they were parts of one text: merged.
    """
    runs: dict[tuple, int] = {}
    for n, group_ in enumerate(groups):
        for q in group_:
            w = q.words
            for i in range(len(w) - UNQUOTED_WORDS + 1):
                runs.setdefault(w[i:i + UNQUOTED_WORDS], n)
    if not runs:
        return groups
    merged = {n: n for n in range(len(groups))}
    extra: dict[int, list[Quote]] = {}
    for article in articles:
        carried = {n for n, group_ in enumerate(groups) if any(q.article == article["id"] for q in group_)}
        for p in article["paragraphs"]:
            if p["kind"] not in ("body", "list") or spans(p["text"]):
                continue  # a paragraph with quote marks had its quotes found already
            w = tuple(normal_words(p["text"], credits=False))
            found = {runs[w[i:i + UNQUOTED_WORDS]] for i in range(len(w) - UNQUOTED_WORDS + 1)
                     if w[i:i + UNQUOTED_WORDS] in runs} - carried
            if not found:
                continue
            home = min(merged[n] for n in found)
            for n in found:
                for m, target in merged.items():
                    if target == merged[n]:
                        merged[m] = home
            extra.setdefault(home, []).append(Quote(p["text"].strip(" .…"), "", article["id"], article["outlet"], w))
            carried |= found
    out: dict[int, list[Quote]] = {}
    for n, group_ in enumerate(groups):
        out.setdefault(merged[n], []).extend(group_)
    for home, quotes in extra.items():
        out[merged[home]].extend(quotes)
    return list(out.values())


def for_story(articles: list[dict]) -> list[dict]:
    """The quotations of a story's articles (cleaned article JSON, timeline order), the most widely
    carried first: ``{"text", "speaker", "variants": [{"text", "outlets", "articles"}], "first"}``."""
    order = {a["id"]: n for n, a in enumerate(articles)}
    quotes = []
    for a in articles:
        quotes += find([p["text"] for p in a["paragraphs"] if p["kind"] in ("body", "list", "subhead")],
                       a["id"], a["outlet"])
    found = [_quotation(group_, order) for group_ in unquoted(clusters(quotes), articles)]
    return sorted(found, key=lambda q: (-len({o for v in q["variants"] for o in v["outlets"]}),
                                        order.get(q["first"]["article"], 0), q["text"]))

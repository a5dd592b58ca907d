"""How each outlet told a story: what only one article reports, what syndicated copies changed, who was silent.

- ``only_in``: an article's sentences that no other article of the story
  reports. A sentence is reported elsewhere when one sentence of another
  article holds at least ``REPORTED_SHARE`` of its distinctive words,
  weighted by rarity (index/stories.py: "Mousavi" weighs far more than
  "said"). Consecutive unreported sentences of one paragraph form one passage.
- ``copies``: articles whose body is a near-duplicate (index/fingerprint.py)
  of an earlier one in the story, with what the copy changed against it.
- ``absent``: outlets with no article in the story, each with how many of its
  articles Lede indexed in the story's days (0: not collected, not silence).
"""
from __future__ import annotations

import re
from collections import defaultdict

from index import fingerprint, stories
from index.extract.neardup import is_near_duplicate
from index.extract.neardup import words as normal_words

REPORTED_SHARE = 0.4  # of a sentence's word weight found in one passage elsewhere: reported there too
REPORTED_WINDOW = 2  # sentences in a row of another article that make one passage (outlets split facts differently)
MIN_SENTENCE_WORDS = 5  # sentences with fewer distinctive words say too little to call unique
TEXT_KINDS = ("body", "list")
#: Credits a copy may drop: agency names printed in the text, besides contributor and photo credits.
AGENCIES = re.compile(r"\b(?:Reuters|Associated Press|AP|AFP|Agence France-Presse|Bloomberg|PA Media|dpa)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _weights(sentence: str) -> dict[str, float]:
    return {w: stories.rarity(w) for w in set(stories.words(sentence))}


def only_in(articles: list[dict]) -> list[dict]:
    """Per article (timeline order), the passages no other article of the story reports."""
    if len(articles) < 2:
        return []
    units = []  # (article index, paragraph index, sentence, weights)
    postings: dict[str, list[int]] = defaultdict(list)  # word → unit numbers
    for ai, a in enumerate(articles):
        for pi, p in enumerate(a["paragraphs"]):
            if p["kind"] not in TEXT_KINDS:
                continue
            for s in sentences(p["text"]):
                weights = _weights(s)
                for w in weights:
                    postings[w].append(len(units))
                units.append((ai, pi, s, weights))
    # Each unit's passage: its words and those of the next REPORTED_WINDOW - 1 sentences of its article.
    passages = [set().union(*(units[m][3] for m in range(n, min(n + REPORTED_WINDOW, len(units)))
                              if units[m][0] == units[n][0]))
                for n in range(len(units))]
    unique: dict[int, list[list]] = defaultdict(list)  # article → passages (lists of sentences)
    last = {}  # article → paragraph index of its last unique sentence, and the unit number
    for n, (ai, pi, s, weights) in enumerate(units):
        if len(weights) < MIN_SENTENCE_WORDS or _reported(ai, weights, units, postings, passages):
            continue
        if last.get(ai) == (pi, n - 1):
            unique[ai][-1].append(s)
        else:
            unique[ai].append([s])
        last[ai] = (pi, n)
    return [{"article": articles[ai]["id"], "outlet": articles[ai]["outlet"],
             "passages": [" ".join(p) for p in unique[ai]]} for ai in sorted(unique)]


def _reported(ai: int, weights: dict, units, postings, passages) -> bool:
    """Whether a passage of another article holds REPORTED_SHARE of the sentence's word weight.

    Such a passage must hold one of the sentence's heaviest words that together weigh more than
    the rest may (else what it holds weighs less than the share): only passages around those
    words — rare words, short postings — are considered, and compared word by word only when
    the key words they hold and all the others could reach the share.
    """
    total = sum(weights.values()) or 1.0
    need = REPORTED_SHARE * total
    key, covered = [], 0.0
    for w, weight in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])):
        key.append(w)
        covered += weight
        if covered > total - need:
            break
    rest = total - covered  # what the words outside ``key`` weigh together (less than ``need``)
    bound: dict[int, float] = defaultdict(float)  # passage start → at most what its key words weigh
    for w in key:
        weight = weights[w]
        for m in postings[w]:
            other = units[m][0]
            if other == ai:
                continue
            for start in range(max(0, m - REPORTED_WINDOW + 1), m + 1):
                if units[start][0] == other:
                    bound[start] += weight
    for start, most in sorted(bound.items(), key=lambda kv: -kv[1]):  # the likeliest first
        if most + rest < need:
            break
        passage = passages[start]
        if sum(weight for x, weight in weights.items() if x in passage) >= need:
            return True
    return False


def copies(articles: list[dict]) -> list[dict]:
    """Each near-duplicate copy of an earlier article of the story, and what it changed against it."""
    sketches = [fingerprint.unpack(fingerprint.sketch(_body(a))) for a in articles]
    out = []
    for i, a in enumerate(articles):
        original = next((j for j in range(i) if fingerprint.is_duplicate(sketches[i], sketches[j])), None)
        if original is not None:
            out.append(_changes(articles[original], a))
    return out


def _body(article: dict) -> str:
    return "\n\n".join(p["text"] for p in article["paragraphs"] if p["kind"] in (*TEXT_KINDS, "subhead"))


def _changes(original: dict, copy: dict) -> dict:
    theirs = [(p["text"], normal_words(p["text"])) for p in original["paragraphs"] if p["kind"] in TEXT_KINDS]
    ours = [(p["text"], normal_words(p["text"])) for p in copy["paragraphs"] if p["kind"] in TEXT_KINDS]

    def missing(a, b):
        return [text for text, w in a if not any(w == x or is_near_duplicate(w, x) for _, x in b)]

    headline = ({"from": original.get("title", ""), "to": copy.get("title", "")}
                if original.get("title", "") != copy.get("title", "") else None)
    return {"article": copy["id"], "outlet": copy["outlet"],
            "of": {"article": original["id"], "outlet": original["outlet"]},
            "headline": headline, "cut": missing(theirs, ours), "added": missing(ours, theirs),
            "credit_dropped": sorted(_credits(original) - _credits(copy))}


def _credits(article: dict) -> set[str]:
    """Who an article credits: its contributor lines, photo credits and agencies named in its text."""
    found = set(article.get("contributors") or ()) | set(article.get("credits") or ())
    found.update(AGENCIES.findall(_body(article)))
    for line in article.get("contributors") or ():
        found.update(AGENCIES.findall(line))
    return found


def absent(outlets_in_story, window_counts: dict[str, int]) -> list[dict]:
    """Outlets Lede holds that have no article in the story, with their articles in the story's days."""
    shown = set(outlets_in_story)
    return [{"outlet": outlet, "articles_in_window": n, "collected": n > 0}
            for outlet, n in sorted(window_counts.items(), key=lambda kv: (-kv[1], kv[0])) if outlet not in shown]

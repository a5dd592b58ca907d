"""Story grouping quality on the hand-labelled set (bench/story_labels.json): B-cubed precision, recall, F1.

    python bench/story_grouping.py [--feed bench/out/real.jsonl]

Groups the labelled articles (cleaned as a rebuild cleans them) with index/stories.py at
several similarity thresholds, and with the near-duplicate fingerprint alone as the
baseline, and prints a table. Two-fold cross-validation over the labelled stories
(alternate stories in each fold, singles split the same way) shows whether the threshold
chosen on one half holds on the other. Needs bench/out/real.jsonl (python bench/corpus.py).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index import fingerprint, stories  # noqa: E402
from index.extract.clean import clean  # noqa: E402
from index.extract.read import read_source  # noqa: E402

LABELS = ROOT / "bench" / "story_labels.json"
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)


def bcubed(truth: dict[str, str], found: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``found`` (article → cluster) against ``truth``."""
    by_truth, by_found = {}, {}
    for a in truth:
        by_truth.setdefault(truth[a], set()).add(a)
        by_found.setdefault(found[a], set()).add(a)
    precision = recall = 0.0
    for a in truth:
        same = by_truth[truth[a]] & by_found[found[a]]
        precision += len(same) / len(by_found[found[a]])
        recall += len(same) / len(by_truth[truth[a]])
    precision, recall = precision / len(truth), recall / len(truth)
    return precision, recall, 2 * precision * recall / ((precision + recall) or 1)


def truth_of(labels: dict) -> dict[str, str]:
    truth = {a: name for name, ids in labels["stories"].items() for a in ids}
    truth.update({a: f"single:{a}" for a in labels["single"]})
    return truth


def load_articles(feed: Path, wanted: set[str]) -> dict:
    return {raw.id: clean(raw) for raw in read_source(feed.parent, feed) if getattr(raw, "id", None) in wanted}


def by_signature(articles, threshold: float) -> dict[str, str]:
    grouper = stories.Grouper(similarity=threshold)
    entries = [stories.Entry(a.id, a.published, a.outlet, a.title,
                             stories.signature(a.title, a.text("body", "subhead", "list"))) for a in articles]
    for entry in stories.order(entries):
        grouper.place(entry)
    return {e.id: e.story for e in grouper.entries.values()}


def by_fingerprint(articles) -> dict[str, str]:
    sketches = {a.id: fingerprint.unpack(fingerprint.sketch(a.text("body", "subhead", "list"))) for a in articles}
    found: dict[str, str] = {}
    for a in articles:
        found[a.id] = next((found[b] for b in found if fingerprint.is_duplicate(sketches[a.id], sketches[b])), a.id)
    return found


def folds(labels: dict) -> list[set[str]]:
    halves = [set(), set()]
    for i, ids in enumerate(labels["stories"].values()):
        halves[i % 2].update(ids)
    for i, a in enumerate(labels["single"]):
        halves[i % 2].add(a)
    return halves


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=Path, default=ROOT / "bench" / "out" / "real.jsonl")
    args = parser.parse_args(argv)
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    truth = truth_of(labels)
    if not args.feed.is_file():
        print(f"no feed at {args.feed} — run `python bench/corpus.py` first", file=sys.stderr)
        return 2
    articles = load_articles(args.feed, set(truth))
    missing = set(truth) - set(articles)
    if missing:
        print(f"{len(missing)} labelled articles are not in {args.feed}", file=sys.stderr)
        return 2
    rows = [("fingerprint only", *bcubed(truth, by_fingerprint(list(articles.values()))))]
    for t in THRESHOLDS:
        rows.append((f"signature cosine ≥ {t}", *bcubed(truth, by_signature(articles.values(), t))))
    print(f"{len(truth)} labelled articles, {len(labels['stories'])} stories of 2+ articles, "
          f"{len(labels['single'])} single\n")
    print(f"{'method':<28}{'B³ precision':>14}{'B³ recall':>11}{'B³ F1':>8}")
    for name, p, r, f1 in rows:
        print(f"{name:<28}{p:>14.3f}{r:>11.3f}{f1:>8.3f}")
    print("\ntwo-fold cross-validation (threshold chosen on one fold, F1 on the other):")
    halves = folds(labels)
    for i, (train, test) in enumerate(((halves[0], halves[1]), (halves[1], halves[0]))):
        def f1_on(ids, t):
            part = {a: truth[a] for a in ids}
            return bcubed(part, by_signature([articles[a] for a in ids], t))[2]
        best = max(THRESHOLDS, key=lambda t: (f1_on(train, t), -t))
        print(f"  fold {i + 1}: chosen {best}, F1 on the other fold {f1_on(test, best):.3f} "
              f"(at the default {stories.SIMILARITY}: {f1_on(test, stories.SIMILARITY):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

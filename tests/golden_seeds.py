"""Golden expectations for the five seed dumps, written by reading them line by line.

Each seed has one paragraph per non-empty line. For each file: the line that
is the headline (if the dump has one), the lines that must GO with their
reason, and the kinds of the lines that stay where it is not "body". Every
other line is article text and must stay. A "prefix" beside each number
guards against the seed changing under the test. Used by tests/test_clean.py
and bench/extraction.py (the article lines are the seeds' ground truth).
"""
from __future__ import annotations

from pathlib import Path

D, P, C, K = "duplicate", "promo", "consent", "contributor"

SEEDS = {
    "000_1c53ba83fc47eed3.txt": {
        "title_line": 1,
        # Every caption printed twice: once ending " - AP" / " - Credit: …", once " Credit: …".
        "go": {4: D, 15: D, 44: D},
        "captions": [3, 14, 43],
        "subheads": [],
        "lists": [],
        "credits": ["AP", "AFP", "U.S. Marine Corps photos by Sgt. Robert G. Gavaldon via AP"],
        "prefixes": {1: "Iran's supreme leader and Trump", 4: "Pro-Iranian militiamen", 6: "Iran's supreme leader and US",
                     15: "US Marines assigned", 44: "Iraqi protesters burn tires"},
    },
    "001_d68e2d4870641a86.txt": {
        "title_line": 1,
        # 19 and 21: a caption (straight, then curly quotes) repeating body line 7 with "yesterday" added.
        # 115: repeats line 111 two paragraphs later, curly quotes. 119: body printed twice, quote variants.
        # Everything else odd-numbered here: the second copy of a caption (81, 233, 237 differ in quotes,
        # 161, 173, 195, 203, 207 in trailing spaces, 237 in a final full stop).
        "go": {19: D, 21: D, 25: D, 29: D, 33: D, 37: D, 69: D, 73: D, 77: D, 81: D, 93: D, 97: D,
               101: D, 105: D, 109: D, 115: D, 119: D, 157: D, 161: D, 165: D, 169: D, 173: D, 177: D,
               191: D, 195: D, 199: D, 203: D, 207: D, 221: D, 225: D, 229: D, 233: D, 237: D, 241: D,
               245: D, 281: P},
        # 91 (stun grenades) and 99 (tear gas) differ by two words: different photos, both stay.
        "captions": [23, 27, 31, 35, 67, 71, 75, 79, 91, 95, 99, 103, 107, 155, 159, 163, 167, 171, 175,
                     189, 193, 197, 201, 205, 219, 223, 227, 231, 235, 239, 243],
        "subheads": [41, 123, 255],
        "lists": list(range(257, 280, 2)),
        "credits": [],
        "prefixes": {7: "One furious militant said:", 19: "One furious militant said yesterday: 'God",
                     21: "One furious militant said yesterday: ‘God", 91: "US Embassy security men use stun grenades",
                     99: "U.S. Embassy security men use tear gas", 111: "Donald Trump announced",
                     115: "Donald Trump announced", 255: "ESCALATING TENSIONS", 281: "Read more at DailyMail.co.uk"},
    },
    "002_c2e6582fa8d69c59.txt": {
        "title_line": None,
        "go": {17: K},
        "captions": [], "subheads": [], "lists": [], "credits": [],
        "contributors": ["CNBC’s Amanda Macias", "Reuters"],
        "prefixes": {1: "President Donald Trump on Tuesday", 17: "— CNBC’s Amanda Macias and Reuters contributed"},
    },
    "003_07c2f900d2d46056.txt": {
        "title_line": None,
        "go": {1: P, 36: D, 77: D},
        "captions": [35, 76],
        "subheads": [5],
        "lists": [7, 9, 11, 13],
        "credits": ["Thaier al-Sudani/Reuters", "Khalid Mohammed/AP"],
        "prefixes": {1: "Related image", 5: "Here’s what we know:", 7: "●The U.S. Defense", 35: "Hashd al-Shaabi",
                     76: "Protesters destroy a vehicle"},
    },
    "004_67ccd451deed0674.txt": {
        "title_line": None,
        "go": {26: C, 27: C, 28: C, 29: C, 30: C, 31: C, 32: C},
        "captions": [], "subheads": [9, 15, 21], "lists": [], "credits": [],
        "prefixes": {1: "....Iran will be held", 9: "What happened on Tuesday?", 26: "This website or its third-party",
                     30: "Strictly Necessary Cookies", 32: "If you disable this cookie"},
    },
}


def seed_lines(path: Path) -> list[tuple[int, str]]:
    """(line number from 1, text with whitespace collapsed) of every non-empty line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(n, " ".join(line.split())) for n, line in enumerate(lines, 1) if line.strip()]

"""Clean stage: a raw article in, a frozen Article out, through named stages.

Every input — plain-text dump, HTML page, feed entry — becomes a list of
blocks (``split_paragraphs`` or ``index.html.extract``), then passes the same
stages, in this order:

    tidy → drop_consent → drop_promo → move_contributors → take_byline
         → take_title → take_credits → drop_duplicates → assign_kinds

Each stage takes a frozen ``Draft`` and returns a new one; what it drops is
recorded as ``Removal(reason, text)`` with a stable reason code from
``index/extract/rules.py``, where the text's phrases, patterns and thresholds live
(a page's are in ``page_rules.py``).
Metadata comes from the feed or manifest first, then the page's own tags,
then signatures in the text, else "unknown" (see ``index/extract/metadata.py``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, fields, replace

from . import consent, html, metadata, promo, rules
from ..article import Article, Paragraph, Removal
from .neardup import DuplicateFinder, is_near_duplicate, strip_credit, words
from .read import RawArticle

_PROMO = re.compile("|".join(f"(?:{p.pattern})" for p in rules.PROMO_LINES), re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph on its way through the stages.

    ``kind`` is "" until a stage decides it; the HTML reader may hint
    "subhead", "list" or "cell" (a table cell: never deduplicated, kept as body).
    ``original`` is the text as read, for the removal record.
    """

    text: str
    kind: str = ""
    original: str = ""
    fragment: bool = False  # began with a scraper's ellipsis: never a headline


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...] = ()
    contributors: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    outlet: str = ""  # named by a signature in the text, if any
    byline: str = ""  # a "By Jane Doe" line near the top, if any

    def drop(self, keep: list[Block], removals: list[Removal], **changes) -> "Draft":
        return self.but(blocks=tuple(keep), removed=self.removed + tuple(removals), **changes)

    def but(self, **changes) -> "Draft":
        """A copy with ``changes``: ``dataclasses.replace``, without inspecting the fields at every call
        (it cost a tenth of cleaning)."""
        values = {name: getattr(self, name) for name in _DRAFT_FIELDS}
        values.update(changes)
        return Draft(**values)


_DRAFT_FIELDS = tuple(f.name for f in fields(Draft))


# --- splitting -----------------------------------------------------------------------

def _continues(line: str, previous: str) -> bool:
    """Does ``line`` continue a paragraph hard-wrapped onto ``previous``? (lower-case start, unfinished previous)"""
    return line[:1].islower() and not rules.ends_sentence(previous)


def _repeats(line: str, previous: str) -> bool:
    """Is ``line`` a reprint of the line before it (a short caption printed twice), not its continuation?"""
    if len(line.split()) < rules.DEDUP_MIN_WORDS or line[:1] != previous[:1]:
        return False
    return is_near_duplicate(words(line), words(previous))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text dump.

    Blank lines separate paragraphs. Within a block, lines are joined when the
    block is hard-wrapped (no line but the last longer than ``rules.WRAP_WIDTH``
    characters), except that bullets, timeline entries and a line repeating
    the one before start new paragraphs; a block with longer lines holds one
    paragraph per line (a caption printed twice on consecutive lines is two
    paragraphs). A dump without blank lines has one paragraph per line, unless
    a line starting in lower case continues an unfinished one.
    """
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    has_blank_lines = _BLANK_LINE.search(text) is not None
    paragraphs = []
    for chunk in _BLANK_LINE.split(text) if has_blank_lines else [text]:
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        wrapped = has_blank_lines and all(len(line) <= rules.WRAP_WIDTH for line in lines[:-1])
        current: list[str] = []
        for line in lines:
            if wrapped:
                new = bool(rules.BULLET.match(line) or rules.TIMELINE.match(line)
                           or (current and _repeats(line, current[-1])))
            else:
                new = not _continues(line, current[-1]) if current else False
            if current and new:
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


# --- stages ----------------------------------------------------------------------------

def tidy(draft: Draft) -> Draft:
    """Strip scraper residue: leading ellipsis dots, bullet glyphs (→ list; item numbers stay), caption labels,
    credit-only lines."""
    keep, removals, credits = [], [], list(draft.credits)
    for block in draft.blocks:
        text, kind, fragment = block.text, block.kind, False
        stripped = rules.LEADING_DOTS.sub("", text)
        if stripped != text:
            text, fragment = stripped, True
        credit_line = rules.CREDIT_LINE.match(text)
        if credit_line:
            credits.append(credit_line.group("credit").strip())
            removals.append(Removal(rules.CREDIT, block.original))
            continue
        label = rules.CAPTION_LABEL.match(text)
        if label:
            text, kind = text[label.end():], "caption"
        bullet = rules.BULLET_GLYPH.match(text)
        if bullet and kind in ("", "list"):
            text, kind = text[bullet.end():], "list"
        elif kind == "" and (rules.ITEM_NUMBER.match(text) or rules.TIMELINE.match(text)):
            kind = "list"
        if not text.strip():
            removals.append(Removal(rules.EMPTY, block.original))
            continue
        text = text.strip()
        if (text, kind, fragment) != (block.text, block.kind, block.fragment):
            block = Block(text, kind, block.original, fragment)
        keep.append(block)
    return draft.drop(keep, removals, credits=tuple(credits))


def drop_consent(draft: Draft) -> Draft:
    """Remove cookie/tracking consent notices, recognised by wording (see ``index/extract/consent.py``)."""
    notices = consent.find_notices([b.text for b in draft.blocks])
    if not notices:
        return draft
    keep = [b for i, b in enumerate(draft.blocks) if i not in notices]
    removals = [Removal(rules.CONSENT, b.original) for i, b in enumerate(draft.blocks) if i in notices]
    return draft.drop(keep, removals)


def drop_promo(draft: Draft) -> Draft:
    """Remove promo and navigation: by wording, toolbars, story rails and reader-comment threads
    (``index/extract/promo.py``); a "Read more at <site>" signature also names the outlet."""
    texts = [b.text for b in draft.blocks]
    thread = promo.comment_thread_start(texts)
    rails = promo.find_rails(texts)
    keep, removals, outlet = [], [], draft.outlet
    for i, block in enumerate(draft.blocks):
        text = block.text
        if thread is not None and i >= thread:
            removals.append(Removal(rules.COMMENTS, block.original))
            continue
        if i in rails:
            removals.append(Removal(rules.RAIL, block.original))
            continue
        if len(text.split()) <= rules.SHORT_LINE_WORDS:
            signature = rules.SIGNATURE.match(text)
            if signature:
                outlet = outlet or metadata.outlet_for_site(signature.group("site"))
            if signature or _PROMO.match(text) or promo.is_toolbar(text):
                removals.append(Removal(rules.PROMO, block.original))
                continue
        keep.append(block)
    return draft.drop(keep, removals, outlet=outlet)


def contributor_names(text: str) -> list[str] | None:
    """The people and agencies a contributor paragraph credits, or None if it is not one."""
    names = []
    for sentence in rules.SENTENCE_END.split(text.strip()):
        match = rules.CONTRIBUTED.match(sentence) or rules.REPORTED_FROM.match(sentence)
        if match:
            names += rules.NAME_SPLIT.split(match.group("who").strip())
        elif rules.REPORTING_BY.match(sentence):
            for part in re.split(r"\s*;\s*", sentence.strip(" ()")):
                role = rules.ROLE_PART.match(part)
                if not role:
                    return None
                names += rules.NAME_SPLIT.split(role.group("who").strip())
        else:
            return None
    return [n.strip(" .") for n in names if n.strip(" .")]


def move_contributors(draft: Draft) -> Draft:
    """Move "X contributed to this report" / "Reporting by X" paragraphs to the contributors field."""
    keep, removals, people, outlet = [], [], list(draft.contributors), draft.outlet
    for block in draft.blocks:
        lower = block.text.lower()
        if (("contributed" in lower or " by " in f" {lower}" or "reported from" in lower)
                and len(block.text.split()) <= rules.CONTRIBUTOR_MAX_WORDS):
            names = contributor_names(block.text)
            if names:
                people += [n for n in names if n not in people]
                outlet = outlet or metadata.outlet_in_credit(names[0]) or ""
                removals.append(Removal(rules.CONTRIBUTOR, block.original))
                continue
        keep.append(block)
    return draft.drop(keep, removals, contributors=tuple(people), outlet=outlet)


def take_byline(draft: Draft) -> Draft:
    """Move a "By Jane Doe" line among the first paragraphs to the byline."""
    for i, block in enumerate(draft.blocks[: rules.BYLINE_WITHIN]):
        match = rules.BYLINE.match(block.text)
        if match:
            keep = draft.blocks[:i] + draft.blocks[i + 1:]
            return draft.drop(list(keep), [Removal(rules.BYLINE_REASON, block.original)],
                              byline=draft.byline or match.group("who"))
    return draft


def _looks_like_headline(block: Block) -> bool:
    count = len(block.text.split())
    return (block.kind == "" and not block.fragment and 2 <= count <= rules.TITLE_MAX_WORDS
            and not block.text.rstrip(rules.CLOSING_MARKS).endswith((".", ":", ";", ","))
            and not strip_credit(block.text)[1])


def take_title(draft: Draft) -> Draft:
    """For plain text without a stated title: the first paragraph, when it looks like a headline."""
    if draft.title or len(draft.blocks) < 2 or not _looks_like_headline(draft.blocks[0]):
        return draft
    return draft.but(title=draft.blocks[0].text, blocks=draft.blocks[1:])


def take_credits(draft: Draft) -> Draft:
    """Move trailing photo credits (" - AP", "Credit: AFP", "(Name/Agency)") to credits; the rest is a caption."""
    keep, credits = [], list(draft.credits)
    for block in draft.blocks:
        if block.kind in ("", "caption"):
            text, credit = strip_credit(block.text)
            if credit:
                if credit not in credits:
                    credits.append(credit)
                block = replace(block, text=text, kind="caption")
        keep.append(block)
    return draft.but(blocks=tuple(keep), credits=tuple(credits))


def _reads_like_caption(text: str) -> bool:
    return (len(text.split()) <= rules.CAPTION_MAX_WORDS and not rules.QUOTE_MARKS.search(text)
            and len(rules.SENTENCE_END.split(text)) <= rules.CAPTION_MAX_SENTENCES)


def drop_duplicates(draft: Draft) -> Draft:
    """Remove paragraphs repeating the title or ANY earlier paragraph, exactly or nearly.

    Lines under ``rules.DEDUP_MIN_WORDS`` words, list items and table cells are
    never compared. A paragraph repeated immediately is a caption printed
    twice: the first copy stays, as a caption, unless it reads like prose.
    """
    finder, title_words = DuplicateFinder(), words(draft.title) if draft.title else []
    all_tokens = [words(b.text, credits=False) if b.kind not in ("list", "cell") else [] for b in draft.blocks]
    copies = Counter(tuple(t) for t in all_tokens if len(t) >= rules.DEDUP_MIN_WORDS)
    keep, removals, numbers = [], [], []  # numbers: finder number of each kept block, or None
    for block, tokens in zip(draft.blocks, all_tokens):
        if title_words and len(keep) < 3 and tokens == title_words:
            removals.append(Removal(rules.TITLE, block.original))
            continue
        if len(tokens) < rules.DEDUP_MIN_WORDS or copies[tuple(tokens)] > rules.DEDUP_MAX_COPIES:
            keep.append(block)
            numbers.append(None)
            continue
        earlier = finder.find(tokens)
        if (earlier is not None and len(tokens) < rules.DEDUP_ANYWHERE_MIN_WORDS
                and not (numbers and numbers[-1] == earlier)):
            earlier = None  # a short line repeated further apart: structure, not a reprint
        if earlier is None:
            keep.append(block)
            numbers.append(finder.add(tokens))
            continue
        removals.append(Removal(rules.DUPLICATE, block.original))
        if numbers and numbers[-1] == earlier and keep[-1].kind == "" and _reads_like_caption(keep[-1].text):
            keep[-1] = replace(keep[-1], kind="caption")
    return draft.drop(keep, removals)


def _kind(block: Block) -> str:
    if block.kind == "cell":
        return "body"
    if block.kind:
        return block.kind
    text = block.text
    count = len(text.split())
    bare = text.rstrip(rules.CLOSING_MARKS)
    if count <= rules.SUBHEAD_MAX_WORDS and (bare.endswith(("?", ":")) or not rules.ends_sentence(bare)):
        return "subhead"
    if text.isupper() and count <= 2 * rules.SUBHEAD_MAX_WORDS:
        return "subhead"
    return "body"


def assign_kinds(draft: Draft) -> Draft:
    """Decide the kind of every block not yet decided: subhead (short, no full stop) or body."""
    return draft.but(blocks=tuple(Block(b.text, _kind(b), b.original, b.fragment) for b in draft.blocks))


STAGES = (tidy, drop_consent, drop_promo, move_contributors, take_byline, take_title, take_credits,
          drop_duplicates, assign_kinds)


# --- entry point ---------------------------------------------------------------------------

def _blocks(raw: RawArticle) -> tuple[list[Block], dict, list[Removal]]:
    """The raw article's blocks, the metadata its HTML states (empty for plain text), and what the HTML
    stage removed (link lists at the article's edges, captions of images that are not its own)."""
    if raw.html is None:
        return [Block(p, original=p) for p in split_paragraphs(raw.text or "")], {}, []
    fast = raw.meta.get("extractor") == "fast"  # sourcefile.EXTRACTORS: the sources file's choice
    tree = html.FastPage(raw.html) if fast else html.load_tree(raw.html)
    page = metadata.page_metadata(html.page_tree(raw.html, tree))
    found, captions, removed = html.extract(raw.html, raw.meta.get("url") or page.get("url"), tree)
    blocks = [Block(" ".join(text.split()), kind, original=text) for kind, text in found]
    blocks += [Block(c, "caption", original=c) for c in captions]
    return blocks, page, [Removal(reason, text) for reason, text in removed]


def clean(raw: RawArticle) -> Article:
    """The article a raw source holds, with boilerplate removed and every removal recorded."""
    meta = raw.meta
    blocks, page, removed = _blocks(raw)
    draft = Draft(title=" ".join((meta.get("title") or page.get("title") or "").split()), blocks=tuple(blocks),
                  removed=tuple(removed))
    for stage in STAGES:
        draft = stage(draft)
    settled, dropped = metadata.settle(meta, page, title=draft.title, outlet=draft.outlet, byline=draft.byline)
    return Article(
        id=raw.id,
        **settled,
        contributors=draft.contributors,
        credits=draft.credits,
        paragraphs=tuple(Paragraph(b.kind, b.text) for b in draft.blocks),
        removed=draft.removed + tuple(Removal(reason, text) for reason, text in dropped),
        source=raw.source,
    )

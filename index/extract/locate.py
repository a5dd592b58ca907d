"""Locate the extracted article in its page, and read what the extractor left around it.

The extractor (trafilatura, or Lede's own pruning) returns text, not places.
To tell the article's own photos from related-story thumbnails, and to find a
standfirst the extractor dropped, Lede needs to know *where* that text sits:

- ``Place.root`` is the deepest element of the page holding most of the
  extracted paragraphs (matched by their opening words), and the *lead zone*
  runs from the last ``<h1>`` before them to the first of them;
- ``Place.captions`` keeps a figure's caption when the figure is the
  article's own: inside the container, right beside it, or in the lead zone
  (the photo under the headline); not in an aside or a container named as
  boilerplate, not a video player, not a link to another page, its caption
  not a list of links. Every other caption (related-story thumbnails, video
  teasers, cards in a rail) is returned apart, to be recorded as removed;
- ``Place.standfirst`` is the article's lead when the page marks it: a paragraph
  whose class names it (``page_rules.STANDFIRST_NAMES``) or an ``<h2>`` right
  after the ``<h1>`` — between the headline and the first extracted
  paragraph (the lead zone) — or a bare text node after the headline or at
  the top of the container; and not already extracted;
- ``Place.link_lists`` finds runs of extracted blocks that are links in the
  page, at the edge of the text: related stories and navigation.

Works on an lxml tree (``html.load_tree``): one parse serves the extractor
and this module.
"""
from __future__ import annotations

from collections import Counter

from . import page_rules, rules



def _norm(text: str) -> str:
    return " ".join(text.split())


def _key(text: str) -> str:
    return _norm(text)[:page_rules.LOCATE_KEY_CHARS].casefold()


def _text(element) -> str:
    return _norm(element.text_content())


def _names(element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _link_density(element, text: str) -> float:
    linked = sum(len(_text(a)) for a in element.iter("a"))
    return linked / max(1, len(text))


def _container(matched: list):
    """The deepest element holding at least ``page_rules.CONTAINER_SHARE`` of the extracted blocks found in the page
    (``matched``), or None when none is found."""
    if not matched:
        return None
    counts: Counter = Counter(ancestor for element in matched for ancestor in element.iterancestors())
    need = page_rules.CONTAINER_SHARE * len(matched)
    best = None
    for element in matched:
        for ancestor in element.iterancestors():  # nearest first: the first one holding enough is the deepest
            if counts[ancestor] >= need:
                if best is None or _is_ancestor(best, ancestor):
                    best = ancestor
                break
    return best


def _is_ancestor(ancestor, element) -> bool:
    return any(a is ancestor for a in element.iterancestors())


def _element_sibling(element, step: str):
    sibling = getattr(element, step)()
    while sibling is not None and not isinstance(sibling.tag, str):  # comments and processing instructions
        sibling = getattr(sibling, step)()
    return sibling


def _beside(figure, root) -> bool:
    """Is ``figure`` inside ``root``, or in an element sibling right before or after it (or after one of its
    ``page_rules.ADJACENT_LEVELS`` nearest ancestors) that holds no other figure?"""
    if figure is root or _is_ancestor(root, figure):
        return True
    element = root
    for _ in range(page_rules.ADJACENT_LEVELS + 1):
        for sibling in (_element_sibling(element, "getprevious"), _element_sibling(element, "getnext")):
            if sibling is not None and (sibling is figure or (_is_ancestor(sibling, figure)
                                                              and len(list(sibling.iter("figure"))) == 1)):
                return True
        element = element.getparent()
        if element is None:
            break
    return False


def _links_elsewhere(figure) -> bool:
    """Is the figure a link to another page (a teaser card), rather than to its own image?"""
    around = list(figure.iterancestors("a"))
    for anchor in around + [a for a in figure.iter("a") if next(a.iter("img", "picture"), None) is not None]:
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith("#") and not page_rules.IMAGE_HREF.search(href):
            return True
    return False


def _in_boilerplate(figure) -> bool:
    """Does the figure sit in an aside, a footer, a navigation bar or a container named as boilerplate
    (``page_rules.PRUNE_NAMES``: related, sidebar, promo, …)?"""
    return any(a.tag in page_rules.FIGURE_PRUNE_TAGS or page_rules.PRUNE_NAMES.search(_names(a)) for a in figure.iterancestors())


def _is_video(figure) -> bool:
    return (next(figure.iter("video", "iframe"), None) is not None
            or any(page_rules.PLAYER_NAMES.search(_names(e)) for e in figure.iter()))


def _caption_text(figure) -> tuple[str, float]:
    """(the figure's caption, its link density): the figcaption, else the image's alt text if long enough."""
    caption = next(figure.iter("figcaption"), None)
    if caption is not None:
        text = _norm(caption.text_content())
        if text:
            return text, _link_density(caption, text)
    image = next(figure.iter("img"), None)
    alt = _norm(image.get("alt") or "") if image is not None else ""
    return (alt, 0.0) if len(alt.split()) >= page_rules.ALT_MIN_WORDS else ("", 0.0)


def _is_lead_text(text: str) -> bool:
    count = len(text.split())
    return (page_rules.STANDFIRST_MIN_WORDS <= count <= page_rules.STANDFIRST_MAX_WORDS
            and not rules.BYLINE.match(text) and not rules.TIMESTAMP_LINE.match(text))


def _opening(text: str) -> str:
    """The first words of a text: a lead already extracted, or an excerpt that repeats the body's opening,
    starts with the same words."""
    return " ".join(text.split()[: page_rules.STANDFIRST_MIN_WORDS]).casefold()


class Place:
    """Where the extracted blocks sit in the page's lxml tree: their container and the lead zone above them."""

    def __init__(self, tree, blocks: list[str]):
        self.tree = tree
        self.extracted = " ".join(_norm(text) for text in blocks).casefold()
        wanted = {_key(text) for text in blocks if len(text.split()) >= page_rules.LOCATE_MIN_WORDS}
        matched, self.density = [], {}
        for element in tree.iter(page_rules.LOCATE_BLOCK_TAGS):
            text = _text(element)
            key = _key(text)
            if key in wanted:
                matched.append(element)
            if key and key not in self.density:
                self.density[key] = _link_density(element, text)
        self.root = _container(matched)
        self.order: dict = {}
        self.heading = None
        self.start = None  # page position of the first extracted paragraph
        if self.root is None:
            return
        self.order = {element: n for n, element in enumerate(tree.iter())}
        self.start = min((self.order[el] for el in self.root.iter(page_rules.LOCATE_BLOCK_TAGS)
                          if _key(_text(el)) and _key(_text(el)) in self.extracted), default=None)
        if self.start is not None:
            headings = [h for h in tree.iter("h1") if self.order[h] < self.start]
            self.heading = headings[-1] if headings else None

    def link_lists(self, blocks: list[str]) -> set[int]:
        """Indices of the blocks that form a list of links at the edge of the article (related stories,
        navigation): at least ``page_rules.LINK_LIST_MIN_ITEMS`` blocks in a row that are links in the page
        (link density at least ``page_rules.LINK_LIST_DENSITY``), with no paragraph of
        ``page_rules.LINK_LIST_PROSE_WORDS`` words after them or none before them. A list of links between
        paragraphs is the article's own (a reading list, a product round-up)."""
        linked = [self.density.get(_key(text), 0.0) >= page_rules.LINK_LIST_DENSITY for text in blocks]
        prose = [n for n, text in enumerate(blocks) if len(text.split()) >= page_rules.LINK_LIST_PROSE_WORDS]
        found: set[int] = set()
        start = 0
        while start < len(blocks):
            stop = start
            while stop < len(blocks) and linked[stop]:
                stop += 1
            at_edge = not prose or prose[0] >= stop or prose[-1] < start
            if stop - start >= page_rules.LINK_LIST_MIN_ITEMS and at_edge:
                found.update(range(start, stop))
            start = stop + 1
        return found

    def _in_lead_zone(self, element) -> bool:
        return self.heading is not None and self.order[self.heading] < self.order[element] < self.start

    def captions(self) -> tuple[list[str], list[str]]:
        """(captions of the article's own images, captions of every other figure) — see the module docstring.

        Without a located container, no caption is the article's own.
        """
        own, other = [], []
        for figure in self.tree.iter("figure"):
            text, density = _caption_text(figure)
            text = page_rules.CAPTION_TAIL.sub("", text).strip()
            if not text or text in own or text in other:
                continue
            is_own = (self.root is not None and (_beside(figure, self.root) or self._in_lead_zone(figure))
                      and not _in_boilerplate(figure) and not _is_video(figure) and not _links_elsewhere(figure)
                      and density <= page_rules.LINK_DENSITY_MAX)
            (own if is_own else other).append(text)
        return own, other

    def _candidates(self):
        """Elements in the lead zone that may hold a standfirst, in page order: paragraphs and second-level
        headings, and leaf ``div``/``span`` elements whose class names a lead."""
        for element in self.tree.iter(*page_rules.STANDFIRST_TAGS):
            if not self._in_lead_zone(element):
                continue
            if element.tag in ("div", "span") and (not page_rules.STANDFIRST_NAMES.search(_names(element))
                                                   or next(element.iterdescendants("p", "div"), None) is not None):
                continue
            if (next(element.iterdescendants("script", "style"), None) is not None
                    or any(page_rules.STANDFIRST_SKIP_NAMES.search(_names(a)) for a in (element, *element.iterancestors()))):
                continue
            yield element

    def standfirst(self) -> str | None:
        """The article's lead when the page marks it and the extractor dropped it, else None.

        Marked means: its class names a lead (``page_rules.STANDFIRST_NAMES``), or it is an ``<h2>`` right after
        the ``<h1>``, or it is a bare text node after the headline or at the top of the container. Unmarked paragraphs between
        headline and body are more often promos, disclosures and author notes than leads: they stay out.
        """
        if self.root is None:
            return None
        for element in self._candidates():
            text = _text(element)
            if (not _is_lead_text(text) or _opening(text) in self.extracted
                    or _link_density(element, text) > page_rules.LINK_DENSITY_MAX):
                continue
            if ((element.tag == "h2" and _element_sibling(element, "getprevious") is self.heading)
                    or page_rules.STANDFIRST_NAMES.search(_names(element))):
                return text
        for loose in self._loose_texts():
            if _is_lead_text(loose) and _opening(loose) not in self.extracted:
                return loose
        return None

    def _loose_texts(self):
        """Text outside any element in the lead zone (after the headline or an element there) or at the top
        of the container: a lead some pages write as a bare text node."""
        if self.heading is not None:
            for element in [self.heading, *self.heading.itersiblings(), *self.heading.getparent().itersiblings()]:
                if not isinstance(element.tag, str) or self.order[element] >= self.start:
                    break
                if not page_rules.STANDFIRST_SKIP_NAMES.search(_names(element.getparent())):
                    yield _norm(element.tail or "")
        yield _norm(self.root.text or "")

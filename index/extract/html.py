"""HTML pruning: a page in, its main text out as (kind, text) blocks, plus its photo captions.

Structural pruning finds the article among the navigation, consent banners,
share widgets and related links. trafilatura does it best, so it goes first
(a source may choose Resiliparse's cheaper, less exact extractor instead:
``fast_blocks``, ``extractor = "fast"`` in the sources file);
Lede's own rules (``page_rules.PRUNE_*``, beautifulsoup4, lxml's parser) are the
fallback when it finds nothing. ``index/extract/locate.py`` then finds where the extracted text sits in
the page, to keep the captions of the article's own photos (``<figcaption>``,
``<img alt>``) and to recover a standfirst the extractor dropped. The blocks
then go through the same text stages as plain-text dumps, which catch what
structure cannot: repeated captions, consent wording, promo lines.
"""
from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from lxml.etree import ParserError
from lxml.html import HTMLParser, document_fromstring
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from . import locate, page_rules, rules

def make_soup(html: str) -> BeautifulSoup:
    """BeautifulSoup of a page, quietly: XHTML pages and pages that look like a URL are still pages."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "lxml")  # lxml: several times faster than html.parser


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def load_tree(html: str):
    """The page as an lxml tree by trafilatura's loader (it repairs encodings and broken markup),
    or None when the page cannot be parsed."""
    return load_html(html)


def trafilatura_blocks(tree, url: str | None = None) -> list[tuple[str, str]] | None:
    """Main-content blocks found by trafilatura in ``load_tree(html)``, or None when it finds nothing."""
    # trafilatura's default mode, measured with bench/extraction.py (181 pages, Lede's stages on top,
    # word F1): default 0.963, favor_recall 0.962, favor_precision 0.967 but recall 0.973 vs 0.981 and
    # ~35% more CPU. A search index cannot find a paragraph it dropped, so recall wins the tie.
    # (trafilatura copies the tree it is given: ``tree`` stays whole for index/extract/locate.py.)
    try:
        doc = bare_extraction(tree, url=url or None, include_comments=False, include_tables=True,
                              with_metadata=False)
    except (ValueError, TypeError, AttributeError):  # trafilatura raises these on pathological markup
        return None
    body = getattr(doc, "body", None)
    if body is None:
        return None
    blocks: list[tuple[str, str]] = []
    _walk(body, blocks)
    return blocks or None


_FAST = {"main_content": True, "alt_texts": False, "links": False, "list_bullets": True}


class FastPage:
    """A page as Resiliparse's parser (Lexbor) reads it: one parse serves the fast extractor and the
    page's metadata (``metadata.page_metadata``), in half the time lxml takes for the metadata alone.

    ``iter`` yields elements by tag in document order, with ``get``, ``text`` and ``itertext``: the part
    of lxml's element interface that ``page_metadata`` reads.
    """

    __slots__ = ("tree",)

    def __init__(self, html: str):
        try:
            self.tree = HTMLTree.parse(html)
        except UnicodeEncodeError:  # a lone surrogate (a JSON escape) is not UTF-8, and Lexbor refuses the string
            self.tree = HTMLTree.parse(html.encode("utf-8", "replace").decode("utf-8"))

    def iter(self, tag: str):
        # values(): a list at once; iterating the collection itself searches the document again per element
        return map(_FastElement, self.tree.document.get_elements_by_tag_name(tag).values())


class _FastElement:
    __slots__ = ("node",)

    def __init__(self, node):
        self.node = node

    def get(self, name: str) -> str | None:
        return self.node.getattr(name)

    @property
    def text(self) -> str:
        return self.node.text

    def itertext(self):
        return iter((self.node.text,))


def fast_blocks(page: FastPage) -> list[tuple[str, str]] | None:
    """Main-content blocks found by Resiliparse's extractor (compiled, on the Lexbor parser), or None.

    Roughly a tenth of trafilatura's CPU, and less exact (bench/ingest.py measures both): the choice
    of sources whose volume matters more than the last points of F1 (``extractor = "fast"``).
    """
    blocks = [("", line) for line in _lines(extract_plain_text(page.tree, **_FAST))]
    return blocks or None


def _text(element) -> str:
    for br in element.iter("lb"):
        br.tail = "\n" + (br.tail or "")
    return "".join(element.itertext())


def _walk(element, blocks: list[tuple[str, str]]) -> None:
    """Blocks of a trafilatura XML tree, in order: leaf blocks whole, loose text between them as paragraphs.

    trafilatura leaves some text as the tail of a heading rather than in a
    ``<p>``; it is article text all the same.
    """
    loose = [element.text or ""]

    def flush():
        blocks.extend(("", line) for line in _lines("".join(loose)))
        loose.clear()

    for child in element:
        if child.tag in page_rules.TRAFILATURA_INLINE:
            loose.append(_text(child))
        elif child.tag in page_rules.TRAFILATURA_KINDS and not any(d.tag in page_rules.TRAFILATURA_KINDS
                                                               for d in child.iterdescendants()):
            flush()
            blocks.extend((page_rules.TRAFILATURA_KINDS[child.tag], line) for line in _lines(_text(child)))
        else:
            flush()
            _walk(child, blocks)
        loose.append(child.tail or "")
    flush()


def _is_boilerplate_container(tag: Tag) -> bool:
    names = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(names) and bool(page_rules.PRUNE_NAMES.search(names))


def _link_density(tag: Tag, text: str) -> float:
    linked = sum(len(a.get_text(" ", strip=True)) for a in tag.find_all("a"))
    return linked / max(1, len(text))


def soup_blocks(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """Lede's own pruning: drop boilerplate elements and link-dense blocks, keep text blocks in order."""
    for tag in soup(list(page_rules.PRUNE_TAGS)):
        tag.decompose()
    for tag in soup.find_all(_is_boilerplate_container):
        if tag.name not in ("html", "body", "article", "main"):
            tag.decompose()
    articles = soup.find_all("article") or soup.find_all("main") or [soup.body or soup]
    root = max(articles, key=lambda a: sum(len(p.get_text()) for p in a.find_all("p")))
    blocks = []
    for tag in root.find_all(list(page_rules.SOUP_KINDS)):
        if tag.find(list(page_rules.SOUP_KINDS)):
            continue
        text = " ".join(tag.get_text(" ").split())
        if text and _link_density(tag, text) <= page_rules.LINK_DENSITY_MAX:
            blocks.append((page_rules.SOUP_KINDS[tag.name], text))
    return blocks


def page_tree(html: str, tree=None):
    """The tree the page's metadata is read from (``metadata.page_metadata``): ``tree``, the one the
    extractor reads (``load_tree`` or ``FastPage``), so that a page is parsed once; lxml's own parse of a page
    trafilatura's loader turns away (a fragment without ``<html>``)."""
    if tree is not None:
        return tree
    try:
        return document_fromstring(html.encode("utf-8", "replace"), parser=_PAGE_PARSER)
    except (ParserError, ValueError):  # nothing lxml can make a document of: a page without metadata
        return document_fromstring(b"<html></html>")


_PAGE_PARSER = HTMLParser(encoding="utf-8", remove_comments=True)


def extract(html: str, url: str | None = None,
            tree=None) -> tuple[list[tuple[str, str]], list[str], list[tuple[str, str]]]:
    """(main-text blocks as (kind hint, text), captions of the article's own photos, removals as (reason, text)).

    ``tree``: the page as ``load_tree`` parsed it, when the caller has it already; a ``FastPage``
    chooses the fast extractor.
    A standfirst the page marks but the extractor dropped is put back as the first block; lists of links
    at the edge of the text (``rules.PROMO``) and the captions of other images (``rules.OTHER_IMAGE``)
    are removed, with their reason.
    """
    if isinstance(tree, FastPage):
        return fast_blocks(tree) or soup_blocks(make_soup(html)), [], []
    tree = load_tree(html) if tree is None else tree
    blocks = trafilatura_blocks(tree, url) if tree is not None else None
    if blocks is None:
        blocks = soup_blocks(make_soup(html))
    if tree is None:
        return blocks, [], []
    place = locate.Place(tree, [text for _, text in blocks])
    links = place.link_lists([text for _, text in blocks])
    removed = [(rules.PROMO, text) for n, (_, text) in enumerate(blocks) if n in links]
    blocks = [block for n, block in enumerate(blocks) if n not in links]
    lead = place.standfirst()
    own, other = place.captions()
    return ([("", lead)] if lead else []) + blocks, own, removed + [(rules.OTHER_IMAGE, text) for text in other]

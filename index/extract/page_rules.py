"""Page rules as data: what to prune from an HTML page, where the article sits in it, what it says about itself.

The counterpart of rules.py (which holds the rules for the text once it is
paragraphs): html.py prunes and extracts with these, locate.py finds the
article's container, figures and standfirst, metadata.py reads dates and
sections. Selectors are kinds of page furniture (share widgets, video players,
gallery captions), never one site's markup.
"""
from __future__ import annotations

import datetime as dt
import re

_I = re.IGNORECASE

# --- HTML pruning ---------------------------------------------------------------------
#: Elements that never hold article text.
PRUNE_TAGS = ("script", "style", "noscript", "template", "nav", "aside", "footer", "form", "iframe",
              "svg", "button", "select", "input", "textarea", "header", "menu", "dialog", "object", "embed")
#: class/id words of containers that hold boilerplate: consent banners, share
#: widgets, newsletters, related links, ads, comments. Matched as whole words
#: inside the attribute (split on -, _ and spaces).
PRUNE_NAMES = re.compile(r"(?:^|[\s_-])(?:cookies?|consent|gdpr|cmp|onetrust|share|sharing|social|newsletter|"
                         r"subscribe|subscription|related|recommended|promo|advert|advertisement|ads?|sponsor(?:ed)?|"
                         r"comments?|sidebar|breadcrumbs?|menu|navigation|nav|footer|masthead|paywall|popup|modal|"
                         r"signup|outbrain|taboola|most-?read|trending)(?:$|[\s_-])", _I)
#: A block whose linked characters exceed this share of its characters is navigation.
LINK_DENSITY_MAX = 0.5
#: Shortest image alt text kept as a caption, in words ("logo", "photo" are not captions).
ALT_MIN_WORDS = 4
#: trafilatura XML element → paragraph kind hint ("" = decided by the text stages).
TRAFILATURA_KINDS = {"p": "", "head": "subhead", "item": "list", "cell": "cell", "quote": "", "code": ""}
#: trafilatura XML elements that sit inside running text.
TRAFILATURA_INLINE = {"hi", "ref", "lb", "del", "span", "sub", "sup"}
#: HTML element → paragraph kind hint, for Lede's own pruning (when trafilatura finds nothing).
SOUP_KINDS = {"p": "", "h2": "subhead", "h3": "subhead", "h4": "subhead", "li": "list",
              "blockquote": "", "td": "cell", "pre": ""}

# --- where the article sits in its page (index/extract/locate.py) -----------------------------
#: Elements whose text the extractor returns as one block.
LOCATE_BLOCK_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "td", "blockquote", "pre", "dd")
#: Opening characters that identify a block (enough to be unique, short enough to survive trailing edits).
LOCATE_KEY_CHARS = 60
#: Extracted paragraphs of at least this many words are looked up in the page (short lines repeat).
LOCATE_MIN_WORDS = 5
#: The article's container is the deepest element holding at least this share of the paragraphs found.
CONTAINER_SHARE = 0.6
#: A figure beside the container (the lead photo above the body) counts as the article's own when it sits
#: in an element sibling of the container or of one of its this-many nearest ancestors.
ADJACENT_LEVELS = 2
#: A list of links at the edge of the article: at least this many blocks in a row, each at least this
#: share link text in the page, with no paragraph of this many words after them (or before them).
LINK_LIST_MIN_ITEMS = 3
LINK_LIST_DENSITY = 0.8
LINK_LIST_PROSE_WORDS = 15
#: Elements whose figures are never the article's own (the lead photo may sit in a <header>: not listed).
FIGURE_PRUNE_TAGS = ("aside", "nav", "footer", "form")
#: A link to an image file (a photo linked to its larger version) is not a link to another page.
IMAGE_HREF = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:[?#].*)?$", _I)
#: Class/id words of video players: a figure holding one is a video teaser, not a photo.
PLAYER_NAMES = re.compile(r"(?:^|[\s_-])(?:video|player|jwplayer|brightcove|vjs|youtube)(?:$|[\s_-])", _I)
#: The end of a gallery caption that is not the caption: a tag list ("Themen: Weihnachten, Pullover"),
#: a slide counter ("1 / 8"). Tag labels per language.
CAPTION_TAIL = re.compile(r"(?:\s+(?:Themen|Tags|Topics|Thèmes|Temas|Etiquetas|Argomenti|Tēmas|Onderwerpen|タグ)\s*:.*)?"
                          r"(?:\s+\d{1,3} (?:/|of) \d{1,3})?\s*$", _I)
#: A standfirst is one paragraph of this many words (a byline or a date is shorter; a body longer).
STANDFIRST_MIN_WORDS = 8
STANDFIRST_MAX_WORDS = 80
#: Elements that may hold a standfirst (div and span only when their class names one).
STANDFIRST_TAGS = ("h2", "p", "div", "span")
#: Class/id words that mark a standfirst.
STANDFIRST_NAMES = re.compile(r"standfirst|lead(?!er|ing)|lede|\bdek\b|\bdeck\b|summary|intro(?!duc)|sub-?title|subhead|"
                              r"strapline|excerpt|abstract|description", _I)
#: Class/id words of what sits between a headline and the body but is not a lead.
STANDFIRST_SKIP_NAMES = re.compile(r"(?:byline|author|date|time|meta|credit|caption|share|social|related|newsletter|"
                                   r"breadcrumb|tags?\b|promo|advert|banner|cookie|consent|nav|menu|comment|cta\b|bio\b)", _I)

# --- what a page or a feed says about itself (index/extract/metadata.py) ------------------------
#: JSON-LD @types that describe an article (news articles preferred over a generic web page).
ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                 "opinionnewsarticle", "backgroundnewsarticle", "webpage", "liveblogposting"}
#: Dates before this year are not news dates (a default, an epoch, a typo).
EARLIEST_YEAR = 1800
#: How far in the future a date may be (time zones, embargoes) before it is not trusted.
FUTURE_SLACK = dt.timedelta(days=1)
#: Sections are facets: "news", "NEWS" and " News " must be one value, shown in title case (a
#: name such as "Middle East" survives it, as it would not sentence case). Short all-caps words in
#: a mixed-case section are acronyms and stay ("UK Politics"); longer phrases are not sections (words).
ACRONYM_MAX = 6
SECTION_MAX_WORDS = 5
#: Words a title-cased section keeps in lower case unless they come first ("Arts and Culture").
SECTION_MINOR_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to",
                                 "vs", "with"})

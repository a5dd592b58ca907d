"""Boilerplate rules as data: the phrases, patterns and thresholds the cleaner applies.

Nothing here runs on its own; ``index/clean.py`` and its stage modules apply
these. A new outlet's quirk should be a one-line change in this file. Every
pattern is written for a *kind* of boilerplate (a consent notice, a credit
suffix, a share prompt), never for one site's sentences.
"""
from __future__ import annotations

import re

_I = re.IGNORECASE

# --- reason codes: stable strings recorded in Removal.reason -----------------
CONSENT = "consent"        # cookie / tracking consent notices
DUPLICATE = "duplicate"    # repeats an earlier paragraph exactly or nearly
PROMO = "promo"            # related links, read-more, newsletter, share/follow, ads
CONTRIBUTOR = "contributor"  # "X contributed to this report" (moved to Article.contributors)
CREDIT = "credit"          # a line that is only a photo credit (moved to Article.credits)
TITLE = "title"            # the headline repeated in the body
BYLINE_REASON = "byline"   # a "By Jane Doe" line (moved to Article.byline)
EMPTY = "empty"            # nothing left once markers and credits were stripped
DATE = "date"              # a stated publication date that cannot be true (future, before 1800): see metadata.py

# --- paragraph shape ---------------------------------------------------------
#: A block whose lines are all at most this long (characters) is hard-wrapped
#: prose and its lines are joined; a block with a longer line holds one
#: paragraph per line (e.g. a caption printed twice on consecutive lines).
WRAP_WIDTH = 100
#: Lines of at most this many words, ending in "?" or ":" or with no terminal
#: punctuation, are subheads. Standfirsts run longer (seed 000's: 36 words).
SUBHEAD_MAX_WORDS = 14
#: A first line of at most this many words without a full stop is a headline.
TITLE_MAX_WORDS = 30
#: Paragraphs shorter than this (words) are never deduplicated: "Read more",
#: "Advertisement", "Reuters" or a one-word subhead may rightly repeat.
DEDUP_MIN_WORDS = 6
#: Paragraphs shorter than this (words) are deduplicated only against the one
#: just before them (a caption printed twice). Short lines repeated further
#: apart are structure — a recipe's "Portion Fix Containers: …", an
#: interviewer's recurring question, a section heading — not scraping noise.
DEDUP_ANYWHERE_MIN_WORDS = 15
#: A scraper reprints a paragraph once (caption + alt text, lead + bullet).
#: Text printed more than this many times (exactly, once normalised) is the
#: page's own pattern — a meal plan's daily recipe, an interview series'
#: recurring question — and every copy stays.
DEDUP_MAX_COPIES = 2

# Leading ellipsis dots left by a scraper that cut a teaser ("....Iran will").
LEADING_DOTS = re.compile(r"^(?:\.{2,}|…+)\s*")
TERMINAL_PUNCT = ".!?…"
CLOSING_MARKS = "'\"’”)]» "


def ends_sentence(text: str) -> bool:
    """Does the text end in terminal punctuation (ignoring closing quotes and brackets)?"""
    return text.rstrip(CLOSING_MARKS)[-1:] in tuple(TERMINAL_PUNCT)


# List items: bullets, numbered items, and dated timeline entries ("May 2018: …").
BULLET = re.compile(r"^(?:[●•▪◦‣∙·■□►▶✓✔➤*]\s*|[-–—]\s+|\(?\d{1,2}[.)]\s+(?=[A-Z]))")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
TIMELINE = re.compile(rf"^(?:(?:\d{{1,2}}\s+)?{_MONTH}\s+(?:\d{{1,2}},?\s+)?\d{{4}}|\d{{4}}|{_MONTH}\s+\d{{1,2}})\s*[:–—-]\s+\S")

# --- photo credits -----------------------------------------------------------
#: Picture agencies and credit words recognised after a dash at the end of a caption.
AGENCIES = ("AP", "AFP", "Reuters", "Getty", "Getty Images", "EPA", "EPA-EFE", "PA", "PA Wire",
            "Bloomberg", "Shutterstock", "Alamy", "Rex", "REX", "Xinhua", "Anadolu", "ANP",
            "dpa", "Sipa", "Corbis", "iStock", "AAP", "Press Association", "Associated Press",
            "NurPhoto", "SOPA Images", "Zuma", "ZUMA Press", "Handout", "Supplied")
_AGENCY = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))
CREDIT_SUFFIXES = (
    # "… - Credit: AFP", "… Credit: U.S. Marine Corps photos by … via AP", "Photo: Jane Doe"
    # Case-sensitive: "Credit:" labels a credit, "the image: it was" is prose.
    re.compile(r"(?:\s+[-–—|])?\s+(?:Photo(?:graph)?s?|Pictures?|Images?|Credits?|PHOTO|CREDIT)(?: [Cc]redit)?:\s*"
               r"(?P<credit>[^:]{2,120}?)\s*$"),
    # "… - AP", "… – Getty Images", "… - AFP/Getty"
    re.compile(rf"\s+[-–—|]\s+(?P<credit>(?:{_AGENCY})(?:\s*(?:/|via)\s*[\w .'-]{{1,40}})?)\s*$"),
    # "… (Thaier al-Sudani/Reuters)", "(AP Photo/Hadi Mizban)", "(Getty Images)"
    re.compile(r"\s*\((?P<credit>[A-Z][^()/]{0,60}/[^()]{1,60}|(?:" + _AGENCY + r")[^()]{0,30})\)\s*$"),
)
#: For each of CREDIT_SUFFIXES, in order: characters one of which a text holds wherever the pattern
#: matches (its colon, its dash, its bracket), checked before the (dearer) pattern is tried.
CREDIT_SUFFIX_MARKS = (":", "-–—|", ")")
#: A line that is nothing but a credit ("Image copyright Getty Images").
CREDIT_LINE = re.compile(r"^(?:(?:Image|Photo|Picture)\s+(?:copyright|credit)\s*:?|"
                         r"(?:Photo(?:graph)?s?|Pictures?|Images?|Credits?)\s*:)\s*(?P<credit>.{2,80})$", _I)
#: A caption label at the start of a line ("Image caption Protesters …").
CAPTION_LABEL = re.compile(r"^(?:Image|Photo|Picture)\s+caption\s*:?\s*", _I)

# --- consent notices -----------------------------------------------------------
# A consent notice names a tracking technology AND talks to the reader about
# consent. Each group below is one signal; see index/consent.py for how they combine.
#: Cheap pre-filter: a paragraph without one of these (lower-cased) substrings is never a notice.
TRACKING_HINTS = ("cookie", "track", "third-party", "third party", "personal data", "personal information",
                  "privacy", "local storage", "identifier", "gdpr", "personalis", "personaliz")
TRACKING = re.compile(r"\bcookies?\b|\btrack(?:ing|ers?)\b|\bthird[- ]party (?:tools|partners|vendors)\b|"
                      r"\bpersonal (?:data|information)\b|\bprivacy (?:policy|notice|settings)\b|"
                      r"\blocal storage\b|\bdevice identifiers?\b|\bGDPR\b|\bpersonali[sz]ed (?:ads|advertising|content)\b", _I)
CONSENT_LANGUAGE = re.compile(r"\bconsent\b|\baccept(?:ing)?\b|\bagree(?:ing)?\b|\bby (?:clicking|continuing|using|scrolling)\b|"
                              r"\bfurther use\b|\bopt[- ]?(?:out|in)\b|\bwithdraw\b|\b(?:manage|save|update|change|adjust)\b.{0,20}\b(?:preferences|settings|choices)\b|"
                              r"\b(?:enable|disable)d?\b|\ballow (?:all|cookies)\b|\breject all\b", _I)
READER = re.compile(r"\byou(?:r|rs)?\b", _I)
SITE_SELF = re.compile(r"\b(?:this|our) (?:web)?site\b|\bwe use\b|\b(?:site|website) uses\b|\bour partners\b", _I)
#: Reported speech: a paragraph quoting someone about cookies is news, not a notice.
REPORTED_SPEECH = re.compile(r"\b(?:said|says|told|according to)\b|[“”\"]", _I)
#: A short heading inside a banner ("Strictly Necessary Cookies", "Manage consent").
CONSENT_HEADING_MAX_WORDS = 8

# --- promo and navigation ------------------------------------------------------
#: Whole-line promo patterns (matched against the stripped line).
PROMO_LINES = tuple(re.compile(p, _I) for p in (
    r"^related(?: (?:image|images|articles?|stories|story|content|coverage|links?|videos?|topics|reading|posts?))?\s*:?$",
    r"^(?:more|top|trending|latest|recommended|popular) (?:stories|articles|news|videos?|on [\w .]+)\s*:?$",
    r"^read (?:more|next|also|the full story)\b.{0,80}$",
    r"^(?:see|watch|listen|click|tap) (?:here|more|now|below)\b.{0,80}$",
    r"^click here\b.{0,120}$",
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad|promoted|paid content|supported by)\s*:?$",
    r"^(?:story|article) continues below(?: advertisement)?\.?$",
    r"^continue reading(?: the main story| below)?\.?$",
    r"^scroll (?:down )?(?:for|to) (?:video|continue|read more)\.?$",
    r"^(?:share|share this(?: article| story| page)?|share or comment on this article|tweet|email|print|comments?|"
    r"share on (?:facebook|twitter|whatsapp|linkedin|x)|copy link|link copied|save|bookmark)\s*:?$",
    r"^(?:follow|like) (?:us|@\w+|[\w .’'-]{1,40}) on (?:twitter|facebook|instagram|linkedin|tiktok|youtube|x|threads)\b.{0,60}$",
    r"^(?:you can )?follow @?\w[\w .’'-]{0,40} on (?:twitter|facebook|instagram|x)\b.{0,40}$",
    r"^(?:sign up|subscribe|register)\b.{0,120}\b(?:newsletters?|inbox|(?:e-?mail|news) (?:alerts|updates))\b.{0,60}$",
    r"^.{0,80}\bnewsletter\b.{0,40}(?:sign up|subscribe|inbox)\b.{0,40}$",
    r"^get (?:the latest|our|breaking)\b.{0,80}\b(?:inbox|newsletter|app|alerts)\b.{0,20}$",
    r"^(?:download|get) (?:the|our) [\w .]{1,30} app\b.{0,60}$",
    r"^media playback is (?:unsupported|not supported) on your device$",
    r"^(?:©|ⓒ|\(c\)|copyright\s*(?:©|ⓒ|\(c\)|\d{4}\b)).{0,120}$",
    r"^.{0,80}\ball rights reserved\.?$",
    r"^this (?:material|article) may not be published, broadcast, rewritten,? or redistributed\.?$",
    r"^(?:previous|next)(?: (?:article|story|post|page))?$",
    r"^(?:published|updated|last updated|posted|first published)\b[^.!?]{0,60}\d[^.!?]{0,40}$",
    r"^(?:view|see) (?:comments|gallery|all photos|image in fullscreen)\s*$",
    r"^(?:loading|loading\.\.\.|please wait)\s*$",
    r"^(?:image|video|photo) (?:\d+ of \d+|gallery)$",
))
#: A line that names where the article came from: "Read more at DailyMail.co.uk".
SIGNATURE = re.compile(r"^(?:read (?:more|the full (?:story|article)) (?:at|on)|(?:originally )?published (?:at|on|by)|source:)\s+"
                       r"(?P<site>(?:www\.)?[\w-]+(?:\.[\w-]+)+)\s*\.?$", _I)
#: Web sites → the outlet name Lede shows. A site not listed is shown as written.
SITE_OUTLETS = {
    "dailymail.co.uk": "Daily Mail", "mailonline.co.uk": "Daily Mail", "telegraph.co.uk": "The Telegraph",
    "bbc.co.uk": "BBC News", "bbc.com": "BBC News", "cnbc.com": "CNBC", "washingtonpost.com": "The Washington Post",
    "nytimes.com": "The New York Times", "theguardian.com": "The Guardian", "reuters.com": "Reuters",
    "apnews.com": "Associated Press", "cnn.com": "CNN", "foxnews.com": "Fox News", "independent.co.uk": "The Independent",
    "aljazeera.com": "Al Jazeera", "npr.org": "NPR", "nbcnews.com": "NBC News", "politico.com": "Politico",
}
#: Outlet names recognised in a possessive credit line ("CNBC's Amanda Macias … contributed").
KNOWN_OUTLETS = tuple(sorted(set(SITE_OUTLETS.values()) | {"BBC", "CNBC", "AP", "NBC"}, key=len, reverse=True))

#: A line that is only a byline ("By Jane Doe", "By Jane Doe and John Roe, Reuters"), near the top.
BYLINE = re.compile(r"^By\s+(?P<who>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
                    r"(?:(?:,\s*|\s+and\s+|\s*&\s*)[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}){0,3})\s*$")
#: Bylines are looked for only among the first this-many paragraphs.
BYLINE_WITHIN = 4

# --- contributor lines -----------------------------------------------------------
#: A whole paragraph crediting reporters: "— X contributed to this report.", "Reporting by X; Editing by Y".
CONTRIBUTED = re.compile(r"^[-–—]*\s*(?P<who>[A-Z][^.]{1,200}?)\s+contributed\s+(?:(?:additional )?reporting"
                         r"(?: to this (?:report|story|article))?|to this (?:report|story|article))"
                         r"(?: from [\w ,.'’-]{1,60})?\s*\.?$")
REPORTING_BY = re.compile(r"^(?:[-–—]\s*)?\(?(?:(?:additional |further )?reporting|writing|editing|compiled|produced|"
                          r"research|graphics|additional research) by\b", _I)
ROLE_PART = re.compile(r"^\(?(?:(?:additional |further )?reporting|writing|editing|compiled|produced|research|"
                       r"graphics|additional research) by\s+(?P<who>.+?)\)?\s*\.?$", _I)
REPORTED_FROM = re.compile(r"^(?P<who>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}(?:(?:,| and) [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3})*) "
                           r"reported from [A-Z][\w ,.'’-]{1,60}\.$")
#: Longest contributor paragraph, in words; longer text is prose that happens to match.
CONTRIBUTOR_MAX_WORDS = 45
#: Splits "CNBC's Amanda Macias and Reuters" into names.
NAME_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|;\s*)\s*")

# --- near-duplicates -------------------------------------------------------------
# Two paragraphs are near-duplicates when, after normalising (NFKC, quotes,
# dashes, dots in abbreviations, case, trailing credits), the shorter one's
# words all appear, in order, in the longer one, and the longer adds only a
# few words. Units are WORDS. A reprinted caption or paragraph only gains or
# loses words ("said" → "said yesterday", a credit, a dropped full stop); two
# different photos' captions SUBSTITUTE words ("stun grenades" → "tear gas").
# So the shorter may lose at most 1 word per DEDUP_MISSING_PER words (a typo
# fix: 0 for captions under 50 words, which is what separates the stun
# grenade and tear gas captions in seed 001: 2 of 33 words substituted), and
# the longer may add at most max(DEDUP_EXTRA_MIN, DEDUP_EXTRA_SHARE × shorter).
DEDUP_MISSING_PER = 50      # words of the shorter paragraph per tolerated missing word
DEDUP_EXTRA_MIN = 2         # words the longer copy may add, at least
DEDUP_EXTRA_SHARE = 0.10    # ... or this share of the shorter copy's words
#: The cheap pre-filter: two paragraphs are compared word by word only when
#: they share their first or their last this-many words (a reprint adds a
#: word or a credit in one place; it keeps its opening or its ending).
DEDUP_ANCHOR_WORDS = 3

# --- captions ----------------------------------------------------------------------
#: A paragraph printed twice in a row is a caption (page dumps print a photo's
#: caption once under the image and once in its alt text) unless it reads like
#: prose: quoted speech or more sentences than a caption holds.
CAPTION_MAX_SENTENCES = 2
CAPTION_MAX_WORDS = 70
QUOTE_MARKS = re.compile(r"[“”\"«»]|(?:^|\s)['‘]")

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

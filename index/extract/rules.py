"""Boilerplate rules as data: the phrases, patterns and thresholds the cleaner applies to text.

Nothing here runs on its own; ``index/extract/clean.py`` and its stage modules apply
these to paragraphs. A new outlet's quirk should be a one-line change in this file
(or in page_rules.py, its counterpart for HTML pages: what to prune, where the
article sits, what the page says about itself). Every pattern is written for a
*kind* of boilerplate (a consent notice, a credit suffix, a share prompt), never
for one site's sentences.
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
RAIL = "rail"              # a rail of other stories: timestamp, byline, teaser, repeated
COMMENTS = "comments"      # a reader-comment thread, from its count heading to the end
OTHER_IMAGE = "other-image"  # the caption of an image that is not the article's own (a teaser, a gallery's tags)
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
#: Promo and contributor lines are short; longer paragraphs skip those checks (words).
SHORT_LINE_WORDS = 45
# A sentence ends after a lower-case letter, digit or bracket (so "U.S." and "J." do not end one).
SENTENCE_END = re.compile(r"(?<=[a-z0-9)][.!?])['\"’”]?\s+(?=[A-Z“‘\"'])")

# Leading ellipsis dots left by a scraper that cut a teaser ("....Iran will").
LEADING_DOTS = re.compile(r"^(?:\.{2,}|…+)\s*")
TERMINAL_PUNCT = ".!?…"
CLOSING_MARKS = "'\"’”)]» "


def ends_sentence(text: str) -> bool:
    """Does the text end in terminal punctuation (ignoring closing quotes and brackets)?"""
    return text.rstrip(CLOSING_MARKS)[-1:] in tuple(TERMINAL_PUNCT)


# List items: bullets, numbered items, and dated timeline entries ("May 2018: …").
#: A bullet glyph or dash: layout, stripped from the item.
BULLET_GLYPH = re.compile(r"^(?:[●•▪◦‣∙·■□►▶✓✔➤*]\s*|[-–—]\s+)")
#: An item number ("1.", "(2)", "10)"): information (a ranking, a step), kept in the item's text.
ITEM_NUMBER = re.compile(r"^\(?\d{1,2}[.)]\s+(?=[A-Z])")
BULLET = re.compile(f"{BULLET_GLYPH.pattern}|{ITEM_NUMBER.pattern}")
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
#: Credits sit at the end: only this many trailing characters are searched (keeps it linear and cheap).
CREDIT_TAIL = 160
#: What any credit suffix holds somewhere: a dash, bar or bracket, or a credit word.
QUICK_CREDIT = re.compile(r"[-–—|)]|\b(?:[Cc]redit|Photo|Picture|Image|PHOTO|CREDIT)s?\b")
QUICK_CREDIT_MARKS = "-–—|)"  # QUICK_CREDIT's characters
# QUICK_CREDIT's words without their word boundaries: one of these is in any text whose words match.
QUICK_CREDIT_WORDS = ("redit", "Photo", "Picture", "Image", "PHOTO", "CREDIT")
#: A line that is nothing but a credit ("Image copyright Getty Images").
CREDIT_LINE = re.compile(r"^(?:(?:Image|Photo|Picture)\s+(?:copyright|credit)\s*:?|"
                         r"(?:Photo(?:graph)?s?|Pictures?|Images?|Credits?)\s*:)\s*(?P<credit>.{2,80})$", _I)
#: A caption label at the start of a line ("Image caption Protesters …").
CAPTION_LABEL = re.compile(r"^(?:Image|Photo|Picture)\s+caption\s*:?\s*", _I)

# --- consent notices -----------------------------------------------------------
# A consent notice names a tracking technology AND talks to the reader about
# consent. Each signal below is one regex per language (ISO 639-1 code → the
# words a notice in that language uses); see index/extract/consent.py for how they
# combine. A new language is one entry in each table. Words in scripts without
# spaces (Japanese) carry no \b.
TRACKING_WORDS = {
    "en": r"\bcookies?\b|\btrack(?:ing|ers?)\b|\bthird[- ]party (?:tools|partners|vendors)\b|\bpersonal (?:data|information)\b|"
          r"\bprivacy (?:policy|notice|settings)\b|\blocal storage\b|\bdevice identifiers?\b|\bGDPR\b|"
          r"\bpersonali[sz]ed (?:ads|advertising|content)\b",
    "de": r"\bCookies?\b|\bDatenschutz(?:erklärung|hinweise?|einstellungen)?\b|\bpersonenbezogene(?:n)? Daten\b|\bDSGVO\b",
    "fr": r"\bcookies?\b|\btémoins\b|\btraceurs\b|\bpolitique de confidentialité\b|\bdonnées personnelles\b|\bRGPD\b",
    "es": r"\bcookies?\b|\bpolítica de (?:privacidad|cookies)\b|\bdatos personales\b|\bRGPD\b",
    "it": r"\bcookies?\b|\binformativa (?:sulla )?privacy\b|\bdati personali\b",
    "pt": r"\bcookies?\b|\bpolítica de privacidade\b|\bdados pessoais\b",
    "nl": r"\bcookies?\b|\bprivacyverklaring\b|\bpersoonsgegevens\b",
    "pl": r"\bpliki? cookies?\b|\bciasteczk\w*|\bdane osobowe\b|\bpolityk\w* prywatności\b",
    "lv": r"\bsīkdat\w*|\bsīkfail\w*|\bprivātuma politik\w*|\bpersonas dat\w*",
    "lt": r"\bslapuk\w*|\bprivatumo politik\w*",
    "et": r"\bküpsis\w*|\bprivaatsuspoliitika\w*",
    "fi": r"\beväste\w*|\btietosuoja\w*",
    "ru": r"\bкуки\b|\bфайл\w* cookie\b|\bперсональн\w* данн\w*|\bполитик\w* конфиденциальности\b",
    "ja": r"クッキー|Cookie|個人情報",
}
CONSENT_WORDS = {
    "en": r"\bconsent\b|\baccept(?:ing)?\b|\bagree(?:ing)?\b|\bby (?:clicking|continuing|using|scrolling)\b|\bfurther use\b|"
          r"\bopt[- ]?(?:out|in)\b|\bwithdraw\b|\b(?:manage|save|update|change|adjust)\b.{0,20}\b(?:preferences|settings|choices)\b|"
          r"\b(?:enable|disable)d?\b|\ballow (?:all|cookies)\b|\breject all\b",
    "de": r"\bzu(?:zu)?stimm\w*|\bstimmen Sie\b|\beinverstanden\b|\bEinwilligung\w*|\bakzeptier\w*|\bablehnen\b|"
          r"\bdurch die (?:weitere )?Nutzung\b|\bwiderrufen\b",
    "fr": r"\baccept\w*|\bconsentement\b|\ben (?:poursuivant|continuant)\b|\brefuser\b|\bvos choix\b",
    "es": r"\bacept\w*|\bconsentimiento\b|\bal (?:continuar|navegar)\b|\bsi continúa\b|\brechazar\b|\bconfigurar\b",
    "it": r"\baccett\w*|\bconsenso\b|\bproseguendo\b|\bcontinuando\b|\brifiut\w*",
    "pt": r"\baceit\w*|\bconsentimento\b|\bao continuar\b|\brejeitar\b",
    "nl": r"\bakkoord\b|\btoestemming\b|\baccepte(?:ren|er)\b|\bdoor verder te gaan\b|\bweigeren\b",
    "pl": r"\bzgod\w*|\bakceptuj\w*|\bkontynuując\b",
    "lv": r"\bpiekrīt\w*|\bpiekrist\b|\bpiekrišan\w*|\bturpinot\b|\bpieņem\w*|\bakceptē\w*|\batteikt\w*",
    "lt": r"\bsutinka\w*|\bsutikim\w*|\btęsdami\b",
    "et": r"\bnõustu\w*|\bnõusolek\w*",
    "fi": r"\bhyväksy\w*|\bsuostumu\w*",
    "ru": r"\bсоглаша\w*|\bсогласи\w*|\bпродолжая\b|\bпринять\b",
    "ja": r"同意|承諾|許可する|拒否",
}
READER_WORDS = {
    "en": r"\byou(?:r|rs)?\b", "de": r"\bSie\b|\bIhre?[nmrs]?\b|\bdu\b|\bdein\w*", "fr": r"\bvous\b|\bvotre\b|\bvos\b",
    "es": r"\busted\b|\btu\b|\btus\b", "it": r"\bLei\b|\btuo\b|\btua\b|\bvostr\w*", "pt": r"\bvocê\b|\bseus?\b|\bsuas?\b",
    "nl": r"\bu\b|\buw\b|\bje\b|\bjouw\b", "pl": r"\bTwo\w*|\bPaństw\w*", "lv": r"\bjūs\b|\bjūsu\b|\bJums\b|\btu\b|\btavu?\b",
    "lt": r"\bjūs\w*|\bjūsų\b", "et": r"\bte\b|\bteie\b|\bsa\b", "fi": r"\bsinä\b|\bsinun\b|\bkäyttäjä\w*", "ru": r"\bвы\b|\bваш\w*",
    "ja": r"お客様|あなた|利用者",
}
SITE_WORDS = {
    "en": r"\b(?:this|our) (?:web)?site\b|\bwe use\b|\b(?:site|website) uses\b|\bour partners\b",
    "de": r"\b(?:diese|unsere) (?:Web)?(?:site|seite)\b|\bwir (?:verwenden|nutzen)\b|\b(?:verwendet|nutzt) Cookies\b|\bunsere Partner\b",
    "fr": r"\b(?:ce|notre) site\b|\bnous utilisons\b|\butilise des cookies\b|\bnos partenaires\b",
    "es": r"\b(?:este|nuestro) sitio\b|\b(?:esta|nuestra) (?:web|página)\b|\b(?:utilizamos|usamos)\b|\butiliza cookies\b",
    "it": r"\b(?:questo|il nostro) sito\b|\b(?:utilizziamo|usiamo)\b|\butilizza (?:i )?cookie\b",
    "pt": r"\b(?:este|nosso) site\b|\b(?:utilizamos|usamos)\b|\butiliza cookies\b",
    "nl": r"\b(?:deze|onze) website\b|\bwij gebruiken\b|\bwe gebruiken\b|\bmaakt gebruik van\b",
    "pl": r"\b(?:ta|nasza) (?:strona|witryna)\b|\bużywamy\b|\bwykorzystujemy\b",
    "lv": r"\b(?:šī|mūsu) (?:tīmekļa )?vietne\w*|\b[Šš]ajā (?:tīmekļa )?vietnē\b|\bmēs izmantojam\b|\btiek izmantot\w*|\bizmanto sīkdatnes\b",
    "lt": r"\b(?:ši|mūsų) svetainė\w*|\bnaudojame\b", "et": r"\b(?:see|meie) veebileht\w*|\bkasutame\b",
    "fi": r"\btämä sivusto\w*|\bsivustomme\b|\bkäytämme\b", "ru": r"\b(?:этот|наш) сайт\b|\bмы используем\b|\bсайт использует\b",
    "ja": r"当サイト|本サイト|このサイト|当社|弊社",
}
#: Verbs of reporting, per language: a paragraph with one is news about cookies, not a notice.
SPEECH_WORDS = {
    "en": r"\b(?:said|says|told|according to)\b", "de": r"\b(?:sagte|sagt|laut|erklärte)\b",
    "fr": r"\b(?:a déclaré|selon|a dit|affirme)\b", "es": r"\b(?:dijo|según|afirmó|declaró)\b",
    "it": r"\b(?:ha detto|secondo|ha dichiarato)\b", "pt": r"\b(?:disse|segundo|afirmou)\b",
    "nl": r"\b(?:zei|zegt|volgens)\b", "lv": r"\b(?:teica|sacīja|pauda|saskaņā ar)\b", "ru": r"\b(?:сказал\w*|заявил\w*|по словам)\b",
}


def _any_language(table: dict[str, str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern})" for pattern in table.values()), _I)


TRACKING = _any_language(TRACKING_WORDS)
CONSENT_LANGUAGE = _any_language(CONSENT_WORDS)
SITE_SELF = _any_language(SITE_WORDS)
READER = _any_language(READER_WORDS)
#: Tracking words that are also ordinary words ("track your pets", "a Bluetooth tracker"): a paragraph
#: whose only tracking words are these is a notice only when the site speaks of itself (SITE_SELF).
ORDINARY_TRACKING = re.compile(r"^track", _I)
SPEECH_VERB = _any_language(SPEECH_WORDS)
#: Cheap pre-filter: a paragraph without one of these (lower-cased) words is never a notice; every match of
#: TRACKING_WORDS holds one (it runs on every paragraph; the full test is dearer).
TRACKING_HINTS = ("cookie", "track", "third-party", "third party", "personal data", "personal information", "privacy",
                  "local storage", "identifier", "gdpr", "personalis", "personaliz", "datenschutz", "personenbezogen",
                  "dsgvo", "témoins", "traceurs", "confidentialité", "données personnelles", "rgpd", "privacidad",
                  "datos personales", "dati personali", "privacidade", "dados pessoais", "privacyverklaring",
                  "persoonsgegevens", "ciasteczk", "dane osobowe", "prywatności", "sīkdat", "sīkfail", "privātuma",
                  "personas dat", "slapuk", "privatumo", "küpsis", "privaatsus", "eväste", "tietosuoja", "куки",
                  "персональн", "конфиденциальност", "クッキー", "個人情報")
#: Quote marks alone are not reported speech ("uses "cookies""): a quoted span of at least this many words is.
QUOTED_SPAN = re.compile(r"[“\"«„]([^“”\"«»„]+)[”\"»“]")
QUOTED_SPEECH_MIN_WORDS = 4
#: A short heading inside a banner ("Strictly Necessary Cookies", "Manage consent").
CONSENT_HEADING_MAX_WORDS = 8

# --- promo and navigation ------------------------------------------------------
#: Whole-line promo patterns per language (matched against the stripped line, case-insensitively).
#: A new language is one entry; labels that may stand alone or joined by separators
#: ("Share / Save / Print", "記事保存 / 会員登録") are listed in UI_LABELS instead.
PROMO_PATTERNS = {
    "en": (
        r"^related(?: (?:image|images|articles?|stories|story|content|coverage|links?|videos?|topics|reading|posts?))?\s*:?$",
        r"^(?:more|top|trending|latest|recommended|popular) (?:stories|articles|news|videos?|on [\w .]+)\s*:?$",
        r"^read (?:more|next|also|the full story)\b.{0,80}$",
        # "Read more: <a headline>" names another story whatever the headline's length.
        r"^(?:read|see) (?:more|next|also)\s*[:|»›>]\s*\S.*$",
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
        r"^(?:loading(?: comments| more)?|please wait)\s*(?:\.{3}|…)?\s*$",
        r"^(?:\d[\d,.]*\s+)?comments?(?:\s*\(\d+\))?$|^(?:leave|add|post|write) a (?:comment|reply)$|^reply$",
        r"^subscribe(?: now| today| for \w+)?[.!]?$|^(?:log ?in|sign ?in|sign up|register|create (?:an|a free) account)(?: to (?:continue|comment|read|save|access|keep reading)\b[^.]{0,40})?[.!]?$",
        r"^already (?:a subscriber|a member|have an account)\?.{0,80}$",
        r"^(?:questions|comments|tips|feedback)\?(?:\s+\w+\?){0,3}\s+(?:e-?mail|contact|write to)\b.{0,100}$",
        r"^this (?:article|story|content) is (?:only )?(?:for|available to) (?:subscribers|members)\b.{0,80}$",
        r"^log in to (?:access|read|continue|comment|manage)\b.{0,160}$",
        r"^(?:image|video|photo) (?:\d+ of \d+|gallery)$",
    ),
    "es": (r"^(?:\d+\s+)?comentarios?$|^deja (?:un|tu) comentario$", r"^(?:suscr[íi]b[ea]te|suscr[íi]base|inicia sesi[óo]n|reg[íi]strate)\b.{0,120}$",
           r"^(?:lee|leer|ver|lea) (?:m[áa]s|tambi[ée]n)\b.{0,120}$", r"^(?:noticias |art[íi]culos )?relacionad[ao]s\s*:?$",
           r"^(?:recibe|suscr[íi]bete a) (?:nuestro|el) (?:bolet[íi]n|newsletter)\b.{0,120}$"),
    "pt": (r"^(?:\d+\s+)?coment[áa]rios?$", r"^(?:leia (?:tamb[ée]m|mais)|veja tamb[ée]m|saiba mais)\b.{0,120}$",
           r"^(?:assine|inscreva-se|cadastre-se)\b.{0,100}$"),
    "fr": (r"^(?:\d+\s+)?commentaires?$", r"^(?:[àa] )?(?:lire aussi|voir aussi|lire la suite)\b.{0,120}$",
           r"^(?:abonnez-vous|s'abonner|inscrivez-vous|connectez-vous|se connecter)\b.{0,120}$",
           r"^(?:cet article est r[ée]serv[ée] aux abonn[ée]s)\b.{0,80}$"),
    "de": (r"^(?:\d+\s+)?kommentare?$", r"^(?:lesen sie (?:auch|mehr)|mehr zum thema|auch interessant)\b.{0,120}$",
           r"^(?:jetzt )?(?:abonnieren|registrieren|anmelden|einloggen)\b.{0,80}$",
           r"^.{0,40}\bnewsletter\b.{0,60}\b(?:abonnieren|anmelden|bestellen)\b.{0,40}$"),
    "it": (r"^(?:\d+\s+)?commenti$", r"^(?:leggi anche|potrebbe interessarti|leggi di pi[ùu])\b.{0,120}$",
           r"^(?:abbonati|iscriviti|accedi)\b.{0,100}$"),
    "nl": (r"^(?:\d+\s+)?reacties?$", r"^lees (?:ook|meer)\b.{0,120}$", r"^(?:abonneer|log in|inloggen|registreer)\b.{0,100}$"),
    "lv": (r"^(?:\d+\s+)?koment[āa]r\w*$", r"^(?:lasi|lasiet|lasīt) (?:arī|vairāk)\b.{0,120}$",
           r"^(?:abonē|abonēt|pieslēdzies|pieslēgties|reģistrējies|kļūsti par abonentu)\b.{0,120}$",
           r"^.{0,80}\bpieejam[si] (?:tikai )?(?:abonentiem|reģistrētiem lietotājiem)\b.{0,80}$"),
    "ja": (r"^(?:この記事は)?(?:有料)?会員(?:限定|登録)\S{0,30}$", r"^(?:関連記事|あわせて読みたい|続きを読む)\s*[:：]?.{0,80}$",
           r"^(?:\d+\s*件の)?コメント$"),
}
PROMO_LINES = tuple(re.compile(p, _I) for patterns in PROMO_PATTERNS.values() for p in patterns)
#: Interface labels, per language: a line made only of these (alone, or joined by "/", "|", "·")
#: is a toolbar, not text. Compared case-folded.
UI_LABELS = {
    "en": ("share", "save", "print", "email", "tweet", "comment", "comments", "reply", "subscribe", "log in", "login",
           "sign in", "sign up", "register", "menu", "search", "bookmark", "copy link", "more", "close", "follow"),
    "es": ("compartir", "comparte", "guardar", "imprimir", "comentar", "publicidad", "suscríbete", "iniciar sesión", "regístrate"),
    "pt": ("compartilhar", "compartilhe", "salvar", "imprimir", "publicidade", "assine", "entrar"),
    "fr": ("partager", "enregistrer", "imprimer", "commenter", "publicité", "s'abonner", "se connecter"),
    "de": ("teilen", "speichern", "drucken", "merken", "kommentieren", "anzeige", "werbung", "abonnieren", "anmelden"),
    "it": ("condividi", "salva", "stampa", "commenta", "pubblicità", "abbonati", "accedi"),
    "nl": ("delen", "opslaan", "printen", "advertentie", "inloggen"),
    "lv": ("dalīties", "saglabāt", "drukāt", "komentēt", "reklāma", "abonēt", "pieslēgties", "ienākt", "reģistrēties"),
    "ja": ("記事保存", "記事を保存", "保存", "会員登録", "無料会員登録", "ログイン", "新規登録", "シェア", "ツイート", "印刷",
           "コメント", "広告", "フォロー", "ブックマーク"),
}
UI_LABEL_WORDS = frozenset(label.casefold() for labels in UI_LABELS.values() for label in labels)
UI_LABEL_SEPARATORS = re.compile(r"\s*[/|｜／·•]\s*")
#: Longest toolbar line (characters): "Share / Save / Print / Email".
TOOLBAR_MAX_CHARS = 80
#: A line that is only a date and/or time: "11/19/16, 3:14 PM CET", "Nov. 19, 2016 3:14 p.m.", "3 hours ago".
_CLOCK = r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?"
_DAY = rf"(?:\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}})"
TIMESTAMP_LINE = re.compile(rf"^(?:(?:updated|published|posted)\s+)?(?:{_DAY}(?:,?\s+(?:at\s+)?{_CLOCK})?|{_CLOCK}|"
                            r"\d{1,2}\s+(?:minutes?|hours?|days?)\s+ago)$", _I)
#: A rail item's byline: "BY Chris Spillane", "By Michael Crowley and Nahal Toosi".
RAIL_BYLINE = re.compile(r"^by\s+\S", _I)
#: A rail needs this many items in a row; an item is at most this many paragraphs (timestamp, byline,
#: teaser, a second teaser line), each of at most this many words.
RAIL_MIN_ITEMS = 3
RAIL_ITEM_MAX_PARAGRAPHS = 4
RAIL_TEASER_MAX_WORDS = 40
#: The heading that opens a reader-comment thread, in the languages of PROMO_PATTERNS:
#: "941 comments", "Comments (3)", "1 Comentarios", "Leave a comment".
COMMENTS_HEADING = re.compile(
    r"^\d[\d,.]*\s+(?:comments?|responses?|replies|comentarios?|coment[áa]rios?|commentaires?|kommentare?|commenti|"
    r"reacties?|koment[āa]r\w*|コメント)$|"
    r"^(?:comments|comentarios|coment[áa]rios|commentaires|kommentare|commenti|reacties|koment[āa]ri|コメント)\s*(?:\(\d+\))?:?$|"
    r"^\d[\d,.]*\s+(?:thoughts?|responses?) on\b.{0,120}$|^(?:leave|post|add) a (?:comment|reply)$|^deja (?:un|tu) comentario$",
    _I)

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

"""Text made fit for HTML and XML: the characters neither may contain become spaces.

A query is whatever a URL carries, so ``/?q=%00`` or ``q=a%01b%7Fc%C2%80d`` put NUL, C0 and C1
controls and DEL into the page's title, the search box and the results heading; HTML forbids
them (the Nu checker reports each) and XML 1.0 cannot hold them at all (an Atom feed with one
does not parse). They are replaced where text is written out — in every template expression
(``finalize``) and in the feed — never in what is searched, which drops them anyway as the
analyser splits words on them. A space rather than nothing keeps ``a\\x01b`` two words, as searched.
"""
from __future__ import annotations

from markupsafe import Markup

#: C0 controls except tab, line feed and carriage return; DEL; C1 controls; the noncharacters
#: U+FDD0–U+FDEF and U+FFFE/U+FFFF (HTML and XML forbid them too).
FORBIDDEN = ([c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + list(range(0x7F, 0xA0))
             + list(range(0xFDD0, 0xFDF0)) + [0xFFFE, 0xFFFF])
_TO_SPACE = dict.fromkeys(FORBIDDEN, " ")


def printable(text: str) -> str:
    """``text`` with every character HTML and XML forbid replaced by a space."""
    return text.translate(_TO_SPACE)


def finalize(value):
    """Jinja's ``finalize``: every ``{{ … }}`` of every template goes through here.

    Markup (the highlighter's output, already escaped) stays Markup so it is not escaped twice.
    """
    if isinstance(value, Markup):
        return Markup(printable(str(value)))
    if isinstance(value, str):
        return printable(value)
    return value


def init_app(app) -> None:
    app.jinja_env.finalize = finalize

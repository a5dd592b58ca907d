"""Security headers sent with every response, and the one check on document URLs.

The policy is data: the app serves every script, style, font and image itself,
so the Content-Security-Policy allows nothing else — no inline scripts, no inline
styles, no framing. Templates link document URLs only through ``external_url``,
so a feed cannot plant a ``javascript:`` link.
"""
from __future__ import annotations

from urllib.parse import urlsplit

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # data: for the check mark the stylesheet draws; nothing loads from elsewhere
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # outlets' sites never see what was searched for
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: Schemes a document's original URL may have to be shown as a link.
LINKABLE_SCHEMES = ("http", "https")


def add_headers(response):
    """after_request hook: set every header in HEADERS unless a view already chose a value."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def external_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL that is safe to put in an href, else None."""
    if not url or any(ord(c) < 0x20 or c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINKABLE_SCHEMES or not parts.netloc:
        return None
    return url


def init_app(app) -> None:
    app.after_request(add_headers)
    app.jinja_env.filters["external_url"] = external_url

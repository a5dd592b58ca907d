"""What a caller asks for: a validated, frozen search request.

``SearchRequest.from_params`` turns raw string parameters (from a URL or any
other caller) into a request, raising BadQuery with the parameter's name and
the rule it broke.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import BadQuery

SORTS = ("relevance", "newest", "oldest")
MATCHES = ("all", "any")
MAX_QUERY_LENGTH = 10_000  # characters: a pasted passage of a few pages (search/similar.py)
MAX_PER_PAGE = 100
MAX_PAGE = 1000
DEFAULT_PER_PAGE = 10
# A `published` facet value, usable as a filter: a month (2020-01) or a day (2020-01-31).
PUBLISHED_VALUE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    outlets: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    match: str = "all"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    collapse: bool = True
    published: tuple[str, ...] = ()  # months "2020-01" and/or days "2020-01-31", combined with OR

    @property
    def single_month(self) -> str | None:
        """The month ("2020-01") this request is confined to, if it is: the published facet then lists days."""
        months = {v[:7] for v in self.published}
        if len(months) == 1:
            return months.pop()
        if not self.published and self.date_from and self.date_to and (
                self.date_from.year, self.date_from.month) == (self.date_to.year, self.date_to.month):
            return self.date_from.isoformat()[:7]
        return None

    @classmethod
    def from_params(cls, get, getlist) -> "SearchRequest":
        """Build from string parameters: ``get(name)`` → str | None, ``getlist(name)`` → list[str]."""
        q = get("q") or ""
        if len(q) > MAX_QUERY_LENGTH:
            raise BadQuery(f"q must be at most {MAX_QUERY_LENGTH} characters (got {len(q)})", "q")
        date_from = _date(get("from"), "from")
        date_to = _date(get("to"), "to")
        if date_from and date_to and date_from > date_to:
            raise BadQuery("from must not be after to", "from")
        return cls(
            q=q.strip(),
            outlets=tuple(v for v in getlist("outlet") if v),
            sections=tuple(v for v in getlist("section") if v),
            date_from=date_from,
            date_to=date_to,
            sort=_choice(get("sort"), "sort", SORTS),
            match=_choice(get("match"), "match", MATCHES),
            page=_int(get("page"), "page", 1, 1, MAX_PAGE),
            per_page=_int(get("per_page"), "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
            collapse=_bool(get("collapse"), "collapse", True),
            published=tuple(_published(v) for v in getlist("published") if v),
        )


def _choice(value, name, choices):
    if value in (None, ""):
        return choices[0]
    if value not in choices:
        raise BadQuery(f"{name} must be one of {', '.join(choices)}", name)
    return value


def _int(value, name, default, low, high):
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadQuery(f"{name} must be an integer from {low} to {high}", name) from None
    if not low <= number <= high:
        raise BadQuery(f"{name} must be an integer from {low} to {high}", name)
    return number


def _date(value, name):
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadQuery(f"{name} must be a date in the form YYYY-MM-DD", name) from None


def _published(value):
    value = value.strip()
    if PUBLISHED_VALUE.match(value):
        try:
            date.fromisoformat(value if len(value) == 10 else value + "-01")
            return value
        except ValueError:
            pass
    raise BadQuery(f"published must be a month (YYYY-MM) or a day (YYYY-MM-DD), got {value!r}", "published")


def _bool(value, name, default):
    if value in (None, ""):
        return default
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise BadQuery(f"{name} must be true or false", name)

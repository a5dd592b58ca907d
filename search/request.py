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

#: Every parameter of a search, in the order URLs carry them; ``from_params`` reads exactly these.
PARAMETERS = ("q", "outlet", "section", "published", "from", "to", "sort", "match", "collapse", "per_page", "page")
REPEATABLE = ("outlet", "section", "published")  # may be given several times (any value matches)
INTEGERS, BOOLEANS = ("page", "per_page"), ("collapse",)
SORTS = ("relevance", "newest", "oldest")
MATCHES = ("all", "any")
MAX_QUERY_LENGTH = 10_000  # characters: a pasted passage of a few pages (search/similar.py)
MAX_PER_PAGE = 100
MAX_PAGE = 1000
DEFAULT_PER_PAGE = 10
# A `published` facet value, usable as a filter: a month (2020-01), a day (2020-01-31) or "undated".
UNDATED = "undated"  # the published value of articles without a date
PUBLISHED_VALUE = re.compile(r"^(\d{4}-\d{2}(-\d{2})?|%s)$" % UNDATED, re.ASCII)
DATE_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # what `from`/`to` take (not ISO's other forms)
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off")  # any letter case
BOOLEAN_WORDS = TRUE_WORDS + FALSE_WORDS
#: What a request takes for a parameter that is absent or empty (the others: nothing, no filter).
DEFAULTS = {"sort": SORTS[0], "match": MATCHES[0], "page": 1, "per_page": DEFAULT_PER_PAGE, "collapse": True}


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    outlets: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str = DEFAULTS["sort"]
    match: str = DEFAULTS["match"]
    page: int = DEFAULTS["page"]
    per_page: int = DEFAULTS["per_page"]
    collapse: bool = DEFAULTS["collapse"]
    published: tuple[str, ...] = ()  # months "2020-01", days "2020-01-31" and/or "undated", combined with OR

    @property
    def single_month(self) -> str | None:
        """The month ("2020-01") this request is confined to, if it is: the published facet then lists days."""
        months = {v[:7] for v in self.published}
        if len(months) == 1 and UNDATED not in self.published:
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
        date_range(date_from, date_to)
        return cls(
            q=q.strip(),
            outlets=tuple(v for v in getlist("outlet") if v),
            sections=tuple(v for v in getlist("section") if v),
            date_from=date_from,
            date_to=date_to,
            sort=_choice(get("sort"), "sort", SORTS),
            match=_choice(get("match"), "match", MATCHES),
            page=_int(get("page"), "page", DEFAULTS["page"], 1, MAX_PAGE),
            per_page=_int(get("per_page"), "per_page", DEFAULTS["per_page"], 1, MAX_PER_PAGE),
            collapse=_bool(get("collapse"), "collapse", DEFAULTS["collapse"]),
            published=tuple(published_value(v) for v in getlist("published") if v),
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
    if not (value.isascii() and value.isdigit()):  # int() would take " 5", "+5", "5_0" and "٥"
        raise BadQuery(f"{name} must be an integer from {low} to {high}", name)
    number = int(value)
    if not low <= number <= high:
        raise BadQuery(f"{name} must be an integer from {low} to {high}", name)
    return number


def _date(value, name):
    if value in (None, ""):
        return None
    try:
        if not DATE_VALUE.match(value):  # fromisoformat also takes 20200101 and 2020-W01-1
            raise ValueError(value)
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise date_error(name) from None


def date_error(name: str) -> BadQuery:
    """The error for an unreadable ``from`` or ``to`` (or a bound of a typed ``published:[… TO …]``)."""
    return BadQuery(f"{name} must be a date in the form YYYY-MM-DD", name)


def date_range(date_from: date | None, date_to: date | None) -> None:
    """Raises BadQuery (param ``from``) when the range is reversed; parse.py checks typed ranges with it too."""
    if date_from and date_to and date_from > date_to:
        raise BadQuery("from must not be after to", "from")


def published_value(value: str) -> str:
    """A valid ``published`` value (month, day or "undated"), or BadQuery naming the parameter.

    parse.py checks ``published:`` typed in the query with it, so both say the same.
    """
    if value == UNDATED:
        return UNDATED
    if PUBLISHED_VALUE.match(value):
        try:
            date.fromisoformat(value if len(value) == 10 else value + "-01")
            return value
        except ValueError:
            pass
    raise BadQuery(f"published must be a month (YYYY-MM), a day (YYYY-MM-DD) or {UNDATED}, got {value!r}",
                   "published")


def _bool(value, name, default):
    if value in (None, ""):
        return default
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise BadQuery(f"{name} must be true or false", name)

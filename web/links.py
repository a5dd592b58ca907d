"""Links between states of the search page.

All of the page's state lives in its URL, so every control on the page (a facet
entry, a removable filter, a sort order, a page number, a did-you-mean) is a link
to a modified copy of the current URL's parameters. This module makes those
copies; it never validates (``search.SearchRequest.from_params`` does that).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from search import request

#: The page's own parameters (not a search's), placed in URLs before the paging ones.
PAGE_PARAMS = ("attention",)
_PAGING = request.PARAMETERS.index("per_page")
#: The page's state parameters: the search's and the page's own, in the order they appear in URLs
#: we make. Parameters not listed here are dropped from links.
STATE_PARAMS = request.PARAMETERS[:_PAGING] + PAGE_PARAMS + request.PARAMETERS[_PAGING:]
#: Parameters a visitor can add and remove one value at a time.
FILTER_PARAMS = request.REPEATABLE
#: Values that equal the default are left out, to keep URLs short and canonical. (Booleans stay as
#: given: several words mean true, and none of them was ever dropped from a URL.)
DEFAULTS = {name: str(value) for name, value in request.DEFAULTS.items() if name not in request.BOOLEANS}

PATH = "/"


@dataclass(frozen=True)
class State:
    """The page's URL parameters as an ordered tuple of (name, value) pairs."""

    pairs: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_args(cls, args) -> "State":
        """From a MultiDict of request arguments, keeping known parameters with a value."""
        pairs = []
        for name in STATE_PARAMS:
            for value in args.getlist(name):
                if value != "" or name == "q":
                    pairs.append((name, value))
        return cls(tuple(pairs))

    def get(self, name: str, default: str = "") -> str:
        return next((v for n, v in self.pairs if n == name), default)

    def getlist(self, name: str) -> list[str]:
        return [v for n, v in self.pairs if n == name]

    def has(self, name: str, value: str | None = None) -> bool:
        return any(n == name and (value is None or v == value) for n, v in self.pairs)

    # -- derived states ---------------------------------------------------
    def without(self, *names: str) -> "State":
        return State(tuple((n, v) for n, v in self.pairs if n not in names))

    def replace(self, **values) -> "State":
        """Set single-valued parameters (``from_`` for ``from``); None removes one. Resets page."""
        values = {k.rstrip("_"): v for k, v in values.items()}
        kept = [(n, v) for n, v in self.pairs if n not in values and n != "page"]
        kept += [(n, str(v)) for n, v in values.items() if v is not None]
        return State(_ordered(kept))

    def toggle(self, name: str, value: str) -> "State":
        """Add one filter value, or remove it when it is already there. Resets page."""
        if self.has(name, value):
            kept = [(n, v) for n, v in self.pairs if (n, v) != (name, value) and n != "page"]
        else:
            kept = [(n, v) for n, v in self.pairs if n != "page"] + [(name, value)]
        return State(_ordered(kept))

    def remove(self, name: str, value: str | None = None) -> "State":
        kept = [(n, v) for n, v in self.pairs
                if not (n == name and (value is None or v == value)) and n != "page"]
        return State(tuple(kept))

    def at_page(self, page: int) -> "State":
        return State(_ordered([(n, v) for n, v in self.pairs if n != "page"] + [("page", str(page))]))

    # -- output -------------------------------------------------------------
    def query_string(self) -> str:
        return urlencode([(n, v) for n, v in self.pairs if DEFAULTS.get(n) != v])

    def url(self) -> str:
        query = self.query_string()
        return PATH + ("?" + query if query else "")

    def hidden_fields(self, *skip: str) -> list[tuple[str, str]]:
        """The (name, value) pairs a form must carry to keep this state, minus ``skip`` and page."""
        return [(n, v) for n, v in self.pairs
                if n not in skip and n != "page" and DEFAULTS.get(n) != v]


def _ordered(pairs) -> tuple[tuple[str, str], ...]:
    rank = {name: i for i, name in enumerate(STATE_PARAMS)}
    return tuple(sorted(pairs, key=lambda p: rank[p[0]]))  # stable: repeated values keep their order

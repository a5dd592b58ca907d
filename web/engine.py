"""The search engine as the app's resource, in the manner of flaskr's ``db.py``.

``init_app`` makes one ``search.Engine`` per app (so one per gunicorn worker:
the app is built before the fork, its searcher opened after, on first use or
when gunicorn.conf.py warms it); views fetch it with ``get_engine()``. The
engine resolves the live generation on every request, so a rebuild is picked
up without a restart.
"""
from __future__ import annotations

from flask import Flask, current_app

from search import Engine
from search.backend import open_engine

#: The engine's key in ``app.extensions`` (tests, gunicorn.conf.py and bench/stories.py read it there).
KEY = "lede_engine"


def init_app(app: Flask) -> None:
    """Give ``app`` its engine over ``app.config["INDEX_DIR"]``."""
    app.extensions[KEY] = open_engine(app.config["INDEX_DIR"])  # LEDE_BACKEND decides (search/backend.py)


def get_engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions[KEY]

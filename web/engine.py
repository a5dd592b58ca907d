"""The search engine as the app's resource, in the manner of flaskr's ``db.py``.

``init_app`` makes one ``search.Engine`` per app (so one per gunicorn worker:
the app is built before the fork, its searcher opened after, on first use or
when gunicorn.conf.py warms it); views fetch it with ``get_engine()``.

Each request gets the engine pinned to one generation (``Engine.pinned``): the
live generation is resolved once, at the request's first use of the index (or
by repeats.py, before Flask, for the searches it keys by generation), and every
later call in that request — a page's search and its story links, a feed's ETag
and its entries — reads that same generation, even if a rebuild switches CURRENT
meanwhile. The next request picks the rebuild up, without a restart.
"""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request

from search import Engine
from search.backend import open_engine

#: The engine's key in ``app.extensions`` (tests, gunicorn.conf.py and bench/stories.py read it there).
KEY = "lede_engine"
#: The request's pinned engine, kept in its WSGI environ (which repeats.py shares with the app).
REQUEST_KEY = "lede.engine"


def init_app(app: Flask) -> None:
    """Give ``app`` its engine over ``app.config["INDEX_DIR"]``."""
    app.extensions[KEY] = open_engine(app.config["INDEX_DIR"])  # LEDE_BACKEND decides (search/backend.py)


def request_engine(environ: dict, engine: Engine) -> Engine:
    """The engine of the request ``environ`` belongs to: ``engine`` pinned, made on first use."""
    pinned = environ.get(REQUEST_KEY)
    if pinned is None:
        pinned = environ[REQUEST_KEY] = engine.pinned()
    return pinned


def get_engine() -> Engine:
    """The current app's engine: pinned to one generation for the rest of the request, when in one."""
    engine = current_app.extensions[KEY]
    return request_engine(request.environ, engine) if has_request_context() else engine

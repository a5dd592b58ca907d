"""Lede's web layer: the search page and the JSON API, over the ``search`` library.

Settings (defaults, then ``LEDE_*`` environment variables, then test_config):

INDEX_DIR   where the index lives (``LEDE_INDEX_DIR``; default ``var/index``). The
            engine resolves the live generation on every request, so a rebuild is
            picked up without restarting.
MAX_CONTENT_LENGTH  bytes a request body may have (POST /api/search); more is a 413
            before the body is read. Default 1 MiB: a 10,000-character query of
            4-byte characters, percent-encoded, is ~120 KB.

gunicorn's own settings (workers, threads, timeouts, logs) are in web/gunicorn.conf.py.
"""
from __future__ import annotations

import os
from datetime import date

from flask import Flask

from search import DEFAULT_INDEX_DIR

from . import engine


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=os.environ.get("LEDE_INDEX_DIR") or DEFAULT_INDEX_DIR,
                            MAX_CONTENT_LENGTH=1024 * 1024)
    app.config.from_prefixed_env("LEDE")
    if test_config:
        app.config.from_mapping(test_config)
    app.config["INDEX_DIR"] = str(app.config["INDEX_DIR"])
    engine.init_app(app)
    app.jinja_env.filters["longdate"] = long_date

    from . import api, compression, errors, export, feeds, pages, printable, repeats, security, stories

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(stories.bp)
    printable.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    compression.init_app(app)
    app.wsgi_app = repeats.RepeatedSearches(app.wsgi_app, app.extensions[engine.KEY])
    return app


def long_date(value: str | None) -> str:
    """``2020-01-01`` → ``1 Jan 2020``; anything else unchanged (empty for None)."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%b %Y}"

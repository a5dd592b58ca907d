"""Which article ids a URL may name.

Ids come from the indexer (file paths below a source root, or a feed's own
``id``), so they may contain ``/``, ``-`` and ``.``. Looking one up is an exact
term match, never a file access, but an id no indexer can produce is answered
with 404 straight away rather than sent to the index: dot segments (``..``),
control characters (NUL included), and anything longer than MAX_ID_LENGTH.
"""
from __future__ import annotations

MAX_ID_LENGTH = 300  # characters; the indexer's longest ids are a few path segments


def plausible_id(article_id: str) -> bool:
    if not article_id or len(article_id) > MAX_ID_LENGTH:
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in article_id):
        return False
    return not any(segment in (".", "..") for segment in article_id.split("/"))

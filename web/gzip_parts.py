"""A gzip body whose fixed parts are compressed once, around a few bytes that change per answer.

repeats.py answers a repeated search with the bytes sent the first time, changing only
``took_ms``. Compressing the whole body again for every repeat would cost more than the rest of
the answer, so the parts before and after ``took_ms`` are compressed once, when stored, each as
deflate blocks of their own: the head ends on a byte boundary (a sync flush), the changing bytes
follow as one uncompressed ("stored") block, and the tail ends the stream. A deflate stream may
be any sequence of such blocks (RFC 1951, 3.2.3-3.2.4) as long as none refers back into data
that changed, which a fresh compressor per part guarantees. The gzip trailer's CRC-32 is
continued over the changing bytes and the tail (fast: zlib's CRC runs at gigabytes a second).
"""
from __future__ import annotations

import struct
import zlib

LEVEL = 6  # zlib's default: the parts are compressed once per stored answer
#: gzip member header (RFC 1952): magic, deflate, no flags, no mtime, no extra flags, unknown OS.
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
MAX_STORED_BLOCK = 0xFFFF  # bytes one stored block can hold


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header value takes gzip (``gzip``, ``x-gzip`` or ``*``, q above 0)."""
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().lower()
            if not q.startswith("q=") or _positive(q[2:]):
                return True
    return False


def _positive(value: str) -> bool:
    try:
        return float(value) > 0
    except ValueError:
        return False


class Parts:
    """``head`` and ``tail`` compressed once; ``body(middle)`` is the gzip of head + middle + tail."""

    def __init__(self, head: bytes, tail: bytes):
        first = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._head = HEADER + first.compress(head) + first.flush(zlib.Z_SYNC_FLUSH)
        last = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._tail = last.compress(tail) + last.flush()
        self._tail_plain = tail
        self._head_crc = zlib.crc32(head)
        self._size = len(head) + len(tail)

    def body(self, middle: bytes) -> bytes:
        if len(middle) > MAX_STORED_BLOCK:
            raise ValueError("the changing part must fit one stored block")
        stored = b"\x00" + struct.pack("<HH", len(middle), len(middle) ^ 0xFFFF) + middle
        crc = zlib.crc32(self._tail_plain, zlib.crc32(middle, self._head_crc))
        trailer = struct.pack("<II", crc & 0xFFFFFFFF, (self._size + len(middle)) & 0xFFFFFFFF)
        return b"".join((self._head, stored, self._tail, trailer))

"""Layer 1. HTTP byte ranges (RFC 9110, 14): which bytes a `Range` header asks for, and
copying them from a file a chunk at a time, so memory holds one chunk, whatever the size."""

from __future__ import annotations

import re
from typing import BinaryIO, Protocol

CHUNK = 256 * 1024
UNSATISFIABLE = "unsatisfiable"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def parse(header: str | None, size: int) -> tuple[int, int] | str | None:
    """The (first, last) byte a `Range` header asks for, UNSATISFIABLE, or None for the
    whole file (no header, several ranges or one the preview does not read)."""
    found = _RANGE.fullmatch(header.strip()) if header else None
    if found is None or not (found[1] or found[2]):
        return None
    if found[1]:
        start = int(found[1])
        end = min(int(found[2]), size - 1) if found[2] else size - 1
        if start >= size:
            return UNSATISFIABLE
        return (start, end) if start <= end else None
    suffix = int(found[2])  # bytes=-500: the last 500 bytes
    if suffix == 0 or size == 0:
        return UNSATISFIABLE
    return max(0, size - suffix), size - 1


class _Writer(Protocol):
    def write(self, data: bytes, /) -> object: ...


def copy(stream: BinaryIO, to: _Writer, start: int, end: int) -> None:
    """Bytes `start` to `end` (inclusive) of `stream`, written a CHUNK at a time."""
    stream.seek(start)
    left = end - start + 1
    while left > 0 and (chunk := stream.read(min(CHUNK, left))):
        to.write(chunk)
        left -= len(chunk)

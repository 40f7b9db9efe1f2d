"""Bounds on the work one imported file can cause.

A post's Liquid is code someone else wrote: nested `for` loops over
`(1..100000)` or an `assign` that doubles a string each time would hold an
import for hours or fill the memory. python-liquid counts loop iterations,
output bytes and the size of assigned values and raises a
`ResourceLimitError` past the limits set here (one construct of one post is
then left as it is and reported); and each file's conversion has a time
limit (`sitegen.timelimit`), after which the file is imported unconverted
and reported, so no single file can stall an import.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from liquid import Environment

from sitegen import timelimit

LOOP_ITERATIONS = 100_000
"""Per evaluated construct: far above a real archive's loops over its posts or data."""
OUTPUT_BYTES = 5_000_000
NAMESPACE_BYTES = 5_000_000
SECONDS_PER_FILE = 10.0


class LimitedEnvironment(Environment):
    """python-liquid with resource limits on every render."""

    loop_iteration_limit = LOOP_ITERATIONS
    output_stream_limit = OUTPUT_BYTES
    local_namespace_limit = NAMESPACE_BYTES


class TooSlow(Exception):
    """A file's conversion ran past SECONDS_PER_FILE."""


@contextmanager
def per_file(seconds: float | None = None) -> Iterator[None]:
    """Raise TooSlow when the block runs longer than `seconds` (SECONDS_PER_FILE by
    default; main thread only: the CLI's import runs there)."""
    seconds = SECONDS_PER_FILE if seconds is None else seconds
    try:
        with timelimit.limit(seconds):
            yield
    except timelimit.TimeLimitExceeded:
        raise TooSlow(f"its conversion took longer than {seconds:g} s") from None

"""Layer 1. Keeping the picture cache within a size: what it holds, and evicting.

A CI cache has a size limit (GitHub keeps 10 GB per repository, and the workflow keeps
the last output there too), while an archive's variants are tens of GB. So the
cache is trimmed to `[images] cache_limit` after each build, or by
`sitegen cache prune --max-size`: first the files no page of the last build uses,
then the oldest (the variants of the oldest photos, the least likely to be
needed again before a lost cache is refilled from the deployed site with
`--reuse-output`).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen import sealed

IN_USE = "in-use.txt"
"""The cache keys the last build's pages use, one a line (written by the build)."""
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2,
          "g": 1000**3, "gb": 1000**3, "t": 1000**4, "tb": 1000**4,
          "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}


def parse_size(text: str) -> int | None:
    """`"8GB"`, `"500 MB"`, `"2GiB"`, `"1000000"` -> bytes, or None when it is none."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(text))
    if not match or match.group(2).lower() not in _UNITS:
        return None
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def shown(size: int) -> str:
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} B"


@dataclass(frozen=True)
class Pruned:
    before: int
    after: int
    evicted: int


def remember_in_use(folder: Path, keys: Iterable[str]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{IN_USE}.{os.getpid()}"
        temporary.write_text("".join(f"{key}\n" for key in sorted(keys)), encoding="utf-8")
        os.replace(temporary, folder / IN_USE)
    except OSError:
        pass  # without it, pruning evicts by age alone


def _in_use(folder: Path) -> set[str]:
    try:
        return set((folder / IN_USE).read_text(encoding="utf-8").split())
    except OSError:
        return set()


def prune(folder: Path, limit: int, in_use: set[str] | None = None) -> Pruned:
    """Delete files of `folder` (the picture cache) until it holds at most `limit` bytes:
    unused ones first (`in_use`, or the last build's list), oldest first within each."""
    used = _in_use(folder) if in_use is None else in_use
    files = []
    for directory, _, names in os.walk(folder):
        for name in names:
            if name == IN_USE or name.endswith(sealed.SUM_SUFFIX):
                continue
            path = os.path.join(directory, name)
            try:
                stat = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            files.append((name in used, stat.st_mtime_ns, path, stat.st_size))
    total = before = sum(f[3] for f in files)
    evicted = 0
    for _, _, path, size in sorted(files):
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        with contextlib.suppress(OSError):  # its content hash record (sealed.py)
            os.unlink(path + sealed.SUM_SUFFIX)
        total -= size
        evicted += 1
    return Pruned(before, total, evicted)

"""Layer 6.4. What the static files are, as reading sees them: a digest of each file's
bytes by its name, so a cache restored on another machine (a fresh clone: new file times)
still serves every article it holds. An article's read is keyed on the digests of the
files it asked about (sources.py), not on the whole folder: a new photo for a new story
leaves every other story's read as it was.

Reading sizes and checks any file an article names, whatever its extension (Pillow
opens a file by its bytes), so every file's bytes count. Hashing them all each build
would cost a large static folder's size every time, so each file's digest is kept in
the build state under its stat (one `static` record per static folder), and only a
file whose stat changed, or that was modified too recently to trust its time, is
hashed again.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitegen.state import BuildState
from sitegen.static_safety import JUDGED, Judged

KIND = "static"
# A file modified this close to when it was hashed may change again without its time
# changing (coarse file system clocks), so its stat is not trusted ("racy git").
RACY_NS = 2_000_000_000
_CHUNK = 1 << 20


def static_digests(state: BuildState, static_dir: Path) -> dict[str, str]:
    """Every file's digest under `static_dir`, by its name there."""
    key = str(static_dir)
    memo: dict[str, list[Any]] | None = state.memo.get((KIND, key))
    if memo is None:
        stored = state.get(KIND, "", key)
        memo = stored if isinstance(stored, dict) else {}
    fresh: dict[str, list[Any]] = {}
    for relative, stat in _files(str(static_dir)):
        known = memo.get(relative)
        if not (isinstance(known, list) and len(known) == 5
                and known[:3] == [stat.st_mtime_ns, stat.st_size, stat.st_ino]
                and known[3] - stat.st_mtime_ns > RACY_NS):
            known = [stat.st_mtime_ns, stat.st_size, stat.st_ino, time.time_ns(),
                     _file_digest(f"{static_dir}/{relative}")]
        fresh[relative] = known
    state.memo[(KIND, key)] = fresh
    if fresh != memo:
        # It says under what stat it holds, so it is true whatever the build does next.
        state.write_now(KIND, "", key, fresh)
    return {relative: str(known[4]) for relative, known in fresh.items()}


def _files(folder: str) -> Iterator[tuple[str, os.stat_result]]:
    """(name under `folder`, with slashes; its stat) of every file below it, as strings:
    a Path a photo cost 15 us more, every build (as Path.rglob, a link to a folder is not
    followed; a link to a file is taken for the file)."""
    folders = [""]
    while folders:
        below = folders.pop()
        try:
            entries = list(os.scandir(f"{folder}/{below}" if below else folder))
        except OSError:  # no static folder (or gone meanwhile)
            continue
        for entry in entries:
            name = f"{below}/{entry.name}" if below else entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.append(name)
            elif entry.is_file():
                yield name, entry.stat()


def _file_digest(path: str) -> str:
    # A string: a Path would intern each part of the name, a photo's too
    # (test_picture_memory), in the table of interned names that only grows.
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


JUDGED_KIND = "judged"


def judged(state: BuildState) -> Judged:
    """static_safety.screen's verdicts on the pictures of the static folders, by file and
    stat: those a kept state holds (serve's), else the last build's, from the state file.
    A build then opens no picture that did not change: at 10,000 photos, reading every
    header again cost about 2 CPU seconds a build."""
    memo: Judged | None = state.memo.get(JUDGED)
    if memo is not None:
        return memo
    stored = state.get(JUDGED_KIND, "", "")
    found: Judged = {}
    if isinstance(stored, dict):
        found = {(path, *known[:3]): known[3] for path, known in stored.items()
                 if isinstance(known, list) and len(known) == 4}
    state.memo[JUDGED] = found  # (a one-off build's memo keeps nothing)
    return found


def keep_judged(state: BuildState, verdicts: Judged) -> None:
    """Keep this build's verdicts for the next build, but those of files modified too
    recently to trust their time (`RACY_NS`), which are judged again."""
    settled = time.time_ns() - RACY_NS
    kept = {path: [size, mtime, inode, why]
            for (path, size, mtime, inode), why in verdicts.items() if mtime < settled}
    if state.get(JUDGED_KIND, "", "") != kept:
        state.write_now(JUDGED_KIND, "", "", kept)

"""Layer 5.9. What the link check knows of each output page, kept in the build state.

Each page's record, under the page's name in its output folder, holds the
file's stat when it was scanned, the URLs it uses, the ids it has, what was
found wrong with its links, and the generation (build) that wrote it. Records
describe a file by its stat, so they are written as soon as a page is scanned,
not held in memory for the whole build.

The folder's facts are written with the build's other records, once its
output is in place: the base URL the findings hold for, every file of the
tree, the pages with findings, which pages link to which page with a fragment,
and the generation. A file gone (a page, a photo's variant) judges again the
pages that linked to it, which the state's link edges tell (link_edges.py: written
as pages are judged, before these facts); one that no page linked to (a search
shard's index file, replaced when a story is published) judges none. A record no
newer than the facts describes the output's file (kept files are the same inodes); a
newer one comes from a build that did not finish, and is checked against the file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, Set
from pathlib import Path
from typing import Any

from sitegen import staged_pictures
from sitegen.link_edges import LinkEdges
from sitegen.state import BuildState

VERSION = 9  # 7: pages' links to pages kept (link_edges.py), which facts of 6 lack; 8: the
# tree's files packed (staged_pictures.pack); 9: links to other files in the edges too, and
# no filter of them in the facts (the edges of 8 lack them)
Scan = Callable[[str], tuple[list[str], list[str]]]
ScanMap = Callable[[Scan, Iterable[str]], Iterable[tuple[list[str], list[str]]]]


class LinkIndex:
    """One output folder's link records (none are kept without a state)."""

    def __init__(self, state: BuildState | None, output: Path) -> None:
        # One index per output folder: `serve` and `check` build into folders of their
        # own, and sharing one would make each build re-scan what the other wrote.
        self.state = state
        self.folder = str(output)
        self.generation = time.time_ns()
        self.context: str | None = None
        """The base URL of the last finished check (None: nothing is known)."""
        self.known = 0
        self.files: frozenset[str] = frozenset()
        self.flagged: dict[str, list[list[str]]] = {}
        """Page -> its findings, for the pages with any."""
        self.memory: dict[str, list[Any]] = {}
        """The records of a build without a state."""
        self.fragments: dict[str, set[str]] = {}
        """Page -> the other pages that link to it with a fragment (its ids matter to them)."""
        self.edges = LinkEdges(state, self.folder)
        """Which pages link to which file (asked when files are gone)."""
        facts = state.get("folder", self.folder, "links") if state else None
        if isinstance(facts, list) and len(facts) == 6 and facts[0] == VERSION:
            _, self.context, files, self.flagged, fragments, self.known = facts
            self.files = frozenset(staged_pictures.unpack(files))
            self.fragments = {page: set(others) for page, others in fragments.items()}

    def gone(self, current: Set[str]) -> list[str]:
        """The files of the last check's tree that `current` lacks (a set difference in C:
        few are gone, and a loop over every file in Python is a tenth of a second at
        100,000 articles)."""
        return sorted(self.files.difference(current))

    def restart(self) -> None:
        """Every page is judged again: what was known from pages' links is made anew."""
        self.fragments, self.flagged = {}, {}

    def record(self, page: str) -> list[Any] | None:
        """[stamp, URLs, ids, findings, generation], if a sound one is kept."""
        if self.state is None:
            return self.memory.get(page)
        entry = self.state.get("link", self.folder, page)
        return entry if isinstance(entry, list) and len(entry) == 5 else None

    def current(self, page: str, path: str | Path, verify: bool) -> list[Any] | None:
        """The page's record if it describes the file at `path` (`verify`: compare stats
        even when the record is no newer than the folder's facts)."""
        entry = self.record(page)
        if entry is None:
            return None
        if entry[4] == self.generation:  # scanned by this very build, from this file
            return entry
        if not verify and self.context is not None and entry[4] <= self.known:
            return entry
        return entry if entry[0] == stamp(path) else None

    def scan(self, files: Mapping[str, str], pages: list[str], scan_map: ScanMap,
             scan: Scan) -> set[str]:
        """Scan `pages` (through the build's workers) and write their records as they
        come, holding none of them; return the pages whose ids changed."""
        changed = set()
        found = scan_map(scan, (str(files[page]) for page in pages))
        for page, (page_refs, page_ids) in zip(pages, found, strict=True):
            old = self.record(page) if page in self.files else None
            # A record newer than the facts may not be what the pages linking here saw.
            if old is not None and (old[2] != page_ids or old[4] > self.known):
                changed.add(page)
            self.write(page, [stamp(files[page]), page_refs, page_ids, None, self.generation])
        if self.state is not None:
            self.state.flush()
        return changed

    def write(self, page: str, entry: list[Any]) -> None:
        if self.state is not None:
            self.state.write_now("link", self.folder, page, entry)
        else:
            self.memory[page] = entry

    def save(self, files: Iterable[str], context: str) -> None:
        """Put the folder's facts (written with the build's other records)."""
        current = files if isinstance(files, Set) else frozenset(files)
        self.flagged = {p: f for p, f in self.flagged.items() if p in current}
        fragments = {page: sorted(o for o in others if o in current)
                     for page, others in self.fragments.items()
                     if page in current and any(o in current for o in others)}
        if self.state is not None:
            # Sets in C, the tree's order as it is: every file of the tree, each build.
            self.state.drop("link", self.folder, sorted(self.files.difference(current)))
            # The tree's names packed as they come (a photo's variants each: a list of
            # them was a kilobyte a photo at the planning process's peak).
            self.state.put("folder", self.folder, "links", [
                VERSION, context, staged_pictures.pack(current), self.flagged, fragments,
                self.generation])


def stamp(path: str | Path) -> list[int]:
    stat = os.stat(path)
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]

"""Layer 4.5. What each page was planned from, kept between builds, so that publishing a
story plans the pages it changes, not the archive.

Building a page's context (its cards, pager, related boxes) is the cost of planning.
Before building it, a kind that can (an article page, a page of a list) names the
page's inputs cheaply: the sources of the articles it shows with each one's metadata
digest (deps.py: every field but the body), the list slice and pager, its own body.
Everything else a context holds comes from facts of the whole site (config, theme,
static files, the site view, term names, picture sizes, what the clock decides),
which make the `site` key every page's inputs include. A page whose inputs are those
of the last build into the same folder, and whose file is still there, is kept as it
is and its context never built; the render key stays the last guard for the rest.

So a new story plans its own page, the pages whose slice or boxes it enters, and
those whose neighbours moved; an edit of the whole site (config, theme) changes the
site key and plans everything, as before.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from sitegen.model import Article
from sitegen.sealed import short_key

Digests = Callable[[int, str], int | None]
"""(index in the site's articles, source) -> its metadata digest this build (None: not
known, so never kept)."""


class Found(dict[str, int]):
    """Output file (or a list's key) -> the digest of its inputs this build, remembering
    the keys popped (a body edit's plan drops the archive's order, kinds/__init__.py): a
    build that records only what it planned (`PageInputs.partial`) drops their records."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.gone: set[str] = set()

    def pop(self, key: str, *default: Any) -> Any:
        self.gone.add(key)
        return super().pop(key, *default)


class PageInputs:
    """The inputs of the pages planned in one build, and which pages were kept."""

    def __init__(self, site: str = "", previous: dict[str, int] | None = None,
                 digests: Digests | None = None, output: str = "",
                 renders: Collection[str] = (), keep: bool = False, partial: bool = False
                 ) -> None:
        self.site = site
        self.previous = previous or {}
        self.digests = digests or (lambda _, __: None)
        self.output = output
        self.renders = renders  # a set of its names would be one more entry a page
        self.keep = keep and bool(site) and bool(self.previous)
        """False when only recording (a body edit plans by its own rule; no known folder)."""
        self.found = Found()
        """Output file -> the digest of its inputs, for every page this build planned or kept;
        with `partial`, for those it planned only."""
        self.partial = partial
        """A body edit: it plans a few pages and keeps all others with their recorded
        inputs, which are neither loaded (`previous` is empty) nor written again: only the
        planned pages' records are put (deps.save_inputs), read per query, not whole."""
        self.present: Callable[[str], bool] = lambda name: os.path.isfile(f"{output}/{name}")
        """Whether the last build's file of a page is still at hand to keep (the build
        asks its new tree, which knows most without a system call)."""
        self.kept: list[tuple[str, str]] = []
        """(output file, owner) of the pages kept without planning."""
        self.keys: Mapping[str, str] = {}
        """Source -> its read key this build (kinds/shift.py: which stories are new)."""
        self.worked = 0
        """How many pages' (and whole lists') inputs were worked out (the build report's)."""

    def articles(self, indexes: Iterable[int | None], articles: Sequence[Article]
                 ) -> list[tuple[str | None, int | None]]:
        """Each shown article's source and metadata digest, in order (None: no article; a
        negative number, never a digest and never the same twice: not known)."""
        return [(None, None) if i is None else (
            articles[i].source,
            self.digests(i, articles[i].source) or -int.from_bytes(os.urandom(8)))
            for i in indexes]

    def unchanged(self, output: str, owner: str, parts: Any) -> bool:
        """Record a page's inputs; True when the page keeps its last file (not planned)."""
        if not self.site:
            return False
        self.worked += 1
        digest = short_key(hashlib.sha256(f"{self.site}\0{parts!r}".encode()))
        self.found[output] = digest
        if self.keep and self.previous.get(output) == digest and output in self.renders \
                and self.present(output):
            self.kept.append((output, owner))
            return True
        return False

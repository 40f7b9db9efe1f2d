"""Layer 6.96. What a build is asked to do (`BuildOptions`) and what it tells of what it
did (`BuildReport`): the CLI, serve and the tests fill the one and read the other."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import picture_cache, shards
from sitegen.errors import Problem
from sitegen.listing import HeldBack
from sitegen.state import BuildState
from sitegen.workers import Progress


@dataclass(frozen=True)
class BuildOptions:
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    drafts: bool = False
    future: bool = False
    expired: bool = False
    strict: bool = False
    jobs: int = os.cpu_count() or 1
    output: Path | None = None
    """Overrides the config's output folder (serve builds into a folder of its own)."""
    use_cache: bool = True
    keep_going: bool = False
    """Skip the sources with errors and build the rest (also `[build] keep_going`)."""
    progress: Progress | None = None
    """Called as progress(stage, done, total) while reading and rendering."""
    preview: bool = False
    """`sitegen serve`: pages label drafts, scheduled and expired stories, and carry no
    analytics (templates see `site.preview` and each card's `status`)."""
    reuse_output: Path | None = None
    """A previous output (or the deployed site's copy) whose published picture variants
    are taken, once checked, instead of encoding them again (picture_reuse.py)."""
    state: BuildState | None = None
    """The build state to use and keep in memory (`sitegen serve` passes one across its
    builds); None: this build opens the cache's and closes it."""
    shard: shards.Shard | None = None
    """`--shard K/N`: build only the pages of this shard, and its manifest (shards.py)."""
    merge: tuple[Path, ...] = ()
    """`--merge DIR...`: the shards' partial outputs to make one site of (merge.py)."""
    cluster: str = ""
    """The Dask scheduler whose workers do the fan-out (cluster.py): `sitegen build` passes
    `--cluster` or else `[build] cluster` (the preview builds here); "": local processes."""
    early: bool = True
    """When nothing changed since the last build into the folder, tell its report again
    without reading the state's records (nothing_changed.py). `sitegen check --external`
    asks for every page's source (`BuildReport.sources`), which only the full way knows."""

    @property
    def selection(self) -> tuple[object, ...]:
        """What decides which articles are published, apart from the clock."""
        return (self.drafts, self.future, self.expired)


@dataclass
class BuildReport:
    output: Path
    written: list[str]
    unchanged: list[str]
    warnings: list[Problem]
    timings: dict[str, float]
    parsed: list[str] = field(default_factory=list)
    """Sources that were read and converted (not taken from the cache)."""
    rendered: list[str] = field(default_factory=list)
    """Output files whose template ran (the others' inputs did not change)."""
    removed: list[str] = field(default_factory=list)
    sources: Mapping[str, str] = field(default_factory=dict)
    """Output page -> the content file it shows (for locating link problems)."""
    held: HeldBack = field(default_factory=HeldBack)
    """The drafts, scheduled and expired articles this build left out."""
    skipped: list[Problem] = field(default_factory=list)
    """With keep_going: the problems of the sources left out of the site."""
    processed_images: list[str] = field(default_factory=list)
    """Source images that were decoded to make resized versions (the others' were cached)."""
    reused_images: int = 0
    """Variants taken from `--reuse-output` instead of being encoded."""
    picture_cache: picture_cache.Pruned | None = None
    """The picture cache's size before and after `[images] cache_limit` trimmed it."""
    search_indexed: list[str] = field(default_factory=list)
    """Search index shards that Pagefind indexed (the others were kept from the cache)."""
    planned: list[str] = field(default_factory=list)
    """Output files whose context was built (a body edit plans only the pages showing it)."""
    inputs_worked: int = 0
    """Pages (and whole lists) whose inputs were worked out to tell whether they keep their
    files (page_inputs.py); a publish keeps most without (kinds/shift.py)."""
    claims_checked: int = 0
    """URL claims checked for clashes: the claims a build added against the claim book
    (claim_book.py), or every claim when the whole check ran."""

    @property
    def pages(self) -> int:
        return len(self.written) + len(self.unchanged)

"""Layer 6.975. What serve keeps of the last build, so that a body edit is rendered at
once (body_edits.py) before the next build runs: the site, the views' inputs and which
page shows which body. A build sets it aside while it plans (not held twice), puts it
back when nothing changed and replaces it otherwise; a build without a cache, a shard or
a merge keeps none."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sitegen import deps, editions, staged_pictures, themes, write
from sitegen.build_run import Run
from sitegen.config import Config
from sitegen.model import Site
from sitegen.state import BuildState

LAST_BUILD = ("serve", "last build")
"""Where a kept state (serve's) holds the last build's `LastBuild`."""


WRITTEN_OUTSIDE = ("serve", "written outside a build")
"""Where a kept state holds the pages serve wrote since the last build (body_edits.py):
the link check scans them again, as if the build had written them."""


@dataclass(frozen=True)
class LastBuild:
    """What the last build planned its pages from, kept in serve's memory so that a body
    edit can be rendered at once (body_edits.py) before the next build runs."""

    config: Config
    now: dt.datetime
    output: Path
    bodies: Path
    chain: tuple[themes.Theme, ...]
    cache_dir: Path
    editions: list[editions.Edition]
    site: Site
    known: deps.State
    """Each source's metadata digest and body, and the bodies each page shows."""


def set_aside(state: BuildState) -> LastBuild | None:
    """serve's last build, not held twice while this one plans (put back if nothing
    changed, replaced by this one otherwise)."""
    last = state.memo.pop(LAST_BUILD, None)
    return last if isinstance(last, LastBuild) else None


def keep(state: BuildState, last: LastBuild | None) -> None:
    if last is not None:
        state.memo[LAST_BUILD] = last


def record(run: Run, held: Path, site: Site, decision: deps.Decision) -> LastBuild | None:
    """What a body edit in serve is rendered from (body_edits.py); none for a build
    without a cache, a shard or a merge, nor one whose state is not kept (none but serve
    builds again from it: the site is let go before the link check). Made before the
    check; `replace` keeps it once the new output is in place."""
    if run.cache_dir is None or run.options.shard or run.options.merge or not run.state.kept:
        return None
    return LastBuild(run.config, run.options.now, run.report.output, held, run.chain,
                     run.cache_dir, [dataclasses.replace(e, inputs=None) for e in run.editions],
                     site, decision.state)


def replace(state: BuildState, last: LastBuild | None) -> None:
    """This build's `record` kept; the pages serve wrote are this build's now."""
    state.memo.pop(WRITTEN_OUTSIDE, None)
    keep(state, last)


def written(state: BuildState, staging: write.Staging) -> Iterator[str]:
    """The files this build wrote, and the pages serve wrote since the last build: the
    link check scans both again. Not a list: after a cold build, which names every file
    of the archive, the check does not ask (it scans every page), and a copy would be a
    pointer a file at the planning process's peak."""
    return itertools.chain(staging.written, staging.pictures.names(staged_pictures.WRITTEN),
                           state.memo.get(WRITTEN_OUTSIDE, ()))

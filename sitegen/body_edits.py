"""Layer 8.5. `sitegen serve`'s fast path for a body edit: the pages that show an edited
body, rendered at once from the last build kept in memory, before the full build.

A full build after a body edit already plans only the pages showing the body
(deps.py), but it still walks every source, selects and groups the site, plans
the pictures, re-indexes a search shard and checks the links, which at 10,000
articles takes seconds. None of that can change when the only change is the
body of a known source whose metadata digest is as before: the site, its lists
and cards are the same, and only the pages recorded as showing the old body
differ. So the preview reads the changed sources alone, plans those pages
against the last build's site and views with the new article in place of the
old, renders them in this process, replaces their files in the served folder,
and reloads the open tabs. Then it runs the full build as always, which finds
those pages already holding their bytes and brings the rest (the search index,
the link check, the state's books) to what a clean build makes.

Anything else (front matter, a new, deleted or renamed file, config, theme,
static files, a body with `.md` links, a problem while reading or rendering)
takes no fast path: the full build alone runs, as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import bodies, deps, output_lock, output_places, readers, render, tree_files, write
from sitegen.config import Config
from sitegen.last_build import LAST_BUILD, WRITTEN_OUTSIDE, LastBuild
from sitegen.model import Article, Job, Site, replaced, shared
from sitegen.state import BuildState


@dataclass
class Rendered:
    """What the fast path did: the sources it read, the pages it rendered and wrote."""

    sources: list[str] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    seconds: float = 0.0


def render_body_edits(state: BuildState, config: Config, changed: set[Path],
                      now: dt.datetime) -> Rendered | None:
    """Render and write the pages showing the edited bodies of `changed`, or None when
    the change is not only bodies of known sources (the full build does it all)."""
    started = time.perf_counter()
    last = state.memo.get(LAST_BUILD)
    if not isinstance(last, LastBuild) or last.config != config or last.now != now \
            or not changed or output_places.inside_mode(last.output):
        return None
    edited = _read(last, changed)
    if edited is None:
        return None
    old = {last.known.refs.get(a.source, "") for a in edited}
    pages = {page for page, shown in last.known.shows.items()
             if old.intersection(deps.refs_of(shown))}
    planned = _plan(last, edited, pages)
    if planned is None:
        return None
    jobs, changed_last = planned
    if render.bodies_folder() != last.bodies:  # another build's environment
        render.init_worker(last.chain, last.config.root, last.cache_dir, last.bodies)
    made = []
    for job in jobs:
        relative, data, problems = render.render_job(job)
        if data is None or problems:
            return None  # the full build reports it
        made.append((relative, data))
    done = Rendered([a.source for a in edited], sorted(pages))
    with output_lock.OutputLock(last.output):
        _record(state, last, edited, pages)
        write.replacing(last.output, [relative for relative, _ in made])
        for relative, data in made:
            if _replace(last.output, relative, data):
                done.written.append(relative)
        state.memo.setdefault(WRITTEN_OUTSIDE, set()).update(done.written)
        state.memo[LAST_BUILD] = changed_last
    done.seconds = time.perf_counter() - started
    return done


def prepare(state: BuildState) -> None:
    """Read one source of the last build, as a body edit will (its body is not kept):
    this process's Markdown converter and the reader's tables are then made before the
    first save, not after it (about 0.1 s at first use)."""
    last = state.memo.get(LAST_BUILD)
    if isinstance(last, LastBuild) and last.known.metas:
        source = last.config.root / next(iter(last.known.metas))
        # Only a head start: whatever goes wrong here, the save's own read meets again.
        with contextlib.suppress(Exception):
            readers.read_source(source, config=last.config)


def _read(last: LastBuild, changed: set[Path]) -> list[Article] | None:
    """The changed sources read anew, if each is a known source whose metadata is as
    in the last build (its body stored where the last build keeps bodies)."""
    config, edited = last.config, []
    root = config.root.resolve()
    for path in sorted(changed):
        try:
            relative = path.resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            return None
        known = last.known.metas.get(relative)
        if path.suffix != ".md" or known is None or not path.is_file():
            return None
        article, problems = readers.read_source(config.root / relative, config=config)
        # Problems (and what a warning would say) are the full build's to report; a body
        # linking to other sources has its links resolved against the whole site there.
        if article is None or problems or article.md_links:
            return None
        if article.body_html:
            article = replaced(article, body_html="",
                               body_ref=bodies.save(last.bodies, article.body_html))
        article = shared(article)
        digest = deps.metas([article], {}, deps.State())[relative]
        if digest != known:
            return None  # front matter (or the summary drawn from the body) changed
        edited.append(article)
    return edited


BODY_KINDS = frozenset({"article", "page", "feeds"})
"""The page kinds whose pages show bodies in the default theme: planned first, and the
other kinds (each walks its lists even when it plans none of their pages) only if
some page showing an edited body was not among theirs."""
# The render key of a page written early: no key is negative, so the build after it
# renders the page again (and writes it only if its bytes differ).
UNKNOWN = -1


def _plan(last: LastBuild, edited: list[Article],
          pages: set[str]) -> tuple[list[Job], LastBuild] | None:
    """The jobs of `pages`, planned from the last build's site with the edited articles
    in place of the old, and the last build so changed (what the next body edit before
    a build plans from: a feed showing two edited bodies shows both); None if the plan
    does not make exactly those pages."""
    whole = _swap(last.site, edited)
    editions = [dataclasses.replace(
        e, site=(site := whole if e.site is last.site else _swap(e.site, edited)),
        views=None if e.views is None else e.views.with_site(site)) for e in last.editions]
    for only in (lambda kind: kind.name in BODY_KINDS), None:
        jobs: list[Job] = []
        for edition in editions:
            if edition.views is None:
                return None
            jobs += render.plan(edition.site, edition.config, edition.site_view, edition.views,
                                last.now, pages.__contains__, only=only, whole=whole)
        if sorted(job.output for job in jobs) == sorted(pages):
            return jobs, dataclasses.replace(last, site=whole, editions=editions)
    return None


def _swap(site: Site, edited: list[Article]) -> Site:
    """The site with each edited article in place of the one of its source."""
    new = {a.source: a for a in edited}
    if not any(a.source in new for a in (*site.articles, *site.pages)):
        return site
    return dataclasses.replace(
        site, articles=tuple(new.get(a.source, a) for a in site.articles),
        pages=tuple(new.get(a.source, a) for a in site.pages))


def _record(state: BuildState, last: LastBuild, edited: list[Article],
            pages: set[str]) -> None:
    """Before the pages change outside a build, the state says what they will show: the
    new bodies (so that undoing the edit plans them again, also in a build after this
    process died) under no render key (so that the next build that plans one renders it,
    and the search index reads it again), and the folder as unknown (so that no build
    takes it for unchanged)."""
    key = str(last.output)
    swapped = {last.known.refs.get(a.source, ""): a.body_ref for a in edited}
    for article in edited:
        last.known.refs[article.source] = article.body_ref  # also the state's memo of them
        digest = last.known.metas[article.source]
        state.write_now("meta", key, article.source, ["", digest, article.body_ref])
    deps.forget_inputs(state, key, pages)
    folder = state.folders.get(key)
    # The facts first, without the pages' columns (cache._pack_pages), which the records
    # below make untrue: however many of those are written before a kill, the next build
    # reads the records.
    if folder is not None and folder.static is not None:  # as cache.BuildCache.finish puts it
        folder.site_key = ""
        state.write_now("folder", key, "facts", [
            "", None if folder.checked is None else [
                list(dataclasses.astuple(p)) for p in folder.checked],
            sorted(folder.static), folder.meta_key])
        state.flush()
    else:
        state.forget_folder(key)  # not known here: the next build plans every page
    for page in sorted(pages):
        shown = deps.compact(tuple(swapped.get(ref, ref)
                                   for ref in deps.refs_of(last.known.shows.get(page, ()))))
        last.known.shows[page] = shown
        if folder is not None:
            folder.renders[page], folder.shows[page] = UNKNOWN, shown
        state.write_now("output", key, page, [UNKNOWN, shown])
    state.flush()


def _replace(output: Path, relative: str, data: bytes) -> bool:
    """Put a page's new bytes in place at once (a new file, renamed over the old: the
    spare tree's hard link to the old keeps the old); False if they are there already."""
    write.Staging._check(relative)
    target = f"{output}/{relative}"
    try:
        with open(target, "rb") as stream:
            if stream.read() == data:
                return False
    except OSError:
        pass
    # Beside the folder, where taking the output's lock removes what a killed one left.
    temporary = f"{output.parent}/{tree_files.SEARCH_SCRATCH}page-{os.getpid()}"
    try:
        with open(temporary, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return True

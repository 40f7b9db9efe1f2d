"""Layer 7. The pipeline: the one place that knows the order of the stages.

Each stage is a plain function in its own module. Problems are collected per
stage and stop the build after it with every problem listed; a failed build
leaves the previous output untouched. Caching and parallelism wrap the
stages here, so the stages know nothing of either.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import (
    bodies,
    cache,
    claims,
    collect,
    deps,
    hostfiles,
    kinds,
    picture_cache,
    picture_reuse,
    pictures,
    readers,
    render,
    search,
    sitemaps,
    static_safety,
    themes,
    tree_files,
    write,
)
from sitegen.check import LinkIndex, check_site, page_sources
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError, errors_only
from sitegen.links import MdLinks, resolve_md_links
from sitegen.listing import HeldBack, held_back
from sitegen.model import Article, Site
from sitegen.views import Views, clock_state
from sitegen.workers import Progress, Workers


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
    sources: dict[str, str] = field(default_factory=dict)
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

    @property
    def pages(self) -> int:
        return len(self.written) + len(self.unchanged)


def build(config: Config, options: BuildOptions) -> BuildReport:
    """Build the whole site into the output folder; raise SitegenError with every problem."""
    output = (options.output or config.output_dir).resolve()
    # Held until the cache is saved too: its render table must describe this tree.
    with write.OutputLock(output):
        return _build_locked(config, options, output)


def _build_locked(config: Config, options: BuildOptions, output: Path) -> BuildReport:
    clock = _Clock()
    _stop_on(write.check_destination(output, config.root, readers.content_dir(config)))
    chain = themes.resolve_chain(config)
    _stop_on(write.check_cache_dir(config.cache_dir, output, [
        readers.static_dir(config), *(theme.path / "static" for theme in chain)]))
    cache_dir, unusable = cache.usable_dir(config.cache_dir) if options.use_cache else (None, [])
    store = cache.BuildCache(cache_dir, config.site.timezone, output)
    # The same list: warnings of saving the cache, at the end, reach the report too.
    store.warnings[:0] = unusable
    report = BuildReport(output, [], [], store.warnings, {})
    bytecode = cache_dir  # compiled templates are sealed outside it (sealed.py)
    with _bodies_folder(cache_dir, output) as held, \
            Workers(options.jobs, options.progress, chain, config.root, bytecode, held) as workers:
        articles, problems, keys = _read(config, store, workers, report, held)
        if options.keep_going or config.build.keep_going:
            articles, problems = _skip_bad(articles, problems, options.strict, report)
        # Checked with the built pages' links, so that every link problem shows at once.
        articles, md_links = resolve_md_links(articles, config)
        _stop_on(problems, options.strict)
        report.warnings.extend(p for p in problems if p.warning)
        clock.lap("read", report)
        selection = collect.Selection(options.now, options.drafts, options.future, options.expired)
        site, problems = collect.select_site(articles, config, selection, kinds.url_clashes)
        if options.keep_going or config.build.keep_going:  # a URL clash leaves one out
            articles, site, problems, clashed = collect.skip_clashes(
                articles, config, selection, site, problems, kinds.url_clashes)
            report.skipped += clashed
        report.held = held_back(articles, selection)
        _stop_on([*problems, *render.check_templates()], options.strict)
        report.warnings.extend(p for p in problems if p.warning)
        walked: list[Problem] = []
        static = static_safety.screen(
            themes.static_files(chain, readers.static_dir(config), walked), config, walked)
        if options.keep_going or config.build.keep_going:
            static, walked = _skip_bad_static(static, walked, options.strict, config, report)
        _stop_on(walked, options.strict)
        report.warnings.extend(walked)
        site_static = readers.static_dir(config)
        assets = themes.fingerprint(static)
        theme = cache.theme_stamp([t.path for t in chain])
        site_key = _site_key(config, output, theme, keys, static, site, options.now)
        if store.unchanged_site(site_key):
            # Nothing the output depends on changed since the last build into it.
            report.unchanged = sorted([*store.renders, *(store.static or ())])
            clock.lap("collect", report)
            # The same pages as the last build's: its link check's findings stand.
            checked = _check_links(config, {f: output / f for f in report.unchanged}, site,
                                   md_links, options, report, workers, store.directory,
                                   store.checked)
            store.finish(set(keys), store.renders, store.static or set(), site_key, checked)
            clock.lap("check", report)
            return report
        site = collect.relate(site)
        scratch = tempfile.TemporaryDirectory(prefix="sitegen-pictures-") if not (
            options.use_cache) else None
        folder = Path(scratch.name) if scratch else config.cache_dir / "pictures"
        plan = _pictures(config, site, static, folder, workers, report, options.reuse_output)
        clock.lap("pictures", report)
        views = Views(site, config, options.now,
                      {v.output: (folder / v.key).stat().st_size for v in plan.variants},
                      preview=options.preview)
        site_view = views.site_view(assets, themes.translations(chain, config.site.language),
                                    themes.merged_params(chain, config), options.now)
        # Pages are planned lazily and handed to the workers as they come, so the
        # contexts of a large archive are never all held at once.
        decision = deps.decide(deps.load(cache_dir, output), articles, keys, store.renders,
                               output, "\0".join(_site_parts(config, output, theme, static,
                                                             site, options.now)))
        staging = write.Staging(output)
        try:
            if decision.replan is not None:  # a body edit: every other file stays as it is
                for kept in set(store.renders) - decision.replan:
                    staging.keep_unchanged(kept)
            jobs = render.plan(site, config, site_view, views, options.now,
                               None if decision.replan is None else decision.replan.__contains__)
            clock.lap("collect", report)
            # The pages are a stream, counted only at its end: the last build's count, or
            # a page a source and term, is the progress display's estimate.
            expected = len(store.renders) or (len(site.articles) + len(site.pages) + len(
                site.sections) + len(site.tags) + len(site.authors))
            renders, owned, blocked = _render(jobs, theme, cache.digest(site_view), store,
                                              staging, workers, report, decision.state.shows,
                                              expected)
            if decision.replan is not None:
                renders = {**store.renders, **renders}
            # Before anything moves into the output: the previous output stays as it was.
            published = {assets[name]: themes.display_path(str(path), config.root)
                         for name, path in static.items()}
            _stop_on(claims.clashes([*owned, *hostfiles.alias_claims(site, config)], published,
                                    search.BUNDLE_DIR if config.build.search else None)
                     or blocked)
            clock.lap("render", report)
            for name, source in static.items():
                stand_in = plan.originals.get(name) if source.is_relative_to(site_static) else None
                staging.copy(assets[name], folder / stand_in.key if stand_in else source)
            for variant in plan.published:
                staging.copy(variant.output, folder / variant.key)
            if config.build.search:
                report.search_indexed = search.build_index(staging, config, site, renders,
                                                           store.directory, options.progress)
                clock.lap("search", report)
            checked = _check_links(config, {f: staging.current(f) for f in staging.keep}, site,
                                   md_links, options, report, workers, store.directory)
            clock.lap("check", report)
            store.forget_renders()
            deps.forget(cache_dir, output)
            previous = set(store.renders) | store.static if store.static is not None else None
            report.removed = staging.commit(previous)
        except BaseException:
            staging.discard()
            raise
        finally:
            if scratch:
                scratch.cleanup()
    report.written, report.unchanged = staging.written, staging.unchanged
    store.finish(set(keys), renders, staging.keep - set(renders) - {tree_files.MARKER}, site_key,
                 checked)
    deps.save(cache_dir, output, decision.state)
    limit = picture_cache.parse_size(config.images.cache_limit or "")
    if limit is not None and options.use_cache:
        # After the output holds its copies: an evicted variant is only made again.
        report.picture_cache = picture_cache.prune(folder, limit)
    clock.lap("write", report)
    return report


def _check_links(config: Config, files: dict[str, Path], site: Site, md_links: MdLinks,
                 options: BuildOptions, report: BuildReport, workers: Workers,
                 cache_dir: Path | None, known: list[Problem] | None = None) -> list[Problem]:
    """Every internal link, image and fragment of the new tree, before it replaces the
    output: warnings, or with --strict errors that leave the output as it was. The pages
    written are scanned by the workers, like they were rendered. `known`: what the check
    found in these very files before."""
    report.sources = page_sources(site)
    problems = known
    if problems is None:
        problems = check_site(config, files, report.sources, md_links, LinkIndex(
            cache_dir, report.output), _shown_output(report.output, config.root),
            functools.partial(workers.map, "check"))
    _stop_on(problems, options.strict)
    report.warnings.extend(problems)
    return problems


def _shown_output(output: Path, root: Path) -> str:
    return output.relative_to(root).as_posix() if output.is_relative_to(root) else str(output)


@contextlib.contextmanager
def _bodies_folder(cache_dir: Path | None, output: Path) -> Iterator[Path]:
    """Where article bodies are kept (bodies.py): the build cache's folder for this output,
    or a folder of this build's own without it."""
    if cache_dir is not None:
        yield bodies.folder_for(cache_dir, output)
        return
    with tempfile.TemporaryDirectory(prefix="sitegen-bodies-") as folder:
        yield Path(folder)


def _read_off_main(path: Path, config: Config, folder: Path) -> tuple[Article | None,
                                                                      list[Problem]]:
    """Read a source where it is converted (a worker) and keep its body on disk there."""
    article, problems = readers.read_source(path, config=config)
    if article is not None and article.body_html:
        article = dataclasses.replace(article, body_html="",
                                      body_ref=bodies.save(folder, article.body_html))
    return article, problems


def _read(config: Config, store: cache.BuildCache, workers: Workers, report: BuildReport,
          folder: Path) -> tuple[list[Article], list[Problem], dict[str, str]]:
    """Every source as an Article: from the cache when its key matches (and its body is
    still on disk), else parsed."""
    context = cache.read_context(config, cache.static_stamp(readers.static_dir(config)))
    found: dict[str, tuple[Article | None, list[Problem]]] = {}
    keys: dict[str, str] = {}
    pending: list[tuple[Path, str, str]] = []
    root = len(str(config.root)) + 1
    walked: list[Problem] = []
    for path in readers.discover(config, walked):
        relative = str(path)[root:].replace(os.sep, "/")
        stat = path.stat()
        key = store.stamp_key(relative, stat, context)
        if key is None:
            key = cache.read_key(path.read_bytes(), relative, context)
            store.remember_stamp(relative, stat, context, key)
        keys[relative] = key
        hit = store.article(relative, key)
        usable = bool(hit)
        if hit and hit[0].body_ref:  # and its body is still on disk, as it was stored
            usable = (kept := bodies.intact(folder, hit[0].body_ref)) is True
            if kept is False:
                report.warnings.append(Problem(relative, 0, bodies.CHANGED, warning=True))
        if hit and usable:
            found[relative] = hit
        else:
            pending.append((path, relative, key))
    read = functools.partial(_read_off_main, config=config, folder=folder)
    results = workers.map("read", read, [path for path, _, _ in pending])
    for (_, relative, key), (article, problems) in zip(pending, results, strict=True):
        found[relative] = (article, problems)
        report.parsed.append(relative)
        if article is not None:
            store.remember_article(relative, key, article, problems)
    if report.parsed:
        bodies.forget_others(folder, (a.body_ref for a, _ in found.values() if a is not None))
    articles, problems = [], walked
    for relative in sorted(found):
        article, article_problems = found[relative]
        problems.extend(article_problems)
        if article is not None:
            articles.append(article)
    return articles, problems, keys


def _skip_bad(articles: list[Article], problems: list[Problem], strict: bool,
              report: BuildReport) -> tuple[list[Article], list[Problem]]:
    """Leave out every source with an error (with --strict, a warning too); keep the rest."""
    bad = {p.path for p in problems if strict or not p.warning}
    report.skipped = [p for p in problems if p.path in bad]
    return ([a for a in articles if a.source not in bad],
            [p for p in problems if p.path not in bad])


def _skip_bad_static(static: dict[str, Path], problems: list[Problem], strict: bool,
                     config: Config, report: BuildReport) -> tuple[dict[str, Path],
                                                                   list[Problem]]:
    """Leave out every static file with an error (with --strict, a warning too)."""
    bad = {p.path for p in problems if strict or not p.warning}
    report.skipped.extend(p for p in problems if p.path in bad)
    return ({name: path for name, path in static.items()
             if themes.display_path(str(path), config.root) not in bad},
            [p for p in problems if p.path not in bad])


def _pictures(config: Config, site: Site, static: dict[str, Path], folder: Path,
              workers: Workers, report: BuildReport, reuse: Path | None) -> pictures.Plan:
    """Make the resized versions that are not in the folder yet (the build cache's
    `pictures/`, named by content, so an unchanged image is never decoded again)."""
    published = (*site.articles, *site.pages)
    site_static = readers.static_dir(config)
    plan = pictures.plan([a.image for a in published if a.image],
                         [p for a in published for p in a.pictures],
                         {n: p for n, p in static.items() if p.is_relative_to(site_static)},
                         config.images)
    dropped: list[str] = []
    jobs = pictures.missing(plan, site_static, folder, dropped)
    report.warnings.extend(Problem(f"{folder.name}/{name}", 0, pictures.CHANGED, warning=True)
                           for name in dropped)
    if reuse is not None and jobs:
        take = functools.partial(picture_reuse.take, found=picture_reuse.published(reuse, plan),
                                 folder=folder)
        left = list(workers.map("reusing", take, jobs, minimum=2))
        report.reused_images = picture_reuse.reused(jobs, left)
        jobs = [job for job in left if job[1]]
    make = functools.partial(pictures.make, folder=folder, settings=config.images)
    problems = []
    # Each job decodes one photo and encodes several files: worth a worker from two on.
    for (source, _), (_, error) in zip(jobs, workers.map("pictures", make, jobs, minimum=2),
                                       strict=True):
        relative = source.relative_to(config.root).as_posix()
        report.processed_images.append(relative)
        if error:
            problems.append(Problem(relative, 0, error))
    _stop_on(problems)
    if plan.work:
        picture_cache.remember_in_use(folder, (v.key for v in plan.variants))
    return plan


def _render(jobs: Iterable[render.Job], stamp: str, site_digest: str,
            store: cache.BuildCache, staging: write.Staging, workers: Workers,
            report: BuildReport, shows: dict[str, list[str]], expected: int = 0,
            ) -> tuple[dict[str, str], list[tuple[str, str]], list[Problem]]:
    """Render the jobs whose context or templates changed; keep the other files as they are.

    Returns each file's render key, (file, owner) of every planned file, and the files
    that another file or folder of the new tree was in the way of."""
    renders: dict[str, str] = {}
    owned: list[tuple[str, str]] = []
    blocked: list[Problem] = []

    def staged(action: Callable[[], object], relative: str) -> object:
        # The new tree is a real tree, so two claims on one path meet here first;
        # the claims check after rendering names both, and nothing has moved yet.
        try:
            return action()
        except (NotADirectoryError, IsADirectoryError, FileExistsError):
            blocked.append(Problem(relative, 0, "another output file or folder is in the way"))
            return False

    def needed() -> Iterator[render.Job]:
        for job in jobs:
            owned.append((job.output, job.owner))
            report.planned.append(job.output)
            if shown := deps.refs_shown(job.context):
                shows[job.output] = shown
            key = cache.render_key(stamp, job.templates, job.context, site_digest)
            renders[job.output] = key
            if not (store.unchanged_render(job.output, key)
                    and staged(functools.partial(staging.keep_unchanged, job.output), job.output)):
                yield job

    failures: list[Problem] = []
    render_job = functools.partial(_render_handed, output=staging.output,
                                   handoff=staging.handoff)
    for relative, handed, problems in workers.map("render", render_job, needed(),
                                                  expected=expected):
        failures.extend(problems)
        report.rendered.append(relative)
        if not problems and not failures:
            staged(functools.partial(staging.adopt, relative, handed), relative)
    _stop_on(render.once_each(failures))
    return renders, owned, blocked


def _render_handed(job: render.Job, output: Path, handoff: Path) -> tuple[
        str, str | None, list[Problem]]:
    """Render a page and write its file in the process that rendered it (a worker), so
    neither its bytes nor the body in them pass through the main process."""
    relative, data, problems = render.render_job(job)
    if data is None:
        return relative, None, problems
    return relative, tree_files.hand_over(output, handoff, relative, data), problems


def _site_key(config: Config, output: Path, theme: str, keys: dict[str, str],
              static: dict[str, Path], site: Site, now: dt.datetime) -> str:
    """Everything the output depends on: what `_site_parts` covers, and every source."""
    return cache.site_key(*_site_parts(config, output, theme, static, site, now),
                          repr(sorted(keys.items())))


def _site_parts(config: Config, output: Path, theme: str, static: dict[str, Path], site: Site,
                now: dt.datetime) -> list[str]:
    """What the output depends on apart from the sources' bytes: config, theme, the
    static files (name, size, time: what decides whether one is copied), and what the
    build time decides (what is published, the news sitemap's window, the year)."""
    stamps = [(name, (stat := path.stat()).st_size, stat.st_mtime_ns)
              for name, path in sorted(static.items())]
    return [repr(config), repr(output), theme, repr(stamps),
            repr([a.source for a in (*site.articles, *site.pages)]),
            repr([a.source for a in sitemaps.news_window(site, now)]), str(now.year),
            clock_state(site, config, now)]


def _stop_on(problems: Iterable[Problem], strict: bool = False) -> None:
    """Raise with all problems if any is an error (with --strict, a warning is one too)."""
    problems = list(problems)
    if problems and (strict or errors_only(problems)):
        raise SitegenError(problems)


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, name: str, report: BuildReport) -> None:
        now = time.perf_counter()
        report.timings[name] = now - self.last
        self.last = now

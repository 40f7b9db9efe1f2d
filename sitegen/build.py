"""Layer 7. The pipeline: the one place that knows the order of the stages.

Each stage is a plain function in a module named after what it does, which
receives facts and returns facts: site_stage (read, select, relate, the static
files and the key of everything the output depends on), output_stage (pictures,
merged pages, search, a shard's manifest), page_stage (views, which pages to
plan, rendering), link_stage (the link check), static_stage (copying static
files and pictures). Problems are collected per stage and stop the build after
it with every problem listed; a failed build leaves the previous output
untouched. `build` reads as the table of contents; the build state (state.py,
kept by cache.BuildCache and deps, opened and written by build_run) does the
bookkeeping between stages, and parallelism (workers.py) wraps them, so the
stages know nothing of either. serve's memory of the last build is last_build's.
"""

from __future__ import annotations

from pathlib import Path

from sitegen import (
    build_run,
    last_build,
    link_stage,
    nothing_changed,
    output_lock,
    output_stage,
    page_stage,
    site_stage,
    static_stage,
    write,
)
from sitegen.build_options import BuildOptions, BuildReport
from sitegen.config import Config

__all__ = ["BuildOptions", "BuildReport", "build"]


def build(config: Config, options: BuildOptions) -> BuildReport:
    """Build the whole site into the output folder; raise SitegenError with every problem.

    The table of contents: each line is a stage, a plain function; the build state
    (state.py, through cache.BuildCache) keeps the books between them."""
    output = (options.output or config.output_dir).resolve()
    try:
        return _build(config, options, output)
    except FileNotFoundError as exc:
        if not write.spare_file_gone(output, exc):
            raise
    return _build(config, options, output)  # every file of the spare tree checked


def _build(config: Config, options: BuildOptions, output: Path) -> BuildReport:
    # Held until the state is saved too: its records must describe this tree.
    with output_lock.OutputLock(output), build_run.open_state(options) as state:
        last = last_build.set_aside(state)
        guarded = build_run.guard(config, options, output, state)
        seen = nothing_changed.look(config, options, output, state, guarded)
        if seen is not None and seen.told is not None:  # the last build's answer holds
            return seen.told
        run = build_run.begin(config, options, output, state, guarded)
        with build_run.bodies_folder(run.cache_dir, output) as held, \
                build_run.start_workers(run, held) as workers:
            sources, md_links = site_stage.read(run, workers, held, seen)
            site = site_stage.select(run, sources)
            static = site_stage.static_files(run)
            if run.store.unchanged_site(site_stage.site_key(run, static, site, sources.keys)) \
                    and not run.parts:  # a shard's page may change with no source changed
                link_stage.recheck(run, site, md_links, workers, sources)  # nothing changed at all
                nothing_changed.record(run, seen, run.report.unchanged,
                                       nothing_changed.until(run, seen, sources.articles),
                                       sources.warnings)
                last_build.keep(state, last)
                return run.report
            site = site_stage.relate(run)
            with static_stage.pictures_folder(run.config, run.options.use_cache) as folder:
                plan = output_stage.pictures(run, site, static, folder, workers)
                run.lap("pictures")
                views, site_view = page_stage.views(run, site, static, plan, folder)
                with build_run.staged(output) as staging:  # discarded if the build fails
                    known, decision = page_stage.decide(run, sources, site, views, site_view,
                                                        staging)
                    renders = page_stage.render(run, site, views, site_view, decision,
                                                staging, workers, static)
                    static_stage.copy_files(run.config, static, plan, folder, staging)
                    output_stage.merged_pages(run, staging)
                    output_stage.search_index(run, site, renders, staging)
                    output_stage.manifest(run, site, sources, renders, staging, held)
                    # The Articles (and the pictures' plan's Images) let go before the
                    # link check, a build's largest peak.
                    left = site_stage.let_go(run, seen, sources, site, held, decision)
                    del site, views, site_view, plan
                    checked = link_stage.check_links(
                        run, link_stage.TreeFiles(staging), left.pages, md_links, workers,
                        written=last_build.written(state, staging))
                    run.store.forget_renders()  # until the state describes the new tree
                    run.report.removed = staging.commit(run.store.previous_files())
        build_run.remember(run, sources, renders, staging, checked, known, decision)
        nothing_changed.record(run, seen, staging.files(), left.holds, sources.warnings)
        last_build.replace(state, left.last)
        # Last: the picture variants' names are held as a list only from here.
        run.report.written, run.report.unchanged = staging.report()
    return run.report

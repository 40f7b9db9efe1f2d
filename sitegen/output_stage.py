"""Layer 6.98. What goes into the new tree besides the rendered pages, in a build, a shard
or a merge: the pictures' resized versions, the pages the shards made (a merge), the
search index of each edition, and a shard's manifest."""

from __future__ import annotations

from pathlib import Path

from sitegen import editions, merge, picture_plan, search, shards, static_stage, write
from sitegen.build_run import Run, search_placed
from sitegen.model import Site
from sitegen.sitefiles import StaticFiles
from sitegen.sources import Sources
from sitegen.workers import Workers


def pictures(run: Run, site: Site, static: StaticFiles, folder: Path,
              workers: Workers) -> picture_plan.Plan:
    """Encode the pictures the site shows that are neither in the folder nor in the output
    yet (a shard: those its own pages show; a merge: none, they are the shards')."""
    if run.parts:
        return merge.make_pictures(run.config, site, static, folder, run.parts)
    if run.options.shard:
        site = shards.pictures_site(site, run.options.shard)
    return static_stage.make_pictures(run.config, site, static, folder, workers, run.report,
                                      run.options.reuse_output,
                                      picture_plan.build_memo(run.state.memo, run.config.images),
                                      # --no-cache trusts nothing of the last build
                                      run.output if run.options.use_cache else None)


def merged_pages(run: Run, staging: write.Staging) -> None:
    """A merge: the pages (and search shards) the shards made, into the new tree."""
    if run.parts:
        for relative, source in merge.pages(run.parts):
            staging.copy(relative, source)


def manifest(run: Run, site: Site, sources: Sources, renders: dict[str, int],
              staging: write.Staging, held: Path) -> None:
    """A shard: its manifest, which lists its pages and search shards too."""
    if run.options.shard:
        bundles = tuple(editions.bundle(e.config) + "/" for e in run.editions)
        made = [*renders, *(f for f in staging.keep if f.startswith(bundles))]
        shards.write_manifest(staging, run.config, run.options.shard, run.options.selection,
                              site, sources.keys, made, held)


def search_index(run: Run, site: Site, renders: dict[str, int], staging: write.Staging) -> None:
    """The search index: a shard indexes the search shards that hold only its pages, the
    merge the others, and lists them all; each edition has its own index."""
    if run.config.build.search:
        for edition in run.editions:
            part = shards.search_part(run.options.shard) if run.options.shard else \
                merge.search_part(run.parts, edition.config, edition.site,
                                  editions.bundle(edition.config)) if run.parts \
                else None
            bundle = editions.bundle(edition.config)
            indexed = search.build_index(staging, edition.config, edition.site, renders,
                                         run.store.directory, run.options.progress, part, bundle,
                                         run.options.jobs, search_placed(run),
                                         run.search_placed, run.state)
            # Another edition's shards are named with its folder: en/pagefind/all.
            run.report.search_indexed += [f"{bundle}/{name}" if edition.config.edition
                                          else name for name in indexed]
        run.lap("search")

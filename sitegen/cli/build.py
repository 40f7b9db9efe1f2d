"""Layer 9.8. `sitegen build`: flags -> `BuildOptions`, the report -> the summary line.

The pipeline is imported when the build starts, not when the command is made,
so `sitegen build --help` (and every other command) loads none of it.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sitegen.cli.options import DEBUG, JOBS, SOURCE, parse_now
from sitegen.cli.running import report_problems, run, shown
from sitegen.errors import Problem, SitegenError
from sitegen.messages import ntr, tr

if TYPE_CHECKING:
    from sitegen import shards
    from sitegen.build import BuildReport
    from sitegen.config import Config
    from sitegen.listing import HeldBack

# A keep-going build that left files out: the site is written, but not all of it, so a
# CI can choose whether to deploy (1 stays "nothing was written").
SKIPPED_STATUS = 2


def _cluster_address(address: str | None) -> str:
    from sitegen.config import cluster_problem

    if address and (problem := cluster_problem(address)):
        raise SitegenError([Problem("--cluster", 0, problem)])
    return address or ""


@click.command("build")
@SOURCE
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: build.output_dir from sitegen.toml).")
@click.option("--drafts", is_flag=True, help="Include articles with draft: true.")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@click.option("--expired", is_flag=True, help="Include articles past their expires date.")
@click.option("--base-url", help="Override site.base_url, e.g. https://example.org/berita/.")
@JOBS
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-cache", is_flag=True, help="Neither use nor update the build cache.")
@click.option("--now", help="Build as of this time (ISO 8601), to preview scheduled articles.")
@click.option("--keep-going", "-k", is_flag=True,
              help="Skip the files with errors and publish the rest (exit status 2 if any).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every skipped file and problem to this JSON file (for CI).")
@click.option("--reuse-output", type=click.Path(file_okay=False, path_type=Path),
              help="Take picture variants already published in this folder (a previous "
                   "output, a copy of the deployed site) instead of encoding them again.")
@click.option("--shard", "shard_spec", metavar="K/N",
              help="Build only shard K of N (its articles' pages and pictures) and its "
                   "manifest, for a CI job matrix; default output: OUTPUT-shard-K-of-N.")
@click.option("--merge", "merge_dirs", multiple=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Make the site from the output folders of every shard (repeat the option "
                   "or list them): the pages that span shards, feeds, sitemaps, search.")
@click.argument("more_merge_dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("--cluster", "cluster_address", metavar="ADDRESS",
              help="Read, convert, encode and render on the workers of this Dask scheduler "
                   "(tcp://host:8786; default: build.cluster from sitegen.toml).")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also print the time of each stage, and every repeated problem.")
@DEBUG
def build_command(source: Path, output: Path | None, drafts: bool, future: bool, expired: bool,
                  base_url: str | None, jobs: int, strict: bool, no_cache: bool, now: str | None,
                  keep_going: bool, report_file: Path | None, reuse_output: Path | None,
                  shard_spec: str | None, merge_dirs: tuple[Path, ...],
                  more_merge_dirs: tuple[Path, ...], cluster_address: str | None, quiet: bool,
                  verbose: bool, debug: bool) -> None:
    """Build the site into the output folder."""

    def write_report(skipped: Any, warnings: Any, errors: Any = ()) -> None:
        from sitegen import problem_groups

        if report_file is None:
            return
        document = problem_groups.as_json(skipped, warnings, errors)
        try:
            report_file.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")
        except OSError as exc:
            raise SitegenError([Problem(str(report_file), 0, f"cannot write the report: "
                                        f"{exc.strerror or exc}")]) from None

    def action() -> BuildReport:
        from sitegen import progress, shards
        from sitegen.build import BuildOptions, build
        from sitegen.config import load_config

        # A build makes many long-lived objects and few reference cycles; the cyclic
        # collector's repeated passes over them cost ~15% of a cached build, and this
        # process ends right after it.
        gc.disable()
        started = time.perf_counter()
        config = load_config(source)
        if base_url:
            config = config.with_base_url(base_url)
        # On a terminal a bar; in a CI log a line every few seconds; nothing if --quiet.
        bar = None if quiet else progress.Display(sys.stderr, sys.stderr.isatty())
        shard, merging = sharding(config, shard_spec, merge_dirs, more_merge_dirs)
        if shard and output is None:
            target: Path | None = shards.default_output(config, shard)
        else:
            target = output.resolve() if output else None
        options = BuildOptions(now=parse_now(now, config), drafts=drafts, future=future,
                               expired=expired, strict=strict, jobs=jobs, output=target,
                               use_cache=not no_cache, keep_going=keep_going, progress=bar,
                               reuse_output=reuse_output.resolve() if reuse_output else None,
                               shard=shard, merge=merging,
                               cluster=_cluster_address(cluster_address) or config.build.cluster)
        try:
            report = build(config, options)
        finally:
            if bar:
                bar.clear()
        write_report(report.skipped, report.warnings)
        report_problems([*report.skipped, *report.warnings], verbose)
        if verbose:
            for stage, seconds in report.timings.items():
                click.echo(f"  {stage:<8} {seconds * 1000:8.1f} ms")
            click.echo(f"  {len(report.planned)} pages planned, {len(report.rendered)} rendered, "
                       f"{len(report.search_indexed)} search shards indexed")
        if not quiet and (report.reused_images or report.picture_cache):
            click.echo(_pictures_line(report))
        if not quiet:
            elapsed = time.perf_counter() - started
            click.echo(tr("sitegen: {pages} files in {folder} ({written} written, "
                          "{unchanged} unchanged, {removed} removed) in {seconds} s").format(
                pages=report.pages, folder=shown(report.output), written=len(report.written),
                unchanged=len(report.unchanged), removed=len(report.removed),
                seconds=f"{elapsed:.2f}") + _held_back(report.held, config.site.timezone))
        if report.skipped:
            files = len({p.path for p in report.skipped})
            click.echo(tr("sitegen: skipped {n} file(s) with problems and published the rest "
                          "(exit status 2)").format(n=files), err=True)
            sys.exit(SKIPPED_STATUS)
        return report

    run(debug, action, verbose,
        on_problems=lambda problems: write_report((), [p for p in problems if p.warning],
                                                  [p for p in problems if not p.warning]))


def sharding(config: Config, spec: str | None, merge_dirs: tuple[Path, ...],
             more: tuple[Path, ...]) -> tuple[shards.Shard | None, tuple[Path, ...]]:
    """--shard and --merge, checked: one or the other, and folders only with --merge."""
    from sitegen import shards

    if more and not merge_dirs:
        raise SitegenError([Problem(str(more[0]), 0, "unexpected argument: folders are given "
                                    "only to --merge (sitegen build --merge DIR DIR...)")])
    if spec is not None and merge_dirs:
        raise SitegenError([Problem("--shard", 0, "--shard builds one shard and --merge "
                                    "makes the site of all of them: use one per run")])
    merging = tuple(d.resolve() for d in (*merge_dirs, *more))
    return (shards.parse(spec) if spec is not None else None), merging


def _pictures_line(report: BuildReport) -> str:
    from sitegen import picture_cache

    parts = []
    if report.reused_images:
        parts.append(f"{report.reused_images} picture file(s) taken from --reuse-output")
    if report.picture_cache:
        pruned = report.picture_cache
        parts.append(f"picture cache {picture_cache.shown(pruned.after)}"
                     + (f" ({pruned.evicted} file(s) evicted over images.cache_limit)"
                        if pruned.evicted else ""))
    return "sitegen: " + "; ".join(parts)


def _held_back(held: HeldBack, timezone: str) -> str:
    """'; held back 2 drafts, 1 scheduled (next live ...)' for the summary line."""
    if not held.any:
        return ""
    from sitegen.listing import local_time

    parts = [ntr("{n} draft", "{n} drafts", held.drafts).format(n=held.drafts)] \
        if held.drafts else []
    if held.scheduled:
        parts.append(tr("{n} scheduled (the next goes live {when})").format(
            n=held.scheduled, when=local_time(held.next_live, timezone)))
    if held.expired:
        parts.append(tr("{n} expired").format(n=held.expired))
    return tr("; held back {what}").format(what=", ".join(parts))

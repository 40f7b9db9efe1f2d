"""Layer 10. The command line: flags -> options, problems -> `path:line: message`.

The only module that imports click. No traceback reaches the user unless
--debug asks for one.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
import time
import traceback
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sitegen import (
    __version__,
    ci_report,
    cms,
    cms_app,
    hosts,
    next_steps,
    picture_cache,
    problem_groups,
    progress,
    scaffold,
    shards,
)
from sitegen.build import BuildOptions, BuildReport, build
from sitegen.config import Config, cluster_problem, load_config
from sitegen.errors import Problem, SitegenError, os_problem
from sitegen.external import check_external
from sitegen.listing import KINDS, HeldBack, entries_of, local_time, read_entries
from sitegen.messages import ntr, tr
from sitegen.outside_requests import Allowed
from sitegen.serve import Preview, ServeOptions, exposure_warning
from sitegen.urls import slugify

# A keep-going build that left files out: the site is written, but not all of it, so a
# CI can choose whether to deploy (1 stays "nothing was written").
SKIPPED_STATUS = 2

SOURCE = click.option("--source", "-s", type=click.Path(file_okay=False, path_type=Path),
                      default=Path("."), show_default=True, help="The site's folder.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
@click.option("--debug", is_flag=True,
              help="Show a traceback on internal errors (also accepted after the command).")
def main(debug: bool) -> None:
    """sitegen: a static site generator for newsrooms."""


def _report_problems(problems: tuple[Problem, ...] | list[Problem],
                     verbose: bool = False) -> None:
    for line in problem_groups.lines(problems, verbose):
        click.echo(line, err=True)


def _run(debug: bool, action: Callable[[], Any], verbose: bool = False,
         on_problems: Callable[[tuple[Problem, ...]], None] | None = None) -> Any:
    """Run a command body, turning every failure into messages and exit status 1."""
    # `sitegen --debug build` sets the group's flag, `sitegen build --debug` the command's.
    debug = debug or bool(click.get_current_context().find_root().params.get("debug"))
    try:
        return action()
    except SitegenError as exc:
        problems = exc.problems
        if on_problems:
            try:
                on_problems(problems)
            except SitegenError as more:
                problems = (*problems, *more.problems)
        _report_problems(problems, verbose)
        errors = sum(1 for p in problems if not p.warning)
        click.echo(tr("sitegen: stopped with {n} problem(s); nothing was written").format(
            n=errors or len(problems)), err=True)
    except OSError as exc:
        if debug:
            traceback.print_exc()
        _report_problems([os_problem(exc)])
        click.echo(tr("sitegen: stopped; a build leaves the output folder as it was"), err=True)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(tr("sitegen: internal error: {error} (run with --debug for details and "
                      "please report it)").format(error=f"{type(exc).__name__}: {exc}"),
                   err=True)
    sys.exit(1)


def _parse_now(value: str | None, config: Config) -> dt.datetime:
    if not value:
        return dt.datetime.now(dt.UTC)
    from zoneinfo import ZoneInfo

    from sitegen.dates import to_aware

    moment = to_aware(value, ZoneInfo(config.site.timezone))
    if moment is None:
        raise SitegenError([Problem("--now", 0, tr("'{value}' is not a date such as "
                                                   "2026-11-28T06:00+07:00").format(
                                                       value=value))])
    return moment


def _cluster_address(address: str | None) -> str:
    if address and (problem := cluster_problem(address)):
        raise SitegenError([Problem("--cluster", 0, problem)])
    return address or ""


@main.command("build")
@SOURCE
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: build.output_dir from sitegen.toml).")
@click.option("--drafts", is_flag=True, help="Include articles with draft: true.")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@click.option("--expired", is_flag=True, help="Include articles past their expires date.")
@click.option("--base-url", help="Override site.base_url, e.g. https://example.org/berita/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default=True, help="Worker processes.")
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
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def build_command(source: Path, output: Path | None, drafts: bool, future: bool, expired: bool,
                  base_url: str | None, jobs: int, strict: bool, no_cache: bool, now: str | None,
                  keep_going: bool, report_file: Path | None, reuse_output: Path | None,
                  shard_spec: str | None, merge_dirs: tuple[Path, ...],
                  more_merge_dirs: tuple[Path, ...], cluster_address: str | None, quiet: bool,
                  verbose: bool, debug: bool) -> None:
    """Build the site into the output folder."""

    def write_report(skipped: Any, warnings: Any, errors: Any = ()) -> None:
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
        options = BuildOptions(now=_parse_now(now, config), drafts=drafts, future=future,
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
        _report_problems([*report.skipped, *report.warnings], verbose)
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
                pages=report.pages, folder=_shown(report.output), written=len(report.written),
                unchanged=len(report.unchanged), removed=len(report.removed),
                seconds=f"{elapsed:.2f}") + _held_back(report.held, config.site.timezone))
        if report.skipped:
            files = len({p.path for p in report.skipped})
            click.echo(tr("sitegen: skipped {n} file(s) with problems and published the rest "
                          "(exit status 2)").format(n=files), err=True)
            sys.exit(SKIPPED_STATUS)
        return report

    _run(debug, action, verbose,
         on_problems=lambda problems: write_report((), [p for p in problems if p.warning],
                                                   [p for p in problems if not p.warning]))


def sharding(config: Config, spec: str | None, merge_dirs: tuple[Path, ...],
             more: tuple[Path, ...]) -> tuple[shards.Shard | None, tuple[Path, ...]]:
    """--shard and --merge, checked: one or the other, and folders only with --merge."""
    if more and not merge_dirs:
        raise SitegenError([Problem(str(more[0]), 0, "unexpected argument: folders are given "
                                    "only to --merge (sitegen build --merge DIR DIR...)")])
    if spec is not None and merge_dirs:
        raise SitegenError([Problem("--shard", 0, "--shard builds one shard and --merge "
                                    "makes the site of all of them: use one per run")])
    merging = tuple(d.resolve() for d in (*merge_dirs, *more))
    return (shards.parse(spec) if spec is not None else None), merging


def _pictures_line(report: BuildReport) -> str:
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
    parts = [ntr("{n} draft", "{n} drafts", held.drafts).format(n=held.drafts)] \
        if held.drafts else []
    if held.scheduled:
        parts.append(tr("{n} scheduled (the next goes live {when})").format(
            n=held.scheduled, when=local_time(held.next_live, timezone)))
    if held.expired:
        parts.append(tr("{n} expired").format(n=held.expired))
    return tr("; held back {what}").format(what=", ".join(parts))


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@main.command("new")
@click.argument("title")
@click.option("--section", help="The section folder, e.g. ekonomi.")
@click.option("--page", is_flag=True, help="A standalone page in content/pages/ instead.")
@click.option("--author", "authors", multiple=True,
              help="The author's name (repeat it, or separate names with commas).")
@click.option("--tags", default="", help="Topics, separated by commas: 'Pangan, Harga'.")
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")
@SOURCE
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def new_command(title: str, section: str | None, page: bool, authors: tuple[str, ...],
                tags: str, edit: bool, source: Path, debug: bool) -> None:
    """Write a new draft article (or page) and print its path."""

    def action() -> None:
        config = load_config(source)
        names = tuple(n for a in authors for n in a.split(",") if n.strip()) or ("Redaksi",)
        folder = _section_folder(config, section) if section and not page else section
        if folder != section:
            click.echo(tr("sitegen: section '{given}' is the folder content/{folder}/").format(
                given=section, folder=folder), err=True)
        path = scaffold.new_article(config, title, folder, dt.datetime.now(dt.UTC), names,
                                    tuple(t for t in tags.split(",") if t.strip()), page)
        click.echo(_shown(path))
        if edit:
            try:
                click.edit(filename=str(path))
            except click.ClickException as exc:
                message = (f"{exc.message}: set EDITOR to your editor; the file is written: "
                           f"{_shown(path)}")
                raise SitegenError([Problem("$EDITOR", 0, message)]) from None

    _run(debug, action)


def _section_folder(config: Config, given: str) -> str:
    """The folder a section given by name means: `Ekonomi`, `ekonomi` and the title of
    [sections.ekonomi] all mean content/ekonomi/, so no second folder appears beside it."""
    content = config.root / "content"
    if (content / given).is_dir() or not given.strip():
        return given
    wanted = given.strip().casefold()
    folders = sorted(p.name for p in content.iterdir() if p.is_dir()) if content.is_dir() else []
    for name in folders:
        if name.casefold() == wanted:
            return name
    for slug, section in config.sections.items():
        if section.title.strip().casefold() == wanted:
            return slug
    slug = slugify(given)
    # A name no folder or title matches stays as given: scaffold refuses it with a hint.
    return slug if slug and (content / slug).is_dir() and slug not in ("pages", "static") \
        else given


@main.command("check")
@SOURCE
@click.option("--external", is_flag=True, help="Also check links to other sites (over HTTP).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds each outside link may take in all, redirects included "
                   "(with --external).")
@click.option("--allow-private", "allow_private", multiple=True, metavar="HOST[:PORT]|NETWORK",
              help="With --external, also ask this loopback, private or link-local host "
                   "(or network such as 10.0.0.0/8, or 'any'); refused otherwise. Repeatable.")
@click.option("--drafts", is_flag=True, help="Include drafts, to check them before they go out.")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default=True, help="Worker processes.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def check_command(source: Path, external: bool, timeout: float, allow_private: tuple[str, ...],
                  drafts: bool, future: bool, jobs: int, debug: bool) -> None:
    """Build the site aside and check every link, image, fragment and menu entry."""

    try:
        allowed = Allowed.parse(allow_private)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allow-private") from None

    def action() -> None:
        config = load_config(source)
        # Built beside the site like the preview, so output/ stays what `build` made.
        output = config.root / ".sitegen" / "check"
        report = build(config, BuildOptions(output=output, jobs=jobs, drafts=drafts,
                                            future=future))
        problems = list(report.warnings)
        if external:
            problems += check_external(config, output, report.sources, timeout,
                                       config.cache_dir, allowed=allowed)
        _report_problems(problems)
        if problems:
            click.echo(tr("sitegen: check found {n} problem(s) in {pages} files").format(
                n=len(problems), pages=report.pages), err=True)
            sys.exit(1)
        click.echo(tr("sitegen: check found no problems in {pages} files").format(
            pages=report.pages))

    _run(debug, action)


@main.command("list")
@click.argument("kind", type=click.Choice(KINDS))
@SOURCE
@click.option("--now", help="List as of this time (ISO 8601) instead of now.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def list_command(kind: str, source: Path, now: str | None, debug: bool) -> None:
    """List the drafts, the scheduled articles or the expired ones, with their times."""

    def action() -> None:
        config = load_config(source)
        entries, problems = read_entries(config)
        chosen = entries_of(kind, entries, _parse_now(now, config))
        zone = config.site.timezone
        times = [local_time(e.expires if kind == "expired" else e.date, zone) for e in chosen]
        width = max((len(e.source) for e in chosen), default=0)
        when = max(map(len, times), default=0)
        for entry, moment in zip(chosen, times, strict=True):
            click.echo(f"{moment:<{when}}  {entry.source:<{width}}  {entry.title}")
        if not chosen:
            click.echo(f"sitegen: no {'drafts' if kind == 'drafts' else kind + ' articles'}",
                       err=True)
        if problems:
            _report_problems(problems)
            sys.exit(1)

    _run(debug, action)


@main.command("import")
@click.argument("kind", type=click.Choice(["jekyll", "hugo", "wordpress"]))
@click.argument("old", metavar="SOURCE", type=click.Path(path_type=Path))
@SOURCE
@click.option("--uploads", type=click.Path(file_okay=False, path_type=Path),
              help="WordPress: the wp-content/uploads folder of the old site.")
@click.option("--section", "default_section", default="berita", show_default=True,
              help="The section of posts that have no category.")
@click.option("--dry-run", "-n", is_flag=True, help="Print what would be written; write nothing.")
@click.option("--keep-settings", is_flag=True,
              help="Keep sitegen.toml's language, time zone and base URL (a fresh site takes "
                   "the old site's).")
@click.option("--unknown-template", type=click.Choice(["text", "placeholder"]), default="text",
              show_default=True, help="Template code nothing converts: its text only, or a "
                                      "visible [name] placeholder.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def import_command(kind: str, old: Path, source: Path, uploads: Path | None,
                   default_section: str, dry_run: bool, keep_settings: bool,
                   unknown_template: str, debug: bool) -> None:
    """Import a Jekyll or Hugo site (its folder) or a WordPress export (WXR file) into
    the site; never overwrites a file, and writes import-report.txt."""

    def action() -> None:
        from sitegen.importers.run import ImportOptions, run_import

        config = load_config(source)
        options = ImportOptions(kind, old, dry_run, uploads, default_section, keep_settings,
                                unknown_template)
        report, name = run_import(config, options, click.echo)
        if not dry_run:
            click.echo(f"sitegen: imported from {old}: {report.summary()}; "
                       f"the details are in {name}")
        else:
            click.echo(report.text())
            click.echo(f"sitegen: dry run, nothing was written: {report.summary()}")

    _run(debug, action)


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", type=click.Choice(hosts.HOSTS), default="github", show_default=True,
              help="Where the site is served: the deploy pipeline and host files to write.")
@click.option("--repo", default="", metavar="OWNER/NAME",
              help="The site's repository, which the editors' CMS commits to.")
@click.option("--shards", "shard_count", type=int, default=0, metavar="N",
              help="With --host github: build as N shards in a job matrix, then merge "
                   "(for a very large archive).")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def init_command(directory: Path, host: str, repo: str, shard_count: int, debug: bool) -> None:
    """Create a new site in DIRECTORY that builds at once and deploys on HOST."""

    def action() -> None:
        created = scaffold.init_site(directory, host, repo, shard_count)
        config = load_config(directory)
        click.echo(f"sitegen: created a new site in {directory} ({len(created)} files).")
        if not cms.repository(config):
            click.echo("sitegen: warning: the CMS has no repository yet, so editors cannot sign "
                       "in: give --repo OWNER/NAME, or add it as [cms] repo (step 1 below)",
                       err=True)
        click.echo(f"Try it: cd {directory} && sitegen serve")
        click.echo(f"Next steps for {host}:")
        for line in next_steps.lines(str(directory), host, cms.repository(config),
                                     cms.backend_name(config), config.cms.auth_type,
                                     config.cms.base_url):
            click.echo(f"  {line}")

    _run(debug, action)


@main.group("cache")
def cache_group() -> None:
    """The build cache ([build] cache_dir)."""


@cache_group.command("prune")
@SOURCE
@click.option("--max-size", required=True,
              help="Keep the picture cache under this size, e.g. 4GB: unused files first, "
                   "then the oldest, are deleted.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def cache_prune_command(source: Path, max_size: str, debug: bool) -> None:
    """Trim the picture cache to a size (a CI cache has a limit: GitHub's is 10 GB)."""

    def action() -> None:
        limit = picture_cache.parse_size(max_size)
        if limit is None:
            raise SitegenError([Problem("--max-size", 0, f"'{max_size}' is not a size: write "
                                        "it such as 4GB or 500MB")])
        folder = load_config(source).cache_dir / "pictures"
        pruned = picture_cache.prune(folder, limit)
        click.echo(f"sitegen: picture cache {picture_cache.shown(pruned.after)} "
                   f"(was {picture_cache.shown(pruned.before)}; {pruned.evicted} file(s) "
                   f"evicted to stay under {picture_cache.shown(limit)})")

    _run(debug, action)


@main.command("admin")
@SOURCE
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def admin_command(source: Path, debug: bool) -> None:
    """Write the editors' CMS (content/static/admin/) again from sitegen.toml and the sections."""

    def action() -> None:
        written, notes = cms.write_admin(load_config(source))
        for path in written:
            click.echo(_shown(path))
        for note in notes:
            click.echo(f"sitegen: {note}", err=True)

    _run(debug, action)


@main.command("fetch-cms")
@SOURCE
@click.option("--from", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="A folder of `npm pack` tarballs of the same packages, instead of the npm "
                   "registry.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def fetch_cms_command(source: Path, folder: Path | None, debug: bool) -> None:
    """Put the CMS app (Sveltia CMS and its fonts, hash-checked) into content/static/admin/."""

    def action() -> None:
        config = load_config(source)
        path = cms_app.fetch(config.root / cms.ADMIN_DIR, folder)
        click.echo(f"sitegen: {_shown(path)} (Sveltia CMS {cms_app.SVELTIA_VERSION}, "
                   "hashes checked)")

    _run(debug, action)


@main.command("ci-report")
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--github", "ci", flag_value="github", help="Annotations, the job summary and "
              "the output `skipped` of GitHub Actions.")
@click.option("--gitlab", "ci", flag_value="gitlab", help="GitLab's Code Quality report "
              "(gl-code-quality-report.json) and the job log.")
@click.option("--status", type=int, default=0, show_default=True,
              help="The build's exit status (1: nothing was built, with --strict also for a "
                   "warning).")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def ci_report_command(report: Path, ci: str | None, status: int, debug: bool) -> None:
    """Show a build's --report where a CI run's readers look (the pipelines run it)."""

    def action() -> None:
        data = ci_report.read_report(report, status)
        if ci == "gitlab":
            shown = ci_report.write_gitlab(data, Path.cwd())
        elif ci == "github":
            shown = ci_report.write_github(data)
        else:
            shown = ci_report.summary_markdown(data).splitlines()
        for line in shown:
            click.echo(line)

    _run(debug, action)


@main.command("serve")
@SOURCE
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but a loopback one shows the preview to the network.")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
@click.option("--poll", is_flag=True,
              help="Poll for changes instead of OS events (Docker, network drives).")
@click.option("--no-drafts", is_flag=True,
              help="Leave out drafts and future articles, as the published site does.")
@click.option("--search", is_flag=True,
              help="Also build the search index (much slower rebuilds of big sites).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default=True, help="Worker processes for builds big enough to need them.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def serve_command(source: Path, host: str, port: int, open_browser: bool, poll: bool,
                  no_drafts: bool, search: bool, jobs: int, debug: bool) -> None:
    """Preview the site: build, serve, rebuild on every save and reload the browser."""

    def action() -> None:
        warning = exposure_warning(host)
        if warning:
            click.echo(warning, err=True)
        options = ServeOptions(host=host, port=port, drafts=not no_drafts, poll=poll,
                               search=search, jobs=jobs)
        preview = Preview(source, options,
                          echo=lambda message, problem: click.echo(message, err=problem))

        def ready() -> None:
            click.echo(tr("sitegen: serving {url} (Ctrl-C to stop)").format(url=preview.url))
            if open_browser:
                webbrowser.open(preview.url)

        preview.run(ready)

    _run(debug, action)

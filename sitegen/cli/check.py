"""Layer 9.8. `sitegen check` (the site built aside, its links checked) and
`sitegen ci-report` (a build's --report where a CI run's readers look)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sitegen.cli.options import DEBUG, JOBS, SOURCE
from sitegen.cli.running import report_problems, run
from sitegen.messages import tr


@click.command("check")
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
@JOBS
@DEBUG
def check_command(source: Path, external: bool, timeout: float, allow_private: tuple[str, ...],
                  drafts: bool, future: bool, jobs: int, debug: bool) -> None:
    """Build the site aside and check every link, image, fragment and menu entry."""

    from sitegen.outside_requests import Allowed

    try:
        allowed = Allowed.parse(allow_private)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allow-private") from None

    def action() -> None:
        from sitegen.build import BuildOptions, build
        from sitegen.config import load_config
        from sitegen.external import check_external

        config = load_config(source)
        # Built beside the site like the preview, so output/ stays what `build` made.
        output = config.root / ".sitegen" / "check"
        # --external needs every page's source, which the early answer does not keep.
        report = build(config, BuildOptions(output=output, jobs=jobs, drafts=drafts,
                                            future=future, early=not external))
        problems = list(report.warnings)
        if external:
            problems += check_external(config, output, report.sources, timeout,
                                       config.cache_dir, allowed=allowed)
        report_problems(problems)
        if problems:
            click.echo(tr("sitegen: check found {n} problem(s) in {pages} files").format(
                n=len(problems), pages=report.pages), err=True)
            sys.exit(1)
        click.echo(tr("sitegen: check found no problems in {pages} files").format(
            pages=report.pages))

    run(debug, action)


@click.command("ci-report")
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--github", "ci", flag_value="github", help="Annotations, the job summary and "
              "the output `skipped` of GitHub Actions.")
@click.option("--gitlab", "ci", flag_value="gitlab", help="GitLab's Code Quality report "
              "(gl-code-quality-report.json) and the job log.")
@click.option("--status", type=int, default=0, show_default=True,
              help="The build's exit status (1: nothing was built, with --strict also for a "
                   "warning).")
@DEBUG
def ci_report_command(report: Path, ci: str | None, status: int, debug: bool) -> None:
    """Show a build's --report where a CI run's readers look (the pipelines run it)."""

    def action() -> None:
        from sitegen import ci_report

        data = ci_report.read_report(report, status)
        if ci == "gitlab":
            shown = ci_report.write_gitlab(data, Path.cwd())
        elif ci == "github":
            shown = ci_report.write_github(data)
        else:
            shown = ci_report.summary_markdown(data).splitlines()
        for line in shown:
            click.echo(line)

    run(debug, action)

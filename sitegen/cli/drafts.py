"""Layer 9.8. `sitegen list`: the drafts, the scheduled articles or the expired ones."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sitegen.cli.options import DEBUG, SOURCE, parse_now
from sitegen.cli.running import report_problems, run
from sitegen.listing import KINDS


@click.command("list")
@click.argument("kind", type=click.Choice(KINDS))
@SOURCE
@click.option("--now", help="List as of this time (ISO 8601) instead of now.")
@DEBUG
def list_command(kind: str, source: Path, now: str | None, debug: bool) -> None:
    """List the drafts, the scheduled articles or the expired ones, with their times."""

    def action() -> None:
        from sitegen.config import load_config
        from sitegen.listing import entries_of, local_time, read_entries

        config = load_config(source)
        entries, problems = read_entries(config)
        chosen = entries_of(kind, entries, parse_now(now, config))
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
            report_problems(problems)
            sys.exit(1)

    run(debug, action)

"""Layer 9.8. `sitegen cache prune`: the build cache's pictures trimmed to a size."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli.options import DEBUG, SOURCE
from sitegen.cli.running import run
from sitegen.errors import Problem, SitegenError


@click.group("cache")
def cache_group() -> None:
    """The build cache ([build] cache_dir)."""


@cache_group.command("prune")
@SOURCE
@click.option("--max-size", required=True,
              help="Keep the picture cache under this size, e.g. 4GB: unused files first, "
                   "then the oldest, are deleted.")
@DEBUG
def cache_prune_command(source: Path, max_size: str, debug: bool) -> None:
    """Trim the picture cache to a size (a CI cache has a limit: GitHub's is 10 GB)."""

    def action() -> None:
        from sitegen import picture_cache
        from sitegen.config import load_config

        limit = picture_cache.parse_size(max_size)
        if limit is None:
            raise SitegenError([Problem("--max-size", 0, f"'{max_size}' is not a size: write "
                                        "it such as 4GB or 500MB")])
        folder = load_config(source).cache_dir / "pictures"
        pruned = picture_cache.prune(folder, limit)
        click.echo(f"sitegen: picture cache {picture_cache.shown(pruned.after)} "
                   f"(was {picture_cache.shown(pruned.before)}; {pruned.evicted} file(s) "
                   f"evicted to stay under {picture_cache.shown(limit)})")

    run(debug, action)

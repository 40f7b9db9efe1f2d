"""Layer 9.8. `sitegen admin` and `sitegen fetch-cms`: the editors' CMS, its
configuration and its app, in content/static/admin/."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli.options import DEBUG, SOURCE
from sitegen.cli.running import run, shown


@click.command("admin")
@SOURCE
@DEBUG
def admin_command(source: Path, debug: bool) -> None:
    """Write the editors' CMS (content/static/admin/) again from sitegen.toml and the sections."""

    def action() -> None:
        from sitegen import cms
        from sitegen.config import load_config

        written, notes = cms.write_admin(load_config(source))
        for path in written:
            click.echo(shown(path))
        for note in notes:
            click.echo(f"sitegen: {note}", err=True)

    run(debug, action)


@click.command("fetch-cms")
@SOURCE
@click.option("--from", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="A folder of `npm pack` tarballs of the same packages, instead of the npm "
                   "registry.")
@DEBUG
def fetch_cms_command(source: Path, folder: Path | None, debug: bool) -> None:
    """Put the CMS app (Sveltia CMS and its fonts, hash-checked) into content/static/admin/."""

    def action() -> None:
        from sitegen import cms, cms_app
        from sitegen.config import load_config

        config = load_config(source)
        path = cms_app.fetch(config.root / cms.ADMIN_DIR, folder)
        click.echo(f"sitegen: {shown(path)} (Sveltia CMS {cms_app.SVELTIA_VERSION}, "
                   "hashes checked)")

    run(debug, action)

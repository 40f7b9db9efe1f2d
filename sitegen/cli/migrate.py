"""Layer 9.8. `sitegen import`: a Jekyll or Hugo site or a WordPress export, moved in."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli.options import DEBUG, SOURCE
from sitegen.cli.running import run


@click.command("import")
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
@DEBUG
def import_command(kind: str, old: Path, source: Path, uploads: Path | None,
                   default_section: str, dry_run: bool, keep_settings: bool,
                   unknown_template: str, debug: bool) -> None:
    """Import a Jekyll or Hugo site (its folder) or a WordPress export (WXR file) into
    the site; never overwrites a file, and writes import-report.txt."""

    def action() -> None:
        from sitegen.config import load_config
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

    run(debug, action)

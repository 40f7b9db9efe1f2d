"""Layer 9.8. `sitegen new` and `sitegen init`: a new article or page, a new site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sitegen.cli.options import DEBUG, SOURCE
from sitegen.cli.running import run, shown
from sitegen.config_schema import DEPLOY_HOSTS
from sitegen.errors import Problem, SitegenError
from sitegen.messages import tr

if TYPE_CHECKING:
    from sitegen.config import Config


@click.command("new")
@click.argument("title")
@click.option("--section", help="The section folder, e.g. ekonomi.")
@click.option("--page", is_flag=True, help="A standalone page in content/pages/ instead.")
@click.option("--author", "authors", multiple=True,
              help="The author's name (repeat it, or separate names with commas).")
@click.option("--tags", default="", help="Topics, separated by commas: 'Pangan, Harga'.")
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")
@SOURCE
@DEBUG
def new_command(title: str, section: str | None, page: bool, authors: tuple[str, ...],
                tags: str, edit: bool, source: Path, debug: bool) -> None:
    """Write a new draft article (or page) and print its path."""

    def action() -> None:
        from sitegen import scaffold
        from sitegen.config import load_config

        config = load_config(source)
        names = tuple(n for a in authors for n in a.split(",") if n.strip()) or ("Redaksi",)
        folder = _section_folder(config, section) if section and not page else section
        if folder != section:
            click.echo(tr("sitegen: section '{given}' is the folder content/{folder}/").format(
                given=section, folder=folder), err=True)
        path = scaffold.new_article(config, title, folder, dt.datetime.now(dt.UTC), names,
                                    tuple(t for t in tags.split(",") if t.strip()), page)
        click.echo(shown(path))
        if edit:
            try:
                click.edit(filename=str(path))
            except click.ClickException as exc:
                message = (f"{exc.message}: set EDITOR to your editor; the file is written: "
                           f"{shown(path)}")
                raise SitegenError([Problem("$EDITOR", 0, message)]) from None

    run(debug, action)


def _section_folder(config: Config, given: str) -> str:
    """The folder a section given by name means: `Ekonomi`, `ekonomi` and the title of
    [sections.ekonomi] all mean content/ekonomi/, so no second folder appears beside it."""
    from sitegen.urls import slugify

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


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", type=click.Choice(DEPLOY_HOSTS), default="github", show_default=True,
              help="Where the site is served: the deploy pipeline and host files to write.")
@click.option("--repo", default="", metavar="OWNER/NAME",
              help="The site's repository, which the editors' CMS commits to.")
@click.option("--shards", "shard_count", type=int, default=0, metavar="N",
              help="With --host github: build as N shards in a job matrix, then merge "
                   "(for a very large archive).")
@DEBUG
def init_command(directory: Path, host: str, repo: str, shard_count: int, debug: bool) -> None:
    """Create a new site in DIRECTORY that builds at once and deploys on HOST."""

    def action() -> None:
        from sitegen import cms, next_steps, scaffold
        from sitegen.config import load_config

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

    run(debug, action)

"""Layer 9.8. `sitegen serve`: the live preview."""

from __future__ import annotations

import os
from pathlib import Path

import click

from sitegen.cli.options import DEBUG, SOURCE
from sitegen.cli.running import run
from sitegen.messages import tr


@click.command("serve")
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
@DEBUG
def serve_command(source: Path, host: str, port: int, open_browser: bool, poll: bool,
                  no_drafts: bool, search: bool, jobs: int, debug: bool) -> None:
    """Preview the site: build, serve, rebuild on every save and reload the browser."""

    def action() -> None:
        import webbrowser

        from sitegen.preview_options import exposure_warning
        from sitegen.serve import Preview, ServeOptions

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

    run(debug, action)

"""Layer 10. The command line: flags -> options, problems -> `path:line: message`.

The only package that imports click. No traceback reaches the user unless
--debug asks for one.

This module is the `sitegen` group; each family of commands is a module beside
it (`COMMANDS`), imported only when one of its commands runs or a help text
lists it, and a command imports the stages it needs inside its function. So
`sitegen build --help` loads no stage of the pipeline, and `sitegen build`
none of serve, the CMS, the importers or the scaffold.
"""

from __future__ import annotations

import importlib

import click

from sitegen import __version__

# Each command's name -> the module under sitegen/cli/ that makes it, and its name there.
COMMANDS: dict[str, tuple[str, str]] = {
    "admin": ("cms", "admin_command"),
    "build": ("build", "build_command"),
    "cache": ("cache", "cache_group"),
    "check": ("check", "check_command"),
    "ci-report": ("check", "ci_report_command"),
    "fetch-cms": ("cms", "fetch_cms_command"),
    "import": ("migrate", "import_command"),
    "init": ("create", "init_command"),
    "list": ("drafts", "list_command"),
    "new": ("create", "new_command"),
    "serve": ("serve", "serve_command"),
}


class _Commands(click.Group):
    """The group, with each command's module imported the first time it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, name = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"sitegen.cli.{module}"), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in COMMANDS:
            # No such command: every one is loaded, so click's "Did you mean 'build'?"
            # chooses among them all, as it did when they were all made at start.
            for name in COMMANDS:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
@click.option("--debug", is_flag=True,
              help="Show a traceback on internal errors (also accepted after the command).")
def main(debug: bool) -> None:
    """sitegen: a static site generator for newsrooms."""

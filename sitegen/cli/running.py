"""Layer 9.7. Running a command's body: every failure becomes `path:line: message`
lines and exit status 1, and no traceback reaches the user unless --debug asks."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sitegen import problem_groups
from sitegen.errors import Problem, SitegenError, os_problem
from sitegen.messages import tr


def report_problems(problems: tuple[Problem, ...] | list[Problem],
                    verbose: bool = False) -> None:
    for line in problem_groups.lines(problems, verbose):
        click.echo(line, err=True)


def run(debug: bool, action: Callable[[], Any], verbose: bool = False,
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
        report_problems(problems, verbose)
        errors = sum(1 for p in problems if not p.warning)
        click.echo(tr("sitegen: stopped with {n} problem(s); nothing was written").format(
            n=errors or len(problems)), err=True)
    except OSError as exc:
        if debug:
            traceback.print_exc()
        report_problems([os_problem(exc)])
        click.echo(tr("sitegen: stopped; a build leaves the output folder as it was"), err=True)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(tr("sitegen: internal error: {error} (run with --debug for details and "
                      "please report it)").format(error=f"{type(exc).__name__}: {exc}"),
                   err=True)
    sys.exit(1)


def shown(path: Path) -> str:
    """A path as the user is shown it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)

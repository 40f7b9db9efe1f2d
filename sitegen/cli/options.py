"""Layer 9.7. The options several commands share, and the --now they parse alike."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sitegen.errors import Problem, SitegenError
from sitegen.messages import tr

if TYPE_CHECKING:
    from sitegen.config import Config

SOURCE = click.option("--source", "-s", type=click.Path(file_okay=False, path_type=Path),
                      default=Path("."), show_default=True, help="The site's folder.")
DEBUG = click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
JOBS = click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1,
                    show_default=True, help="Worker processes.")


def parse_now(value: str | None, config: Config) -> dt.datetime:
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

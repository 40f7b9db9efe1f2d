"""Layer 8.6. What the live preview runs with: its options, its warning, its config.

The preview (serve.py) builds the site as the writer has it, but not as it is
published: into a folder of its own, at its own address, without host files,
and without the search index unless asked. Those choices live here, apart from
the thread that runs the builds, so that what the preview changes about a site
can be read in one place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import Config
from sitegen.config_schema import DeployConfig
from sitegen.watch import QUIET

SERVE_DIR = Path(".sitegen") / "serve"
FOLLOW = 1.0
"""Seconds of no new save after a body edit's pages were shown before the build they owe
(the search index, the link check): a writer saving every few seconds is not kept
waiting for the build of the save before."""
OWED_AT_MOST = 10.0
"""Seconds after which an owed build runs even while saves keep coming."""


@dataclass(frozen=True)
class ServeOptions:
    """How the preview runs; the CLI's flags, and a fixed clock for tests."""

    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = True
    """Include drafts and future articles: writers preview what is not published yet."""
    poll: bool = False
    search: bool = False
    """Build the search index. Off by default: Pagefind reads every page again on each
    build, which makes a rebuild of a big site many times slower."""
    jobs: int = os.cpu_count() or 1
    """Worker processes; build() starts them only for builds big enough to gain from them."""
    now: dt.datetime | None = None
    """The preview's clock (expiry, the footer's year), fixed for the session: a clock that
    moved would change every page and so defeat the build cache. None: when serving starts."""
    quiet: float = QUIET
    follow: float = FOLLOW
    """Seconds without a save after body edits were shown before the build they owe."""


def exposure_warning(host: str) -> str | None:
    """A warning when the preview (drafts included) can be reached from other machines."""
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return (f"sitegen: warning: listening on {host}: the preview, drafts included, is visible "
            "to other machines on the network")


def preview_url(host: str, port: int) -> str:
    """The address a browser opens for a preview listening on `host` and `port`."""
    if host in {"", "0.0.0.0", "::"}:
        host = "127.0.0.1"  # a wildcard is not an address a browser can open
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/"


def preview_config(config: Config, url: str, search: bool) -> Config:
    """The site's config as the preview builds it: served at `url`, and the search index
    only when asked for."""
    config = config.with_base_url(url)
    # The preview serves no host files: aliases stay redirect pages it can serve.
    config = dataclasses.replace(config, deploy=DeployConfig())
    if not search:
        config = dataclasses.replace(
            config, build=dataclasses.replace(config.build, search=False))
    return config

"""Layer 7. `sitegen check --external`: links to other sites still answer.

Each distinct outside URL of the built site (http and https, fragment left
off) is asked once, a few at a time, with HEAD, and with GET where a server
refuses HEAD. Redirects are followed, within the limits of outside_requests.py
(public http(s) addresses only, one deadline per URL, no body read). A URL
that answered well is remembered in the cache for a day, so a second run asks
only the new and the failing ones; a failure is always asked again, since it
may have been passing.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sitegen import __version__, cache
from sitegen.config import CONFIG_NAME, Config
from sitegen.errors import Problem
from sitegen.link_index import LinkIndex
from sitegen.link_locations import Locator, read_lines
from sitegen.link_scan import scan_file
from sitegen.link_targets import Resolver
from sitegen.links import MdLinks, line_of
from sitegen.outside_requests import Allowed, Asker
from sitegen.state import BuildState

CACHE_NAME = "external.json"
REMEMBER_SECONDS = 24 * 3600
CONNECTIONS = 8
USER_AGENT = f"sitegen-link-check/{__version__}"


def check_external(config: Config, output: Path, sources: Mapping[str, str], timeout: float,
                   cache_dir: Path | None, now: float | None = None,
                   allowed: Allowed | None = None) -> list[Problem]:
    """A warning, at its source line, for every outside link that content files and the
    menu wrote and that does not answer well within `timeout` seconds in all, or that
    may not be asked (outside_requests.py: only public http(s) addresses, unless
    `allowed`)."""
    now = time.time() if now is None else now
    state = BuildState()
    state.attach(cache_dir, cache.salt())
    index = LinkIndex(state, output)
    files = {p.relative_to(output).as_posix(): p for p in sorted(output.rglob("*.html"))}
    resolver = Resolver(config, files)
    locate = Locator(config, sources, MdLinks())
    # Only what editors wrote: the theme's own outside links (share buttons) carry
    # each page's address, and asking them would be a request per page per network.
    used: dict[str, list[tuple[str, int, str]]] = {}
    for relative in (relative for relative in files if relative in sources):
        entry = index.current(relative, files[relative], verify=True)
        refs = entry[1] if entry else scan_file(str(files[relative]))[0]
        for value in refs:
            if isinstance(resolver.resolve(relative, value), str):
                source, line = locate.line(relative, value)
                if line:
                    used.setdefault(value.split("#", 1)[0], []).append((source, line, value))
    state.close()
    menu = read_lines(config.root / CONFIG_NAME)
    for item in config.menu:
        if isinstance(resolver.resolve("index.html", item.url), str):
            used.setdefault(item.url.split("#", 1)[0], []).append(
                (CONFIG_NAME, line_of(menu, f'"{item.url}"'), item.url))
    remembered = _load(cache_dir)
    fresh = {url: at for url, at in remembered.items() if now - at < REMEMBER_SECONDS}
    asking = sorted(url for url in used if url not in fresh)
    asker = Asker(timeout, allowed or Allowed(), USER_AGENT)
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        answers = dict(zip(asking, pool.map(asker.ask, asking), strict=True))
    problems = []
    for url, failure in sorted(answers.items()):
        if failure is None:
            fresh[url] = now
            continue
        for source, line, _ in used[url]:
            problems.append(Problem(source, line, f"outside link {url}: {failure}",
                                    warning=True))
    _save(cache_dir, fresh)
    return sorted(set(problems))


def _load(cache_dir: Path | None) -> dict[str, float]:
    if cache_dir is None:
        return {}
    try:
        data = json.loads((cache_dir / CACHE_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, (int, float))}


def _save(cache_dir: Path | None, answered: dict[str, float]) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_dir / (CACHE_NAME + ".tmp")
        temporary.write_text(json.dumps(answered, sort_keys=True, indent=0), "utf-8")
        os.replace(temporary, cache_dir / CACHE_NAME)
    except OSError:
        pass  # the cache only saves time

"""Layer 4.8. Pagefind run over a search shard's pages, as many processes at once as the
build has jobs: the binary found, the pages linked into one folder, its entry file made
stable, a failure told as the config's problem.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pagefind.service import get_executable

from sitegen.config import CONFIG_NAME
from sitegen.errors import Problem, SitegenError

# A sample-site index takes well under a second; this only stops a hung process.
TIMEOUT_SECONDS = 600


class Indexer:
    """Pagefind over the shards to index, `jobs` processes at a time (threads, each waiting
    on its process): each run is small and mostly single-threaded, so one at a time left
    the other cores idle, and the build digests the next shards' pages and keeps the
    finished ones meanwhile. Leaving it waits for the running ones and starts no other
    (after a failure)."""

    def __init__(self, command: list[str], current: Callable[[str], Path], work: Path,
                 strip: str, jobs: int) -> None:
        self.command, self.current, self.work, self.strip = command, current, work, strip
        self.pool = ThreadPoolExecutor(max(1, jobs), thread_name_prefix="pagefind")
        self.running: dict[str, Future[Path]] = {}

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def start(self, name: str, members: list[str]) -> None:
        self.running[name] = self.pool.submit(index_shard, self.command, self.current,
                                              members, self.work / name, self.strip)

    def result(self, name: str) -> Path:
        """The shard's fresh bundle (or its failure, raised)."""
        return self.running.pop(name).result()


def index_shard(command: list[str], current: Callable[[str], Path], members: list[str],
                work: Path, strip: str = "") -> Path:
    """Run Pagefind over one shard's pages; return the folder of the bundle it wrote."""
    # Pagefind needs the pages as one folder: hard links to each page's current bytes make
    # one cheaply, beside the staging tree so that linking works (output_lock.recover
    # cleans it up after a killed build).
    pages, bundle = work / "pages", work / "bundle"
    for relative in members:
        _link(current(relative), pages / relative.removeprefix(strip))
    try:
        finished = subprocess.run(
            [*command, "--site", str(pages), "--output-path", str(bundle), "--silent"],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _failure(f"could not run {command[0]}: {exc}") from None
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip().splitlines()
        raise _failure(f"pagefind exited with status {finished.returncode}"
                       + (f": {' '.join(detail[-3:])}" if detail else ""))
    if not any(p.is_file() for p in bundle.rglob("*")):
        raise _failure("pagefind wrote no index")
    entry = bundle / "pagefind-entry.json"
    if entry.is_file():
        entry.write_bytes(_stable_entry(entry.read_bytes()))
    shutil.rmtree(pages)
    return bundle


def pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _stable_entry(data: bytes) -> bytes:
    """Pagefind lists the languages of a multilingual site (an article with its own
    `lang`) in a different order on every run; sorted, the file depends on the pages only."""
    entry = json.loads(data)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pagefind_command() -> list[str]:
    """The Pagefind binary from the installed wheel (or $PAGEFIND_BINARY_PATH)."""
    executable = get_executable()
    if executable is None:
        raise _failure("the pagefind binary was not found: pip install 'pagefind[extended]'")
    return [str(executable)]


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _failure(reason: str) -> SitegenError:
    return SitegenError([Problem(CONFIG_NAME, 0, f"building the search index failed: {reason} "
                                 "(set `search = false` under [build] to build without search)")])

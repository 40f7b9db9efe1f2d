"""Layer 5. The full-text search index: Pagefind, run over the finished pages.

Pagefind (PyPI `pagefind[extended]`, whose wheel carries the binary) reads
the HTML the build wrote and writes an index plus its JavaScript beside the
pages, in pagefind/. Search then runs in the reader's browser: no server,
and no request to any other host. Only what templates mark with
`data-pagefind-body` is indexed (the default theme marks articles and
standalone pages); `<html lang>` picks the word stemming, Indonesian for `id`.

The index is written to a folder of its own and then passed through the
staging tree like every page, so an unchanged index file keeps its previous
copy and its modification time. (Pagefind filters are left unused for that
reason: Pagefind writes them in a different order on every run.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Protocol

from pagefind.service import get_executable

from sitegen.config import CONFIG_NAME, Config
from sitegen.errors import Problem, SitegenError

BUNDLE_DIR = "pagefind"
# A sample-site index takes well under a second; this only stops a hung process.
TIMEOUT_SECONDS = 600


class Output(Protocol):
    """What this step needs of write.Staging: the new tree is the previous output folder,
    minus what the build no longer writes, with the changed files in `dir` on top."""

    dir: Path
    output: Path
    keep: set[str]
    """Every file of the new tree, relative to the output folder."""
    def current(self, relative: str) -> Path: ...

    def write(self, relative: str, data: bytes) -> None: ...


def build_index(staging: Output, config: Config) -> None:
    """Index the pages of the new tree and add the bundle to it; raise SitegenError on failure."""
    command = pagefind_command()
    # Pagefind needs the pages as one folder: hard links to each page's current bytes make
    # one cheaply, beside the staging tree so that linking works (write.py cleans it up
    # after a killed build).
    with tempfile.TemporaryDirectory(prefix=".sitegen-search-", dir=staging.dir.parent) as work:
        pages, bundle = Path(work) / "pages", Path(work) / "bundle"
        for relative in sorted(staging.keep):
            if relative.endswith(".html"):
                _link(staging.current(relative), pages / relative)
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
        files = sorted(p for p in bundle.rglob("*") if p.is_file())
        if not files:
            raise _failure("pagefind wrote no index")
        for path in files:
            data = path.read_bytes()
            if path.name == "pagefind-entry.json":
                data = _stable_entry(data)
            staging.write(f"{BUNDLE_DIR}/{path.relative_to(bundle).as_posix()}", data)


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

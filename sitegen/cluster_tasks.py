"""Layer 6.3. What a Dask worker does for a build on a cluster (cluster.py is the client's side).

A worker shares no disk with the machine that builds: everything it needs travels
to it, and everything it makes travels back.

- Once per worker, the site's files that the work reads besides the sources (the
  static folder, which holds the pictures, and the theme chain's templates) arrive
  in a WorkerPlugin, with the config and the theme chain. The plugin writes them
  into the worker's own local directory, under the digest of what it holds, and the
  config and chain are pointed at that copy. Dask gives the plugin to every worker,
  also to one that joins (or replaces a dead one) in the middle of a build.
- Each task carries its items: a source's bytes, a page's render job with its body
  inlined, a picture's recipe. It returns plain data: the Article with its body, a
  page's bytes, a picture's encoded files. The client stores and writes them.

The functions here run the very code that a local worker process runs (readers,
render, pictures), on that copy, so the bytes are the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import platform
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from sitegen import __version__, messages, pictures, readers, render
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.model import Article, Job
from sitegen.themes import Theme

THEMES_FOLDER = ".sitegen-themes"
"""Where a worker's copy of the site keeps the theme chain (each theme's templates)."""


@dataclasses.dataclass(frozen=True)
class SiteFiles:
    """What every worker needs once: files by their path relative to the site's root
    (the chain's templates under THEMES_FOLDER), the config and the theme chain."""

    digest: str
    site: str
    """Names the site (its folder on the building machine): a site's plugin replaces its
    previous one, whose copy each worker then deletes, and leaves other sites' alone."""
    files: dict[str, bytes]
    config: Config
    chain: tuple[Theme, ...]
    """The client's chain: each theme's name and params (paths point at the client's disk)."""


@dataclasses.dataclass(frozen=True)
class _Copy:
    root: Path
    config: Config
    chain: tuple[Theme, ...]


_copies: dict[str, _Copy] = {}
_rendering = threading.Lock()
_environment_of = [""]  # the digest whose templates render.init_worker was given


class SiteFilesPlugin(WorkerPlugin):
    """Writes a site's files into each worker's local directory (see the module's doc)."""

    def __init__(self, files: SiteFiles) -> None:
        self.files = files
        self.name = f"sitegen-site-{files.site}"

    def setup(self, worker: Any) -> None:
        unpack(self.files, Path(worker.local_directory))

    def teardown(self, worker: Any) -> None:
        copy = _copies.pop(self.files.digest, None)
        if copy is not None:
            shutil.rmtree(copy.root, ignore_errors=True)


def theme_folder(index: int, theme: Theme) -> str:
    return f"{THEMES_FOLDER}/{index}-{theme.name}"


def unpack(files: SiteFiles, base: Path) -> _Copy:
    """The worker's copy of the site's files (written once per digest)."""
    root = (base / "sitegen-sites" / files.digest[:24]).resolve()
    if not root.is_dir():
        scratch = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=base))
        for relative, data in files.files.items():
            target = scratch / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (scratch / readers.content_dir(files.config).relative_to(files.config.root)).mkdir(
            exist_ok=True)
        root.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(scratch, root)
        except OSError:  # another thread of this worker was first
            shutil.rmtree(scratch, ignore_errors=True)
    chain = tuple(dataclasses.replace(theme, path=root / theme_folder(index, theme))
                  for index, theme in enumerate(files.chain))
    copy = _Copy(root, dataclasses.replace(files.config, root=root), chain)
    _copies[files.digest] = copy
    return copy


def has_copy(digest: str) -> bool:
    return digest in _copies


def _copy(digest: str) -> _Copy:
    try:
        return _copies[digest]
    except KeyError:
        raise RuntimeError(f"this worker has no copy of the site {digest[:12]}: its plugin "
                           "did not run") from None


def _speak(environment: dict[str, str | None]) -> None:
    """The client's message language (messages.py reads it from the environment)."""
    for name, value in environment.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def message_environment() -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in messages._ENVIRONMENT}


# --- the tasks -------------------------------------------------------------------

def read_chunk(digest: str, environment: dict[str, str | None],
               skip_body: Callable[[str], bool] | None,
               sources: list[tuple[str, bytes]]
               ) -> list[tuple[Article | None, list[Problem], tuple[str, ...]]]:
    """Read and convert sources given as (path relative to the site, bytes); each Article
    keeps its body's HTML, which the client stores (bodies.py). `skip_body`: as
    readers.read_source's (a shard's). With each, the static files its reading asked about.
    """
    copy = _copy(digest)
    _speak(environment)
    results = []
    for relative, data in sources:
        # readers.read_source reads a path: the source is there only while it is read.
        path = copy.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
        scratch.write_bytes(data)
        os.replace(scratch, path)
        try:
            results.append(readers.read_asking(path, copy.config, skip_body))
        finally:
            path.unlink(missing_ok=True)
    return results


def render_chunk(digest: str, environment: dict[str, str | None],
                 jobs: list[Job]) -> list[tuple[str, bytes | None, list[Problem]]]:
    """Render jobs whose bodies the client inlined (cluster_payloads.inline_bodies)."""
    copy = _copy(digest)
    _speak(environment)
    # render keeps one environment per process; threads of one worker share it (the GIL
    # lets one render at a time anyway).
    with _rendering:
        if _environment_of[0] != digest:
            render.init_worker(copy.chain, copy.root, None, None)
            _environment_of[0] = digest
        return [render.render_job(job) for job in jobs]


def pictures_chunk(digest: str, settings: pictures.Settings,
                   jobs: list[tuple[str, tuple[pictures.Variant, ...]]]
                   ) -> list[tuple[list[str], str, dict[str, bytes]]]:
    """Encode pictures of the site's static folder (given relative to the site): (the keys
    made, the problem or "", each made file's bytes)."""
    copy = _copy(digest)
    results = []
    for relative, variants in jobs:
        with tempfile.TemporaryDirectory(prefix="sitegen-pictures-") as folder:
            made, error = pictures.make((str(copy.root / relative), variants), Path(folder),
                                        settings)
            results.append((made, error, {key: (Path(folder) / key).read_bytes()
                                          for key in made}))
    return results


# --- what decides the output's bytes ----------------------------------------------

def versions() -> dict[str, str]:
    """The versions of everything that decides the output's bytes, as this process has them
    (run on every worker and on the client: cluster.check_versions compares them)."""
    import jinja2
    import markdown
    import PIL
    import pygments
    import yaml

    return {"sitegen": __version__, "sitegen code": _code_digest(),
            "Python": platform.python_version(), "Python-Markdown": markdown.__version__,
            "Jinja2": jinja2.__version__, "Pygments": pygments.__version__,
            "Pillow": PIL.__version__, "PyYAML": yaml.__version__}


def _code_digest() -> str:
    """A hash of the sitegen package's own files: two installs of one version that differ
    (a patched copy) would make different bytes too."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

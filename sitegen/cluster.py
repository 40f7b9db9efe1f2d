"""Layer 6.45. `sitegen build --cluster ADDRESS`: the build's fan-out on a Dask cluster.

The stages that fan out through workers.Workers.map and touch only their items
(reading and converting sources, encoding pictures, rendering pages) run on the
workers of an existing Dask distributed cluster, through Dask's own futures
(`Client.submit` with retries): Dask schedules them, reruns the tasks of a worker
that dies, and gives a worker that joins what it needs. The stages that read the
new output tree (the link check) and Pagefind stay on this machine, like the build
state and the output.

How things travel (nothing assumes a disk shared with the workers):
- Once per worker: the static folder, the theme chain's templates, the config,
  in a WorkerPlugin (cluster_tasks.SiteFilesPlugin), named by the digest of their
  names, sizes and times. A build whose files did not change sends nothing again.
- Per task, a chunk of items: a source's bytes; a render job whose stored bodies
  are put into it (read here from bodies.py's folder); a picture's recipe.
- Back, per item: the Article with its body, which this process stores as a local
  build does; a page's bytes, which it writes into the new tree; a picture's files,
  which it puts in the picture cache.
The per-task payloads and what is done with each result are cluster_payloads.py.

Before anything is built, every worker reports the versions of what decides the
output's bytes (cluster_tasks.versions); any difference stops the build, named.
Dask is imported only here, only when a cluster is asked for.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import logging
import math
import os
import socket
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sitegen import readers
from sitegen.cluster_payloads import hand_over, inline_bodies, store_body, store_pictures
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.themes import Theme

STAGES = frozenset({"read", "pictures", "render"})
"""The stages of workers.Workers.map that run on the cluster (the others here)."""
CONNECT_SECONDS = 10
RETRIES = 2
"""Dask's retries of a task that failed; a task of a worker that died is rerun anyway."""
CHUNK_MAX = 32
AHEAD = 4
"""Chunks in flight per worker: enough to keep each busy while this process writes."""
INSTALL = "pip install 'sitegen-news[cluster]'"
LOG_LENGTH = "distributed.admin.low-level-log-length"
"""Also to set to 0 on the scheduler (README): DASK_DISTRIBUTED__ADMIN__LOW_LEVEL_LOG_LENGTH=0."""


class Cluster:
    """A connected Dask client with the site's files on every worker."""

    def __init__(self, client: Any, address: str, where: str, config: Config, digest: str,
                 bodies_dir: Path, size: int) -> None:
        self.client, self.address, self.where, self.config = client, address, where, config
        self.digest, self.bodies_dir, self.size = digest, bodies_dir, max(1, size)
        from sitegen import cluster_tasks
        self.tasks = cluster_tasks
        self.environment = cluster_tasks.message_environment()

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a cluster gone away: nothing left to close
            self.client.close(timeout=CONNECT_SECONDS)

    def map(self, stage: str, fn: Callable[[Any], Any], items: Iterable[Any],
            total: int) -> Iterator[Any]:
        """fn(item) for each item, in order, computed on the cluster. `fn` is the stage's
        own function with its keywords (functools.partial): their local folders say
        where this process keeps what the workers send back."""
        assert isinstance(fn, functools.partial), "a cluster stage takes a partial"
        where = fn.keywords
        if stage == "read":
            root = where["config"].root
            return self._run(stage, self.tasks.read_chunk,
                             (self.environment, where.get("skip_body")),
                             ((p.relative_to(root).as_posix(), p.read_bytes())
                              for p in map(Path, items)),  # names from the main process
                             total, functools.partial(store_body, folder=where["folder"]))
        if stage == "render":
            folder = self.bodies_dir
            return self._run(stage, self.tasks.render_chunk, (self.environment,),
                             (inline_bodies(job, folder) for job in items), total,
                             functools.partial(hand_over, output=where["output"],
                                               handoff=where["handoff"]))
        assert stage == "pictures", stage
        root = self.config.root
        return self._run(stage, self.tasks.pictures_chunk, (where["settings"],),
                         ((Path(source).relative_to(root).as_posix(), variants)
                          for source, variants in items), total,
                         functools.partial(store_pictures, folder=where["folder"]))

    def _run(self, stage: str, task: Callable[..., list[Any]], args: tuple[Any, ...],
             payloads: Iterator[Any], total: int,
             receive: Callable[[Any], Any]) -> Iterator[Any]:
        chunk = max(1, min(CHUNK_MAX, math.ceil(total / (self.size * 8)))) if total \
            else CHUNK_MAX
        flight: deque[Any] = deque()
        try:
            pending = list(itertools.islice(payloads, chunk))
            while pending or flight:
                while pending and len(flight) < self.size * AHEAD:
                    flight.append(self.client.submit(task, self.digest, *args, pending,
                                                     retries=RETRIES, pure=False))
                    pending = list(itertools.islice(payloads, chunk))
                future = flight.popleft()
                results = self._result(stage, future)
                future.release()  # the scheduler and the worker forget it now
                for result in results:
                    yield receive(result)
        finally:
            if flight:
                self._cancel(list(flight))

    def _result(self, stage: str, future: Any) -> list[Any]:
        from distributed import KilledWorker
        from distributed.client import CancelledError, TimeoutError
        try:
            return future.result()
        except (CancelledError, KilledWorker, TimeoutError, OSError) as exc:
            raise SitegenError([Problem(self.where, 0, (
                f"lost the Dask cluster at {self.address} while the {stage} stage ran "
                f"({_reason(exc)}); the previous output is untouched: check the scheduler "
                "and its workers, then build again"))]) from None

    def _cancel(self, futures: list[Any]) -> None:
        with contextlib.suppress(Exception):  # the cluster is gone: nothing runs for us
            self.client.cancel(futures)


def connect(address: str, where: str, config: Config, chain: tuple[Theme, ...],
            bodies_dir: Path) -> Cluster | None:
    """The cluster at `address` (None: build here), its workers checked to make the same
    bytes as this machine and holding the site's files. `where` names the setting for
    messages (`--cluster` or sitegen.toml)."""
    if not address:
        return None
    try:
        import dask
        import distributed
    except ImportError:
        raise SitegenError([Problem(where, 0, "building on a Dask cluster needs Dask's "
                                    f"distributed scheduler: {INSTALL}")]) from None
    from sitegen import cluster_tasks
    # Dask logs a lost connection with its traceback; this build says it in one line.
    # Dask keeps the last messages of each connection for debugging (1,000 by default):
    # here each carries a chunk of sources or pages, so they would pile up for nothing.
    dask.config.set({LOG_LENGTH: 0})
    for name in ["distributed", *logging.root.manager.loggerDict]:
        if name.startswith("distributed"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        _knock(address)
        client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SitegenError([Problem(where, 0, (
            f"cannot reach the Dask scheduler at {address} ({_reason(exc)}): start it "
            "(`dask scheduler`, then `dask worker ADDRESS` on each machine) or correct the "
            "address; the previous output is untouched"))]) from None
    try:
        workers = client.scheduler_info().get("workers", {})
        if not workers:
            raise SitegenError([Problem(where, 0, (
                f"the Dask cluster at {address} has no workers: start some with "
                f"`dask worker {address}`"))])
        _stop_on(check_versions(client.run(cluster_tasks.versions, on_error="return"),
                                cluster_tasks.versions(), where))
        digest = _ship(client, cluster_tasks, config, chain, where)
    except BaseException:
        client.close()
        raise
    return Cluster(client, address, where, config, digest, bodies_dir, sum(
        info.get("nthreads", 1) for info in workers.values()))


def _knock(address: str) -> None:
    """Fail at once when nothing listens at a TCP address (Dask would retry until its
    timeout): a refused connection is a mistyped address or a scheduler not started."""
    protocol, _, rest = address.rpartition("://")
    if protocol not in ("", "tcp", "tls"):
        return
    host, _, port = rest.rpartition(":")
    with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS):
        pass


def check_versions(found: dict[str, Any], ours: dict[str, str], where: str) -> list[Problem]:
    """One problem per worker whose versions differ from this machine's, naming each."""
    problems = []
    for worker, theirs in sorted(found.items()):
        if isinstance(theirs, BaseException):
            problems.append(Problem(where, 0, (
                f"the Dask worker {worker} cannot run this sitegen ({_reason(theirs)}): "
                f"install sitegen {ours['sitegen']} there, as here")))
            continue
        differ = [f"{name} {theirs.get(name, 'missing')} (here {mine})"
                  for name, mine in ours.items() if theirs.get(name) != mine]
        if differ:
            problems.append(Problem(where, 0, (
                f"the Dask worker {worker} has {', '.join(differ)}: its pages would differ "
                "from this machine's; install the same versions on every worker and here")))
    return problems


def _stop_on(problems: list[Problem]) -> None:
    if problems:
        raise SitegenError(problems)


def _ship(client: Any, tasks: Any, config: Config, chain: tuple[Theme, ...],
          where: str) -> str:
    """Give every worker (and every worker that joins) the site's files; their digest."""
    listing = _listing(config, chain)
    digest = hashlib.sha256(repr((
        [(name, path.stat().st_size, path.stat().st_mtime_ns) for name, path in listing],
        config, [(theme.name, theme.params) for theme in chain])).encode()).hexdigest()
    if all(client.run(tasks.has_copy, digest).values()):
        return digest  # every worker holds them since an earlier build
    site = hashlib.sha256(f"{socket.gethostname()}\0{config.root}".encode()).hexdigest()[:16]
    files = tasks.SiteFiles(digest, site, {relative: path.read_bytes()
                                           for relative, path in listing}, config, chain)
    try:
        client.register_plugin(tasks.SiteFilesPlugin(files))
    except OSError as exc:  # raised by a worker's plugin (a full or read-only disk)
        raise SitegenError([Problem(where, 0, (
            f"a Dask worker could not store the site's files ({_reason(exc)}): free space "
            "in its --local-directory"))]) from None
    return digest


def _listing(config: Config, chain: tuple[Theme, ...]) -> list[tuple[str, Path]]:
    """(path on the worker's copy, path here) of the static folder's files and the chain's
    templates. Links are left out: a worker gets only files that are the site's own."""
    from sitegen.cluster_tasks import theme_folder
    folders = [(readers.static_dir(config).relative_to(config.root).as_posix(),
                readers.static_dir(config))]
    folders += [(f"{theme_folder(index, theme)}/templates", theme.path / "templates")
                for index, theme in enumerate(chain)]
    listing = []
    for prefix, folder in folders:
        for top, names, files in os.walk(folder):
            names.sort()
            for name in sorted(files):
                path = Path(top, name)
                if not path.is_symlink() and path.is_file():
                    listing.append((f"{prefix}/{path.relative_to(folder).as_posix()}", path))
    return listing


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

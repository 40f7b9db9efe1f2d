"""`sitegen build --cluster`: a real Dask scheduler and workers, each its own process on
127.0.0.1, started in folders of their own with a HOME of their own. An audit hook in each
worker (tests/cluster_guard.py) fails any open or listing of the folder that holds the test
sites, so a build that passes did not read the client's disk by path. The builds run
through the CLI in subprocesses; their output is compared byte for byte with a local build.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sitegen.cluster import check_versions
from tests.conftest import NOW, REPO, make_site, read_tree

pytest.importorskip("distributed")

GUARD = Path(__file__).resolve().parent / "cluster_guard.py"
STARTUP_SECONDS = 30


@dataclass
class Cluster:
    """The scheduler and its workers, with what each worker's guard logged."""

    home: Path
    sites: Path
    address: str = ""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        return {**os.environ, "HOME": str(self.home), "PYTHONPATH": str(REPO),
                "SITEGEN_GUARD_FORBIDDEN": str(self.sites), **extra}

    def start(self, name: str, command: list[str], **extra: str) -> subprocess.Popen[bytes]:
        folder = self.home / name
        folder.mkdir()
        log = open(folder / "process.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                                   env=self.env(SITEGEN_GUARD_LOG=str(folder / "guard.log"),
                                                **extra))
        log.close()
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.home / name / "process.log").read_text(errors="replace")

    def guard(self, name: str) -> list[str]:
        path = self.home / name / "guard.log"
        return path.read_text().splitlines() if path.exists() else []

    def add_worker(self, name: str, pythonpath: Path | None = None, slow: float = 0) -> str:
        """Start a worker; wait until its guard is armed; return its address."""
        extra = {"SITEGEN_GUARD_SLOW": str(slow)}
        if pythonpath is not None:
            extra["PYTHONPATH"] = f"{pythonpath}{os.pathsep}{REPO}"
        self.start(name, [sys.executable, "-m", "distributed.cli.dask_worker", self.address,
                          "--nthreads", "1", "--no-dashboard", "--no-nanny", "--host",
                          "127.0.0.1", "--local-directory", str(self.home / name),
                          "--preload", str(GUARD)], **extra)
        _wait(lambda: any(line.startswith("armed ") for line in self.guard(name)),
              lambda: self.log(name))
        return next(line.split()[1] for line in self.guard(name) if line.startswith("armed"))

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name)
        process.send_signal(sig)
        process.wait(timeout=STARTUP_SECONDS)

    def workers_read(self, names: list[str]) -> dict[str, int]:
        return {name: sum(line.startswith("read ") for line in self.guard(name))
                for name in names}


def _wait(ready: object, log: object) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"not ready in time:\n{log()}")  # type: ignore[operator]
        time.sleep(0.05)


def start_scheduler(running: Cluster) -> None:
    running.start("scheduler", [sys.executable, "-m", "distributed.cli.dask_scheduler",
                                "--host", "127.0.0.1", "--port", "0", "--no-dashboard"])
    _wait(lambda: "Scheduler at:" in running.log("scheduler"), lambda: running.log("scheduler"))
    found = re.search(r"Scheduler at:\s+(\S+)", running.log("scheduler"))
    assert found
    running.address = found.group(1)


def stop_all(running: Cluster) -> None:
    for name in reversed(list(running.processes)):
        running.stop(name, signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    running = Cluster(tmp_path_factory.mktemp("cluster-home"),
                      tmp_path_factory.mktemp("cluster-sites"))
    try:
        start_scheduler(running)
        for name in ("worker-1", "worker-2"):
            running.add_worker(name)
        yield running
    finally:
        stop_all(running)


def sitegen(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(site),
                           "--now", NOW.isoformat(), *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)


def copy_sample(folder: Path) -> Path:
    """The repository's sample site (its articles, pages and photos)."""
    folder.mkdir(parents=True)
    shutil.copy(REPO / "sitegen.toml", folder / "sitegen.toml")
    shutil.copytree(REPO / "content", folder / "content")
    return folder


def local_reference(site: Path, output: Path) -> dict[str, bytes]:
    done = sitegen(site, "--no-cache", "--jobs", "2", "--quiet", "--output", str(output))
    assert done.returncode == 0, done.stderr
    return read_tree(output)


def counts(stdout: str) -> tuple[int, int, int]:
    """(written, unchanged) files and pages rendered, from `build --verbose`."""
    files = re.search(r"\((\d+) written, (\d+) unchanged", stdout)
    rendered = re.search(r"(\d+) pages planned, (\d+) rendered", stdout)
    assert files and rendered, stdout
    return int(files.group(1)), int(files.group(2)), int(rendered.group(2))


@pytest.fixture(scope="module")
def sample(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    site = copy_sample(cluster.sites / "sample")
    return site, local_reference(site, tmp_path_factory.mktemp("reference") / "output")


@pytest.mark.slow
def test_a_cluster_build_equals_a_local_build_byte_for_byte(cluster: Cluster,
                                                             sample: tuple[Path, dict]) -> None:
    site, reference = sample
    done = sitegen(site, "--cluster", cluster.address, "--verbose")
    assert done.returncode == 0, done.stderr
    assert read_tree(site / "output") == reference
    # The workers did the reading, each from its own copy of the site, and never touched
    # the site's folder by path (their guards would have failed the build and logged it).
    sources = len(list((site / "content").rglob("*.md")))
    read = cluster.workers_read(["worker-1", "worker-2"])
    assert sum(read.values()) == sources and all(read.values()), read
    for name in ("worker-1", "worker-2"):
        assert not [line for line in cluster.guard(name) if line.startswith("FORBIDDEN")]
        assert list((cluster.home / name).glob("**/sitegen-sites/*/content/static/images/*"))
    assert (site / ".sitegen-cache").is_dir()  # the build state stays with the client


@pytest.mark.slow
def test_a_body_edit_on_the_cluster_rebuilds_only_what_shows_it(
        cluster: Cluster, sample: tuple[Path, dict], tmp_path: Path) -> None:
    site, _ = sample
    if not (site / "output").is_dir():
        assert sitegen(site, "--cluster", cluster.address).returncode == 0
    edited = site / "content/ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nParagraf tambahan.\n",
                      encoding="utf-8")
    before = cluster.workers_read(["worker-1", "worker-2"])
    done = sitegen(site, "--cluster", cluster.address, "--verbose")
    assert done.returncode == 0, done.stderr
    written, unchanged, rendered = counts(done.stdout)
    after = cluster.workers_read(["worker-1", "worker-2"])
    assert sum(after.values()) - sum(before.values()) == 1  # only the edited source, remotely
    assert rendered < 15 and written < 20 and unchanged > 350, done.stdout
    assert read_tree(site / "output") == local_reference(site, tmp_path / "output")


@pytest.mark.slow
def test_a_worker_killed_mid_build_has_its_work_done_by_the_others(
        cluster: Cluster, sample: tuple[Path, dict]) -> None:
    _, reference = sample
    site = copy_sample(cluster.sites / "killed")
    # A third worker, slow to read each source, so the build is still reading when it dies.
    cluster.add_worker("doomed", slow=0.4)
    build = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--source", str(site),
                              "--now", NOW.isoformat(), "--cluster", cluster.address],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    _wait(lambda: cluster.workers_read(["doomed"])["doomed"] > 0, lambda: cluster.log("doomed"))
    cluster.stop("doomed", signal.SIGKILL)  # in the middle of a task
    assert build.poll() is None  # the build was still running
    _, stderr = build.communicate(timeout=300)
    assert build.returncode == 0, stderr
    assert read_tree(site / "output") == reference


@pytest.mark.slow
def test_a_scheduler_that_goes_away_mid_build_is_one_clear_line_and_the_output_stays(
        cluster: Cluster, sample: tuple[Path, dict], tmp_path: Path) -> None:
    site, _ = sample
    if not (site / "output").is_dir():
        assert sitegen(site, "--cluster", cluster.address).returncode == 0
    before = read_tree(site / "output")
    other = Cluster(tmp_path, cluster.sites)  # a cluster of its own, to lose
    try:
        start_scheduler(other)
        other.add_worker("slow", slow=0.3)
        build = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--source",
                                  str(site), "--now", NOW.isoformat(), "--no-cache",
                                  "--cluster", other.address], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONPATH": str(REPO)})
        _wait(lambda: other.workers_read(["slow"])["slow"] > 0, lambda: other.log("slow"))
        other.stop("scheduler", signal.SIGKILL)
        _, stderr = build.communicate(timeout=120)
    finally:
        stop_all(other)
    assert build.returncode == 1 and "Traceback" not in stderr, stderr
    lost = [line for line in stderr.splitlines() if "Dask" in line]
    assert len(lost) == 1 and lost[0].startswith(f"--cluster: lost the Dask cluster at "
                                                 f"{other.address} while the read stage ran")
    assert read_tree(site / "output") == before


def test_an_unreachable_scheduler_is_one_clear_line_and_the_output_stays(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": "---\ntitle: A\n"
                                         "date: 2026-11-20 09:00\n---\n\nIsi.\n"})
    assert sitegen(site, "--jobs", "1").returncode == 0
    before = read_tree(site / "output")
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (site / "content/ekonomi/a.md").write_text("---\ntitle: B\ndate: 2026-11-20 09:00\n---\n\nX\n")
    done = sitegen(site, "--cluster", f"tcp://127.0.0.1:{port}")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    problem = [line for line in done.stderr.splitlines() if "Dask scheduler" in line]
    assert len(problem) == 1 and problem[0].startswith("--cluster: cannot reach the Dask "
                                                       f"scheduler at tcp://127.0.0.1:{port}")
    assert read_tree(site / "output") == before
    # The same address in the config: the same line, naming where it was set.
    config = (site / "sitegen.toml").read_text()
    (site / "sitegen.toml").write_text(f"{config}[build]\ncluster = \"127.0.0.1:{port}\"\n")
    done = sitegen(site)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"sitegen.toml: cannot reach the Dask scheduler at 127.0.0.1:{port}" in done.stderr
    assert read_tree(site / "output") == before


def test_the_cluster_address_is_checked_in_the_config_and_on_the_command_line(
        tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {}, config="[site]\ntitle = \"T\"\nbase_url = "
                     "\"https://example.org/\"\n[build]\ncluster = \"my scheduler\"\n")
    done = sitegen(site)
    assert done.returncode == 1
    assert "sitegen.toml:5: build.cluster 'my scheduler' is not a Dask scheduler address" \
        in done.stderr
    (site / "sitegen.toml").write_text(
        "[site]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n[build]\nclustr = \"x\"\n")
    assert "did you mean 'cluster'" in sitegen(site).stderr
    (site / "sitegen.toml").write_text("[site]\ntitle = \"T\"\nbase_url = \"https://e.org/\"\n")
    done = sitegen(site, "--cluster", "tcp://no port")
    assert done.returncode == 1 and "--cluster: 'tcp://no port' is not a Dask" in done.stderr


@pytest.mark.slow
def test_a_worker_with_another_sitegen_is_named_before_anything_is_built(
        cluster: Cluster, sample: tuple[Path, dict], tmp_path: Path) -> None:
    site, _ = sample
    if not (site / "output").is_dir():
        assert sitegen(site, "--cluster", cluster.address).returncode == 0
    before = read_tree(site / "output")
    # A real other sitegen: a copy of the package whose version differs, ahead on the path.
    shadow = tmp_path / "shadow"
    shutil.copytree(REPO / "sitegen", shadow / "sitegen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    init = shadow / "sitegen" / "__init__.py"
    init.write_text(init.read_text().replace('__version__ = "', '__version__ = "9.9.9-'))
    other = cluster.add_worker("other", pythonpath=shadow)
    try:
        done = sitegen(site, "--cluster", cluster.address)
    finally:
        cluster.stop("other")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"--cluster: the Dask worker {other} has sitegen 9.9.9-" in done.stderr
    assert "the Dask worker tcp://" in done.stderr and done.stderr.count("Dask worker") == 1
    assert read_tree(site / "output") == before
    assert not cluster.workers_read(["other"])["other"]


def test_every_version_that_changes_the_bytes_is_named() -> None:
    ours = {"sitegen": "0.1.0", "Python-Markdown": "3.7", "Jinja2": "3.1.4"}
    found = {"tcp://10.0.0.2:4000": {**ours, "Python-Markdown": "3.5"},
             "tcp://10.0.0.1:4000": dict(ours),
             "tcp://10.0.0.3:4000": ModuleNotFoundError("No module named 'sitegen.cluster'")}
    problems = [str(p) for p in check_versions(found, ours, "sitegen.toml")]
    assert problems == [
        "sitegen.toml: the Dask worker tcp://10.0.0.2:4000 has Python-Markdown 3.5 (here 3.7): "
        "its pages would differ from this machine's; install the same versions on every "
        "worker and here",
        "sitegen.toml: the Dask worker tcp://10.0.0.3:4000 cannot run this sitegen "
        "(ModuleNotFoundError: No module named 'sitegen.cluster'): install sitegen 0.1.0 "
        "there, as here"]

"""Timing and memory of one command, and the edit-to-result latency of a watching server.

A build is a fresh process (tree): wall time is measured around it; CPU time
(user + system of the process and of the workers it waited for, from wait4)
is recorded too, as it depends much less on what else the machine runs; memory in
two ways, because sitegen works in a pool of forked processes and Hugo in one
multi-threaded process:

- `peak_mib`: the peak of the whole process tree, the sum of the proportional
  set size (PSS, so pages shared after fork count once) of every process in it,
  sampled every 50 ms, and never less than the largest process's own peak;
- `largest_mib`: the kernel's high-water mark of the largest single process in
  the tree (VmHWM, sampled with the PSS), blind to the other processes.

Not ru_maxrss from wait4: Linux carries a process's maximum RSS over exec, and
a child started with vfork (as subprocess does) starts from its parent's, so
every build would report at least this script's own size (about 430 MiB with
a 10,000-article corpus loaded: figures before this change are inflated by it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    """User + system time of the process and every child it waited for (its workers)."""
    user_seconds: float
    peak_mib: float
    largest_mib: float
    output: str


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _hwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_kib(root: int) -> tuple[int, int]:
    """The PSS of a process tree, and the high-water RSS of its largest process."""
    total, largest, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kib(pid)
        largest = max(largest, _hwm_kib(pid))
        todo += _children(pid)
    return total, largest


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.largest_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            total, largest = tree_pss_kib(self.pid)
            self.peak_kib = max(self.peak_kib, total)
            self.largest_kib = max(self.largest_kib, largest)


def timed(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
          timeout: float = 3600) -> Run:
    """Run `command` to completion; raise with its output if it fails."""
    with open(os.devnull, "rb") as stdin:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=stdin,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        sampler = _Sampler(process.pid)
        sampler.start()
        reader = _Reader(process)
        reader.start()
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                raise TimeoutError(f"{' '.join(command)} took more than {timeout} s")
            time.sleep(0.002)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    sampler.done.set()
    sampler.join()
    reader.join()
    output = reader.text
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with status {process.returncode}:\n"
                           f"{output[-3000:]}")
    largest = sampler.largest_kib / 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_utime, max(sampler.peak_kib / 1024, largest), largest,
               output)


class _Reader(threading.Thread):
    """Drains the child's output so it never blocks on a full pipe."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.text = ""

    def run(self) -> None:
        assert self.process.stdout is not None
        self.text = self.process.stdout.read().decode("utf-8", "replace")


# --- watch mode -----------------------------------------------------------------------


def wait_for(check: Callable[[], bool], timeout: float, interval: float = 0.002,
             alive: Callable[[], bool] = lambda: True) -> float:
    """Seconds until `check()` is true; TimeoutError after `timeout` or once `alive()` is not."""
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"not ready after {timeout} s")
        if not alive():
            raise RuntimeError("the server stopped")
        time.sleep(interval)
    return time.perf_counter() - started


def file_contains(path: Path, marker: str) -> Callable[[], bool]:
    encoded = marker.encode()

    def check() -> bool:
        try:
            return encoded in path.read_bytes()
        except OSError:
            return False
    return check


def url_contains(url: str, marker: str) -> Callable[[], bool]:
    encoded = marker.encode()

    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return encoded in response.read()
        except (urllib.error.URLError, OSError):
            return False
    return check


class Server:
    """A long-running command (a watching preview server), stopped by its process group."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str] | None,
                 log: Path) -> None:
        self.log_path = log
        self.log = log.open("wb")
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

"""A cold build on a local Dask cluster against the local process pool, side by side.

    python benchmarks/cluster_cost.py --articles 2000 10000 --rounds 2

For each size, generates the corpus's full site (benchmarks/corpus.py: the default
theme, search on, its photos), then in each round builds it cold (`--no-cache`) with
`-j 2` and with `--cluster` on a scheduler and 2 single-thread workers started here as
processes (`dask scheduler`, `dask worker --nthreads 1 --no-nanny`), and checks that the
two outputs are the same bytes. Prints a Markdown table: wall time, the ratio of the
cluster's to the pool's, CPU time (the build's process tree from wait4; for the cluster
also the scheduler's and the workers' from /proc), and the peak memory (PSS) of every
process that took part, sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import measure  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


class Cluster:
    """A scheduler and its workers as processes of their own, in a folder of their own."""

    def __init__(self, folder: Path, workers: int, env: dict[str, str]) -> None:
        self.folder, self.env = folder, env
        self.processes: list[subprocess.Popen[bytes]] = []
        log = folder / "scheduler.log"
        self._start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--no-dashboard"], log)
        self.address = self._wait(log, r"Scheduler at:\s+(\S+)")
        for n in range(workers):
            log = folder / f"worker-{n}.log"
            self._start(["distributed.cli.dask_worker", self.address, "--nthreads", "1",
                         "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                         "--local-directory", str(folder / f"worker-{n}")], log)
            self._wait(log, r"(Registered to)")

    def _start(self, command: list[str], log: Path) -> None:
        with open(log, "wb") as stream:
            self.processes.append(subprocess.Popen([sys.executable, "-m", *command],
                                                   cwd=self.folder, stdout=stream,
                                                   stderr=subprocess.STDOUT, env=self.env))

    @staticmethod
    def _wait(log: Path, pattern: str) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if found := re.search(pattern, log.read_text(errors="replace")):
                return found.group(1)
            time.sleep(0.05)
        raise RuntimeError(f"not started:\n{log.read_text(errors='replace')}")

    def cpu_seconds(self) -> float:
        total = 0
        for process in self.processes:
            with open(f"/proc/{process.pid}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Peak(threading.Thread):
    """The peak of the summed PSS of several process trees."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak_kib, self.done = pids, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(measure.SAMPLE_SECONDS):
            self.peak_kib = max(self.peak_kib,
                                sum(measure.tree_pss_kib(pid)[0] for pid in self.pids))


def build(site: Path, output: Path, env: dict[str, str], *extra: str) -> measure.Run:
    shutil.rmtree(output, ignore_errors=True)
    return measure.timed([sys.executable, "-m", "sitegen", "build", "--source", str(site),
                          "--output", str(output), "--no-cache", "--jobs", "2", "--verbose",
                          *extra], env=env)


def on_cluster(site: Path, output: Path, env: dict[str, str],
               cluster: Cluster) -> tuple[measure.Run, float, float]:
    """The build's run, the cluster's CPU seconds during it, the peak MiB of all processes."""
    before = cluster.cpu_seconds()
    peak = Peak([p.pid for p in cluster.processes])
    peak.start()
    run = build(site, output, env, "--cluster", cluster.address)
    peak.done.set()
    peak.join()
    return run, cluster.cpu_seconds() - before, max(run.peak_mib, 0) + peak.peak_kib / 1024


def same_tree(left: Path, right: Path) -> bool:
    def files(root: Path) -> list[str]:
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    names = files(left)
    if names != files(right):
        return False
    return all(filecmp.cmp(left / name, right / name, shallow=False) for name in names)


def stage_times(output: str) -> str:
    return " ".join(f"{name} {float(ms) / 1000:.1f}"
                    for name, ms in re.findall(r"^\s+(\w+)\s+([\d.]+) ms$", output, re.M))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) /
                        "sitegen-cluster-bench")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    # As README, "Building on a Dask cluster", says to start them.
    cluster_env = {**env, "DASK_DISTRIBUTED__ADMIN__LOW_LEVEL_LOG_LENGTH": "0"}
    rows = []
    for count in args.articles:
        site = corpus.cached_sites(corpus.generate(count), args.work)["sitegen-full"]
        folder = Path(tempfile.mkdtemp(prefix="cluster-", dir=args.work))
        cluster = Cluster(folder, args.workers, cluster_env)
        try:
            for round_ in range(1, args.rounds + 1):
                local = build(site, folder / "local", env)
                remote, cluster_cpu, cluster_peak = on_cluster(site, folder / "cluster", env,
                                                               cluster)
                same = same_tree(folder / "local", folder / "cluster")
                rows.append((count, round_, local, remote, cluster_cpu, cluster_peak, same))
                print(f"{count} round {round_}: local {local.seconds:.1f} s "
                      f"({stage_times(local.output)}), cluster {remote.seconds:.1f} s "
                      f"({stage_times(remote.output)}), same bytes: {same}", flush=True)
        finally:
            cluster.stop()
            shutil.rmtree(folder, ignore_errors=True)
    print("\n| articles | round | local -j 2 | cluster (2 workers) | ratio | CPU local | "
          "CPU cluster (client + scheduler + workers) | peak local | peak cluster | "
          "same bytes |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for count, round_, local, remote, cluster_cpu, cluster_peak, same in rows:
        print(f"| {count:,} | {round_} | {local.seconds:.1f} s | {remote.seconds:.1f} s | "
              f"{remote.seconds / local.seconds:.2f}x | {local.cpu_seconds:.1f} s | "
              f"{remote.cpu_seconds + cluster_cpu:.1f} s ({remote.cpu_seconds:.1f} + "
              f"{cluster_cpu:.1f}) | {local.peak_mib:,.0f} MiB | {cluster_peak:,.0f} MiB | "
              f"{'yes' if same else 'NO'} |")
    for count in args.articles:
        ratios = [r[3].seconds / r[2].seconds for r in rows if r[0] == count]
        print(f"\n{count:,} articles: median ratio {statistics.median(ratios):.2f}x "
              f"over {len(ratios)} round(s)")


if __name__ == "__main__":
    main()

"""CPU seconds of each stage of one sitegen build, split by process: the main process,
the worker pool, and the programs it ran (Pagefind).

    python benchmarks/stage_cpu.py SITE                # a cold build (output and cache deleted)
    python benchmarks/stage_cpu.py SITE --jobs 1 --keep
    python benchmarks/stage_cpu.py SITE --profile 30   # and the main process's top functions

Runs `build()` in this process, as `sitegen build` does (the cyclic collector off),
and at the end of each stage (the build's own `lap`) reads the CPU time (user +
system) of this process (`time.process_time`), of its live children (the pool's
workers, from /proc through psutil) and of the children it has waited for
(`RUSAGE_CHILDREN`: Pagefind). CPU time depends much less than wall time on what
else the machine runs, so it is what to compare on a shared machine.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import resource
import shutil
import sys
import time
from pathlib import Path

import psutil

from sitegen import build_run
from sitegen.build import BuildOptions, build
from sitegen.config import load_config


def _children_cpu() -> tuple[float, float]:
    """(live children, waited-for children) CPU seconds."""
    live = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
            live += times.user + times.system
        except psutil.Error:
            continue
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    return live, done.ru_utime + done.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", action="store_true",
                        help="keep the output and cache (default: a cold build)")
    parser.add_argument("--profile", type=int, default=0, metavar="TOP",
                        help="profile the main process (cProfile) and print its TOP "
                             "functions by own and by cumulative time")
    args = parser.parse_args()
    site = args.site.resolve()
    if not args.keep:
        for name in ("output", ".sitegen-cache", ".sitegen"):
            shutil.rmtree(site / name, ignore_errors=True)
    config = load_config(site)
    rows: list[tuple[str, float, float, float, float]] = []
    last = [time.perf_counter(), time.process_time(), *_children_cpu()]
    original = build_run.Run.lap

    def lap(self: build_run.Run, name: str) -> None:
        original(self, name)
        now = [time.perf_counter(), time.process_time(), *_children_cpu()]
        rows.append((name, *(b - a for a, b in zip(last, now, strict=True))))
        last[:] = now

    build_run.Run.lap = lap  # type: ignore[method-assign]
    gc.disable()  # as the CLI does
    started = time.perf_counter(), time.process_time()
    # CPU time, not wall time: waiting for the workers or Pagefind is not the main process's cost.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    if profiler is not None:
        profiler.enable()
    report = build(config, BuildOptions(jobs=args.jobs))
    if profiler is not None:
        profiler.disable()
    wall, main_cpu = time.perf_counter() - started[0], time.process_time() - started[1]
    live, done = _children_cpu()
    print(f"{report.pages} files; load average {' '.join(f'{x:.1f}' for x in psutil.getloadavg())}")
    print("| stage | wall | main CPU | workers CPU | programs CPU |\n|---|---:|---:|---:|---:|")
    for name, *values in rows:
        print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in values) + " |")
    print(f"| total | {wall:.2f} | {main_cpu:.2f} | {live:.2f} | {done:.2f} |")
    print(f"CPU total {main_cpu + live + done:.2f} s", file=sys.stderr)
    if profiler is not None:
        # cProfile slows Python code more than C code: read the shares, not the seconds.
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()

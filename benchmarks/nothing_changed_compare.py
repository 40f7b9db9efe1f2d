"""A build with nothing changed, two versions of sitegen side by side on one built site.

    python benchmarks/nothing_changed_compare.py SITE --before DIR [--after DIR] [--runs 3]

SITE is a site already built (its output and `.sitegen-cache/` in place, e.g. a corpus's
`sitegen-full/` after a cold build). DIR is a folder holding a `sitegen/` package (for
example `git archive <commit> sitegen themes | tar -x -C DIR`); --after defaults to this
checkout. The two run in turns, `runs` times each, after one warm-up build of each (the
first build of a version may record what the next ones use). Each figure is the CPU
time (user + system) of the build's whole process tree, and the wall time, which a
loaded machine inflates: compare the CPU, and the ratio within one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def one_build(site: Path, code: Path) -> tuple[float, float]:
    """(CPU seconds of the process tree, wall seconds) of `sitegen build` on `site`."""
    # -P: the current folder (a checkout holding sitegen/) does not come before PYTHONPATH.
    env = {**os.environ, "PYTHONPATH": str(code)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-P", "-m", "sitegen", "build", "--source", str(site), "-q"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=HERE.parent)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    versions = {"before": args.before.resolve(), "after": args.after.resolve()}
    for code in versions.values():
        one_build(args.site, code)  # warm-up: the page cache, and what the next build uses
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
    for _ in range(args.runs):
        for name, code in versions.items():
            found[name].append(one_build(args.site, code))
    for name, runs in found.items():
        cpu = [c for c, _ in runs]
        wall = [w for _, w in runs]
        print(f"{name:<7} CPU median {statistics.median(cpu):7.2f} s "
              f"(runs {', '.join(f'{c:.2f}' for c in cpu)}), wall median "
              f"{statistics.median(wall):7.2f} s")
    ratio = statistics.median(c for c, _ in found["after"]) / \
        statistics.median(c for c, _ in found["before"])
    print(f"after / before, CPU: {ratio:.3f}")


if __name__ == "__main__":
    main()

"""Start-up of the `sitegen` command, two code trees side by side: CPU and wall time of
`sitegen build --help`, of the imports `sitegen build` makes before `build()` starts,
and of a build with nothing changed.

    git archive 1bfc382 sitegen themes | (mkdir -p /tmp/before && tar -x -C /tmp/before)
    python benchmarks/startup.py SITE --before /tmp/before [--runs 9]

SITE is a built or unbuilt site (benchmarks/corpus.py makes one); it is copied once for
each tree, built once there, then every run is a build with nothing changed. Runs are
interleaved (before, after, before, ...) so a change of the machine's load hits both
alike, and CPU time (user + system of the child process) is reported beside the wall
time, since a shared machine's wall times say little. Medians of --runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# What `sitegen build` imports before build() starts: the CLI (all of it before the
# cli/ package; the group, the build command and the stages it calls since).
IMPORTS = {"before": "import sitegen.cli",
           "after": "import sitegen.cli, sitegen.cli.build, sitegen.build, sitegen.config, "
                    "sitegen.progress, sitegen.shards"}


def run(argv: list[str], tree: Path, cwd: Path) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one command run with `tree` as sitegen's code."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([sys.executable, *argv], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(tree)})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--before", type=Path, required=True,
                        help="a folder holding the older tree's sitegen/ and themes/")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": REPO}
    with tempfile.TemporaryDirectory() as scratch:
        sites = {}
        for name, tree in trees.items():
            sites[name] = Path(scratch) / name
            shutil.copytree(args.site, sites[name], ignore=shutil.ignore_patterns(
                "output", ".sitegen-cache", ".sitegen"))
            run(["-m", "sitegen", "build", "-q"], tree, sites[name])  # the cold build
        cases = {
            "sitegen build --help": lambda name: (["-m", "sitegen", "build", "--help"],
                                                  Path(scratch)),
            "imports of `sitegen build` before build()": lambda name: (
                ["-c", IMPORTS[name]], Path(scratch)),
            "build, nothing changed": lambda name: (["-m", "sitegen", "build", "-q"],
                                                    sites[name]),
        }
        results: dict[tuple[str, str], list[tuple[float, float]]] = {
            (case, name): [] for case in cases for name in trees}
        for _ in range(args.runs):
            for case, command in cases.items():
                for name, tree in trees.items():
                    argv, cwd = command(name)
                    results[(case, name)].append(run(argv, tree, cwd))
    print(f"{'':44} {'CPU before':>10} {'after':>7} {'ratio':>6}  {'wall before':>11} "
          f"{'after':>7}")
    for case in cases:
        cpu = [statistics.median(c for c, _ in results[(case, n)]) for n in trees]
        wall = [statistics.median(w for _, w in results[(case, n)]) for n in trees]
        print(f"{case:44} {cpu[0]:9.3f}s {cpu[1]:6.3f}s {cpu[1] / cpu[0]:6.2f}  "
              f"{wall[0]:10.3f}s {wall[1]:6.3f}s")


if __name__ == "__main__":
    main()

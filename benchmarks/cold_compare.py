"""Cold default builds (search on) of two sitegen revisions and of Hugo + Pagefind, taken
in turns in one run, so that the machine's load falls on all three alike.

    python benchmarks/cold_compare.py --before 1bfc382 --after HEAD --articles 10000 --trials 2

Each trial builds, in this order, with the output and every cache deleted first:
sitegen at `--before`, sitegen at `--after` (each from a snapshot of its git revision,
as run.py takes one; every other trial the other way round, since the second build
fared worse), then Hugo followed by the Pagefind CLI on its output (what a Hugo site
with search does). Prints a Markdown table of the medians: wall time, CPU time (user
+ system of every process of the build, which depends much less on the machine's load),
the peak memory of the process tree, and each sitegen's ratio to Hugo + Pagefind.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="git revision")
    parser.add_argument("--after", default="HEAD", help="git revision, or 'worktree'")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trials", type=int, default=1)
    parser.add_argument("--work", type=Path, default=run.HERE / ".work")
    parser.add_argument("--pictures", choices=("encoded", "filled"), default="encoded",
                        help="'filled': sitegen starts with its picture cache filled (run.py)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    work = args.work.resolve()
    sites = corpus.cached_sites(corpus.generate(args.articles, args.seed), work)
    hugo = run.hugo_binary()
    tools: dict[str, run.Generator] = {}
    described: dict[str, str] = {}
    for label, revision in (("before", args.before), ("after", args.after)):
        env, described[label] = run.sitegen_env(revision, work)
        tools[label] = run.generators(sites, env, hugo, work)["sitegen-full"]
        if args.pictures == "filled":
            run.fill_pictures({"sitegen": tools[label]}, args.articles, args.seed)
    tools["hugo + pagefind"] = run.generators(sites, dict(os.environ), hugo,
                                              work)["hugo-pagefind"]
    figures: dict[str, list[run.measure.Run]] = {name: [] for name in tools}
    for trial in range(1, args.trials + 1):
        # The second sitegen build of a trial came out 6-15 % dearer in CPU in every pair
        # cold19 ran, with or without the change it was to show (docs/benchmarks.md):
        # every other trial swaps them.
        order = list(tools.items())
        if trial % 2 == 0:
            order[0], order[1] = order[1], order[0]
        for name, tool in order:
            tool.clean()
            result = tool.run()
            figures[name].append(result)
            run.log(f"trial {trial} {name:<15} {result.seconds:8.2f} s  cpu "
                    f"{result.cpu_seconds:7.2f} s  {result.peak_mib:6.0f} MiB  load "
                    f"{run._load()}")
    hugo_wall = statistics.median(r.seconds for r in figures["hugo + pagefind"])
    hugo_cpu = statistics.median(r.cpu_seconds for r in figures["hugo + pagefind"])
    print(f"{args.articles:,} articles, {args.trials} trial(s), medians; before: "
          f"{described['before']}; after: {described['after']}\n")
    print("| cold build, search on | wall | CPU | peak (process tree) | wall / Hugo + Pagefind"
          " | CPU / Hugo + Pagefind |\n|---|---:|---:|---:|---:|---:|")
    for name, runs in figures.items():
        wall = statistics.median(r.seconds for r in runs)
        cpu = statistics.median(r.cpu_seconds for r in runs)
        peak = statistics.median(r.peak_mib for r in runs)
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {peak:,.0f} MiB | "
              f"{wall / hugo_wall:.2f}× | {cpu / hugo_cpu:.2f}× |")


if __name__ == "__main__":
    main()

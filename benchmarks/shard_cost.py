"""What re-indexing one search shard costs Pagefind, by shard size.

    python benchmarks/shard_cost.py benchmarks/.work/corpus-1000-seed1/sitegen-full/output

takes the article pages of a built site (those with `data-pagefind-body`),
and for each shard size runs Pagefind over that many of them, as search.py
runs it for one shard (hard-linked pages, `--silent`), --runs times. Prints a
Markdown table of the median CPU time (user + system of the Pagefind process,
from getrusage: on a loaded machine wall time measures the other processes
too), the median wall time and the CPU time per page.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.pagefind_runs import pagefind_command


def articles(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("index.html")
                  if b"data-pagefind-body" in p.read_bytes())


def index_once(pages: list[Path], output: Path, work: Path) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one Pagefind run over `pages`."""
    site, bundle = work / "pages", work / "bundle"
    for page in pages:
        target = site / page.relative_to(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, target)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*pagefind_command(), "--site", str(site), "--output-path", str(bundle),
                    "--silent"], check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="a built site's output folder")
    parser.add_argument("--sizes", default="25,50,100,200,400,800")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pages = articles(args.output)
    print(f"{len(pages)} article pages\n")
    print("| pages in the shard | CPU (median) | wall (median) | CPU per page |")
    print("|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        if size > len(pages):
            break
        cpus, walls = [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="sitegen-shard-cost-") as work:
                cpu, wall = index_once(pages[:size], args.output, Path(work))
            cpus.append(cpu)
            walls.append(wall)
        cpu, wall = statistics.median(cpus), statistics.median(walls)
        print(f"| {size} | {cpu:.2f} s | {wall:.2f} s | {cpu / size * 1000:.1f} ms |",
              flush=True)


if __name__ == "__main__":
    main()

"""A cold local build against N shards built apart and merged, on one corpus.

    python benchmarks/shard_bench.py benchmarks/.work/corpus-10000-seed1/sitegen-full \
        --shards 2 --work /tmp/shard-bench

Each build runs in a copy of the site of its own (the content hard-linked), so
that each has its own empty build cache, as each job of a CI matrix has: the
local build, shard 1..N (`--shard K/N`), then the merge (`--merge`) in a fresh
copy that has only the shards' partial outputs. Prints a Markdown table of wall
time, CPU time (the process and its workers), the process tree's peak memory,
and each build's stage times (`-v`), and checks that the merged output is the
local build's byte for byte. Wall time on a shared machine measures the other
processes too: compare CPU times.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Run, timed

NOW = "2025-12-31T12:00:00+07:00"


def copy_site(site: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    subprocess.run(["cp", "-al", str(site / "content"), str(target / "content")], check=True)
    shutil.copy(site / "sitegen.toml", target / "sitegen.toml")
    return target


def build(site: Path, jobs: int, *args: str) -> Run:
    command = [sys.executable, "-m", "sitegen", "build", "-v", "--now", NOW, "-j", str(jobs),
               *args]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    run = timed(command, cwd=site, env=env)
    return run


def stages(output: str) -> str:
    found = re.findall(r"^\s+(\w+)\s+([\d.]+) ms$", output, re.MULTILINE)
    return ", ".join(f"{name} {float(ms) / 1000:.1f}" for name, ms in found)


def same_trees(left: Path, right: Path) -> bool:
    compared = filecmp.dircmp(left, right)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(left, right, compared.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_trees(left / d, right / d) for d in compared.common_dirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--skip-local", action="store_true")
    options = parser.parse_args()
    work, count = options.work.resolve(), options.shards
    rows: list[tuple[str, Run]] = []
    if not options.skip_local:
        local = copy_site(options.site, work / "local")
        rows.append(("local build", build(local, options.jobs, "-o", "output")))
        print(f"local: {rows[-1][1].cpu_seconds:.1f} s CPU", file=sys.stderr)
    parts = []
    for number in range(1, count + 1):
        site = copy_site(options.site, work / f"shard-{number}")
        rows.append((f"shard {number}/{count}",
                     build(site, options.jobs, "--shard", f"{number}/{count}", "-o", "part")))
        parts.append(site / "part")
        print(f"shard {number}: {rows[-1][1].cpu_seconds:.1f} s CPU", file=sys.stderr)
    # A checkout, as the CI's merge job has (static files, theme); it reads no source.
    merge = copy_site(options.site, work / "merge")
    rows.append(("merge", build(merge, options.jobs, "--merge", *map(str, parts),
                                "-o", "output")))
    print("| build | wall s | CPU s | peak MiB | stages (s) |\n|---|---|---|---|---|")
    for name, run in rows:
        print(f"| {name} | {run.seconds:.1f} | {run.cpu_seconds:.1f} | {run.peak_mib:.0f} | "
              f"{stages(run.output)} |")
    if (work / "local" / "output").is_dir():  # a local build of an earlier run, too
        same = same_trees(work / "local" / "output", merge / "output")
        print(f"\nmerged output identical to the local build: {same}")


if __name__ == "__main__":
    main()

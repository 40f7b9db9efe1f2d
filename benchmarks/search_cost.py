"""What the search index costs a build: each site built with `search` on and off.

    python benchmarks/search_cost.py                 # the sample site
    python benchmarks/search_cost.py --articles 2000 # plus a generated corpus (corpus.py)

Every build is a clean one (no cache, fresh output folder) at a fixed build
time; the figures are the median wall time of --runs builds, the Pagefind
stage on its own, and the size of the index written to pagefind/. Prints a
Markdown table, as the README's "Feeds, sitemaps, structured data and search"
section quotes it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from sitegen.build import BuildOptions, build  # noqa: E402
from sitegen.config import load_config  # noqa: E402

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def measure(site: Path, search: bool, runs: int, jobs: int) -> tuple[float, float, int, int]:
    """(median seconds, median Pagefind seconds, files, index bytes) of clean builds."""
    config = load_config(site)
    config = dataclasses.replace(config, build=dataclasses.replace(config.build, search=search))
    totals, stages = [], []
    files = size = 0
    for _ in range(runs):
        output = site / "bench-output"
        shutil.rmtree(output, ignore_errors=True)
        started = time.perf_counter()
        report = build(config, BuildOptions(now=NOW, jobs=jobs, output=output, use_cache=False))
        totals.append(time.perf_counter() - started)
        stages.append(report.timings.get("search", 0.0))
        files = report.pages
        index = output / "pagefind"
        size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) if search else 0
    return statistics.median(totals), statistics.median(stages), files, size


def sample_site(work: Path) -> Path:
    site = work / "sample"
    site.mkdir()
    shutil.copy(REPO / "sitegen.toml", site)
    shutil.copytree(REPO / "content", site / "content")
    return site


def corpus_site(work: Path, articles: int) -> Path:
    subprocess.run([sys.executable, str(HERE / "corpus.py"), str(articles), "--out",
                    str(work / "corpus")], check=True, capture_output=True)
    return work / "corpus" / "sitegen-full"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=0,
                        help="also measure a generated corpus of this many articles")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitegen-search-cost-") as folder:
        work = Path(folder)
        sites = [("sample site", sample_site(work))]
        if args.articles:
            sites.append((f"corpus, {args.articles} articles", corpus_site(work, args.articles)))
        print(f"{args.runs} clean builds each, --jobs {args.jobs}, median wall time\n")
        print("| site | files | search off | search on | of which Pagefind | index size |")
        print("|---|---|---|---|---|---|")
        for name, site in sites:
            off, _, files, _ = measure(site, False, args.runs, args.jobs)
            on, stage, _, size = measure(site, True, args.runs, args.jobs)
            print(f"| {name} | {files} | {off:.2f} s | {on:.2f} s (+{on - off:.2f} s) "
                  f"| {stage:.2f} s | {size / 1e6:.1f} MB |")


if __name__ == "__main__":
    main()

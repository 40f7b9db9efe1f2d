"""What the link check costs a build, on the generated corpus with the default theme.

    python benchmarks/check_cost.py --articles 1000

Writes the corpus (corpus.py's `sitegen-full` site, search off) into a temporary
folder and builds it at a fixed time: a clean build, a rebuild with nothing
changed, and a rebuild after one article's body changed. For each it prints the
build's wall time and its "check" stage (`BuildReport.timings`), the median of
--runs. Then the check alone over the whole built tree, with an empty index
(every page scanned, what a clean build pays) and with the index the build left
(what any rebuild pays).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

from sitegen import cache  # noqa: E402
from sitegen.build import BuildOptions, build  # noqa: E402
from sitegen.check import check_site  # noqa: E402
from sitegen.config import load_config  # noqa: E402
from sitegen.link_index import LinkIndex  # noqa: E402
from sitegen.links import MdLinks  # noqa: E402
from sitegen.state import BuildState  # noqa: E402

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def timed_build(site: Path, jobs: int) -> tuple[float, float, int]:
    config = load_config(site)
    started = time.perf_counter()
    report = build(config, BuildOptions(now=NOW, jobs=jobs))
    return time.perf_counter() - started, report.timings.get("check", 0.0), report.pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        roots = corpus.write_sites(corpus.generate(args.articles), Path(work))
        site = roots["sitegen-full"]
        toml = site / "sitegen.toml"
        # Pagefind's share of a build is measured by search_cost.py; this is the check's.
        toml.write_text(toml.read_text().replace("[build]\n", "[build]\nsearch = false\n"))
        config = load_config(site)
        rows = {"clean build": [], "nothing changed": [], "one body edited": []}
        pages = 0
        for run in range(args.runs):
            shutil.rmtree(site / "output", ignore_errors=True)
            shutil.rmtree(config.cache_dir, ignore_errors=True)
            total, checked, pages = timed_build(site, args.jobs)
            rows["clean build"].append((total, checked))
            rows["nothing changed"].append(timed_build(site, args.jobs)[:2])
            article = sorted((site / "content").glob("*/*.md"))[run]
            article.write_text(article.read_text() + f"\nKalimat tambahan {run}.\n")
            rows["one body edited"].append(timed_build(site, args.jobs)[:2])
        print(f"{args.articles} articles, {pages} files, --jobs {args.jobs}, "
              f"median of {args.runs}\n")
        print("| build | wall time | of which the link check |\n|---|---|---|")
        for name, values in rows.items():
            wall = statistics.median(v[0] for v in values)
            check = statistics.median(v[1] for v in values)
            print(f"| {name} | {wall:.2f} s | {check * 1000:.0f} ms |")
        output = config.output_dir
        files = {p.relative_to(output).as_posix(): p for p in output.rglob("*") if p.is_file()}
        for label, directory in (("empty index", None), ("warm index", config.cache_dir)):
            times = []
            for _ in range(args.runs):
                state = BuildState()
                state.attach(directory, cache.salt())
                index = LinkIndex(state if directory else None, output)
                started = time.perf_counter()
                check_site(config, files, {}, MdLinks(), index, "output")
                times.append(time.perf_counter() - started)
                state.close()  # its folder facts are not committed
            print(f"\ncheck of the whole tree, {label}: {statistics.median(times) * 1000:.0f} ms",
                  end="")
        print()


if __name__ == "__main__":
    main()

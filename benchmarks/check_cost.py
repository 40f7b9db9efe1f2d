"""What the link check costs a build, on the generated corpus with the default theme.

    python benchmarks/check_cost.py --articles 1000

Writes the corpus (corpus.py's `sitegen-full` site, search off) into a temporary
folder and builds it at a fixed time: a clean build, a rebuild with nothing
changed, and a rebuild after one article's body changed. For each it prints the
build's wall time and its "check" stage (`BuildReport.timings`), the median of
--runs. Then the check alone over the whole built tree, with an empty index
(every page scanned, what a clean build pays) and with the index the build left
(what any rebuild pays).

    python benchmarks/check_cost.py --site /tmp/cmp/after --gone 'ekonomi/x/index.html' \
        '_img/foto-005000-*'

`--site`: the check alone, in this process, on a site built and cached already (a
corpus of 10,000 with a photo a story is beyond a clean build each run), with the code
this script sits beside (copy it beside a snapshot's sitegen/ for another revision; the
site's state must be that revision's). Each run works on a copy of the site's state
file (the edges are written as pages are judged), and times in CPU seconds: nothing
gone; the files matching `--gone` taken out of the tree (a story removed with its
photo's variants: no page written, so what is judged is what linked to them); and every
page judged (what a cold build or an upgrade of the records pays).
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
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


class _Counted(LinkIndex):
    """A link index that counts the pages judged (each judged page's links are added to
    the edges once)."""

    judged = 0

    def __init__(self, state: BuildState, output: Path) -> None:
        super().__init__(state, output)
        add = self.edges.add

        def counted(page: str, targets: object) -> None:
            self.judged += 1
            add(page, targets)  # type: ignore[arg-type]

        self.edges.add = counted  # type: ignore[method-assign]


def built_site(site: Path, gone: list[str], runs: int) -> None:
    """The check alone on the cached, built `site` (see the module's docstring)."""
    config = load_config(site)
    output = config.output_dir
    files = {p.relative_to(output).as_posix(): str(p) for p in output.rglob("*")
             if p.is_file()}
    taken = {name for name in files if any(fnmatch.fnmatchcase(name, g) for g in gone)}
    print(f"{site}: {len(files)} files, {sum(n.endswith('.html') for n in files)} pages; "
          f"--gone matches {len(taken)} files")
    cases = {"nothing gone": (files, False),
             "the --gone files gone": ({n: p for n, p in files.items() if n not in taken}, False),
             "every page judged": (files, True)}
    for label, (tree, full) in cases.items():
        times, judged, pairs = [], 0, 0
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as work:
                copy = Path(work)
                for part in config.cache_dir.glob("state.sqlite*"):
                    shutil.copy2(part, copy / part.name)
                state = BuildState()
                state.attach(copy, cache.salt())
                index = _Counted(state, output)
                if full:
                    index.context = None
                started = time.process_time()
                check_site(config, tree, {}, MdLinks(), index, "output", written=[])
                times.append(time.process_time() - started)
                judged, pairs = index.judged, index.edges.pairs
                state.close()  # its folder facts are not committed
        print(f"| {label} | {statistics.median(times):.2f} CPU s (least {min(times):.2f}) "
              f"| {judged} pages judged | {pairs} pairs written |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--site", type=Path, help="a built, cached site: the check alone")
    parser.add_argument("--gone", nargs="*", default=[],
                        help="with --site: output names (patterns) to take out of the tree")
    args = parser.parse_args()
    if args.site:
        built_site(args.site, args.gone, args.runs)
        return
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

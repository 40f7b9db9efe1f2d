"""CPU seconds of rendering a site's pages with two template folders, alternating in one
process: what a template change costs or saves, without the rest of the build's noise.

    python benchmarks/render_cost.py record SITE pages.pickle      # a cold build's jobs
    python benchmarks/render_cost.py compare pages.pickle OLD/themes/default themes/default

`record` builds SITE (one process, no cache) and keeps every page's templates and
context as the worker rendered it (bodies read in). `compare` renders all of them,
in the build's order, with an environment made fresh for each round (so `once`'s
memory starts empty, as a build's worker's does), the folders in turns, and prints the
CPU seconds (`time.process_time`) of each round and the medians. The outputs are
compared byte for byte.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sitegen import render
from sitegen.build import BuildOptions, build
from sitegen.config import load_config
from sitegen.template_environment import make_environment
from sitegen.themes import Theme


def record(site: Path, out: Path) -> None:
    pages: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    original = render.render_job

    def kept(job: render.Job) -> Any:
        pages.append((job.templates, render._with_bodies(job.context)))
        return original(job)

    render.render_job = kept  # type: ignore[assignment]
    build(load_config(site), BuildOptions(jobs=1, use_cache=False))
    with out.open("wb") as file:
        pickle.dump(pages, file, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"{len(pages)} pages -> {out}")


def _round(folder: Path, pages: list[tuple[tuple[str, ...], dict[str, Any]]]
           ) -> tuple[float, list[str]]:
    environment = make_environment((Theme("default", folder.resolve(), {}),))
    for templates in {templates for templates, _ in pages}:
        environment.select_template(templates)  # compiled outside the timing
    gc.collect()
    started = time.process_time()
    texts = [environment.select_template(templates).render(context)
             for templates, context in pages]
    return time.process_time() - started, texts


def compare(pages_file: Path, folders: list[Path], rounds: int) -> None:
    with pages_file.open("rb") as file:
        pages = pickle.load(file)
    figures: dict[Path, list[float]] = {folder: [] for folder in folders}
    outputs: dict[Path, list[str]] = {}
    for trial in range(rounds):
        # Each folder in turn, the order turned every round (the load falls on all alike).
        order = folders[trial % len(folders):] + folders[:trial % len(folders)]
        for folder in order:
            seconds, outputs[folder] = _round(folder, pages)
            figures[folder].append(seconds)
            print(f"round {trial + 1} {folder} {seconds:7.2f} s CPU", file=sys.stderr)
    same = all(outputs[f] == outputs[folders[0]] for f in folders)
    print(f"{len(pages)} pages, {rounds} rounds; outputs identical: {same}")
    for folder, values in figures.items():
        print(f"{folder}: median {statistics.median(values):.2f} s CPU "
              f"({', '.join(f'{v:.2f}' for v in values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("site", type=Path)
    rec.add_argument("out", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("pages", type=Path)
    cmp.add_argument("folders", type=Path, nargs="+", help="theme folders (…/themes/default)")
    cmp.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    if args.command == "record":
        record(args.site.resolve(), args.out)
    else:
        compare(args.pages, args.folders, args.rounds)


if __name__ == "__main__":
    main()

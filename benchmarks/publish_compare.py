"""Publishing one story into a cached archive, several sitegen revisions side by side.

    git archive 0e56cd6 sitegen themes | tar -x -C /tmp/before
    python benchmarks/publish_compare.py benchmarks/.work/corpus-10000-seed1/sitegen-full \
        --count 10000 --trials 5 before=/tmp/before after=$PWD

The site folder must have been built once (its cache and output in place); a corpus
written with `corpus.py --shared-photos` needs `--shared-photos` here too (else the story
added brings a photo of its own, a publish of another kind). Each
revision gets a copy of it of its own (under --work), warmed by publishing the story
and removing it (its own spare tree's manifest and state), then in turns: the story `run.py`'s
"add one article" writes (corpus.added_story) is added and built (timed: wall and
CPU seconds of the build's whole process tree, its stage laps from `-v`), removed
and built again (not timed). Turns interleave the revisions, so a change in the
machine's load falls on each alike; the load average is printed with each run.
`--nothing`: each turn also times a build with nothing changed (after the removal).
`--remove`: each turn also times the removal's build (the link check's costliest case:
a page gone).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus


def build(site: Path, checkout: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process tree, laps and counts) of one build."""
    env = {**os.environ, "PYTHONPATH": checkout}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "-v"], cwd=site, env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"the build in {site} failed:\n{done.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    lines = done.stdout.strip().splitlines()
    laps = " ".join(f"{line.split()[0]} {float(line.split()[1]) / 1000:.2f}"
                    for line in lines if line.endswith(" ms"))
    return wall, cpu, f"{laps} | {lines[-1].partition(' in output ')[2]}"


def revisions_parser(doc: str, trials: int) -> argparse.ArgumentParser:
    """The arguments of a side-by-side run of revisions on a cached corpus site."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a cached sitegen-full site of the corpus")
    parser.add_argument("revisions", nargs="+", help="name=folder holding sitegen/ and themes/")
    parser.add_argument("--count", type=int, default=10000, help="the corpus's article count")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trials", type=int, default=trials)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-publish-compare"))
    parser.add_argument("--shared-photos", action="store_true",
                        help="the corpus was written with --shared-photos (its stories share "
                             "six photos: the story added or edited shows one of them)")
    return parser


def main() -> None:
    parser = revisions_parser(__doc__, trials=5)
    parser.add_argument("--nothing", action="store_true",
                        help="also time a build with nothing changed, each turn")
    parser.add_argument("--remove", action="store_true",
                        help="also time the build that removes the story again, each turn")
    args = parser.parse_args()
    data = corpus.generate(args.count, args.seed, shared_photos=args.shared_photos)
    story = corpus.added_story(data)
    relative, text = corpus.sitegen_file(story)
    # A shared photo is the archive's: it stays when the story is removed.
    photo = None if story.shared else corpus.photo_paths(story)["sitegen-full"]
    revisions = dict(r.split("=", 1) for r in args.revisions)
    sites = {}
    for name, checkout in revisions.items():
        site = sites[name] = args.work / name
        if not site.exists():
            shutil.copytree(args.site, site, symlinks=True)
        # Warmed by one publish and its undoing: the state then holds what this revision
        # records (a build with nothing changed records nothing).
        corpus.write_photo(story, data, site, "sitegen-full")  # published with its photo
        (site / relative).write_text(text, "utf-8")
        build(site, checkout)
        (site / relative).unlink()
        if photo is not None:
            (site / photo).unlink()
        build(site, checkout)
    seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in revisions}
    still: dict[str, list[tuple[float, float]]] = {name: [] for name in revisions}
    gone: dict[str, list[tuple[float, float]]] = {name: [] for name in revisions}
    for _ in range(args.trials):
        for name, checkout in revisions.items():
            corpus.write_photo(story, data, sites[name], "sitegen-full")
            (sites[name] / relative).write_text(text, "utf-8")
            load = os.getloadavg()[0]
            wall, cpu, laps = build(sites[name], checkout)
            seconds[name].append((wall, cpu))
            print(f"{name:<8} wall {wall:6.2f} s  cpu {cpu:6.2f} s  load {load:5.2f}  {laps}",
                  flush=True)
            (sites[name] / relative).unlink()
            if photo is not None:
                (sites[name] / photo).unlink()
            load = os.getloadavg()[0]
            wall, cpu, laps = build(sites[name], checkout)
            if args.remove:
                gone[name].append((wall, cpu))
                print(f"{name:<8} remove: wall {wall:6.2f} s  cpu {cpu:6.2f} s  load "
                      f"{load:5.2f}  {laps}", flush=True)
            if args.nothing:
                load = os.getloadavg()[0]
                wall, cpu, _ = build(sites[name], checkout)
                still[name].append((wall, cpu))
                print(f"{name:<8} nothing changed: wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
                      f"load {load:5.2f}", flush=True)
    for label, table in (("publish", seconds), ("remove", gone), ("nothing changed", still)):
        for name, runs in table.items():
            if not runs:
                continue
            walls, cpus = sorted(w for w, _ in runs), sorted(c for _, c in runs)
            print(f"{label}: {name:<8} median wall {walls[len(walls) // 2]:.2f} s (least "
                  f"{walls[0]:.2f})  median cpu {cpus[len(cpus) // 2]:.2f} s (least {cpus[0]:.2f})")


if __name__ == "__main__":
    main()

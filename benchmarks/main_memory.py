"""Issue 18: how the planning process's peak memory grows per article, text only and
with a photo a story, side by side.

    python benchmarks/main_memory.py --sizes 1000 4000 --work /tmp/main-memory

Each build is a cold build of `tests/test_memory.py`'s archive (short articles over
four sections, 110 tags, 40 authors, six years; search off; `--jobs 2`), in a process
of its own after a 50-article build, measured as the test measures it: tracemalloc's
peak in the building process (workers not counted). The photo corpus gives every
article its own 480 x 320 JPEG as its hero, under a folder of its own, as a newsroom's
archive has them (`archive(photos=True)`, which the test measures too). tracemalloc
counts bytes, so the machine's load does not move the figures; the timing of the
workers' answers moves them by about 2 %.
Prints one JSON object: the peaks and the growth per article between the sizes.

    python benchmarks/main_memory.py --sizes 1000 2000 --corpora photos --work /tmp/m --where 25

`--where N` says where the growth is instead: each build again, with a thread that takes
a tracemalloc snapshot (eight frames) whenever the traced memory passes its last one by
1 % near the peak, then the N lines of code whose memory held at that moment grew most
between the sizes, and the stage of `build()` that allocated it. The snapshots cost
memory and time of their own: take the peaks from a run without it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r'''
import sys
from pathlib import Path
from tests.conftest import build_site
from tests.test_memory import archive, main_process_peak

work, count, photos = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "photos"
build_site(archive(work / "warm-up", 50, photos), jobs=2)
print(main_process_peak(archive(work / "site", count, photos), sys.argv[4] == "on"))
'''

WHERE = r'''
import sys, threading, time, tracemalloc
from pathlib import Path
from tests.conftest import build_site
from tests.test_memory import archive

work, count, photos = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "photos"
dump = sys.argv[4]
build_site(archive(work / "warm-up", 50, photos), jobs=2)
site = archive(work / "site", count, photos)
taken = {"size": 0, "snapshot": None}
done = threading.Event()

def watch():  # near the peak, a snapshot each time the memory passes the last by 1 %
    while not done.wait(0.05):
        now, peak = tracemalloc.get_traced_memory()
        if now > taken["size"] * 1.01 and now > 0.9 * peak:
            taken["size"], taken["snapshot"] = now, tracemalloc.take_snapshot()

tracemalloc.start(8)
watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
build_site(site, jobs=2)
done.set()
watcher.join()
taken["snapshot"].dump(dump)
print(taken["size"])
'''


def peak(work: Path, count: int, corpus: str, collector: str = "on") -> int:
    folder = work / f"{corpus}-{count}"
    done = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(count), corpus,
                           collector],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-4000:])
    return int(done.stdout.split()[-1])


def where(work: Path, small: int, large: int, corpus: str, lines: int) -> None:
    """Print where the memory held near the peak grew between the sizes (see --where)."""
    import tracemalloc
    snapshots = {}
    for count in (small, large):
        folder = work / f"where-{corpus}-{count}"
        dump = work / f"where-{corpus}-{count}.snapshot"
        done = subprocess.run([sys.executable, "-c", WHERE, str(folder), str(count), corpus,
                               str(dump)], cwd=ROOT, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise SystemExit(done.stderr[-4000:])
        snapshots[count] = tracemalloc.Snapshot.load(str(dump))
    print(f"{corpus}: bytes an article held near the peak, {small} -> {large}")
    stages: dict[str, int] = {}
    for count, sign in ((large, 1), (small, -1)):
        for trace in snapshots[count].traces:
            stage = next((f"build.py:{f.lineno}" for f in trace.traceback
                          if f.filename.endswith("sitegen/build.py")), "elsewhere")
            stages[stage] = stages.get(stage, 0) + sign * trace.size
    for stage, size in sorted(stages.items(), key=lambda item: -item[1])[:12]:
        print(f"  {size / (large - small):8.0f}  allocated under {stage}")
    for stat in snapshots[large].compare_to(snapshots[small], "lineno")[:lines]:
        print(f"  {stat.size_diff / (large - small):8.0f}  {stat.count_diff:+7d} objects  "
              f"{stat.traceback[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=(1000, 4000))
    parser.add_argument("--work", type=Path, required=True, help="a folder for the corpora")
    parser.add_argument("--corpora", nargs="+", default=("text", "photos"),
                        choices=("text", "photos"))
    parser.add_argument("--where", type=int, metavar="N", default=0,
                        help="print the N lines of code whose memory grew most instead")
    parser.add_argument("--collector", choices=("on", "off"), default="on",
                        help="'off': build as `sitegen build` does, with the cyclic collector "
                             "off (the photo memory test's way: no full collection's moment "
                             "moves the peak)")
    args = parser.parse_args()
    small, large = args.sizes
    if args.where:
        for corpus in args.corpora:
            where(args.work, small, large, corpus, args.where)
        return
    found = {}
    for corpus in args.corpora:
        peaks = {count: peak(args.work, count, corpus, args.collector)
                 for count in (small, large)}
        found[corpus] = {"peak_bytes": peaks,
                         "growth_bytes_per_article": round((peaks[large] - peaks[small])
                                                           / (large - small))}
        print(json.dumps({corpus: found[corpus]}), file=sys.stderr, flush=True)
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()

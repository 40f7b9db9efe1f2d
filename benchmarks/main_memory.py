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
print(main_process_peak(archive(work / "site", count, photos)))
'''


def peak(work: Path, count: int, corpus: str) -> int:
    folder = work / f"{corpus}-{count}"
    done = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(count), corpus],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-4000:])
    return int(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=(1000, 4000))
    parser.add_argument("--work", type=Path, required=True, help="a folder for the corpora")
    parser.add_argument("--corpora", nargs="+", default=("text", "photos"),
                        choices=("text", "photos"))
    args = parser.parse_args()
    small, large = args.sizes
    found = {}
    for corpus in args.corpora:
        peaks = {count: peak(args.work, count, corpus) for count in (small, large)}
        found[corpus] = {"peak_bytes": peaks,
                         "growth_bytes_per_article": round((peaks[large] - peaks[small])
                                                           / (large - small))}
        print(json.dumps({corpus: found[corpus]}), file=sys.stderr, flush=True)
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()

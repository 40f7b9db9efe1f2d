"""The early answer's own cost (sitegen/nothing_changed.py) on a corpus too large to build
cold here: an answer is planted as a build would leave it, then `sitegen build` tells it.

    python benchmarks/early_answer_cost.py SITE [--files N] [--runs 3]

SITE is a corpus site (e.g. `corpus-100000-seed1/sitegen/`) that need not have been
built. The planted answer holds N output names (default: 3 a source, about what the
default theme makes), no warning, and a clock window of one day from now; its output
folder is made empty but for its marker. What is measured is then what a real answer
costs: start-up, the walk and a stat of every source and theme file, the state opened
and the answer's record read, the report told (CPU of the process, and the wall time,
which a loaded machine inflates). On a site that was built, the warm-up build would
replace the plant with the real answer: use a copy that was not built, or expect that.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sitegen import cache, nothing_changed, themes  # noqa: E402
from sitegen.build_options import BuildOptions  # noqa: E402
from sitegen.config import load_config  # noqa: E402
from sitegen.state import BuildState  # noqa: E402
from sitegen.tree_files import MARKER  # noqa: E402


def plant(site: Path, files: int) -> None:
    """Leave the answer a build of `site` would leave, naming `files` output files."""
    config = load_config(site)
    output = config.output_dir.resolve()
    output.mkdir(parents=True, exist_ok=True)
    (output / MARKER).write_text("This folder is written by sitegen build.\n")
    now = dt.datetime.now(dt.UTC)
    options = BuildOptions(now=now)
    chain = themes.resolve_chain(config)
    digest, _, _ = nothing_changed._seen(config, options, output, chain, time.time_ns())
    names = sorted(f"section/story-{i:07d}/index.html" for i in range(files))
    state = BuildState(kept=False)
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    state.attach(config.cache_dir, cache.salt())
    start = nothing_changed._micros(now)
    state.put(*nothing_changed._where(output), [
        nothing_changed.VERSION, digest, start, start + 86_400_000_000,
        nothing_changed._marker(output), zlib.compress("\n".join(names).encode(), 1),
        len(names), [], [], [0, 0, 0, ""], []])
    state.commit()
    state.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--files", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site = args.site.resolve()
    sources = sum(len(f) for _, _, f in os.walk(site / "content"))
    plant(site, args.files or 3 * sources)
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    found = []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-P", "-m", "sitegen", "build", "--source",
                               str(site), "-v"], env=env, check=True, capture_output=True,
                              text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if "early" not in done.stdout:
            raise SystemExit(f"the planted answer was not told:\n{done.stdout}{done.stderr}")
        found.append(((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
                      wall))
    cpu = [c for c, _ in found]
    print(f"{site}: {sources} files below content/, the answer told: CPU median "
          f"{statistics.median(cpu):.2f} s (runs {', '.join(f'{c:.2f}' for c in cpu)}), "
          f"wall median {statistics.median(w for _, w in found):.2f} s")


if __name__ == "__main__":
    main()

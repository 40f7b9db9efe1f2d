"""The rebuild `sitegen serve` makes after one body edit, timed in one process.

    python benchmarks/serve_rebuild.py benchmarks/.work/corpus-100000-seed1/sitegen-full

builds the site once in this process (which fills the in-memory tables, as the
preview's first build does), then appends a sentence to one article's body and
builds again, twice, printing each rebuild's time, how many pages it planned
and each stage's share. It measures the working tree's sitegen. run.py's watch
mode measures the real server up to the page on disk; this script exists for
sizes where starting `serve` and waiting for its first build is impractical.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.build import BuildOptions, build
from sitegen.config import load_config
from sitegen.state import BuildState


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    kept = BuildState()
    started = time.perf_counter()
    report = build(load_config(args.site), BuildOptions(jobs=args.jobs, state=kept))
    print(f"first build: {time.perf_counter() - started:.1f} s, {len(report.planned)} planned",
          flush=True)
    sources = sorted((args.site / "content").rglob("*.md"))
    source = sources[len(sources) // 2]  # an article from the middle of the archive
    for number in range(2):
        source.write_text(source.read_text(encoding="utf-8")
                          + f"\n\nKalimat tambahan {number}.\n", encoding="utf-8")
        started, cpu = time.perf_counter(), time.process_time()
        report = build(load_config(args.site), BuildOptions(jobs=args.jobs, state=kept))
        cpu = time.process_time() - cpu
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items())
        print(f"rebuild after a body edit: {time.perf_counter() - started:.1f} s "
              f"(main process CPU {cpu:.2f} s), "
              f"{len(report.planned)} planned ({stages})", flush=True)


if __name__ == "__main__":
    main()

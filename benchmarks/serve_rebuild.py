"""The rebuild `sitegen serve` makes after one body edit, timed in one process.

    python benchmarks/serve_rebuild.py benchmarks/.work/corpus-10000-seed1/sitegen-full

starts the preview's rebuild machinery (`serve.Preview`, with the search index, without
its HTTP server and watcher) on the site, builds it once (which fills the in-memory
state, as the preview's first build does), then appends a sentence to one article's
body, as a save would, and rebuilds, several times, alternating:

- `serve`: what `sitegen serve` does now: the pages showing the edited body written
  first (body_edits.py), then the full build;
- `build only`: the full build alone (what `serve` did before body_edits.py).

For each it prints the time from the save to the edited page's new bytes on disk (wall
and this process's CPU seconds) and to the end of the rebuild. It measures the working
tree's sitegen. run.py's watch mode measures the real server (watcher included).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.build import BuildOptions, BuildReport, build
from sitegen.config import Config
from sitegen.serve import Preview, ServeOptions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--edits", type=int, default=3, help="edits of each kind")
    args = parser.parse_args()
    marks: list[tuple[float, float]] = []
    marker = [""]
    reports: list[BuildReport] = []
    pages: list[Path] = []
    held: list[bool] = []

    def builder(config: Config, options: BuildOptions) -> BuildReport:
        marks.append((time.perf_counter(), time.process_time()))  # the early pages are out
        held.append(bool(pages) and marker[0].encode() in pages[0].read_bytes())
        reports.append(build(config, options))
        return reports[-1]

    preview = Preview(args.site, ServeOptions(port=0, search=True, jobs=args.jobs),
                      echo=lambda message, problem: None, builder=builder)
    started = time.perf_counter()
    preview.rebuild(set())
    print(f"first build: {time.perf_counter() - started:.1f} s, {reports[-1].pages} files, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    sources = sorted((args.site / "content").rglob("*.md"))
    source = sources[len(sources) // 2]  # an article from the middle of the archive
    relative = source.relative_to(args.site).as_posix()
    pages.append(next(preview.folder / page for page, shown in reports[-1].sources.items()
                      if shown == relative and page.endswith(".html")))
    original = source.read_text(encoding="utf-8")
    try:
        for number in range(args.edits * 2):
            fast = number % 2 == 0
            marker[0] = f"Kalimat tambahan {number}."
            source.write_text(f"{original}\n\n{marker[0]}\n", encoding="utf-8")
            if not fast:  # as before body_edits.py: no kept last build, the full build only
                preview.build_state.memo.pop(("serve", "last build"), None)
            started, cpu = time.perf_counter(), time.process_time()
            preview.rebuild({source})
            ended, cpu_end = time.perf_counter(), time.process_time()
            at, cpu_at = marks[-1] if fast else (ended, cpu_end)
            report = reports[-1]
            stages = ", ".join(f"{k} {v:.2f}" for k, v in report.timings.items())
            if fast and not held[-1]:
                print("the page did not hold the edit when the full build began", flush=True)
            print(f"{'serve' if fast else 'build only':<10}  page on disk "
                  f"{at - started:6.3f} s (CPU {cpu_at - cpu:5.3f} s)  whole rebuild "
                  f"{ended - started:6.3f} s (CPU {cpu_end - cpu:5.3f} s)  "
                  f"load {os.getloadavg()[0]:.1f}  [{stages}]", flush=True)
    finally:
        source.write_text(original, encoding="utf-8")
        preview.server.server_close()
        preview.build_state.close()


if __name__ == "__main__":
    main()

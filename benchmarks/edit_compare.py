"""One body edit in a cached archive, several sitegen revisions side by side (as
publish_compare.py does for publishing a story).

    python benchmarks/edit_compare.py benchmarks/.work/corpus-10000-seed1/sitegen-full \
        --count 10000 --trials 3 before=/tmp/before after=/tmp/after

The site folder must have been built once. Each revision gets a copy of it of its own
(under --work, shared with publish_compare.py's copies when they are there), built
once; then in turns: the middle story's body is edited (corpus.edit_body, as run.py
edits it) and built (timed: wall and CPU seconds of the build's process tree, its stage
laps), and the edit undone and built again (not timed).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from publish_compare import build, revisions_parser


def main() -> None:
    parser = revisions_parser(__doc__, trials=3)
    args = parser.parse_args()
    data = corpus.generate(args.count, args.seed, shared_photos=args.shared_photos)
    relative, text = corpus.sitegen_file(data.stories[len(data.stories) // 2])
    revisions = dict(r.split("=", 1) for r in args.revisions)
    sites = {}
    for name, checkout in revisions.items():
        site = sites[name] = args.work / name
        if not site.exists():
            shutil.copytree(args.site, site, symlinks=True)
        (site / relative).write_text(text, "utf-8")
        build(site, checkout)
    cpus: dict[str, list[float]] = {name: [] for name in revisions}
    for trial in range(args.trials):
        for name, checkout in revisions.items():
            (sites[name] / relative).write_text(corpus.edit_body(text, f"sunting{trial}"),
                                                "utf-8")
            wall, cpu, laps = build(sites[name], checkout)
            cpus[name].append(cpu)
            print(f"{name:<8} edit: wall {wall:6.2f} s  cpu {cpu:6.2f} s  {laps}", flush=True)
            (sites[name] / relative).write_text(text, "utf-8")
            build(sites[name], checkout)
    for name, runs in cpus.items():
        ordered = sorted(runs)
        print(f"body edit: {name:<8} median cpu {ordered[len(ordered) // 2]:.2f} s "
              f"(least {ordered[0]:.2f})")


if __name__ == "__main__":
    main()

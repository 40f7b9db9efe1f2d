"""The build with nothing changed after a racy build, two versions of sitegen side by side.

    python benchmarks/racy_answer_compare.py SITE --before DIR [--after DIR] [--runs 3]
        [--all] [--ahead S]

SITE is a corpus site already built (e.g. a corpus's `sitegen-full/` after a cold build).
Each turn, for each version in turn: one story's body is edited (every other turn put
back) and the site built at once, so that the walk sees a file changed within
nothing_changed.RACY_NS (a save and a build); then the site is built again with nothing
changed, and then once more. `--all`: every source's modification time is set to now
before the racy build instead (a checkout, a copy or an unpacked archive, then a build):
every source is racy. `--ahead S`: the saved files' modification time is set S seconds
ahead of the clock, so that the walk finds them within the window however long the
build takes to start on a loaded machine (a save and a build at once). Figures: CPU
seconds (user + system) of each build's process tree, and whether it told the early
answer (`-v` prints its `early` lap). Compare the CPU within one run: a loaded machine
inflates the wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import publish_compare  # noqa: E402


def one_build(site: Path, code: Path) -> tuple[float, bool]:
    """(CPU seconds of the process tree, whether the early answer was told): the build as
    publish_compare measures it, its laps telling whether only `early` ran."""
    _, cpu, laps = publish_compare.build(site, str(code))
    return cpu, laps.split()[:1] == ["early"]


def touch(site: Path, turn: int, every: bool, ahead: float = 0) -> None:
    """A save just before the build: one story's body edited, or every source touched."""
    content = site / "content"
    now = time.time_ns() + int(ahead * 1e9)
    if every:
        for folder, _, files in os.walk(content):
            for name in files:
                if name.endswith(".md"):
                    os.utime(os.path.join(folder, name), ns=(now, now))
        return
    story = min(p for p in (content / "ekonomi").iterdir() if p.suffix == ".md")
    text = story.read_text(encoding="utf-8")
    marker = "\n\nSatu kalimat tambahan.\n"
    story.write_text(text.replace(marker, "") if turn % 2 else text + marker, encoding="utf-8")
    if ahead:
        os.utime(story, ns=(now, now))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=HERE.parent)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--all", action="store_true", help="every source racy")
    parser.add_argument("--ahead", type=float, default=0,
                        help="seconds the saved files' time is set ahead of the clock")
    args = parser.parse_args()
    versions = {"before": args.before.resolve(), "after": args.after.resolve()}
    steps = ("racy build", "nothing changed", "nothing changed again")
    found: dict[str, dict[str, list[tuple[float, bool]]]] = {
        name: {step: [] for step in steps} for name in versions}
    turn = 0
    for _ in range(args.runs):
        for name, code in versions.items():
            touch(args.site, turn, args.all, args.ahead)
            turn += 1
            for step in steps:
                found[name][step].append(one_build(args.site, code))
        print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for name, by_step in found.items():
        for step, runs in by_step.items():
            cpu = [c for c, _ in runs]
            print(f"{name:<7} {step:<22} CPU median {statistics.median(cpu):7.2f} s (runs "
                  f"{', '.join(f'{c:.2f}' + ('e' if e else '') for c, e in runs)})")
    print("(e: the early answer was told)")
    for step in steps:
        ratio = statistics.median(c for c, _ in found["after"][step]) / \
            statistics.median(c for c, _ in found["before"][step])
        print(f"after / before, {step}: {ratio:.3f}")


if __name__ == "__main__":
    main()

"""What reading one article costs a cold build's worker: `readers.read_source`, profiled.

    python benchmarks/profile_read.py benchmarks/.work/corpus-1000-seed1/sitegen-full
    python benchmarks/profile_read.py SITE --code 3   # a code block in every 3rd article

reads every source of the site in this process, as a build's worker does
(the converter and its caches warm after the first article), first without
the profiler to time it (process CPU time, so the machine's load matters
less), then under cProfile. `--code N` works on a copy of the site where
every Nth article ends with one of a few code blocks, as a how-to or a
series repeats its snippet (the corpus has none). Prints the CPU time per
article and the top functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

if "--before" not in sys.argv:  # else the installed sitegen (PYTHONPATH)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen import readers
from sitegen.config import load_config

try:  # absent before the highlight cache: `--before` runs main's modules for comparison
    from sitegen.code_highlight import CACHE
except ImportError:
    CACHE = None

SNIPPETS = [
    ("python", "import json\n\ndef load(path):\n    with open(path) as f:\n"
               "        return json.load(f)  # {n}\n"),
    ("javascript", "const items = await fetch('/api/items').then((r) => r.json());\n"
                   "for (const item of items) {{\n  console.log(item.title, {n});\n}}\n"),
    ("bash", "curl -s https://example.org/data.csv \\\n  | cut -d, -f2 | sort | uniq -c\n"),
    ("sql", "SELECT section, COUNT(*) FROM articles\nWHERE year = {n}\nGROUP BY section;\n"),
]


def with_code(site: Path, every: int, work: Path) -> Path:
    copy = work / "site"
    shutil.copytree(site / "content", copy / "content")
    shutil.copy(site / "sitegen.toml", copy)
    for i, source in enumerate(sorted((copy / "content").rglob("*.md"))):
        if i % every == 0:
            language, code = SNIPPETS[i % len(SNIPPETS)]
            block = code.format(n=i % 7)  # seven variants of each: repeated, as in a series
            source.write_text(source.read_text(encoding="utf-8")
                              + f"\n\n```{language}\n{block}```\n", encoding="utf-8")
    return copy


def read_all(site: Path) -> int:
    config = load_config(site)
    sources = readers.discover(config)
    for path in sources:
        readers.read_source(path, config)
    return len(sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--code", type=int, default=0, help="a code block every N articles")
    parser.add_argument("--top", type=int, default=20, help="0: the time only, no profile")
    parser.add_argument("--before", action="store_true",
                        help="import sitegen from PYTHONPATH, not from this checkout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitegen-profile-read-") as folder:
        site = with_code(args.site, args.code, Path(folder)) if args.code else args.site
        read_all(site)  # warm: imports, the converter, the disk cache
        if CACHE:
            CACHE.clear()
        started = time.process_time()
        count = read_all(site)
        cpu = time.process_time() - started
        print(f"{count} sources, {cpu:.2f} s CPU, {cpu / count * 1000:.2f} ms per source"
              + (f"; highlight cache {CACHE.hits} hits, {CACHE.misses} misses" if CACHE else ""))
        if CACHE:
            CACHE.clear()
        if not args.top:  # the time only
            return
        profile = cProfile.Profile()
        profile.runcall(read_all, site)
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue().split("\n", 6)[-1])


if __name__ == "__main__":
    main()

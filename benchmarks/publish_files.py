"""How many files publishing one story writes, on the benchmark corpus, text only.

    PYTHONPATH=. python benchmarks/publish_files.py --articles 1000 --work /tmp/publish

Builds the default-theme site of `corpus.py` (hero images left out, search off: the
count is about pages, and Pagefind on 10,000 pages twice would take most of the
time) cold, then adds the story `corpus.added_story` writes (the newest) and builds
again. Prints one JSON line: files planned, rendered and written by that second
build, and its seconds. Which sitegen runs is PYTHONPATH's: point it at another
checkout (e.g. a `git archive` of main) to compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from sitegen.build import BuildOptions, build
from sitegen.config import load_config

NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def text_only(text: str) -> str:
    return re.sub(r"^image(_alt|_caption|_credit)?: .*\n", "", text, flags=re.MULTILINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    stories = corpus.generate(args.articles)
    site = args.work / f"site-{args.articles}"
    files = corpus.site_files(stories)["sitegen-full"]
    for relative, content in files.items():
        if relative.startswith("content/static/"):
            continue
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else content.decode()
        if relative == "sitegen.toml":
            text = text.replace("[build]\n", "[build]\nsearch = false\n")
        path.write_text(text_only(text), encoding="utf-8")
    options = BuildOptions(now=NOW, jobs=args.jobs)
    started = time.perf_counter()
    build(load_config(site), options)
    cold = time.perf_counter() - started
    relative, text = corpus.sitegen_file(corpus.added_story(stories))
    (site / relative).write_text(text_only(text), encoding="utf-8")
    started = time.perf_counter()
    report = build(load_config(site), options)
    print(json.dumps({"articles": args.articles, "cold_s": round(cold, 1),
                      "publish_s": round(time.perf_counter() - started, 2),
                      "planned": len(report.planned), "rendered": len(report.rendered),
                      "written": len(report.written)}))


if __name__ == "__main__":
    main()

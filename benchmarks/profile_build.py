"""Where a cold sitegen build spends its time: cProfile in one process, summed by area.

    python benchmarks/profile_build.py --articles 10000
    python benchmarks/profile_build.py --articles 10000 --site sitegen-full --top 40

Profiles `sitegen build --jobs 1` (one process, so the profile sees every
stage, the work that workers would share included) on the corpus run.py uses,
after deleting the output and the cache (`--build nochange`: after one
unprofiled build, so the profile shows a rebuild with nothing changed;
`--build edit`: the same after editing one article's body).
Prints the total, the time summed by area (library, sitegen module, Jinja
templates, I/O), and the top functions by own time and by cumulative time.
cProfile slows Python code more than C code, so read the shares, not the
absolute seconds.
"""

from __future__ import annotations

import argparse
import io
import pstats
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import run

_SITE_PACKAGES = re.compile(r"site-packages/([^/]+)")
_SITEGEN = re.compile(r"(?:^|/)sitegen/(\w+)\.py$")


def area(filename: str, function: str) -> str:
    """The part of the program a profiled function belongs to."""
    if filename == "~":
        if any(word in function for word in ("write", "read", "open", "stat", "mkdir", "rmdir",
                                             "link", "rename", "replace", "scandir", "listdir",
                                             "unlink", "close", "utime", "fsync")):
            return "file I/O (built-ins)"
        if match := re.search(r"of '([\w.]+)' objects", function):
            return f"built-in methods of {match.group(1)}"
        name = re.sub(r" at 0x\w+|[<>{}]", "", function)
        return f"built-in {name.split()[2] if name.startswith('built-in method') else name}"
    if filename.endswith((".html", ".xml", ".json", ".txt")):
        return "Jinja templates (compiled code)"
    if match := _SITEGEN.search(filename):
        return f"sitegen.{match.group(1)}"
    if match := _SITE_PACKAGES.search(filename):
        return match.group(1).removesuffix(".py")
    if match := re.search(r"python3\.\d+/(.+)\.py$", filename):
        return f"stdlib {match.group(1).removesuffix('/__init__')}"
    return filename


def summarise(profile: Path, top: int) -> str:
    stats = pstats.Stats(str(profile))
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _, function), entry in raw.items():
        by_area[area(filename, function)] += entry[2]
    lines = [f"total own time under the profiler: {total:.1f} s", "",
             "| area | own time | share |", "|---|---:|---:|"]
    for name, seconds in sorted(by_area.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"| {name} | {seconds:.2f} s | {seconds / total:.1%} |")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(str(profile), stream=out).sort_stats(order).print_stats(top)
        text = out.getvalue()
        lines += ["", f"top {top} functions by {order}:", "```",
                  text[text.index("ncalls"):].rstrip() if "ncalls" in text else text, "```"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--site", default="sitegen", choices=("sitegen", "sitegen-full"),
                        help="sitegen: the trimmed comparison site; sitegen-full: the default")
    parser.add_argument("--sitegen", default="HEAD", help="git revision, or 'worktree'")
    parser.add_argument("--work", type=Path, default=run.HERE / ".work")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--build", default="cold", choices=("cold", "nochange", "edit"),
                        help="cold: no output, no cache; nochange: profile a second build "
                             "after an unprofiled first one; edit: the same after editing "
                             "one article's body")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    work = args.work.resolve()
    env, revision = run.sitegen_env(args.sitegen, work)
    data = corpus.generate(args.articles, args.seed)
    sites = corpus.cached_sites(data, work)
    edits = run.Edits(data, sites)
    edits.restore()
    site = sites[args.site]
    tool = run.generators(sites, env, run.hugo_binary(), work)[args.site]
    tool.clean()
    if args.build != "cold":
        tool.run()
    if args.build == "edit":
        edits.edit(args.site, "profiledit")
    profile = work / f"profile-{args.site}-{args.articles}-{args.build}.prof"
    command = [sys.executable, "-P", "-m", "cProfile", "-o", str(profile), "-m", "sitegen",
               "build", "--source", str(site), "--jobs", "1", "--verbose"]
    print(f"sitegen {revision}; {args.articles} articles; {args.build} build; "
          f"{' '.join(command[2:])}", file=sys.stderr)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True)
    edits.restore()
    if result.returncode:
        sys.exit(result.stdout + result.stderr)
    print(f"wall time under the profiler, --jobs 1: {time.perf_counter() - started:.1f} s")
    print("sitegen's own stage timings:\n" + result.stdout.strip() + "\n")
    print(summarise(profile, args.top))


if __name__ == "__main__":
    main()

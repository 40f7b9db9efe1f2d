"""Measure `sitegen serve`: the time from saving an article to the browser showing it.

    python scripts/measure_reload.py [--runs 5] [--sizes sample,1000] [--jobs 2] [--search]

For each site it starts the real command (`python -m sitegen serve --port 0`),
opens the article in headless Chromium through Playwright, and then, run
after run, rewrites the article's title on disk and times until the open page
shows the new title by itself: watcher, debounce, rebuild, long-poll answer,
reload and render, all included. It prints the median and every run, plus the
rebuild time the server reported. "sample" is a copy of this repository's
sample site (the publisher's seed article is edited); a number N is a
generated N-article site from benchmarks/corpus.py (its newest article, the
one a writer would be working on, is edited).

A measurement, not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = ("content/ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as.md",
        "ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/")
CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
TIMEOUT = 600.0


def sample_site(work: Path) -> tuple[Path, str, str]:
    site = work / "sample"
    site.mkdir()
    shutil.copy(REPO / "sitegen.toml", site / "sitegen.toml")
    shutil.copytree(REPO / "content", site / "content")
    return site, *SEED


def generated_site(work: Path, count: int) -> tuple[Path, str, str]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import corpus

    generated = corpus.generate(count, seed=1)
    site = corpus.write_sites(generated, work / f"corpus-{count}")["sitegen-full"]
    newest = max(generated.stories, key=lambda story: story.date)
    source, _ = corpus.sitegen_file(newest)
    return site, source, f"{newest.section}/{newest.slug}/"


class Server:
    """`sitegen serve` in a child process; its output is kept for the reported build times."""

    def __init__(self, site: Path, options: list[str]) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--source", str(site), "--port", "0",
             *options],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""
        while not self.url:
            line = self.lines.get(timeout=TIMEOUT)
            if line.startswith("sitegen: serving "):
                self.url = line.split()[2]
        self.startup = time.perf_counter() - self.started

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def build_times(self) -> list[float]:
        """Rebuild seconds reported since the last call."""
        found = []
        while not self.lines.empty():
            match = re.search(r"^sitegen: built .* in (\d+\.\d+) s", self.lines.get())
            if match:
                found.append(float(match.group(1)))
        return found

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=TIMEOUT)


def set_title(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.MULTILINE),
                    encoding="utf-8")


def measure(name: str, site: Path, source: str, url_path: str, runs: int, options: list[str],
            browser: Any) -> dict[str, Any]:
    server = Server(site, options)
    page = browser.new_page()
    try:
        page.goto(server.url + url_path)
        page.wait_for_selector("h1")
        times, builds = [], []
        for number in range(1, runs + 1):
            time.sleep(1.0)  # let the previous build's echoes die down
            server.build_times()
            title = f"Judul Uji Nomor {number} {time.time_ns()}"
            started = time.perf_counter()
            set_title(site / source, title)
            page.wait_for_function("title => document.querySelector('h1') && "
                                   "document.querySelector('h1').textContent.includes(title)",
                                   arg=title, timeout=TIMEOUT * 1000, polling="raf")
            times.append(time.perf_counter() - started)
            builds.extend(server.build_times())
            print(f"  {name} run {number}: {times[-1] * 1000:.0f} ms", flush=True)
        return {"startup": server.startup, "times": times, "builds": builds}
    finally:
        page.close()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="sample,1000",
                        help="comma-separated: 'sample' and/or article counts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="sitegen serve --jobs")
    parser.add_argument("--search", action="store_true", help="sitegen serve --search")
    args = parser.parse_args()
    options = ["--jobs", str(args.jobs), *(["--search"] if args.search else [])]
    from playwright.sync_api import sync_playwright

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
          f"sitegen serve {' '.join(options)}", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as temporary, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes.split(","):
            work = Path(temporary) / size
            work.mkdir()
            site, source, url_path = (sample_site(work) if size == "sample"
                                      else generated_site(work, int(size)))
            articles = sum(1 for _ in (site / "content").rglob("*.md"))
            name = f"{size} ({articles} files)"
            results[name] = measure(name, site, source, url_path, args.runs, options, browser)
        browser.close()
    print("\nsave -> browser shows the new title (median of runs; all runs in ms):")
    for name, result in results.items():
        runs = ", ".join(f"{t * 1000:.0f}" for t in result["times"])
        builds = result["builds"]
        build = f"{statistics.median(builds) * 1000:.0f} ms" if builds else "?"
        print(f"  {name:<20} {statistics.median(result['times']) * 1000:6.0f} ms "
              f"[{runs}]; rebuild as reported {build}; first build and start "
              f"{result['startup']:.1f} s")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

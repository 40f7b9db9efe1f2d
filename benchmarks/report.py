"""The Markdown report of a benchmark run, from the results run.py saves as JSON.

    python benchmarks/report.py benchmarks/.work/results-20261128-050000.json

prints the same report again (e.g. after changing its layout).
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from pathlib import Path
from typing import Any

MEASURES = (  # key, row label
    ("cold", "cold build"),
    ("cold_no_cache", "cold build, `--no-cache`"),
    ("nochange", "rebuild, nothing changed"),
    ("edit", "rebuild after editing one article's body"),
    ("add", "rebuild after adding one article"),
)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def mib(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} MiB"


def ratio(mine: float | None, theirs: float | None) -> str:
    if mine is None or theirs is None or theirs == 0:
        return "–"
    value = mine / theirs
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def count(n: int) -> str:
    return f"{n:,}"


def _times(size: dict[str, Any], tool: str, kind: str, field: str = "seconds") -> float | None:
    return median([r[field] for r in size["runs"].get(tool, {}).get(kind, []) if field in r])


def _peak(size: dict[str, Any], tool: str, key: str = "peak_mib") -> float | None:
    return median([r[key] for r in size["runs"].get(tool, {}).get("cold", [])])


def _watch(size: dict[str, Any], tool: str) -> tuple[float | None, str]:
    entry = size.get("watch", {}).get(tool)
    if not entry:
        return None, "not measured"
    if "note" in entry:
        return None, entry["note"]
    return median(entry["seconds"]), ""


def _reported(size: dict[str, Any], tool: str) -> float | None:
    return median(size.get("watch", {}).get(tool, {}).get("reported", []))


def comparison(results: dict[str, Any]) -> list[str]:
    sizes = results["sizes"]
    head = "| N = | " + " | ".join(f"{count(int(n))}: sitegen | Hugo | sitegen/Hugo"
                                    for n in sizes) + " |"
    rows = [head, "|---|" + "---:|---:|---:|" * len(sizes)]

    def row(label: str, cells: list[tuple[str, str, str]]) -> None:
        rows.append(f"| {label} | " + " | ".join(" | ".join(c) for c in cells) + " |")

    def page_cells(size: dict[str, Any]) -> tuple[str, str, str]:
        mine, theirs = size["pages"].get("sitegen"), size["pages"].get("hugo")
        if not mine or not theirs:
            return "–", "–", "–"
        same = "same set" if mine["html"] == theirs["html"] else (
            f"{len(set(mine['html']) - set(theirs['html']))} only in sitegen, "
            f"{len(set(theirs['html']) - set(mine['html']))} only in Hugo")
        return count(len(mine["html"])), count(len(theirs["html"])), same

    def file_cells(size: dict[str, Any]) -> tuple[str, str, str]:
        mine, theirs = size["pages"].get("sitegen"), size["pages"].get("hugo")
        return (count(mine["total"]) if mine else "–", count(theirs["total"]) if theirs else "–",
                "")

    row("HTML pages", [page_cells(s) for s in sizes.values()])
    row("all files written", [file_cells(s) for s in sizes.values()])
    for key, label in MEASURES:
        if not any(key in s["runs"].get("sitegen", {}) for s in sizes.values()):
            continue
        cells = []
        for size in sizes.values():
            mine, theirs = _times(size, "sitegen", key), _times(size, "hugo", key)
            if key == "cold_no_cache":
                theirs = _times(size, "hugo", "cold")
            cells.append((seconds(mine), seconds(theirs), ratio(mine, theirs)))
        row(label, cells)
    watch_cells = []
    for size in sizes.values():
        (mine, note), (theirs, _) = _watch(size, "sitegen"), _watch(size, "hugo")
        watch_cells.append((seconds(mine) if mine is not None else note, seconds(theirs),
                            ratio(mine, theirs)))
    row("watch mode: edit one article's body → page rebuilt", watch_cells)
    own_cells = []
    for size in sizes.values():
        mine, theirs = _reported(size, "sitegen"), _reported(size, "hugo")
        own_cells.append((seconds(mine), seconds(theirs), ratio(mine, theirs)))
    row("watch mode: the rebuild time the server reports itself", own_cells)
    row("peak memory, cold build (process tree)",
        [(mib(_peak(s, "sitegen")), mib(_peak(s, "hugo")),
          ratio(_peak(s, "sitegen"), _peak(s, "hugo"))) for s in sizes.values()])
    row("peak memory, cold build (largest process)",
        [(mib(_peak(s, "sitegen", "largest_mib")), mib(_peak(s, "hugo", "largest_mib")),
          ratio(_peak(s, "sitegen", "largest_mib"), _peak(s, "hugo", "largest_mib")))
         for s in sizes.values()])
    return rows


def cpu_comparison(results: dict[str, Any]) -> list[str]:
    sizes = results["sizes"]
    rows = ["| N = | " + " | ".join(f"{count(int(n))}: sitegen | Hugo | sitegen/Hugo"
                                    for n in sizes) + " |",
            "|---|" + "---:|---:|---:|" * len(sizes)]
    def cpu(size: dict[str, Any], tool: str, key: str) -> tuple[float | None, str]:
        total = _times(size, tool, key, "cpu_seconds")
        user = _times(size, tool, key, "user_seconds")
        return total, seconds(total) + (f" ({seconds(user)})" if user is not None else "")

    for key, label in MEASURES:
        cells = []
        for size in sizes.values():
            mine, mine_text = cpu(size, "sitegen", key)
            theirs, theirs_text = cpu(size, "hugo", "cold" if key == "cold_no_cache" else key)
            cells.append(f"{mine_text} | {theirs_text} | {ratio(mine, theirs)}")
        if any(_times(s, "sitegen", key, "cpu_seconds") is not None for s in sizes.values()):
            rows.append(f"| {label} | " + " | ".join(cells) + " |")
    full = [_times(s, "sitegen-full", "cold", "cpu_seconds") for s in sizes.values()]
    rows.append("| full default sitegen, cold build | " + " | ".join(
        f"{seconds(v)} | | " for v in full) + " |")
    return rows


def full_build(results: dict[str, Any]) -> list[str]:
    sizes = results["sizes"]
    rows = ["| N = | " + " | ".join(count(int(n)) for n in sizes) + " |",
            "|---|" + "---:|" * len(sizes)]
    for key, label in (*MEASURES[:3], ("add", "publish one article into the built archive")):
        values = [_times(s, "sitegen-full", key) for s in sizes.values()]
        if any(v is not None for v in values):
            rows.append(f"| {label} | " + " | ".join(seconds(v) for v in values) + " |")
    rows.append("| peak memory, cold build (process tree) | "
                + " | ".join(mib(_peak(s, "sitegen-full")) for s in sizes.values()) + " |")
    rows.append("| files written | " + " | ".join(
        _kinds(s["pages"].get("sitegen-full")) for s in sizes.values()) + " |")
    return rows


def with_search(results: dict[str, Any]) -> list[str]:
    """The full default build against Hugo + the Pagefind CLI, both with a search index."""
    sizes = results["sizes"]
    rows = ["| N = | " + " | ".join(f"{count(int(n))}: sitegen | Hugo + Pagefind | ratio"
                                    for n in sizes) + " |",
            "|---|" + "---:|---:|---:|" * len(sizes)]
    for key, label in (*MEASURES[:3], ("edit", "rebuild after editing one article's body"),
                       ("add", "publish one article into the built archive")):
        cells = []
        for size in sizes.values():
            mine = _times(size, "sitegen-full", key)
            theirs = _times(size, "hugo-pagefind", "cold" if key == "cold_no_cache" else key)
            cells.append(f"{seconds(mine)} | {seconds(theirs)} | {ratio(mine, theirs)}")
        if any(_times(s, "sitegen-full", key) is not None for s in sizes.values()):
            rows.append(f"| {label} | " + " | ".join(cells) + " |")
    for key, label in (("peak_mib", "process tree"), ("largest_mib", "largest process")):
        rows.append(f"| peak memory, cold build ({label}) | " + " | ".join(
            f"{mib(_peak(s, 'sitegen-full', key))} | {mib(_peak(s, 'hugo-pagefind', key))} | "
            f"{ratio(_peak(s, 'sitegen-full', key), _peak(s, 'hugo-pagefind', key))}"
            for s in sizes.values()) + " |")
    return rows


def _kinds(pages: dict[str, Any] | None) -> str:
    if not pages:
        return "–"
    parts = ", ".join(f"{count(n)} .{kind}" for kind, n in pages["kinds"].items())
    return f"{count(pages['total'])} ({parts})"


def written(results: dict[str, Any]) -> list[str]:
    sizes = results["sizes"]
    rows = ["| build | " + " | ".join(f"{count(int(n))}, {t}" for n in sizes
                                       for t in ("trimmed", "full")) + " |",
            "|---|" + "---|" * (2 * len(sizes))]
    for key, label in (("cold", "cold"), *MEASURES[1:]):
        cells = [s["notes"].get(t, {}).get(key, "") or "–" for s in sizes.values()
                 for t in ("sitegen", "sitegen-full")]
        if any(c != "–" for c in cells):
            rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return rows


GOALS = (
    ("cold build, 10,000 articles: at most 2× Hugo's time", "10000", "cold", 2.0),
    ("cold build, 1,000 articles: at most 1.5× Hugo's time", "1000", "cold", 1.5),
)


def goals(results: dict[str, Any]) -> list[str]:
    sizes = results["sizes"]
    rows = ["| goal (issue 6) | measured | met? |", "|---|---|---|"]

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("**yes**" if ok else "**no**")

    for label, n, key, limit in GOALS:
        size = sizes.get(n)
        mine = _times(size, "sitegen", key) if size else None
        theirs = _times(size, "hugo", key) if size else None
        ok = None if mine is None or theirs is None else mine / theirs <= limit
        rows.append(f"| {label} | {seconds(mine)} vs {seconds(theirs)}: "
                    f"{ratio(mine, theirs)} | {verdict(ok)} |")
    size = sizes.get("10000")
    mine = _times(size, "sitegen", "nochange") if size else None
    theirs = _times(size, "hugo", "nochange") if size else None
    ok = None if mine is None or theirs is None else mine < 1 and theirs / mine >= 6
    faster = f"{theirs / mine:.1f}× faster than Hugo" if mine and theirs else "–"
    rows.append(f"| rebuild with nothing changed, 10,000, CLI: under 1 s and at least 6× faster "
                f"than Hugo | {seconds(mine)} vs {seconds(theirs)}: {faster} | {verdict(ok)} |")
    for n, limit in (("1000", 0.1), ("10000", 0.3)):
        size = sizes.get(n)
        value, note = _watch(size, "sitegen") if size else (None, "not measured")
        theirs = _watch(size, "hugo")[0] if size else None
        shown = f"{seconds(value)} (Hugo {seconds(theirs)})" if value is not None else note
        rows.append(f"| edit one article's body in `sitegen serve`, {count(int(n))}: under "
                    f"{seconds(limit)} | {shown} | "
                    f"{verdict(None if value is None else value < limit)} |")
    size = sizes.get("10000")
    peak = _peak(size, "sitegen") if size else None
    full = _peak(size, "sitegen-full") if size else None
    hugo = _peak(size, "hugo") if size else None
    rows.append(f"| peak memory, 10,000: under 300 MiB | trimmed {mib(peak)}, full {mib(full)} "
                f"(Hugo {mib(hugo)}) | {verdict(None if peak is None else peak < 300)} |")
    return rows


def goals_at_scale(results: dict[str, Any]) -> list[str]:
    """Issue 11's goals, where this run measured them."""
    sizes = results["sizes"]
    rows = ["| goal (issue 11) | measured | met? |", "|---|---|---|"]

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("**yes**" if ok else "**no**")

    def at(n: str, tool: str, key: str, field: str = "seconds") -> float | None:
        return _times(sizes[n], tool, key, field) if n in sizes else None

    cold, peak = at("100000", "sitegen-full", "cold"), (
        _peak(sizes["100000"], "sitegen-full") if "100000" in sizes else None)
    ok = None if cold is None or peak is None else cold < 600 and peak < 2048
    rows.append(f"| 100,000, full default build, cold: under 10 min, peak under 2 GiB | "
                f"{seconds(cold)}, {mib(peak)} | {verdict(ok)} |")
    for n, limit in (("100000", 20.0), ("10000", 5.0)):
        value = at(n, "sitegen-full", "add")
        rows.append(f"| publish one article into a cached {count(int(n))} archive, search "
                    f"included: under {seconds(limit)} | {seconds(value)} | "
                    f"{verdict(None if value is None else value < limit)} |")
    mine, theirs = at("10000", "sitegen-full", "cold"), at("10000", "hugo-pagefind", "cold")
    peak = _peak(sizes["10000"], "sitegen-full") if "10000" in sizes else None
    ok = None if mine is None or theirs is None or peak is None else (
        mine / theirs <= 1.5 and peak < 1024)
    rows.append(f"| full default build at 10,000, cold: at most 1.5× Hugo + Pagefind, peak "
                f"under 1 GiB | {seconds(mine)} vs {seconds(theirs)}: {ratio(mine, theirs)}, "
                f"{mib(peak)} | {verdict(ok)} |")
    mine, theirs = at("10000", "sitegen", "cold"), at("10000", "hugo", "cold")
    peak = _peak(sizes["10000"], "sitegen") if "10000" in sizes else None
    ok = None if mine is None or theirs is None or peak is None else (
        mine / theirs <= 2 and peak < 300)
    rows.append(f"| trimmed at 10,000, cold: at most 2× Hugo, peak under 300 MiB | "
                f"{seconds(mine)} vs {seconds(theirs)}: {ratio(mine, theirs)}, {mib(peak)} | "
                f"{verdict(ok)} |")
    for n, limit in (("1000", 0.1), ("10000", 0.3), ("100000", 1.0)):
        value = _watch(sizes[n], "sitegen")[0] if n in sizes else None
        rows.append(f"| `sitegen serve`, one body edit, {count(int(n))}: under {seconds(limit)} "
                    f"| {seconds(value)} | {verdict(None if value is None else value < limit)} |")
    return rows


def raw(results: dict[str, Any]) -> list[str]:
    lines = []
    for n, size in results["sizes"].items():
        for tool, kinds in size["runs"].items():
            for kind, runs in kinds.items():
                values = ", ".join(f"{r['seconds']:.3f}" for r in runs)
                peaks = ", ".join(f"{r['peak_mib']:.0f}" for r in runs)
                lines.append(f"- N={count(int(n))} {tool} {kind}: {values} s; peak {peaks} MiB")
        for tool, entry in size.get("watch", {}).items():
            if "seconds" in entry:
                values = ", ".join(f"{v:.3f}" for v in entry["seconds"])
                lines.append(f"- N={count(int(n))} {tool} watch edit: {values} s "
                             f"(first build {entry['startup']:.1f} s; timed {entry['method']})")
    return lines


def _short(text: str) -> str:
    """Interpreter paths shortened: the Hugo binary sits deep in site-packages."""
    return re.sub(r"/\S*/site-packages/", "<site-packages>/", text)


def render(results: dict[str, Any]) -> str:
    meta = results["meta"]
    out = [
        f"Measured {meta['date']} on {meta['cpus']} CPUs ({meta['cpu']}), {meta['memory']} "
        f"of memory, {meta['system']}; load average at the start {meta['load']}.",
        f"Python {meta['python']}; Hugo {meta['hugo']}; "
        f"sitegen {meta['sitegen'].removeprefix('sitegen, ')}.",
        f"Each figure is the median of {meta['runs']} runs (seed {meta['seed']}). Load average "
        "(1, 5, 15 min) before and after each size: " + "; ".join(
            f"N={count(int(n))}: {s['load'][0]} → {s['load'][1]}"
            for n, s in results["sizes"].items() if "load" in s) + ".",
        "", "### sitegen (trimmed to Hugo's pages) and Hugo, same corpus, same run", "",
        *comparison(results), "",
        "### CPU time (user + system, every process of the build)", "",
        "Less sensitive than wall time to other work on the machine; a build that uses both",
        "cores well has a CPU time near twice its wall time. In brackets, when recorded: the",
        "user time alone (the system time of creating and deleting files varies most).", "",
        *cpu_comparison(results), "",
        "### sitegen's full default build (default theme and settings)", "",
        *full_build(results), "",
        "### The full default build against Hugo + Pagefind (both with search)", "",
        *with_search(results), "",
        "### What each sitegen build wrote (its own summary line, first run)", "",
        *written(results), "", "### Goals", "", *goals(results), "",
        *goals_at_scale(results), "",
        "### Commands", "", f"- benchmark: `{meta['invocation']}`",
        *(f"- {k}: `{_short(v)}`" for k, v in meta["commands"].items()),
    ]
    if meta.get("trim_options"):
        out.append(f"- trimmed sitegen.toml [build] extra lines: {meta['trim_options']}")
    for size in results["sizes"].values():
        for tool, entry in size.get("watch", {}).items():
            if "command" in entry:
                out.append(f"- {tool} watch mode: `{_short(entry['command'])}`, "
                           f"timed {entry['method']}")
        break
    out += ["", "### Files written by kind (cold build)", ""]
    for n, size in results["sizes"].items():
        for tool, pages in size["pages"].items():
            out.append(f"- N={count(int(n))} {tool}: {_kinds(pages)}")
    out += ["", "### Every run (seconds; peak memory of the process tree)", "", *raw(results)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render(json.loads(Path(sys.argv[1]).read_text("utf-8"))))

"""The merge of a very large sharded build, from generated manifests.

    python benchmarks/merge_million.py --articles 1000000 --shards 64 --work /tmp/merge-1m

writes what N shards of an archive would hand the merge (each shard's
`sitegen-shard.jsonl`: a header and one record per article, as shards.py writes
them) without building a single article, then times `sitegen build --merge`
over them: the pages that span shards (home, sections, tags, authors, the
archive, the daily index, feeds, sitemaps, 404, host files). The shards'
article pages are not there (a manifest lists none), so neither their copying
nor search (per-shard work, off here) is timed; the merge's link check then
finds every list's links to articles missing, and only counts them (the
warnings are not printed).

The articles are drawn like benchmarks/corpus.py's (seven sections, 30 authors,
2 to 4 of 200 tags with falling popularity, dates over ten years, a summary of
about 150 characters, no picture), each from a generator seeded with its index.
The newest ones carry a body of about 5 KB, as a full-content feed needs.
Prints wall time, CPU time (the merge and its workers) and the peak memory of
its process tree (PSS, sampled; benchmarks/measure.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from measure import timed  # noqa: E402

from sitegen import shard_manifest, shards, urls  # noqa: E402
from sitegen.config import load_config  # noqa: E402
from sitegen.model import Article  # noqa: E402

JAKARTA = ZoneInfo("Asia/Jakarta")
SECTIONS = ("nasional", "ekonomi", "internasional", "olahraga", "teknologi", "hiburan",
            "gaya-hidup")
WORDS = ("harga", "pasar", "warga", "banjir", "pemerintah", "daerah", "pelabuhan", "nelayan",
         "sekolah", "jalan", "tol", "listrik", "petani", "beras", "kapal", "bandara", "hujan",
         "rapat", "dewan", "kota", "desa", "usaha", "kecil", "ekspor", "impor", "rupiah")
CONFIG = """\
[site]
title = "Warta Bench"
description = "Portal berita sintetis untuk mengukur kecepatan build."
base_url = "https://bench.example/"
language = "id"
timezone = "Asia/Jakarta"

[build]
items_per_page = 10
search = false
""" + "".join(f'\n[sections.{s}]\ntitle = "{s.replace("-", " ").title()}"\n' for s in SECTIONS)
FIRST = dt.datetime(2015, 1, 1, tzinfo=JAKARTA)
SPAN_SECONDS = 10 * 365 * 86400


def article(index: int, count: int, body: bool) -> Article:
    rng = random.Random(index)
    section = SECTIONS[rng.randrange(len(SECTIONS))]
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 9))]
    title = " ".join(words).capitalize() + f" {index}"
    slug = urls.slugify(title)
    # Evenly over ten years, oldest first: article count-1 is the newest.
    date = FIRST + dt.timedelta(seconds=SPAN_SECONDS * index // count)
    tags = tuple(sorted({f"Topik {int(rng.paretovariate(1.2)) % 200}"
                         for _ in range(rng.randint(2, 4))}))
    authors = tuple(sorted({f"Penulis {rng.randrange(30)}"
                            for _ in range(1 if rng.random() < 0.9 else 2)}))
    summary = " ".join(rng.choice(WORDS) for _ in range(20)).capitalize() + "."
    words_count = rng.randint(600, 900)
    return Article(
        source=f"content/{section}/{date:%Y}/{slug}.md", section=section, slug=slug,
        path=f"/{section}/{slug}/", title=title, date=date.astimezone(JAKARTA),
        body_html=("<p>" + summary + "</p>\n") * 30 if body else "", summary=summary,
        word_count=words_count, reading_time=max(1, round(words_count / 200)),
        authors=authors, tags=tags, location="Jakarta" if rng.random() < 0.3 else "",
        featured=rng.random() < 0.01, body_ref="" if body else f"{index:064x}")


def feed_shown(count: int, limit: int = 20) -> set[int]:
    """The articles a full-content feed shows (the site's and each section's newest), whose
    bodies the shards put in their manifests."""
    shown: set[int] = set(range(max(0, count - limit), count))
    per_section = dict.fromkeys(SECTIONS, 0)
    for index in range(count - 1, -1, -1):
        if all(n >= limit for n in per_section.values()):
            break
        section = SECTIONS[random.Random(index).randrange(len(SECTIONS))]
        if per_section[section] < limit:
            per_section[section] += 1
            shown.add(index)
    return shown


def write_manifests(site: Path, count: int, shard_count: int) -> list[Path]:
    config = load_config(site)
    options = (False, False, False)  # --drafts, --future, --expired: as the merge's
    folders = [site / f"shard-{n}" for n in range(1, shard_count + 1)]
    streams = []
    for number, folder in enumerate(folders, start=1):
        folder.mkdir(parents=True, exist_ok=True)
        header = shards.header(config, shards.Shard(number, shard_count), options)
        stream = open(folder / shard_manifest.NAME, "w", encoding="utf-8")  # noqa: SIM115
        shard_manifest._line(stream, {"header": header.__dict__})
        streams.append(stream)
    full = feed_shown(count)
    for index in range(count):
        item = article(index, count, body=index in full)
        owner = shards.owner(urls.output_file(item.path), shard_count)
        shard_manifest._line(streams[owner - 1], {"a": shard_manifest.encode(item),
                                                  "k": f"{index:016x}"})
    for stream in streams:
        shard_manifest._line(stream, {"files": []})
        stream.close()
    return folders


def merge_now(jobs: int, folders: list[str]) -> None:
    """The merge, as `sitegen build --merge` runs it, printing its stage times and how
    many warnings (the list's links to the absent article pages) it found."""
    import gc

    from sitegen.build import BuildOptions, build

    gc.disable()  # as the CLI does
    config = load_config(Path.cwd())
    report = build(config, BuildOptions(
        now=dt.datetime(2025, 12, 31, 12, tzinfo=JAKARTA), jobs=jobs, use_cache=False,
        merge=tuple(Path(f).resolve() for f in folders)))
    for name, seconds in report.timings.items():
        print(f"stage {name} {seconds:.1f} s")
    print(f"stage warnings {len(report.warnings)}; files written {len(report.written)}")


def main() -> None:
    if sys.argv[1:2] == ["--merge-now"]:
        merge_now(int(sys.argv[2]), sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--shards", type=int, default=64)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, required=True)
    options = parser.parse_args()
    site = options.work.resolve()
    if site.exists():
        shutil.rmtree(site)
    (site / "content").mkdir(parents=True)
    (site / "sitegen.toml").write_text(CONFIG, encoding="utf-8")
    started = time.perf_counter()
    folders = write_manifests(site, options.articles, options.shards)
    size = sum((f / shard_manifest.NAME).stat().st_size for f in folders)
    print(f"{options.articles:,} records in {options.shards} manifests, {size / 2**20:.0f} MiB, "
          f"written in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    run = timed([sys.executable, str(Path(__file__).resolve()), "--merge-now", str(options.jobs),
                 *map(str, folders)], cwd=site, env=env)
    files = sum(len(names) for _, _, names in os.walk(site / "output"))
    stages = [line for line in run.output.splitlines() if line.startswith("stage ")]
    print(f"| articles | shards | files written | wall s | CPU s | peak MiB (tree) | "
          f"largest process MiB |\n|---|---|---|---|---|---|---|\n"
          f"| {options.articles:,} | {options.shards} | {files:,} | {run.seconds:.0f} | "
          f"{run.cpu_seconds:.0f} | {run.peak_mib:.0f} | {run.largest_mib:.0f} |")
    print("stages: " + "; ".join(stages))


if __name__ == "__main__":
    main()

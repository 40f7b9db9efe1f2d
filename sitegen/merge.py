"""Layer 6.9. `sitegen build --merge DIR...`: the shards' partial outputs made one site.

The merge is the ordinary build with its first and last steps swapped: the
articles come from the shards' manifests (shard_manifest.py) instead of the
sources, so nothing is read or converted; the planner keeps the page kinds that
span shards (home, lists, archive, daily index, series, feeds, sitemaps, the
search page, 404, host files: every kind not `sharded`); the pictures are the
ones the shards encoded; the shards' pages are taken into the new tree as they
are; then search, the link check and the switch to the new output run as in any
build. Every shard of one build must be there, each once, built by the same
sitegen with the same configuration and options: anything else is a clear
error before the output is touched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import (
    cache,
    picture_plan,
    readers,
    search,
    search_shards,
    shard_manifest,
    shards,
    themes,
    urls,
)
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.model import Article, Site
from sitegen.sitefiles import StaticFiles
from sitegen.sources import Sources


@dataclass
class Parts:
    """The shards' partial outputs, in shard order, and the files each rendered."""

    folders: list[Path]
    files: list[list[str]] = field(default_factory=list)


def kinds_built(kind: object) -> bool:
    """The kinds the merge plans: all but those the shards built."""
    return not getattr(kind, "sharded", False)


def check(config: Config, folders: tuple[Path, ...], output: Path,
          options: tuple[object, ...]) -> Parts:
    """The shards' headers, checked against each other and this build; the folders in
    shard order. A clear error names what is wrong and what to do."""
    problems: list[Problem] = []
    found: dict[int, Path] = {}
    count = 0
    salt = cache.salt()
    for folder in folders:
        folder = folder.resolve()
        if folder == output:
            raise _error(str(folder), "is the merge's own output folder: merge the shards "
                         "into another folder (--output)")
        header = shard_manifest.read_header(folder / shard_manifest.NAME)
        where = str(folder)
        if header.format != shard_manifest.FORMAT or header.sitegen != salt:
            problems.append(Problem(where, 0, "this shard was built by another version of "
                                    "sitegen or of its libraries; build every shard with "
                                    "the version that merges them"))
            continue
        if count and header.count != count:
            problems.append(Problem(where, 0, f"this is shard {header.shard}/{header.count}, "
                                    f"but the other folders are shards of {count}; merge "
                                    "the shards of one build"))
            continue
        count = header.count
        if header.config != shards.fingerprint(config, header.count, options):
            problems.append(Problem(where, 0, "this shard was built with another "
                                    "configuration or other options (--drafts, --future, "
                                    "--expired, --base-url); build the shards and the merge "
                                    "from the same sitegen.toml with the same options"))
            continue
        if header.shard in found:
            problems.append(Problem(where, 0, f"shard {header.shard}/{count} is given twice "
                                    f"(also {found[header.shard]}); pass each shard once"))
            continue
        found[header.shard] = folder
    missing = [str(n) for n in range(1, count + 1) if n not in found]
    if missing and not problems:
        problems.append(Problem("--merge", 0, f"shard {', '.join(missing)} of {count} is "
                                "missing; pass the output folder of every shard of the build"))
    if problems:
        raise SitegenError(problems)
    return Parts([found[n] for n in range(1, count + 1)])


def read(parts: Parts) -> Sources:
    """Every shard's articles, as the local build's reading gives them (in source order)."""
    articles: list[Article] = []
    keys: dict[str, str] = {}
    for folder in parts.folders:
        contents = shard_manifest.Contents(folder / shard_manifest.NAME)
        for article, key in contents.records():
            articles.append(article)
            keys[article.source] = key
        parts.files.append(contents.files)
    articles.sort(key=lambda a: a.source)
    return Sources(articles, [], keys, [], [])


def make_pictures(config: Config, site: Site, static: StaticFiles, folder: Path,
                  parts: Parts) -> picture_plan.Plan:
    """The local build's picture plan, its files taken from the shards that encoded them
    (linked into the pictures folder under their keys, where copying them expects them)."""
    published = (*site.articles, *site.pages)
    site_static = readers.static_dir(config)
    plan = picture_plan.plan([a.image for a in published if a.image],
                         [p for a in published for p in a.pictures],
                         static.under(site_static),
                         config.images)
    # A stand-in for a too-wide original is published under the original's name.
    assets = themes.fingerprint(static)
    stand_ins = {v.output: assets[name] for name, v in plan.originals.items()}
    missing: list[Problem] = []
    folder.mkdir(parents=True, exist_ok=True)
    for variant in plan.variants():
        target = folder / variant.key
        if target.is_file():
            continue
        where = stand_ins.get(variant.output, variant.output)
        source = next((f / where for f in parts.folders if (f / where).is_file()), None)
        if source is None:
            missing.append(Problem(where, 0, "no shard holds this picture; build the shards "
                                   "again and merge all of them"))
            continue
        _link(source, target)
    if missing:
        raise SitegenError(missing)
    return plan


def search_part(parts: Parts, config: Config, site: Site,
                bundle_dir: str = search.BUNDLE_DIR) -> search.Part:
    """The search shards that the build shards indexed (their bundles came with their
    pages): the merge indexes the others and lists them all."""
    planned = search_shards.plan((urls.output_file(a.path) for a in (*site.articles,
                                                                     *site.pages)),
                                 config.build.search_shard_pages)
    made = {f for files in parts.files for f in files
            if f.startswith(bundle_dir + "/")}
    return search.Part(done=frozenset(name for name in planned
                                      if search.bundle_marker(planned, name, bundle_dir)
                                      in made))


def pages(parts: Parts) -> Iterator[tuple[str, Path]]:
    """(output file, where its bytes are) of every page the shards rendered."""
    for folder, files in zip(parts.folders, parts.files, strict=True):
        for relative in files:
            yield relative, folder / relative


def _link(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copy2(source, temporary)
    os.replace(temporary, target)


def _error(path: str, message: str) -> SitegenError:
    return SitegenError([Problem(path, 0, message)])

"""Layer 6.9. `sitegen build --shard K/N`: one shard of the archive, for a CI job matrix.

A shard is the ordinary build with two things narrowed: its planner keeps only
the page kinds that are built per article (`Kind.sharded`: article pages,
standalone pages, their redirects) and of those only the pages the shard owns,
and it encodes only the pictures its own articles and pages show. It still
reads every source, because an article page shows its neighbours (related
articles, previous/next, the series, "Baca juga") and so needs every article's
metadata; its build cache keeps the other shards' sources as cheaply as its own.
Beside the pages it writes a manifest (shard_manifest.py) with what the merge
needs of its articles.

Who owns a page: the first bits of a hash of its output path, the hash that
cuts search shards (search_shards.py). With N a power of two, every search
shard lies inside one build shard. By hash rather than by month because the
work per month is uneven (a newsroom's archive grows every year, and an
election month has several times a quiet month's stories): hashed shards are
within a few per cent of each other at any size, and a new article lands in one
shard, changing only that shard's work. An alias's redirect belongs to the
shard of the page it redirects to.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Protocol

from sitegen import bodies, cache, search, shard_manifest, urls
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.kinds.base import Kind
from sitegen.model import Article, Site, replaced


@dataclasses.dataclass(frozen=True)
class Shard:
    number: int
    """From 1."""
    count: int

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def parse(value: str) -> Shard:
    """`K/N` from the command line, 1 <= K <= N; a clear error otherwise."""
    found = _SPEC.fullmatch(value)
    if not found:
        raise _option_error(f"'{value}' is not a shard such as 1/4 (this job's number, then "
                            "how many shards the build has)")
    number, count = int(found.group(1)), int(found.group(2))
    if count < 1 or not 1 <= number <= count:
        raise _option_error(f"shard {value}: the shard's number must be from 1 to the number "
                            f"of shards ({count}), e.g. 1/{max(count, 1)}")
    return Shard(number, count)


def _option_error(message: str) -> SitegenError:
    return SitegenError([Problem("--shard", 0, message)])


def owner(output: str, count: int) -> int:
    """The shard (from 1) that builds an output file: the hash's first bits, scaled."""
    prefix = int.from_bytes(hashlib.sha256(output.encode()).digest()[:8], "big")
    return (prefix * count >> 64) + 1


@dataclasses.dataclass(frozen=True)
class Others:
    """Admits the output files of the other shards' pages: a shard reads those articles
    without converting their bodies (readers.py). A dataclass, so that it pickles into
    the workers and its repr (in the read keys) is the same in every build."""

    shard: Shard

    def __call__(self, output: str) -> bool:
        return owner(output, self.shard.count) != self.shard.number


def others(shard: Shard | None) -> Others | None:
    return None if shard is None else Others(shard)


def search_part(shard: Shard) -> search.Part:
    """The search shards a build shard indexes: those whose pages are all its own (every
    one, when the number of shards is a power of two and the index has at least as many
    shards; else the merge indexes the rest)."""
    return search.Part(owns=lambda output: owner(output, shard.count) == shard.number,
                       lists=False)


def default_output(config: Config, shard: Shard) -> Path:
    """Where a shard writes without --output: beside the site's output folder."""
    out = config.output_dir
    return out.with_name(f"{out.name}-shard-{shard.number}-of-{shard.count}")


def kinds_built(kind: Kind) -> bool:
    """The kinds a shard plans (the merge plans the others)."""
    return kind.sharded


def owned(site: Site, shard: Shard) -> tuple[list[Article], list[Article]]:
    """The shard's published articles and standalone pages."""
    mine = [a for a in site.articles if owner(urls.output_file(a.path), shard.count)
            == shard.number]
    pages = [p for p in site.pages if owner(urls.output_file(p.path), shard.count)
             == shard.number]
    return mine, pages


def wanted(site: Site, shard: Shard,
           also: Callable[[str], bool] | None) -> Callable[[str], bool]:
    """Admits the output files of the shard's articles, pages and their redirects (and,
    after a body edit, only those the edit re-plans)."""
    mine, pages = owned(site, shard)
    files = {urls.output_file(path) for a in (*mine, *pages) for path in (a.path, *a.aliases)}
    if also is None:
        return files.__contains__
    return lambda output: output in files and also(output)


def pictures_site(site: Site, shard: Shard) -> Site:
    """The site as far as pictures go: only the shard's articles and pages show theirs
    (a card of another shard's article names its picture's files, which that shard makes)."""
    mine, pages = owned(site, shard)
    return dataclasses.replace(site, articles=tuple(mine), pages=tuple(pages))


def fingerprint(config: Config, shard_count: int, options: tuple[object, ...]) -> str:
    """What must agree between shards and their merge: the configuration (wherever the
    checkout is), the build's options, the number of shards."""
    portable = repr(dataclasses.replace(config, root=Path("."))).replace(str(config.root), ".")
    return hashlib.sha256(f"{portable}\0{options!r}\0{shard_count}".encode()).hexdigest()


def header(config: Config, shard: Shard, options: tuple[object, ...]) -> shard_manifest.Header:
    return shard_manifest.Header(shard.number, shard.count, cache.salt(),
                                 fingerprint(config, shard.count, options))


class Staging(Protocol):
    """What the manifest's writer needs of write.Staging."""

    dir: Path

    def copy(self, relative: str, source: Path) -> None: ...


def write_manifest(staging: Staging, config: Config, shard: Shard,
                   options: tuple[object, ...], site: Site, keys: Mapping[str, str],
                   files: Iterable[str], held: Path) -> None:
    """The manifest, into the new tree: each owned article with its read key, the body
    only of those a full-content feed shows (the site's and each section's newest)."""
    mine, pages = owned(site, shard)
    full: set[str] = set()
    if config.build.feed_full_content:
        limit = config.build.feed_items
        full = {a.source for a in site.articles[:limit]}
        full.update(site.articles[i].source for s in site.sections for i in s.articles[:limit])

    def records() -> list[tuple[Article, str]]:
        return [(_with_body(a, held) if a.source in full else _without_body(a), keys[a.source])
                for a in (*mine, *pages)]

    # Written beside the staging tree and copied in: a large shard's manifest is never
    # held in memory whole.
    with tempfile.TemporaryDirectory(prefix=".sitegen-manifest-", dir=staging.dir.parent) as t:
        path = Path(t) / shard_manifest.NAME
        shard_manifest.write(path, header(config, shard, options), records(), files)
        # Its time stands for its bytes: the copy is seen as unchanged only when it is.
        stamp = int.from_bytes(_file_digest(path)[:4], "big") * 1_000_000_000
        os.utime(path, ns=(stamp, stamp))
        staging.copy(shard_manifest.NAME, path)


def _with_body(article: Article, held: Path) -> Article:
    if not article.body_ref:
        return article
    return replaced(article, body_ref="", body_html=bodies.load(held, article.body_ref))


def _without_body(article: Article) -> Article:
    """The merge plans no page showing this body: its reference stands for it (a changed
    body changes the lists' inputs as in a local build)."""
    return replaced(article, body_html="", toc_html="", md_links=(), link_targets=())


def _file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.digest()

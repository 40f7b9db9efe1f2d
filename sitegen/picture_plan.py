"""Layer 1.2. The site's pictures plan: every variant its pages show, and which of them
are still to make.

pictures.py says which files one image gets; this module gathers them for the
whole site (each hero's and each body picture's widths and formats, each hero's
shared version and crops, a narrower stand-in for each too-wide original among
the static files) and compares them with the picture cache, so the build's
workers decode each source at most once and make only what is missing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from PIL import Image, UnidentifiedImageError

from sitegen import pictures, sealed
from sitegen.pictures import Settings, Variant


class Picture(Protocol):
    """What planning needs of a model.Image (read-only: images are frozen)."""

    @property
    def src(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def digest(self) -> str: ...
    @property
    def focus(self) -> tuple[float, float]: ...


@dataclass(frozen=True)
class Plan:
    work: dict[str, tuple[Variant, ...]]
    """Site-relative source (`/images/x.jpg`) -> every variant it needs."""
    originals: dict[str, Variant]
    """Static file name (`images/x.jpg`) -> what is published under it instead (too wide)."""
    published: tuple[Variant, ...]
    """What pages link to, published under FOLDER (stand-ins only at their original's URL)."""

    @property
    def variants(self) -> list[Variant]:
        return sorted({v for vs in self.work.values() for v in vs}, key=lambda v: v.output)


def plan(heroes: list[Picture], bodies: list[Picture], statics: Mapping[str, Path],
         settings: Settings) -> Plan:
    """Every variant the site shows: all widths and formats of each picture, the shared
    version and the crops of each hero, and a narrower stand-in for each too-wide original
    among `statics` (static file name -> file)."""
    work: dict[str, dict[str, Variant]] = {}
    if settings.service:  # the service resizes; the originals are published as they are
        return Plan({}, {}, ())

    def need(src: str, variants: list[Variant]) -> None:
        work.setdefault(src, {}).update((v.output, v) for v in variants)

    for picture in [*heroes, *bodies]:
        need(picture.src, _all_widths(picture.src, picture.digest,
                                      (picture.width, picture.height), settings))
    for hero in heroes:
        need(hero.src, _shared_and_crops(hero.src, hero.digest, (hero.width, hero.height),
                                         hero.focus, settings))
    published = sorted({v for vs in work.values() for v in vs.values()}, key=lambda v: v.output)
    originals = {}
    for name, path in statics.items():
        if not pictures.resizable(name):
            continue
        size = _header_size(path)
        if size and size[0] > settings.max_original_width:
            stand_in = pictures.oversized("/" + name, pictures.source_digest(path), size, settings)
            if stand_in:
                originals[name] = stand_in
                need("/" + name, [stand_in])
    return Plan({src: tuple(v[k] for k in sorted(v)) for src, v in sorted(work.items())},
                originals, tuple(published))


@lru_cache(maxsize=100_000)
def _all_widths(src: str, digest: str, size: tuple[int, int],
                settings: Settings) -> list[Variant]:
    return [v for vs in pictures.responsive(src, digest, size, settings).values() for v in vs]


@lru_cache(maxsize=100_000)
def _shared_and_crops(src: str, digest: str, size: tuple[int, int], focus: tuple[float, float],
                      settings: Settings) -> list[Variant]:
    shared = pictures.share(src, digest, size, settings)
    return [*([shared] if shared else []), *pictures.crops(src, digest, size, focus, settings)]


def _header_size(path: Path) -> tuple[int, int] | None:
    try:
        with Image.open(path) as picture:
            width, height = picture.size
            turned = picture.getexif().get(0x0112) in (5, 6, 7, 8)
            return (height, width) if turned else (width, height)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def missing(plan: Plan, static_dir: Path, folder: Path,
            dropped: list[str] | None = None) -> list[tuple[str, tuple[Variant, ...]]]:
    """(source file, its variants not yet in `folder`), one item per source to decode.
    The source is a string: a cold build's jobs name every photo of the archive at once,
    and a Path each would intern every name (sitefiles.StaticFiles).

    A variant is wanted once whatever name its source has: a file photo under a hundred
    names is one job (for its first name), and every name is published from the same
    cached file. A variant whose bytes no longer match the hash recorded when it was
    made (the cache was changed by someone else) is deleted, named in `dropped`, and
    made again."""
    def kept(variant: Variant) -> bool:
        state = sealed.intact(folder / variant.key)
        if state is False:
            sealed.drop(folder / variant.key)
            if dropped is not None:
                dropped.append(variant.key)
        return bool(state)

    jobs = []
    wanted: set[str] = set()
    for src, variants in plan.work.items():
        todo = tuple(v for v in variants if v.key not in wanted and not kept(v))
        wanted.update(v.key for v in todo)
        if todo:
            jobs.append((os.path.join(static_dir, src.lstrip("/")), todo))
    return jobs

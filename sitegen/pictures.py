"""Layer 1. Responsive pictures: which resized files an image gets, and making them.
(Which of them the whole site needs, and which are still to make: picture_plan.py.)

Every variant's file name carries a hash of the source's bytes and of the settings
that made it, so a name is a promise about its bytes: a variant already in the
cache folder is never made again, and a changed photo or setting gets new names
(and so no stale copy in a reader's or a CDN's cache). Planning is pure (names
from the digest and size alone), so the Markdown converter, the views and the
build agree on every name without talking to each other; `make` is the only
part that decodes and encodes pixels, and it runs in the build's workers.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from PIL import features

from sitegen import image_service, picture_encoding

FOLDER = "_img"
"""Where variants are published, under the output folder."""
SHARE_WIDTH = 1200
"""Open Graph, feeds and JSON-LD use this width (Google Discover wants at least 1200 px)."""
CROPS = ((16, 9), (4, 3), (1, 1))
"""The aspect ratios Google asks for in an article's structured data."""
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
# Source formats we resize, and the format of their fallback (the <img> itself).
_FALLBACK = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}
_EXTENSION = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
CHANGED = ("this resized picture in the build cache was changed after it was made: dropped "
           "and made again (if you did not change it, the cache was tampered with)")
# Bump when the way pixels are made changes (picture_encoding.RECIPE), so every name
# changes with it.
_RECIPE = "2"


class Settings(Hashable, Protocol):
    """`[images]` of sitegen.toml (config.ImagesConfig): read-only and hashable."""

    @property
    def widths(self) -> tuple[int, ...]: ...
    @property
    def formats(self) -> tuple[str, ...]: ...
    @property
    def quality(self) -> int: ...
    @property
    def avif_quality(self) -> int: ...
    @property
    def max_original_width(self) -> int: ...
    @property
    def service(self) -> str: ...
    @property
    def service_url(self) -> str: ...
    @property
    def site_url(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Variant:
    output: str
    """File under the output folder, e.g. `_img/foto-800x450.1a2b3c4d5e.webp`."""
    width: int
    height: int
    format: str
    box: tuple[int, int, int, int] | None = None
    """The part of the source it shows (a crop), or None for all of it."""
    key: str = ""
    """Its name in the picture cache: the hash of the source's bytes and the recipe, and
    no file name, so one photo under many names is encoded once (`make`)."""
    url: str = ""
    """Where an image service serves it (image_service.py); empty when the build makes it."""

    @property
    def type(self) -> str:
        return MIME[self.format]


def encoders() -> tuple[str, ...]:
    """The modern formats this Pillow can write (AVIF needs Pillow built with libavif)."""
    return tuple(f for f in ("avif", "webp") if features.check(f))


def modern_formats(settings: Settings) -> tuple[str, ...]:
    available = encoders()
    return tuple(f for f in settings.formats if f in available)


def resizable(src: str) -> bool:
    return os.path.splitext(src)[1].lower() in _FALLBACK


def source_digest(path: str | Path) -> int:
    """A hash of the file's bytes (remembered for as long as its size and time stay): its
    SHA-256 as an int, which an archive's planning process holds for every photo (60
    bytes where the hex string is 113); the names show it in hex (`_name`)."""
    stat = os.stat(path)
    return _digest(os.fspath(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _digest(path: str, size: int, mtime_ns: int) -> int:
    with open(path, "rb") as stream:
        return int.from_bytes(hashlib.file_digest(stream, "sha256").digest(), "big")


def _name(stem: str, digest: int, settings: Settings, format: str, width: int, height: int,
          box: tuple[int, int, int, int] | None) -> tuple[str, str]:
    """(published name, cache key): the same short hash in both, of the bytes and recipe."""
    quality = settings.avif_quality if format == "avif" else settings.quality
    recipe = (f"{_RECIPE}\0{picture_encoding.RECIPE}\0{digest:064x}\0{format}\0{quality}"
              f"\0{width}x{height}\0{box}")
    short = hashlib.sha256(recipe.encode()).hexdigest()[:10]
    extension = _EXTENSION[format]
    return (f"{FOLDER}/{stem}-{width}x{height}.{short}.{extension}",
            f"{short}-{width}x{height}.{extension}")


def _stem(src: str) -> str:
    """The part of a variant's name that says which photo it is (`foto` of `/x/foto.jpg`)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", os.path.splitext(os.path.basename(src))[0]) or "img"


def _variant(src: str, stem: str, digest: int, settings: Settings, format: str, width: int,
             size: tuple[int, int], box: tuple[int, int, int, int] | None = None) -> Variant:
    region_w, region_h = (box[2] - box[0], box[3] - box[1]) if box else size
    height = max(1, round(region_h * width / region_w))
    output, key = _name(stem, digest, settings, format, width, height, box)
    served = ""
    if settings.service:
        quality = settings.avif_quality if format == "avif" else settings.quality
        served = image_service.url(settings.service.strip(), settings.service_url,
                                   settings.site_url, src, size, format, width, height, box,
                                   quality)
    return Variant(output, width, height, format, box, key, served)


def widths(original: int, settings: Settings) -> list[int]:
    """The configured widths narrower than the original, and the original's own width when
    that is below the widest configured one: never an upscaled file."""
    top = min(original, max(settings.widths))
    return sorted({w for w in settings.widths if w < top} | {top})


def responsive(src: str, digest: int, size: tuple[int, int],
               settings: Settings) -> dict[str, list[Variant]]:
    """format -> its widths, modern formats first and the original's format last.

    The original's format is made at the share width only: every browser in use reads
    WebP (Safari since 14, 2020), so the `<img>` fallback is for feeds, social networks
    and very old browsers, which take one size; it is the share version itself, so it
    costs nothing more. Without a modern format the original's takes every width."""
    fallback = _FALLBACK.get(os.path.splitext(src)[1].lower())
    if not digest or fallback is None:
        return {}
    stem = _stem(src)
    modern = [f for f in modern_formats(settings) if f != fallback]
    found = {f: [_variant(src, stem, digest, settings, f, w, size)
                 for w in widths(size[0], settings)] for f in modern}
    found[fallback] = ([_variant(src, stem, digest, settings, fallback,
                                 min(size[0], SHARE_WIDTH), size)]
                       if modern else
                       [_variant(src, stem, digest, settings, fallback, w, size)
                        for w in widths(size[0], settings)])
    return found


def share(src: str, digest: int, size: tuple[int, int], settings: Settings) -> Variant | None:
    """The version for Open Graph, feeds and JSON-LD: 1200 px wide (or the original's width
    when narrower), in the original's format, which every consumer reads."""
    fallback = _FALLBACK.get(os.path.splitext(src)[1].lower())
    if not digest or fallback is None:
        return None
    return _variant(src, _stem(src), digest, settings, fallback, min(size[0], SHARE_WIDTH),
                    size)


def crops(src: str, digest: int, size: tuple[int, int], focus: tuple[float, float],
          settings: Settings) -> list[Variant]:
    """16:9, 4:3 and 1:1 crops, each as large as the image allows (at most 1200 px wide),
    centred on the focal point as far as the image's edges let them."""
    fallback = _FALLBACK.get(os.path.splitext(src)[1].lower())
    if not digest or fallback is None:
        return []
    stem = _stem(src)
    found = []
    for ratio_w, ratio_h in CROPS:
        box = crop_box(size, ratio_w / ratio_h, focus)
        width = min(box[2] - box[0], SHARE_WIDTH)
        whole = box == (0, 0, *size)  # the image has this shape already: no crop
        found.append(_variant(src, stem, digest, settings, fallback, width, size,
                              None if whole else box))
    return found


def crop_box(size: tuple[int, int], ratio: float,
             focus: tuple[float, float]) -> tuple[int, int, int, int]:
    width, height = size
    crop_w = min(width, round(height * ratio))
    crop_h = min(height, round(crop_w / ratio))
    left = min(max(0, round(focus[0] * width - crop_w / 2)), width - crop_w)
    top = min(max(0, round(focus[1] * height - crop_h / 2)), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def oversized(src: str, digest: int, size: tuple[int, int], settings: Settings) -> Variant | None:
    """What is published at an original's own URL when it is wider than allowed."""
    fallback = _FALLBACK.get(os.path.splitext(src)[1].lower())
    if not digest or fallback is None or size[0] <= settings.max_original_width:
        return None
    return _variant(src, _stem(src), digest, settings, fallback, settings.max_original_width,
                    size)


@dataclass(frozen=True, slots=True)
class Photo:
    """Every variant of one picture: its widths by format (`responsive`), its shared
    version and its crops."""

    formats: dict[str, list[Variant]]
    share: Variant | None
    crops: list[Variant]


REMEMBERED = 512
"""Pictures a build's Memo holds at once when no state keeps it (a one-off build): each
is about 2 KB, and a build that held every photo of the archive grew by that a story."""


class Memo:
    """Each picture's variants under one `[images]`, made once and asked for by the plan,
    the copy step and every page and card that shows the picture.

    Owned by the build, not the process: serve's state keeps its Memo across builds
    (`remembered` None: every picture, so a rebuild makes no name again), while a one-off
    build's holds the last REMEMBERED pictures (a card's are asked for kind after kind,
    and making them again costs about 30 us a picture)."""

    def __init__(self, settings: Settings, remembered: int | None = REMEMBERED) -> None:
        self.settings = settings
        self.remembered = remembered
        self._photos: dict[tuple[str, int, tuple[int, int], tuple[float, float]], Photo] = {}

    def photo(self, src: str, digest: int, size: tuple[int, int],
              focus: tuple[float, float] = (0.5, 0.5)) -> Photo:
        key = (src, digest, size, focus)
        found = self._photos.get(key)
        if found is None:
            if self.remembered is not None and len(self._photos) >= self.remembered:
                self._photos.clear()
            found = self._photos[key] = Photo(
                responsive(src, digest, size, self.settings),
                share(src, digest, size, self.settings),
                crops(src, digest, size, focus, self.settings))
        return found

    def __len__(self) -> int:
        return len(self._photos)


def srcset(variants: list[Variant], url: str = "/") -> str:
    """`a-480.webp 480w, a-800.webp 800w`; `url` is the base path the files live under."""
    return ", ".join(f"{address(v, url)} {v.width}w" for v in variants)


def address(variant: Variant, url: str = "/") -> str:
    """Where pages link to a variant: the image service's URL, or the file under `url`
    (the site's base path)."""
    return variant.url or f"{url}{variant.output}"


def make(job: tuple[str, tuple[Variant, ...]], folder: Path,
         settings: Settings) -> tuple[list[str], str]:
    """Write the variants of one source into `folder` (the cache, under their keys): (what
    it wrote, and why it could not, or "")."""
    source, variants = job
    return picture_encoding.make(Path(source), [(v.key, v.width, v.height, v.format, v.box)
                                          for v in variants], folder, settings)

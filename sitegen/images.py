"""Layer 1. Facts about image files, read once at build time with Pillow.

Only the header is read, so sizing every image of a large archive is cheap.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import posixpath
import re
import warnings
from collections.abc import Iterator
from functools import lru_cache

from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif",
               ".svg": "image/svg+xml"}
_ORIENTATION = 0x0112
# Pillow warns (on stderr) about pictures above 89 megapixels; the build refuses every
# picture above 80 as a problem of its file (static_safety.py), so the warning says
# nothing a problem does not.
warnings.simplefilter("ignore", Image.DecompressionBombWarning)


def static_file(static_dir: str, src: str) -> str | None:
    """The file under the static folder that a site-relative `src` names, if it exists there.
    A string, not a Path: pathlib interns every part of a name, so a Path a photo would
    grow the interpreter's table of names with the archive (sitefiles.walk_names)."""
    if not src.startswith("/") or ".." in src.split("/"):
        return None
    asked = _ASKED.get()
    if asked is not None:
        asked.add(posixpath.normpath(src.lstrip("/")))
    candidate = os.path.join(static_dir, src.lstrip("/"))
    # A link out of the site is never read, not even its header (static_dir is
    # SITE/content/static).
    if not os.path.realpath(candidate).startswith(_site_folder(static_dir) + os.sep):
        return None
    return candidate if os.path.isfile(candidate) else None


# The static files asked about while one source is read (`asking`), by their names under
# the static folder, whether they exist or not: what its Article depends on of that folder
# (sources.py keys a read on them, not on the whole folder). Every question reading asks of
# the static folder comes through static_file. A context variable: a cluster worker reads
# in threads.
_ASKED: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("asked", default=None)


@contextlib.contextmanager
def asking() -> Iterator[set[str]]:
    """Collect the names static_file is asked for in this block."""
    asked: set[str] = set()
    token = _ASKED.set(asked)
    try:
        yield asked
    finally:
        _ASKED.reset(token)


@lru_cache(maxsize=16)
def _site_folder(static_dir: str) -> str:
    """The site's real folder (static_dir is SITE/content/static): resolved once per
    worker, not once per article and picture (it was 2% of reading an article)."""
    return os.path.realpath(os.path.join(static_dir, "..", ".."))


def image_size(static_dir: str, src: str) -> tuple[int, int] | None:
    """(width, height) of a site-relative image under the static folder, or None."""
    path = static_file(static_dir, src)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _size(path, stat.st_size, stat.st_mtime_ns)


# Under the file's stat: a picture replaced while `serve` runs (whose small rebuilds
# read in its own process) is sized again.
@lru_cache(maxsize=4096)
def _size(path: str, size: int, mtime_ns: int) -> tuple[int, int] | None:
    try:
        with Image.open(path) as picture:
            width, height = picture.size
            # A camera's orientation tag turns the picture a quarter (pictures.make obeys it).
            turned = picture.getexif().get(_ORIENTATION) in (5, 6, 7, 8)
            return (height, width) if turned else (width, height)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombError):
        return None


# A picture with more pixels than this is refused: decoding it would take gigabytes
# (a "decompression bomb": a small file that unpacks to an enormous image).
BOMB_PIXELS = 80_000_000  # as static_safety.py refuses a static file
MAX_FRAMES = 1000
"""More frames than this (40 s at 25 frames a second) is a video, not a picture."""
_SVG_ACTIVE = re.compile(rb"<script|<foreignObject|\bon[a-z]+\s*=|javascript:", re.I)


def picture_problems(static_dir: str, src: str, megapixels: int,
                     megabytes: int) -> list[tuple[str, bool]]:
    """(message, is a warning) for each thing wrong with a picture an article shows:
    unreadable, truncated, a decompression bomb, an SVG with a script, an endless
    animation (errors); larger than a photo needs to be (a warning, with its cost)."""
    path = static_file(static_dir, src)
    if path is None:
        return []  # a missing file is the caller's (it names what to write instead)
    stat = os.stat(path)
    return _problems(path, stat.st_size, stat.st_mtime_ns, megapixels, megabytes)


@lru_cache(maxsize=4096)
def _problems(path: str, size: int, mtime_ns: int, megapixels: int,
              megabytes: int) -> list[tuple[str, bool]]:
    name = os.path.basename(path)
    if path.lower().endswith(".svg"):
        with open(path, "rb") as stream:
            if _SVG_ACTIVE.search(stream.read(20_000_000)):
                return [(f"{name} is an SVG with a script or event handler: opened from its "
                         "address it runs on the site's own origin; remove the script or save "
                         "the picture as PNG", False)]
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as picture:
                width, height = picture.size
                if width * height > BOMB_PIXELS:
                    return [_bomb(name, width, height)]
                frames = _frames(picture)
                if frames > MAX_FRAMES:
                    return [(f"{name} is an animation of more than {MAX_FRAMES:,} frames: "
                             "publish it as a video (MP4 or WebM) or shorten it", False)]
                if picture.format == "JPEG":
                    # Decoding at an eighth of the size reads every byte of the scan: a
                    # cut-off upload fails here, not in the middle of making its files.
                    picture.draft("RGB", (1, 1))
                    picture.load()
                elif picture.format == "PNG" and not _ends_with(path, b"IEND\xaeB`\x82"):
                    raise OSError("image file is truncated")
    except Image.DecompressionBombError:
        return [_bomb(name, 0, 0)]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        reason = ("it is no JPEG, PNG, GIF, WebP or AVIF file"
                  if isinstance(exc, UnidentifiedImageError) else exc)
        return [(f"{name} cannot be read as a picture ({reason}): open it in an image "
                 "editor and save it again as JPEG, PNG or WebP", False)]
    if width * height > megapixels * 1_000_000 or size > megabytes * 1_000_000:
        memory = width * height * 4 / 1_000_000
        return [(f"{name} is {width}x{height} ({width * height / 1_000_000:.1f} megapixels, "
                 f"{size / 1_000_000:.1f} MB): each build without its cached versions decodes "
                 f"{memory:.0f} MB of pixels for files at most 2400 px wide; save it 2400 px "
                 f"wide (about {max(1, round(width * height / 3_840_000))}x less work) "
                 "(images.large_megapixels, images.large_megabytes)", True)]
    return []


def _bomb(name: str, width: int, height: int) -> tuple[str, bool]:
    shown = f" is {width}x{height}" if width else " has"
    return (f"{name}{shown} more than {BOMB_PIXELS // 1_000_000} million pixels (a "
            "decompression bomb?): decoding it would take gigabytes of memory; save it at "
            "most 2400 px wide", False)


def _frames(picture: Image.Image) -> int:
    """The frame count, counting a GIF's (whose count means reading them) only up to
    the limit."""
    if not getattr(picture, "is_animated", False):
        return 1
    if picture.format != "GIF":
        return int(getattr(picture, "n_frames", 1))
    count = 1
    try:
        while count <= MAX_FRAMES:
            picture.seek(count)
            count += 1
    except EOFError:
        pass
    return count


def _ends_with(path: str, marker: bytes) -> bool:
    with open(path, "rb") as stream:
        stream.seek(0, os.SEEK_END)
        stream.seek(max(0, stream.tell() - len(marker)))
        return stream.read() == marker

"""Layer 1. Facts about image files, read once at build time with Pillow.

Only the header is read, so sizing every image of a large archive is cheap.
"""

from __future__ import annotations

import os
import warnings
from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif",
               ".svg": "image/svg+xml"}
_ORIENTATION = 0x0112
# Pillow warns (on stderr) about pictures above 89 megapixels; the build refuses every
# picture above 80 as a problem of its file (static_safety.py), so the warning says
# nothing a problem does not.
warnings.simplefilter("ignore", Image.DecompressionBombWarning)


def static_file(static_dir: str, src: str) -> Path | None:
    """The file under the static folder that a site-relative `src` names, if it exists there."""
    if not src.startswith("/") or ".." in src.split("/"):
        return None
    candidate = Path(static_dir) / src.lstrip("/")
    # A link out of the site is never read, not even its header (static_dir is
    # SITE/content/static).
    site = os.path.realpath(os.path.join(static_dir, "..", ".."))
    if not os.path.realpath(candidate).startswith(site + os.sep):
        return None
    return candidate if candidate.is_file() else None


@lru_cache(maxsize=4096)
def image_size(static_dir: str, src: str) -> tuple[int, int] | None:
    """(width, height) of a site-relative image under the static folder, or None."""
    path = static_file(static_dir, src)
    if path is None:
        return None
    try:
        with Image.open(path) as picture:
            width, height = picture.size
            # A camera's orientation tag turns the picture a quarter (pictures.make obeys it).
            turned = picture.getexif().get(_ORIENTATION) in (5, 6, 7, 8)
            return (height, width) if turned else (width, height)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None  # an image bomb is refused as a static file (static_safety.py)

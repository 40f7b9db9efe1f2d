"""Layer 2. Slugs, permalinks and the output file a URL is written to.

Pure functions of their arguments. Everything a content file says about where
it lives (slug, alias, file name) passes through here, and nothing that comes
out can point outside the output folder.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from datetime import datetime
from functools import lru_cache

_NOT_WORD = re.compile(r"[^\w]+")
SLUG_RE = re.compile(r"^[\w][\w-]*$")


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """Lowercase words joined by hyphens.

    Latin letters lose their accents ("Köln" -> "koln"); letters of other
    scripts are kept as they are ("Берлин" -> "берлин"), since browsers and
    servers handle UTF-8 paths and transliteration would garble them.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = _NOT_WORD.sub("-", unicodedata.normalize("NFC", plain).lower())
    return slug.replace("_", "-").strip("-")


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.match(slug)) and slug not in {".", ".."}


def article_path(pattern: str, section: str, slug: str, date: datetime) -> str:
    return pattern.format(
        section=section, slug=slug, year=f"{date.year:04d}", month=f"{date.month:02d}",
        day=f"{date.day:02d}",
    )


def paginated(path: str, number: int) -> str:
    """The URL of page `number` of a listing: /ekonomi/, /ekonomi/page/2/, ..."""
    return path if number == 1 else f"{path.rstrip('/')}/page/{number}/"


def clean_site_path(path: str) -> str | None:
    """Normalise a site-relative URL path written by a user; None if it would escape."""
    if not path.startswith("/") or "\\" in path or "\x00" in path or "//" in path:
        return None
    parts = path.split("/")
    if any(p in {".", ".."} for p in parts):
        return None
    return posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")


def output_file(path: str) -> str:
    """The output file, relative to the output folder, for a site-relative URL path."""
    relative = path.lstrip("/")
    if not relative or relative.endswith("/"):
        return relative + "index.html"
    return relative


def url_for(base_path: str, path: str) -> str:
    """A root-relative URL including the site's base path (`/berita/ekonomi/`)."""
    return base_path + path.lstrip("/")

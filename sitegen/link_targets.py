"""Layer 5.9. Where an internal URL leads, as the site's host would serve it: an output
file and a fragment, outside the site's path, or nowhere. base_url decides what is
internal: a relative URL, or an absolute one on the site's host under its path.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from sitegen import image_service
from sitegen.config import Config

_DOTS = re.compile(r"(^|/)\.\.?(/|$|[?#])|//")


@dataclass(frozen=True)
class Target:
    """Where an internal URL leads: an output file and a fragment, or nowhere."""

    url: str
    file: str | None
    fragment: str
    outside: bool = False


class Resolver:
    """Internal URLs -> output files, as the site's host would serve them."""

    def __init__(self, config: Config, files: Collection[str]) -> None:
        self.base_path = config.base_path
        self.host = urlsplit(config.site.base_url).netloc.lower()
        self.files = files  # a set or a mapping's keys: asked with `in`, never copied
        # An image service answers its own paths on the site's host (no output file).
        self.served = image_service.served_prefix(config.images.service.strip())

    def resolve(self, page: str, value: str) -> Target | str | None:
        """A Target for an internal URL, the URL itself for an outside http(s) one,
        None for what is no link to check (mailto:, tel:, data:, javascript:)."""
        if value.startswith("#"):
            return Target(value, page, unquote(value[1:]))
        scheme, colon, _ = value.partition(":")
        if colon and scheme.isalpha() and scheme.lower() not in {"http", "https"}:
            return None
        if (colon and scheme.isalpha()) or value.startswith("//"):
            # Pages hold thousands of absolute URLs (canonical links, share buttons):
            # the host is read without urllib's full parse.
            after = value.split("//", 1)[1] if "//" in value else ""
            host = after.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].lower()
            if host != self.host:
                return value if after else None
            value_path = "/" + after[len(host):].lstrip("/") if after[len(host):] else "/"
        else:
            value_path = value
        if value_path.startswith("/") and not _DOTS.search(value_path):
            path, _, fragment = value_path.partition("#")
            path, fragment = unquote(path.split("?", 1)[0]), unquote(fragment)
        else:
            absolute = urlsplit(urljoin(f"http://{self.host}{self.base_path}{page}", value_path))
            path, fragment = unquote(absolute.path), unquote(absolute.fragment)
        if self.served and path.startswith(self.served):
            return None
        if not path.startswith(self.base_path):
            return Target(value, None, fragment, outside=True)
        relative = path[len(self.base_path):]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        if relative in self.files:
            return Target(value, relative, fragment)
        if f"{relative}/index.html" in self.files:  # the host redirects /x to /x/
            return Target(value, f"{relative}/index.html", fragment)
        return Target(value, None, fragment)

"""Layer 5.6. The output and cache folders checked before anything is written: no
destination where replacing the output would destroy the user's work, no cache
folder whose files would be published.
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.errors import Problem
from sitegen.tree_files import MARKER, internal


def check_destination(output: Path, root: Path, content: Path) -> list[Problem]:
    """Refuse destinations where replacing the output would destroy the user's work."""
    output, root, content = output.resolve(), root.resolve(), content.resolve()
    where = "sitegen.toml"
    if output in (root, content) or root.is_relative_to(output) or content.is_relative_to(output):
        return [Problem(where, 0, f"the output folder {output} holds the site itself: "
                        "choose another one, such as output/")]
    if output.is_relative_to(content):
        return [Problem(where, 0, f"the output folder {output} is inside content/: choose another")]
    if output.exists() and not output.is_dir():
        return [Problem(where, 0, f"the output path {output} is a file, not a folder")]
    if output.is_dir() and not (output / MARKER).exists() \
            and any(not internal(name) for name in os.listdir(output)):
        return [Problem(where, 0, f"the output folder {output} is not empty and was not written "
                        "by sitegen: empty it or choose another with --output")]
    return []


def check_cache_dir(cache: Path, output: Path, published: list[Path]) -> list[Problem]:
    """Refuse a cache folder whose files would be published (every draft's HTML is in it)."""
    cache = cache.resolve()
    for folder, what in [(output, "the output folder"), *((p, "a published folder")
                                                           for p in published)]:
        folder = folder.resolve()
        if cache.is_relative_to(folder):
            return [Problem("sitegen.toml", 0, f"[build] cache_dir {cache} is inside {what} "
                            f"({folder}), so it would be published: choose a folder outside it, "
                            "such as the default .sitegen-cache")]
    return []

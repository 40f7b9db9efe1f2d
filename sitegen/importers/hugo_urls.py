"""Where Hugo published a page, and the names a `ref`/`relref` may give it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sitegen.importers import permalinks
from sitegen.readers import is_language


def url_of(relative: Path, bundle: bool, listing: bool, data: dict[str, Any],
             date: dt.datetime, patterns: dict[str, str], ugly: bool, lower: bool) -> str:
    """Where Hugo published the page: `url`, else the `permalinks` pattern of its section
    (`:slug` falls back to the title), else its folders and slug or file name."""
    if isinstance(data.get("url"), str) and data["url"].strip():
        url = data["url"].strip()
        return url if url.startswith("/") else "/" + url
    folders = list(relative.parts[:-2 if bundle and not listing else -1])
    name = relative.parent.name if bundle else relative.stem.split(".")[0]
    slug = str(data.get("slug") or "")
    if listing:
        return "/" + "".join(permalinks.hugo_urlize(f, lower) + "/" for f in folders)
    top = relative.parts[0] if len(relative.parts) > 1 else ""
    pattern = patterns.get(top) or patterns.get(top.lower())
    if pattern and top:
        return permalinks.hugo_expand(pattern, permalinks.hugo_values(
            title=str(data.get("title") or name), slug=slug, filename=name, sections=folders,
            date=date, lower=lower))
    return permalinks.hugo_default_url(folders, name, slug, ugly, lower)


def without_language(relative: Path) -> str:
    """`posts/hello.fr.md` -> `posts/hello.md` (a reference names the page, not its file)."""
    parts = relative.name.split(".")
    if len(parts) > 2 and is_language(parts[-2]):
        return relative.with_name(".".join([*parts[:-2], parts[-1]])).as_posix()
    return relative.as_posix()


def ref(in_edition: dict[tuple[str, str], str], anywhere: dict[str, str], edition: str,
         target: str) -> str | None:
    key = target.strip("/").removeprefix("./")
    return in_edition.get((edition, key)) or anywhere.get(key)

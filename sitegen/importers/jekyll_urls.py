"""Where Jekyll published a page: its collections' permalinks, and `redirect_to` pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen.config import Config
from sitegen.importers import permalinks
from sitegen.importers.report import Report
from sitegen.importers.write import Imported, old_path


def collections(settings: dict[str, Any]) -> dict[str, str]:
    """`collections:` of _config.yml that are published (`output: true`)."""
    found = settings.get("collections")
    if not isinstance(found, dict):
        return {}
    styles = {"pretty": "/:collection/:path/", "date": "/:collection/:path:output_ext"}
    return {str(name): styles.get(str(value.get("permalink")),
                                  str(value.get("permalink") or "/:collection/:path:output_ext"))
            for name, value in found.items()
            if isinstance(value, dict) and value.get("output") is True and name != "posts"}


def redirect_to(redirecting: list[tuple[Imported, dict[str, Any], str]],
                 found: list[tuple[Imported, dict[str, Any], str]], moved: dict[str, str],
                 settings: dict[str, Any], config: Config, report: Report) -> None:
    """A page with `redirect_to` (jekyll-redirect-from) is no page: its old URLs become
    redirects to the imported page it pointed at."""
    by_path = {item.path(config): item for item, _, _ in found}
    host = str(settings.get("url") or "").rstrip("/")
    for item, meta, shown in redirecting:
        target = meta["redirect_to"]
        target = str(target[0] if isinstance(target, list) else target).strip()
        local = target.removeprefix(host) if host else target
        path = old_path(local) if "://" not in local else None
        new = moved.get(path or "") or moved.get((path or "").rstrip("/") + "/")
        owner = by_path.get(new or "")
        if owner is None:
            report.needs_person(shown, 1, f"redirect_to {target}: not a page of the old site; "
                                "sitegen makes redirects to its own pages only, so none was "
                                "made")
            continue
        owner.old_urls = [*owner.old_urls, *item.old_urls]
        for url in item.old_urls:
            if (old := old_path(url)) is not None:
                moved[old] = owner.path(config)
        report.converted(shown, 1, f"redirect_to {target} -> a redirect to {new}")


def url_of(meta: dict[str, Any], relative: Path, collection: str | None, posts_pattern: str,
           folders: list[str], stem: str, date: dt.datetime) -> str:
    """The URL Jekyll gave the file, spelled as Jekyll spelled it (`permalinks.py`);
    `collection` is the pattern of the file's published collection, if it is in one."""
    parts = relative.parts
    raw_slug = str(meta.get("slug") or stem)
    more = {"path": relative.with_suffix("").as_posix(), "basename": relative.stem}
    categories = permalinks.jekyll_categories(meta, [] if collection else folders)
    if collection:
        pattern = collection
        more = {"collection": parts[0][1:],
                "path": Path(*parts[1:]).with_suffix("").as_posix()}
    elif "_posts" in parts[:-1] or "_drafts" in parts[:-1]:
        pattern = posts_pattern
    else:
        pattern = ""
    permalink = meta.get("permalink")
    if isinstance(permalink, str) and permalink.strip():
        pattern = permalink.strip()
    if not pattern:
        return permalinks.jekyll_page_url(PurePosixPath(relative.as_posix()), posts_pattern)
    return permalinks.jekyll_url(pattern, categories=categories, slug=raw_slug,
                                 name=relative.stem, date=date, more=more)

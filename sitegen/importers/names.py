"""The names an import gives sections and files, and the posts it already imported.

- A section or page may not take a name sitegen keeps for itself (`static/`
  and `pages/` are folders of `content/`, `cari` is the search page,
  `pagefind/` the search index, `admin/` the editors' CMS, `tag`, `arsip`...
  the site's own lists): such a name becomes `NAME-2`, reported.
- No name is longer than a file system allows (255 bytes per path part):
  slugs and sections are shortened (at a character boundary, to leave room
  for `-2` and `.md`); an old URL with a longer part cannot be a redirect
  file and is reported instead of failing the import half-way.
- Every file an import writes says where it came from in a YAML comment
  (`# imported from jekyll: _posts/x.md`); a rerun recognises those files and
  leaves them, so importing twice writes no duplicates.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Protocol

from sitegen import readers, urls
from sitegen.config import Config
from sitegen.importers.report import Report

MAX_PART_BYTES = 255
"""Per path part, on every common file system (ext4, APFS, NTFS in UTF-16 units)."""
MAX_SLUG_BYTES = 200
"""Room left for `-NN`, `.md` and the names the build derives from a slug."""
MARKER = "# imported from "
# Files the build writes at the top of the output; an old URL may not become them.
_OWN_FILES = {"/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml", "/robots.txt",
              "/404.html", "/index.html", "/_redirects", "/_headers", "/.nojekyll",
              "/.sitegen-build"}
_OWN_FOLDERS = {"pagefind", "admin"}


class Named(Protocol):
    """An imported item, as far as naming it goes (`write.Imported`)."""

    source: str
    section: str
    slug: str
    origin: str
    existing: str
    front: dict[str, Any]


def reserved(config: Config) -> set[str]:
    """Names a section (or a standalone page) may not have."""
    names = {readers.PAGES_DIR, readers.STATIC_DIR, "404", *_OWN_FOLDERS}
    for field in dataclasses.fields(config.permalinks):
        first = str(getattr(config.permalinks, field.name)).strip("/").split("/")[0]
        if first and "{" not in first:
            names.add(first)
    return names


def shorten(name: str, limit: int = MAX_SLUG_BYTES) -> str:
    """`name` cut to at most `limit` bytes of UTF-8, at a character boundary."""
    data = name.encode("utf-8")
    if len(data) <= limit:
        return name
    return data[:limit].decode("utf-8", errors="ignore").rstrip("-_.") or "artikel"


def origin_key(kind: str, item: Named) -> str:
    """What the marker comment says about an item: one line, whatever the source held."""
    return f"{kind}: {' '.join((item.origin or item.source).split())}"


def marked(kind: str, item: Named, front_matter: str) -> str:
    """Front matter with the marker comment after its opening `---`."""
    return front_matter.replace("---\n", f"---\n{MARKER}{origin_key(kind, item)}\n", 1)


def fit(items: list[Named], config: Config, report: Report) -> None:
    """Reserved and over-long names replaced, and items already imported recognised
    (their `existing` set to the file, their section and slug taken from it)."""
    taken = reserved(config)
    known = _imported_before(config)
    for item in items:
        before = known.get(origin_key(report.kind, item))
        if before is not None:
            item.existing = before.relative_to(config.root).as_posix()
            folder = before.parent.name
            item.section = "" if folder == readers.PAGES_DIR else folder
            item.slug = before.stem
            continue
        if len(item.section.encode("utf-8")) > MAX_SLUG_BYTES:
            item.section = shorten(item.section)
            report.needs_person(item.source, 1, "the section name is longer than a file "
                                f"name may be; shortened to '{item.section}'")
        if len(item.slug.encode("utf-8")) > MAX_SLUG_BYTES:
            item.slug = shorten(item.slug)
            report.needs_person(item.source, 1, "the slug is longer than a file name may "
                                f"be; shortened to '{item.slug}'")
        _fit_terms(item, report)
        if item.section in taken:
            report.needs_person(item.source, 1, f"section '{item.section}' is a name sitegen "
                                f"keeps for itself; imported into section '{item.section}-2'")
            item.section += "-2"
        elif not item.section and item.slug in taken:
            report.needs_person(item.source, 1, f"page name '{item.slug}' is a name sitegen "
                                f"keeps for itself; imported as '{item.slug}-2'")
            item.slug += "-2"


def fitting(name: str) -> str:
    """`name` (a tag, an author) cut until the slug the build makes of it fits."""
    while len(urls.slugify(name).encode("utf-8")) > MAX_SLUG_BYTES:
        name = name[:len(name) * 4 // 5].rstrip()
    return name


def _fit_terms(item: Named, report: Report) -> None:
    """Tags and authors get pages of their own (`/tag/SLUG/`): their names must fit too."""
    for key in ("tags", "authors", "author"):
        value = item.front.get(key)
        names = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        fitted = [fitting(n) if isinstance(n, str) else n for n in names]
        for before, after in zip(names, fitted, strict=True):
            if before != after:
                report.needs_person(item.source, 1, f"{key.rstrip('s')} name is longer than "
                                    f"a file name may be; shortened to '{after}'")
        if fitted != names:
            item.front[key] = fitted if isinstance(value, list) else fitted[0]


def alias_problem(alias: str) -> str | None:
    """Why an old URL cannot become a redirect, or None."""
    parts = alias.strip("/").split("/")
    if any(len(p.encode("utf-8")) > MAX_PART_BYTES for p in parts):
        return "a part of it is longer than a file name may be"
    if alias.rstrip("/") in _OWN_FILES or parts[0] in _OWN_FOLDERS:
        return "sitegen writes its own file there"
    return None


def _imported_before(config: Config) -> dict[str, Path]:
    """Marker -> file, for every file of content/ an earlier import wrote."""
    found: dict[str, Path] = {}
    content = readers.content_dir(config)
    for folder, folders, files in os.walk(content):
        if Path(folder) == content:
            folders[:] = [f for f in folders if f != readers.STATIC_DIR]
        for name in files:
            if not name.endswith(".md"):
                continue
            path = Path(folder, name)
            try:
                with path.open("rb") as text:
                    head = text.read(4096).decode("utf-8", errors="replace").split("\n")[:3]
            except OSError:
                continue
            for line in head[1:]:
                if line.startswith(MARKER):
                    found.setdefault(line[len(MARKER):].strip(), path)
    return found

"""Layer 4. Links to other Markdown files become links to their pages.

A reporter links another story by its file, as the editor shows it:
`[harga cabai](../ekonomi/harga-cabai.md)` (relative to the linking file) or
`[harga cabai](/ekonomi/harga-cabai.md)` (relative to content/; `/content/...`
works too). Markdown conversion marks such links (`markup.MD_LINK`); once every
source is read, each mark's target page URL is found, fragment kept (the body,
kept on disk, gets it where its page is rendered: bodies.finish). A link
to a file that does not exist is a problem at its line, and stays as written.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.model import Article, replaced

CONTENT = "content/"


@dataclass
class MdLinks:
    """What resolving `.md` links found, for the link check of the built pages."""

    problems: list[Problem] = field(default_factory=list)
    """Links to files that do not exist, at their lines."""
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    """(source, URL as the page shows it) -> the source line it was written on."""
    reported: set[tuple[str, str]] = field(default_factory=set)
    """(source, link as written) of links to missing files, reported already."""


def resolve_md_links(articles: list[Article],
                     config: Config) -> tuple[list[Article], MdLinks]:
    """Every article with the URL each of its `.md` links becomes (bodies.finish puts it
    in the body where the page is rendered); problems for links to missing files."""
    by_source = {a.source: a for a in articles}
    resolved: list[Article] = []
    found = MdLinks()
    for article in articles:
        if not article.md_links:
            resolved.append(article)
            continue
        lines = _source_lines(config.root / article.source)
        targets = []
        for marked in article.md_links:
            written = html.unescape(marked)
            path, hash_mark, fragment = written.partition("#")
            target = target_source(article.source, unquote(path.split("?", 1)[0]))
            line = line_of(lines, written)
            linked = by_source.get(target) if target else None
            if linked is None:
                where = f"there is no {target}" if target else "it points outside content/"
                found.problems.append(Problem(article.source, line, f"link to {written}: {where} "
                                      "(name the article's file relative to this one, or "
                                      "to content/ as /ekonomi/judul.md)", warning=True))
                found.reported.add((article.source, written))
                continue  # the link stays as written
            url = config.base_path + linked.path.lstrip("/") + hash_mark + fragment
            found.lines[(article.source, url)] = line
            targets.append((marked, html.escape(url)))
        resolved.append(replaced(article, link_targets=tuple(targets)))
    return resolved, found


def target_source(source: str, path: str) -> str | None:
    """The site-relative source file a `.md` link in `source` names, or None outside content/."""
    if path.startswith("/"):
        inside = path.lstrip("/")
        inside = inside[len(CONTENT):] if inside.startswith(CONTENT) else inside
        candidate = posixpath.normpath(CONTENT + inside)
    else:
        candidate = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    return candidate if candidate.startswith(CONTENT) else None


def _source_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []


def line_of(lines: list[str], written: str) -> int:
    """The first line that holds `written` as a link target, else the first that holds it."""
    for marker in (f"]({written}", f"]: {written}", f"<{written}>", written):
        for number, text in enumerate(lines, start=1):
            if marker in text:
                return number
    return 0

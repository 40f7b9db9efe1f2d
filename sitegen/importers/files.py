"""The files a post uses, found the way a browser found them on the old site.

A relative reference (`../../images/x.png`, `photo.jpg`) was resolved by the
reader's browser against the post's old URL, not against its source file;
it becomes the root-relative path it meant (`/images/x.png`), so it can be
copied and keeps working at the post's new URL. A referenced file that is
not in the old site is listed in the report with the post's line.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from sitegen.importers.report import Report

_RELATIVE = re.compile(r"(!?\[[^\]\n]*\]\(\s*<?|\b(?:href|src)=[\"']|^ {0,3}\[[^\]\n]+\]:\s*)"
                       r"(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\{|\?|<)([^)\"'\s>]+)", re.M)
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.M | re.S)
_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_NOT_FILES = {"", ".html", ".htm", ".md", ".markdown", ".php"}


def absolute_references(body: str, old_url: str) -> str:
    """Relative links and images -> the root-relative paths they meant at `old_url`."""
    base = old_url if old_url.endswith("/") else posixpath.dirname(old_url) + "/"

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if posixpath.splitext(urllib.parse.urlsplit(target).path)[1].lower() in {
                ".md", ".markdown"}:
            return match.group(0)  # a link to a source file: sitegen resolves those
        joined = urllib.parse.urljoin("http://old" + base, target)
        parts = urllib.parse.urlsplit(joined)
        return match.group(1) + parts.path + (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else "")
    slots: list[str] = []

    def keep(match: re.Match[str]) -> str:  # code shows paths as written
        slots.append(match.group(0))
        return f"\x00{len(slots) - 1}\x00"
    text = _SPAN.sub(keep, _FENCE.sub(keep, body))
    text = _RELATIVE.sub(replace, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: slots[int(m.group(1))], text)


def own_links(body: str, site_url: str) -> str:
    """Links written with the old site's own address (`https://old.example/2019/x/`)
    -> root-relative, so they can be followed to the new URLs like the others."""
    host = re.match(r"^https?://[^/\s]+", site_url.strip())
    if host is None:
        return body
    name = re.escape(host.group(0).split("://", 1)[1])
    return re.sub(r"(\]\(\s*<?|\b(?:href|src)=[\"'])https?://" + name + r"(?=/)", r"\1", body)


def report_missing(body: str, used: set[str], found: Callable[[str], Path | None],
                   source: str, first_line: int, report: Report) -> None:
    """Each file the body uses (an image or download with an extension) that the old site
    does not have is named in the report."""
    for site_path in sorted(used):
        suffix = posixpath.splitext(site_path)[1].lower()
        if suffix in _NOT_FILES or found(site_path) is not None:
            continue
        at = body.find(site_path)
        line = first_line + body[:at].count("\n") if at >= 0 else first_line
        report.needs_person(source, line, f"{site_path} is used here but is not in the old "
                            "site: it was not copied")

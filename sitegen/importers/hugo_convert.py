"""The items read from a Hugo site, converted: shortcodes (`ref`, `relref`,
`include`, ...), the Markdown dialect, heading ids and emoji as Hugo made them,
a page bundle's files copied to /images/SECTION/SLUG/, links to the old URLs and
files rewritten to the new ones, and the files the bodies use collected.
"""

from __future__ import annotations

import contextlib
import functools
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from sitegen.config import Config
from sitegen.importers import (
    anchors,
    dialect,
    files,
    hugo_site,
    hugo_urls,
    leftovers,
    limits,
    shortcodes,
)
from sitegen.importers.confine import Confined
from sitegen.importers.report import Report
from sitegen.importers.write import (
    MARKDOWN,
    Imported,
    Result,
    old_path,
    referenced,
    rewrite_links,
)

_MORE = re.compile(r"^\s*<!--\s*more\s*-->\s*$", re.M)


def convert(items: list[tuple[Imported, dict[str, Any], Path]], settings: dict[str, Any],
            roots: list[hugo_site.Root], source: Path, confined: Confined, config: Config,
            report: Report, result: Result) -> None:
    """Every item's body converted and its aliases set, into `result` (its items and the
    files they use), in the order read."""
    goldmark = ((settings.get("markup") or {}).get("goldmark") or {}) if isinstance(
        settings.get("markup"), dict) else {}
    parser = goldmark.get("parser") if isinstance(goldmark, dict) else None
    id_type = str((parser or {}).get("autoHeadingIDType", "github")) if isinstance(
        parser, dict) else "github"
    by_file: dict[str, str] = {}
    # `ref`/`relref` find a page in the language of the page they are on first.
    in_edition: dict[tuple[str, str], str] = {}
    moved: dict[str, str] = {}
    for item, _, path in items:
        new = item.path(config)
        folder = hugo_site.own_root(path, roots).folder
        for relative in dict.fromkeys((path.relative_to(folder).as_posix(),
                                       hugo_urls.without_language(path.relative_to(folder)))):
            without = Path(relative).with_suffix("").as_posix()
            for key in (relative, relative.rsplit("/index.md", 1)[0], Path(relative).name,
                        without, without.removesuffix("/index"), Path(without).name):
                by_file.setdefault(key, new)
                in_edition.setdefault((item.edition, key), new)
        for old in item.old_urls:
            if (found := old_path(old)) is not None:
                moved[found] = new
        if path.stem.split(".")[0] == "index" and (page_dir := old_path(item.old_urls[0])):
            # A bundle's files were online beside its page: links to them follow the copy.
            for file in path.parent.iterdir():
                if file.is_file() and file.suffix.lower() not in MARKDOWN:
                    moved[page_dir.rstrip("/") + "/" + file.name] = bundle_folder(item) + \
                        file.name
    for item, data, path in items:
        params = {str(k): v for k, v in data.items()}
        body = _MORE.sub("", item.body)
        try:
            with limits.per_file():  # a hostile body is its own file's problem
                body = shortcodes.convert(
                    body, item.source, item.body_line, report,
                    functools.partial(hugo_urls.ref, in_edition, by_file, item.edition), params,
                    functools.partial(_include, path.parent, roots, source))
                body = leftovers.remove(body, "hugo", item.source, item.body_line, report,
                                        original=item.body)
                note = functools.partial(report.converted, item.source, item.body_line)
                body = dialect.convert(body, note)
                if id_type in {"github", "github-ascii"}:
                    body = anchors.heading_ids(body, "gfm", note)
                if settings.get("enableemoji") is True:
                    body = anchors.emoji(body, note)
                if path.stem.split(".")[0] == "index":
                    body = _bundle(path.parent, item, body, result, source)
                body = files.own_links(body, str(settings.get("baseurl") or ""))
                if item.old_urls and (page_url := old_path(item.old_urls[0])):
                    # as the browser resolved them
                    body = files.absolute_references(body, page_url)
                body = rewrite_links(body, moved)
        except (RecursionError, limits.TooSlow) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            report.needs_person(item.source, item.body_line, "left as written, shortcodes, "
                                f"Markdown dialect and links not converted: {reason}")
            body = _MORE.sub("", item.body)
        item.body = body
        static = source / "static"

        def old_file(site_path: str, static: Path = static) -> Path | None:
            """The old site's file at that path: in static/, else beside the content."""
            for base in (static, *(r.folder for r in roots)):
                if (base / site_path.lstrip("/")).is_file():
                    return confined.file(base / site_path.lstrip("/"))
            return None
        used = {*re.findall(r"\]\((/[^)\s\"]+)", item.body), *referenced(item.body)}
        for site_path in (*sorted(used), item.front.get("image")):
            # A link is copied only when it leads to a file of the old site.
            if site_path and site_path not in result.assets and (kept := old_file(site_path)):
                result.assets[site_path] = kept
        files.report_missing(item.body, {u for u in used if u not in result.assets}, old_file,
                             item.source, item.body_line, report)
        new = item.path(config)
        item.front["aliases"] = sorted({p for u in item.old_urls
                                        if (p := old_path(u)) and p != new})
        result.items.append(item)


def bundle_folder(item: Imported) -> str:
    edition = f"{item.edition}/" if item.edition else ""  # translations keep their own
    return f"/images/{edition}{item.section or 'pages'}/{item.slug}/"


def _bundle(folder: Path, item: Imported, body: str, result: Result, source: Path) -> str:
    """A page bundle's own files, copied to /images/SECTION/SLUG/ with the body's references."""
    where = bundle_folder(item)
    for file in sorted(folder.iterdir()):
        if file.is_file() and not file.is_symlink() and file.suffix.lower() not in MARKDOWN:
            result.assets[where + file.name] = file.resolve()
            # The replacement is a re.sub template: a backslash in a file name must stay one.
            published = (where + file.name).replace("\\", "\\\\")
            body = re.sub(r"(\]\(\s*|\bsrc=[\"']|\bsrc=)(?:\./)?" + re.escape(file.name),
                          r"\g<1>" + published, body)
            if item.front.get("image") in {file.name, "./" + file.name}:
                item.front["image"] = where + file.name
    return body


def _include(folder: Path, roots: list[hugo_site.Root], source: Path, name: str) -> str | None:
    """The text of the file an `include` shortcode names: beside the page, in a content
    folder or in the site; never outside the old site."""
    if not name:
        return None
    inside = source.resolve()
    for base in (folder, *(r.folder for r in roots), source):
        path = (base / name.lstrip("/")).resolve()
        if path.is_relative_to(inside) and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            with contextlib.suppress(ValueError, yaml.YAMLError, tomllib.TOMLDecodeError):
                _, text, _, _ = hugo_site.split(text)
            return text
    return None

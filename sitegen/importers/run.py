"""One import, start to end: read the old site, write the new files and the report."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen import readers, urls
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.importers import (
    authors,
    collisions,
    editions,
    hugo,
    identity,
    jekyll,
    leftovers,
    names,
    wordpress,
)
from sitegen.importers.report import NEEDS_PERSON, SKIPPED, Report
from sitegen.importers.write import Result, Writer

KINDS = ("jekyll", "hugo", "wordpress")
REPORT_NAME = "import-report"


@dataclass(frozen=True)
class ImportOptions:
    kind: str
    source: Path
    dry_run: bool = False
    uploads: Path | None = None
    """WordPress: the `wp-content/uploads` folder."""
    section: str = "berita"
    """The section of posts that name no category."""
    keep_settings: bool = False
    """Keep sitegen.toml's language, time zone and base URL (identity.py)."""
    unknown_template: str = "text"
    """Template code nothing converts: "text" (its text only) or "placeholder"."""


def run_import(config: Config, options: ImportOptions,
               echo: Callable[[str], None] = print) -> tuple[Report, str]:
    """Import into the site of `config`; returns the report and where it was written."""
    source = options.source
    wanted_folder = options.kind != "wordpress"
    if not source.exists() or wanted_folder != source.is_dir() or (
            not wanted_folder and not stat.S_ISREG(os.stat(source).st_mode)):
        # A FIFO or device named as the export is never opened (it could block forever).
        what = "the folder of the old site" if wanted_folder else "the WXR export file (.xml)"
        raise SitegenError([Problem(str(source), 0, f"{source} is not {what}")])
    if options.uploads is not None and not options.uploads.is_dir():
        raise SitegenError([Problem(str(options.uploads), 0, "--uploads must be the "
                                    "wp-content/uploads folder")])
    report = Report(options.kind)
    section = urls.slugify(options.section)
    if not section:
        raise SitegenError([Problem("--section", 0, f"'{options.section}' has no letter or "
                                    "digit to make a section folder of")])
    options = dataclasses.replace(options, section=section)
    target = _report_path(config.root)
    try:
        _import(config, options, report, echo)
    finally:  # the report is written even when the import fails half-way
        if not options.dry_run:
            with target.open("x", encoding="utf-8") as out:
                out.write(report.text())
    if not report.written and not report.already:
        raise SitegenError([Problem(str(source), 0, f"nothing could be imported: {_why(report)}"
                                    f" (the report is {target.name})")])
    return report, target.name


def _import(config: Config, options: ImportOptions, report: Report,
            echo: Callable[[str], None]) -> None:
    source = options.source
    config = identity.adopt(config, options.kind, source.resolve(), report,
                            options.keep_settings, options.dry_run)
    leftovers.MODE = options.unknown_template
    if options.kind == "jekyll":
        result = jekyll.import_site(source.resolve(), config, report, options.section)
    elif options.kind == "hugo":
        result = hugo.import_site(source.resolve(), config, report, options.section)
    else:
        result = wordpress.import_site(source.resolve(), config, report, options.section,
                                       options.uploads.resolve() if options.uploads else None)
    authors.write_profiles(config, result.profiles, report, options.keep_settings,
                           options.dry_run)
    if result.plan is not None:
        editions.write_config(config, result.plan, report, options.dry_run,
                              Counter(item.edition for item in result.items))
    writer = Writer(config, report, options.dry_run, echo)
    _check_images(result, config, report)
    _portable_aliases(result, report)
    collisions.avoid(result, config, report)
    collisions.changed_urls(result.items, config, report)
    static = readers.static_dir(config)
    roots = [r.resolve() for r in (source.parent, options.uploads) if r is not None]
    for site_path, file in sorted(result.assets.items()):
        clean = urls.clean_site_path(site_path)
        if clean is None:  # `/../x`: never a path outside content/static/
            report.skipped(site_path, 0, "not a path on the site; the file was not copied")
            continue
        shown = next((file.relative_to(r).as_posix() for r in roots if file.is_relative_to(r)),
                     file.name)
        writer.copy(static / clean.lstrip("/"), file, shown)
    for item in result.items:
        writer.write_item(item)
    for slug, name in sorted(result.sections.items()):
        if name != slug and slug not in config.sections:
            report.notes.append(f'[sections.{slug}]\ntitle = "{name}"')


def _why(report: Report) -> str:
    """The first problems the report names, or that no post or page was found."""
    problems = [str(e) for e in sorted(report.entries) if e.status in (NEEDS_PERSON, SKIPPED)]
    if not problems:
        return f"no post or page was found in the {report.kind} source"
    more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
    return "; ".join(problems[:3]) + more


def _portable_aliases(result: Result, report: Report) -> None:
    """An old URL that cannot be a redirect file (a part too long for a file system, or
    over a file sitegen writes itself) is left out, reported."""
    for item in result.items:
        kept = []
        for alias in item.front.get("aliases", []):
            if (problem := names.alias_problem(alias)) is None:
                kept.append(alias)
            else:
                report.needs_person(item.source, 1, f"old URL {alias[:80]} cannot be a "
                                    f"redirect: {problem}; no redirect was made for it")
        item.front["aliases"] = kept


def _check_images(result: Result, config: Config, report: Report) -> None:
    """A hero image that was not found is left out (the build would refuse it)."""
    static = readers.static_dir(config)
    for item in result.items:
        image = item.front.get("image")
        if image and image not in result.assets and not (static / image.lstrip("/")).is_file():
            report.needs_person(item.source, 1, f"hero image {image} was not found; "
                                "it was left out")
            for key in ("image", "image_alt", "image_caption", "image_credit"):
                item.front.pop(key, None)


def _report_path(root: Path) -> Path:
    number = 1
    while True:
        name = f"{REPORT_NAME}.txt" if number == 1 else f"{REPORT_NAME}-{number}.txt"
        if not (root / name).exists():
            return root / name
        number += 1

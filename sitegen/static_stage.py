"""Layer 6.8. The build's static files and pictures stages: which static files are
published, the resized versions of the pictures the site shows, and copying both
into the new tree. Plain functions: build.py calls them in order."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from sitegen import (
    picture_cache,
    picture_plan,
    picture_reuse,
    pictures,
    readers,
    static_safety,
    themes,
    write,
)
from sitegen.config import Config
from sitegen.errors import Problem, stop_on
from sitegen.model import Site
from sitegen.sitefiles import StaticFiles
from sitegen.workers import Workers


class Report(Protocol):
    """What these stages add to the build report (build.BuildReport)."""

    warnings: list[Problem]
    skipped: list[Problem]
    processed_images: list[str]
    reused_images: int


def static_files(config: Config, chain: tuple[themes.Theme, ...], keep_going: bool,
                 strict: bool, report: Report,
                 judged: static_safety.Judged | None = None) -> StaticFiles:
    walked: list[Problem] = []
    static = static_safety.screen(
        themes.static_files(chain, readers.static_dir(config), walked), config, walked, judged)
    if keep_going:
        static, walked = _skip_bad_static(static, walked, strict, config, report)
    stop_on(walked, strict)
    report.warnings.extend(walked)
    return static


def _skip_bad_static(static: StaticFiles, problems: list[Problem], strict: bool,
                     config: Config, report: Report) -> tuple[StaticFiles, list[Problem]]:
    """Leave out every static file with an error (with --strict, a warning too)."""
    bad = {p.path for p in problems if strict or not p.warning}
    report.skipped.extend(p for p in problems if p.path in bad)
    return (StaticFiles({name: path for name, path in static.files()
                         if themes.display_path(path, config.root) not in bad}),
            [p for p in problems if p.path not in bad])


@contextlib.contextmanager
def pictures_folder(config: Config, use_cache: bool) -> Iterator[Path]:
    """The resized pictures: the build cache's `pictures/`, or a folder of this build's own."""
    if use_cache:
        yield config.cache_dir / "pictures"
        return
    with tempfile.TemporaryDirectory(prefix="sitegen-pictures-") as folder:
        yield Path(folder)


def make_pictures(config: Config, site: Site, static: StaticFiles, folder: Path,
                  workers: Workers, report: Report, reuse: Path | None,
                  memo: pictures.Memo | None = None, output: Path | None = None
                  ) -> picture_plan.Plan:
    """Make the resized versions that are not in the folder yet (the build cache's
    `pictures/`, named by content, so an unchanged image is never decoded again); those
    the `output` folder publishes already are not checked (picture_plan.missing)."""
    published = (*site.articles, *site.pages)
    site_static = readers.static_dir(config)
    plan = picture_plan.plan([a.image for a in published if a.image],
                         [p for a in published for p in a.pictures],
                         static.under(site_static),
                         config.images, memo)
    dropped: list[str] = []
    keys: list[str] = []
    # A stat of the output's file, not the staging's books: a file deleted from the
    # output by hand is then written again, and the books stay true.
    held = None if output is None else functools.partial(_published, str(output))
    jobs = picture_plan.missing(plan, site_static, folder, dropped, keys, held)
    report.warnings.extend(Problem(f"{folder.name}/{name}", 0, pictures.CHANGED, warning=True)
                           for name in dropped)
    if reuse is not None and jobs:
        take = functools.partial(picture_reuse.take, found=picture_reuse.published(reuse, plan),
                                 folder=folder)
        left = list(workers.map("reusing", take, jobs, minimum=2))
        report.reused_images = picture_reuse.reused(jobs, left)
        jobs = [job for job in left if job[1]]
    make = functools.partial(pictures.make, folder=folder, settings=config.images)
    problems = []
    # Each job decodes one photo and encodes several files: worth a worker from two on.
    for (source, _), (_, error) in zip(jobs, workers.map("pictures", make, jobs, minimum=2),
                                       strict=True):
        # Not a Path: pathlib interns each part of a name, one a photo (sitefiles.walk_names).
        relative = os.path.relpath(source, config.root).replace(os.sep, "/")
        report.processed_images.append(relative)
        if error:
            problems.append(Problem(relative, 0, error))
    stop_on(problems)
    plan.sizes = picture_plan.Sizes(folder, output)  # the variants are made
    if plan.work:
        picture_cache.remember_in_use(folder, keys)
    return plan


def _published(output: str, name: str) -> bool:
    return os.path.isfile(f"{output}/{name}")


def copy_files(config: Config, static: StaticFiles, plan: picture_plan.Plan, folder: Path,
               staging: write.Staging) -> None:
    """The static files (a site image stands in for its resized original) and pictures."""
    site_static = f"{readers.static_dir(config)}{os.sep}"
    # Only styles and scripts are renamed: the others' names are their own.
    assets = themes.fingerprint(static.ending(themes.FINGERPRINTED))
    for name, source in static.files():  # strings: a Path a photo would intern its parts
        stand_in = plan.originals.get(name) if source.startswith(site_static) else None
        staging.copy(assets.get(name, name), f"{folder}/{stand_in.key}" if stand_in else source)
    # Their names go to the tree's books apart (staged_pictures.py), not one string each.
    for output, key, held in plan.published():
        # Named by its photo's bytes and recipe: the output's file of that name is it.
        if held and staging.keep_picture(output):
            continue
        staging.copy_picture(output, f"{folder}/{key}")

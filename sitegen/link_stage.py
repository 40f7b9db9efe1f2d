"""Layer 6.98. The link check of the new tree before it replaces the output, or, when
nothing changed since the last build into the folder, that build's findings repeated
without checking again; the new tree's and the output's files as the check reads them."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from sitegen import write
from sitegen.build_run import Run
from sitegen.check import check_site
from sitegen.errors import Problem, stop_on
from sitegen.link_index import LinkIndex
from sitegen.link_locations import PageSources
from sitegen.links import MdLinks
from sitegen.model import Site
from sitegen.sources import Sources
from sitegen.workers import Workers


def check_links(run: Run, files: Mapping[str, str], pages: PageSources, md_links: MdLinks,
                 workers: Workers, known: list[Problem] | None = None,
                 written: Iterable[str] | None = None) -> list[Problem]:
    """Every internal link, image and fragment of the new tree, before it replaces the
    output: warnings, or with --strict errors that leave the output as it was. The pages
    written are scanned by the workers, like they were rendered. `known`: what the check
    found in these very files before. `pages`: each page's source (not the site: the
    build lets the Articles go before the check)."""
    report, config = run.report, run.config
    report.sources = pages
    problems = known
    if run.options.shard:  # its links go to every shard's pages: the merge checks them
        problems = []
    if problems is None:
        problems = check_site(config, files, report.sources, md_links,
                              LinkIndex(run.state if run.cache_dir else None, report.output),
                              _shown_output(report.output, config.root),
                              functools.partial(workers.map, "check"),
                              written)
    stop_on(problems, run.options.strict)
    report.warnings.extend(problems)
    run.lap("check")
    return problems


def recheck(run: Run, site: Site, md_links: MdLinks, workers: Workers,
             sources: Sources) -> None:
    """Nothing the output depends on changed since the last build into it: the same
    files, and the last link check's findings stand."""
    store = run.store
    run.report.unchanged = sorted([*store.renders, *(store.static or ())])
    run.lap("collect")
    checked = check_links(run, OutputFiles(str(run.output), run.report.unchanged),
                           PageSources(site), md_links, workers, store.checked)
    store.finish(sources.keys, store.renders, store.static or set(), run.site_key, checked,
                 store.previous.meta_key, store.previous.shows)
    run.state.commit()
    run.lap("check")


class TreeFiles(Mapping[str, str]):
    """The new tree's files -> where their bytes are, made when asked: a path held for
    every file of a large site would cost the main process a kilobyte per article (and
    a Path, whose parts pathlib interns, grows the interpreter's table of names)."""

    def __init__(self, staging: write.Staging) -> None:
        self.staging = staging
        self.folder = str(staging.dir)
        self.names = write.TreeNames(staging)  # the set of names; this maps them to paths

    def __getitem__(self, name: str) -> str:
        if not self.staging.has(name):
            raise KeyError(name)
        return f"{self.folder}/{name}"

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class OutputFiles(Mapping[str, str]):
    """The output's files (sorted names) -> their paths, made when asked."""

    def __init__(self, folder: str, names: list[str]) -> None:
        self.folder, self.names, self.known = folder, names, frozenset(names)

    def __getitem__(self, name: str) -> str:
        if name not in self.known:
            raise KeyError(name)
        return f"{self.folder}/{name}"

    def __contains__(self, name: object) -> bool:
        return name in self.known

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _shown_output(output: Path, root: Path) -> str:
    return output.relative_to(root).as_posix() if output.is_relative_to(root) else str(output)

"""Layer 5.9. Where a link check's finding is told: at the source line where the content
file wrote the URL, when a content file did, else at the output file (once for all the
pages a template put it on).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from sitegen import urls
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.links import MdLinks, line_of
from sitegen.model import Site


class PageSources(Mapping[str, str]):
    """Output file -> the content file it shows, for pages made from one. Packed into one
    string when made (each page's URL path and source, NUL-separated): the build lets
    the Articles go before the link check, its largest peak, and this is all the check
    and the external check ask of them. Made into a table when first asked (a page with
    a finding, or the external check): a build whose links are sound never holds a
    second name for every page."""

    def __init__(self, site: Site) -> None:
        self.packed = "\0".join(itertools.chain.from_iterable(
            (path, article.source) for article in (*site.articles, *site.pages)
            for path in (article.path, *article.aliases)))
        self.made: dict[str, str] | None = None

    def _made(self) -> dict[str, str]:
        if self.made is None:
            parts = self.packed.split("\0") if self.packed else []
            self.made = {urls.output_file(path): source
                         for path, source in zip(parts[::2], parts[1::2], strict=True)}
        return self.made

    def __getitem__(self, page: str) -> str:
        return self._made()[page]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


class Locator:
    """Puts a problem with a URL on the source line that wrote it, when a content file
    did; else on the output file, once for all the pages a template put it on."""

    def __init__(self, config: Config, sources: Mapping[str, str], md_links: MdLinks) -> None:
        self.config, self.sources, self.md_links = config, sources, md_links
        self.lines: dict[str, list[str]] = {}

    def line(self, page: str, value: str) -> tuple[str, int]:
        source = self.sources.get(page)
        if not source:
            return "", 0
        line = self.md_links.lines.get((source, value))
        if not line:
            if source not in self.lines:
                self.lines[source] = read_lines(self.config.root / source)
            line = _line_of_url(self.lines[source], value, self.config.base_path)
        return source, line

    def problems(self, found: Iterable[tuple[str, str, str]], shown: str) -> list[Problem]:
        """(output page, URL, message) -> warnings."""
        problems: list[Problem] = []
        elsewhere: dict[str, list[str]] = {}
        for page, value, message in found:
            source, line = self.line(page, value)
            if line:
                problems.append(Problem(source, line, message, warning=True))
            else:
                elsewhere.setdefault(message, []).append(page)
        for message, pages in elsewhere.items():
            also = f" (and on {len(pages) - 1} other pages)" if len(pages) > 1 else ""
            problems.append(Problem(f"{shown}/{pages[0]}", 0, message + also, warning=True))
        return problems


def read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []


def _line_of_url(lines: list[str], value: str, base_path: str) -> int:
    """The source line of a URL the page shows; Markdown wrote `/x` where the page has
    the base path in front of it."""
    if base_path != "/" and value.startswith(base_path):
        line = line_of(lines, "/" + value[len(base_path):])
        if line:
            return line
    return line_of(lines, value)

"""Layer 2. Every output name belongs to one thing.

Each planned file of the output (pages, lists and their pages, feeds,
sitemaps, robots.txt, the search page and its index folder, redirects of
aliases, static files, the build's marker) is claimed by its owner: the page
kinds (sitegen/kinds/) name the owner of each file they write. Two
owners for one file, or a file inside a path that another owner writes as a
file (a section folder `content/sitemap.xml/` wants `sitemap.xml/index.html`,
the sitemap wants `sitemap.xml`), is an error naming both, found before
anything moves into the output, so the previous output stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sitegen import portable_names
from sitegen.config import CONFIG_NAME
from sitegen.errors import Problem

MARKER_OWNER = "sitegen's own marker file"
SEARCH_INDEX_OWNER = "the search index (pagefind/, [build] search)"

def clashes(claims: Iterable[tuple[str, str]], static: dict[str, str],
            search_folder: str | None) -> list[Problem]:
    """Problems for every output file claimed twice, or claimed inside another's file.

    `claims` are (output file, owner); `static` maps a static file's output name to
    its source (relative to the site); `search_folder` is the folder the search
    index is written to, when there is one.
    """
    # One entry a file, under the name a case-insensitive system gives it (the name itself,
    # mostly): a second table keyed by the exact name would cost as much again, for every
    # file of the site, at the moment the render stage's books are largest.
    claimed: dict[str, tuple[str, str]] = {".sitegen-build": (".sitegen-build", MARKER_OWNER)}
    problems: list[Problem] = []
    folding: list[Problem] = []
    reported: set[frozenset[str]] = set()
    every = [*((name, f"the static file {source}") for name, source in static.items()), *claims]
    for claim in every:  # the claim's own tuple and, mostly, name: no copy per file
        output, who = claim
        first, owner_of_first = claimed.setdefault(portable_names.folded(output), claim)
        if owner_of_first == who or frozenset((owner_of_first, who)) in reported:
            continue
        reported.add(frozenset((owner_of_first, who)))
        if first == output:
            problems.append(_problem(owner_of_first, who, f"{output} would be written for both "
                                     f"{owner_of_first} and {who}"))
        else:
            # Names that differ only in case or Unicode normalization are one file on
            # macOS, Windows and many hosts: one owner's file would silently replace the
            # other's.
            folding.append(_problem(owner_of_first, who, f"{output} of {who} and {first} of "
                                    f"{owner_of_first} differ only in case or Unicode "
                                    "normalization, and are one file on Windows, macOS and "
                                    "many hosts"))
    problems += folding
    # A folder that another owner writes as a file: reported once per folder, naming
    # the shortest path inside it (a section's front page rather than its feeds).
    inside: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for output, who in every:
        slash = output.find("/")
        if search_folder and output[:slash if slash > 0 else None] == search_folder:
            inside.setdefault((search_folder, SEARCH_INDEX_OWNER), []).append((output, who))
        while slash > 0:  # each folder the file is inside: a/, a/b/, ...
            folder = output[:slash]
            holder = claimed.get(portable_names.folded(folder))
            if holder is not None and holder[0] == folder and holder[1] != who:
                inside.setdefault((folder, holder[1]), []).append((output, who))
            slash = output.find("/", slash + 1)
    for (folder, other), found in inside.items():
        # Name the content's own claimant first (a section's front page, not its feeds).
        output, who = min(found, key=lambda c: (not _CONTENT.search(c[1]), len(c[0]), c[0]))
        if other == SEARCH_INDEX_OWNER:
            where = f"inside {folder}/, the folder of {other}"
        else:
            where = f"inside {folder}, which {other} writes as a file"
        more = f" (and {len(found) - 1} more files)" if len(found) > 1 else ""
        problems.append(_problem(other, who, f"{output} of {who} would be {where}{more}"))
    return problems


_CONTENT = re.compile(r"content/\S*")


def _problem(first: str, second: str, message: str) -> Problem:
    """Blamed on the content file or folder among the claimants, else on sitegen.toml."""
    named = [m.group(0) for m in (_CONTENT.search(second), _CONTENT.search(first)) if m]
    # A source file rather than a folder: with --keep-going, that file is left out.
    where = ([n for n in named if not n.endswith("/")] or named or [CONFIG_NAME])[0]
    return Problem(where, 1 if where.endswith(".md") else 0,
                   f"{message}: give one of them another name or URL")

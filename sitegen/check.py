"""Layer 6. Every internal link, image and fragment of a built site resolves.

The check reads the finished tree, not the templates' intentions: each HTML
page is scanned for the URLs it uses and the ids it has (link_scan.py). What a
page holds is kept in the build state under the file's size, time and inode, so
a rebuild scans only the pages it wrote, yet every page of the site is checked
on every build: a page that was not rendered again can still lose its target.
Where a URL leads is link_targets.py's; where a problem is told (the source
line that wrote the URL, else the output file), link_locations.py's.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sitegen import urls
from sitegen.config import CONFIG_NAME, Config
from sitegen.errors import Problem
from sitegen.link_edges import group
from sitegen.link_index import LinkIndex, ScanMap, stamp
from sitegen.link_locations import Locator, read_lines
from sitegen.link_scan import scan_file
from sitegen.link_targets import Resolver, Target
from sitegen.links import MdLinks, line_of

# The verdicts on URLs that mean the same on every page, remembered (the menu's, the
# sections', the cards' recur); a site has about one URL per page, and holding them all
# would cost the planning process hundreds of bytes per article.
JUDGED_REMEMBERED = 1024
# Pages' link records held at once (each holds every URL of its page; a day's or a
# month's index holds hundreds): read again from the state when asked after that.
RECORDS_REMEMBERED = 200
# Fragments that need no element: the top of the page, and text fragments.
FREE_FRAGMENTS = {"", "top"}


def check_site(config: Config, files: Mapping[str, str], sources: Mapping[str, str],
               md_links: MdLinks, index: LinkIndex, shown: str, scan_map: ScanMap = map,
               written: Iterable[str] | None = None) -> list[Problem]:
    """Every problem with the internal links of a built tree, as warnings.

    `files`: output file -> where its bytes are now; `shown`: how to name the
    output folder in messages; `written`: the files this build wrote (the others are
    the previous output's), when known. Only the pages written are scanned, and only
    they and the pages whose links their change can affect are judged again: pages
    linking with a fragment to a page whose ids changed, pages with findings when
    files were added (which can only mend them), pages that linked to a file gone (a
    page, a photo's variant: link_edges.py), and every page when the base URL changed.
    The rest keep their findings.
    """
    resolver = Resolver(config, files.keys())
    problems, bad_menu = check_menu(config, resolver)
    problems.extend(md_links.problems)
    context = config.site.base_url
    # The tree's own names, not a copy: at scale every set of the pages is about 130
    # bytes an article in the process that plans the build.
    current = files.keys()
    pages = [f for f in files if f.endswith(".html")]
    # A file gone (a page, a photo's variant, a search shard's replaced file) judges
    # again the pages whose links led to it, which the state's link edges tell (a query,
    # not a set of every linked file in memory); a new base URL judges every page.
    gone = index.gone(current)
    full = index.context != context
    if full or written is None:
        stale = [p for p in pages if index.current(p, files[p], verify=True) is None]
    else:
        fresh = set(written)  # few, after a cold build
        stale = [p for p in pages if p in fresh or p not in index.files]
    changed = index.scan(files, stale, scan_map, scan_file)
    judge: Collection[str] = pages
    if not full:
        more = set(stale)
        more.update(index.edges.linking(gone))
        for page in changed:
            more.update(index.fragments.get(page, ()))
        if len(current) > len(index.files) - len(gone):  # files added: they may mend links
            more.update(index.flagged)
        judge = {page for page in more if page in current and page.endswith(".html")}
    if full:
        index.restart()
    del stale
    known_ids = _Ids(index, files)
    # A root-relative or absolute URL means the same on every page, and most of a
    # page's URLs (menu, sections, styles, cards) are on many pages: judged once.
    judged: dict[str, tuple[str | None, str | None, bool]] = {}
    base_path = config.base_path

    def verdict(page: str, value: str) -> tuple[str | None, str | None]:
        """What is wrong with the URL `value` on `page`, and the file it leads to."""
        same_everywhere = value.startswith("/") or "://" in value
        found = judged.get(value) if same_everywhere else None
        if found is None:
            target = resolver.resolve(page, value)
            found = (None, None, False)
            if isinstance(target, Target):
                found = (_problem(target, known_ids, base_path), target.file,
                         target.fragment not in FREE_FRAGMENTS)
            if same_everywhere:
                if len(judged) >= JUDGED_REMEMBERED:  # a bound, not a copy of every URL
                    judged.clear()
                judged[value] = found
        message, to_file, fragment = found
        if to_file and fragment and to_file != page and to_file.endswith(".html"):
            index.fragments.setdefault(to_file, set()).add(page)
        return message, to_file

    for page in sorted(judge):
        entry = known_ids.entry(page)
        findings, targets = [], set()
        for value in entry[1]:
            message, to_file = verdict(page, value)
            if message:
                findings.append([value, message])
            if to_file and to_file != page:
                targets.add(group(to_file))
        index.edges.add(page, targets)
        if findings != entry[3]:
            index.write(page, [entry[0], entry[1], entry[2], findings, index.generation])
        if findings:
            index.flagged[page] = findings
        else:
            index.flagged.pop(page, None)
    index.edges.flush()  # before the facts that rely on them
    located: list[tuple[str, str, str]] = []
    for page in sorted(index.flagged):
        if page not in current:
            continue
        for value, message in index.flagged[page]:
            if value not in bad_menu and (sources.get(page), value) not in md_links.reported:
                located.append((page, value, message))
    index.save(current, context)
    locate = Locator(config, sources, md_links)
    return problems + locate.problems(located, shown)


class _Ids:
    """Each page's record, asked for when needed (the ids of a page a fragment points
    into, the URLs of a page to judge); a page whose record does not describe its file
    is scanned here."""

    def __init__(self, index: LinkIndex, files: Mapping[str, str]) -> None:
        self.index, self.files = index, files
        self.entries: dict[str, list[Any]] = {}

    def entry(self, page: str) -> list[Any]:
        if page not in self.entries:
            entry = self.index.current(page, self.files[page], verify=False)
            if entry is None:
                refs, ids = scan_file(str(self.files[page]))
                entry = [stamp(self.files[page]), refs, ids, None, self.index.generation]
                self.index.write(page, entry)
            if len(self.entries) > RECORDS_REMEMBERED:  # a bound, not a copy of the site
                self.entries.clear()
            self.entries[page] = entry
        return self.entries[page]

    def get(self, page: str, default: Any = ()) -> Any:
        if page not in self.files or not page.endswith(".html"):
            return default
        return self.entry(page)[2]


def _problem(target: Target, ids: _Ids, base_path: str) -> str | None:
    if target.outside:
        return f"link {target.url} leads outside the site, whose pages are all under {base_path}"
    if target.file is None:
        if target.url.rsplit(".", 1)[-1].lower() in _MEDIA:
            return (f"image {target.url} is missing: the site has no such file "
                    "(the site's own images go in content/static/)")
        return f"link {target.url} goes nowhere: the site has no such page or file"
    if (target.file.endswith(".html") and target.fragment not in FREE_FRAGMENTS
            and not target.fragment.startswith(":~:")
            and target.fragment not in ids.get(target.file, ())):
        on = "this page" if target.url.startswith("#") else "that page"
        return f"link {target.url}: {on} has no heading or element with id '{target.fragment}'"
    return None


_MEDIA = {"jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "mp4", "webm", "mp3", "ico"}


def check_menu(config: Config, resolver: Resolver) -> tuple[list[Problem], set[str]]:
    """Each [[menu]] url that is internal must be a page; returns problems and the bad URLs."""
    problems, bad = [], set()
    text = read_lines(config.root / CONFIG_NAME)
    pages: list[str] = []  # every page's URL, for a hint: made when an entry is bad
    for item in config.menu:
        url = urls.url_for(config.base_path, item.url) if item.url.startswith("/") else item.url
        target = resolver.resolve("index.html", url)
        if not isinstance(target, Target) or (target.file and not target.outside):
            continue
        pages = pages or sorted("/" + f.removesuffix("index.html") for f in resolver.files
                                if f.endswith("index.html"))
        close = difflib.get_close_matches(item.url, pages, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(Problem(CONFIG_NAME, line_of(text, f'"{item.url}"'),
                                f"menu entry '{item.name}': {item.url} is not a page of the "
                                f"site{hint}", warning=True))
        bad.add(url)
    return problems, bad

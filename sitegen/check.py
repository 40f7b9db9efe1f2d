"""Layer 6. Every internal link, image and fragment of a built site resolves.

The check reads the finished tree, not the templates' intentions: each HTML
page is scanned for the URLs it uses (`href`, `src`, `srcset`, `poster`,
`action`) and the ids it has. What a page holds is kept in the build state under the
file's size, time and inode, so a rebuild scans only the pages it wrote, yet
every page of the site is checked on every build: a page that was not
rendered again can still lose its target.
base_url decides what is internal: a relative URL, or an absolute one on the
site's host under its path. A problem is located at the source line where the
content file wrote the URL, when a content file did, else at the output file.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from sitegen import image_service, urls
from sitegen.config import CONFIG_NAME, Config
from sitegen.errors import Problem
from sitegen.link_index import LinkIndex, ScanMap, stamp
from sitegen.links import MdLinks, line_of
from sitegen.model import Site

# Attributes whose value is one URL, and the tags they mean one on.
URL_ATTRS = {
    "href": {"a", "area", "link"},
    "src": {"img", "script", "iframe", "source", "audio", "video", "track", "embed", "input"},
    "poster": {"video"},
    "action": {"form"},
}
SRCSET_TAGS = {"img", "source"}
# <link rel> values that name a host, not a resource to fetch.
HINT_RELS = {"preconnect", "dns-prefetch"}
# The verdicts on URLs that mean the same on every page, remembered (the menu's, the
# sections', the cards' recur); a site has about one URL per page, and holding them all
# would cost the planning process hundreds of bytes per article.
JUDGED_REMEMBERED = 1024
# Pages' link records held at once (each holds every URL of its page; a day's or a
# month's index holds hundreds): read again from the state when asked after that.
RECORDS_REMEMBERED = 200
# Fragments that need no element: the top of the page, and text fragments.
FREE_FRAGMENTS = {"", "top"}


# A page is scanned with regular expressions rather than html.parser: several
# times faster (and equal on every page of the benchmark corpus), which matters
# because every page a build writes is scanned. Only tags that can link are
# taken apart; ids are picked from every tag in one pass.
_LINKING = re.compile(r"<(a|area|link|img|script|iframe|source|audio|video|track|embed|input"
                      r"|form)(\s[^>]*)>", re.I)
# The same tags, whole, as strings: what a page's scan looks up.
_LINKING_TAG = re.compile(r"<(?:a|area|link|img|script|iframe|source|audio|video|track|embed"
                          r"|input|form)\s[^>]*>", re.I)
_WANTED = re.compile(r"""\s(href|src|srcset|poster|action|name|rel)\s*=\s*"""
                     r"""(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
# The lookahead only says what a match needs anyway ("id" before the tag's end), so it
# finds what the pattern without it finds; it rejects a tag without one in a tight scan,
# which halves the time of this, the dearest pattern of a page's scan.
_ID = re.compile(r"""<(?=[^>]*id)[a-zA-Z][^\s>]*\s[^>]*?(?<=\s)id\s*=\s*"""
                 r"""(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")
_CANDIDATE = re.compile(r"([^\s,]\S*)(?:\s+[^,]*)?")
# Comments and the text of scripts and styles hold no links (a script's src stays).
_OPAQUE = re.compile(r"<(?:!--.*?-->|(script|style)\b([^>]*)>.*?</\1\s*>)", re.S | re.I)


def _value(match: re.Match[str], first: int) -> str:
    """The attribute value of whichever quoting matched, with character references read."""
    value = next(v for v in match.groups()[first - 1:] if v is not None)
    return html.unescape(value) if "&" in value else value


def extract(data: bytes) -> tuple[list[str], list[str]]:
    """The URLs a page uses and the ids it has, each once, in order."""
    text = data.decode("utf-8", errors="replace")
    if "<!--" in text or "<script" in text or "<style" in text:
        text = _OPAQUE.sub(lambda m: f"<{m[1]}{m[2]}></{m[1]}>" if m[1] else "", text)
    # `findall` hands over strings without a match object each; of an id's three
    # quotings only the one that matched can be non-empty.
    ids = set()
    for quoted, single, bare in _ID.findall(text):
        value = quoted or single or bare
        ids.add(html.unescape(value) if "&" in value else value)
    refs: dict[str, None] = {}
    seen = _TAGS_SEEN
    for whole in dict.fromkeys(_LINKING_TAG.findall(text)):  # a tag repeated adds nothing
        found = seen.get(whole)
        if found is None:
            match = _LINKING.fullmatch(whole)  # the same pattern, its parts captured
            if match is None:
                continue
            found = seen[whole] = _linking_tag(match.group(1).lower(), match.group(2))
            if len(seen) > TAGS_REMEMBERED:
                seen.clear()
        urls_of_tag, name = found
        refs.update(urls_of_tag)
        if name is not None:
            ids.add(name)
    return list(refs), sorted(ids)


# The same tags (menu, footer, section links, cards) are on page after page: each
# distinct one is taken apart once per process.
_TAGS_SEEN: dict[str, tuple[dict[str, None], str | None]] = {}
TAGS_REMEMBERED = 200_000


def _linking_tag(tag: str, attributes: str) -> tuple[dict[str, None], str | None]:
    """The URLs one tag uses, and the name it gives (`<a name>`), if any."""
    values: dict[str, str] = {}
    for attr in _WANTED.finditer(attributes):
        values.setdefault(attr.group(1).lower(), _value(attr, 2))
    name = values.get("name") if tag == "a" else None
    refs: dict[str, None] = {}
    if tag == "link" and HINT_RELS & set(values.get("rel", "").lower().split()):
        return refs, name
    for url_attr, tags in URL_ATTRS.items():
        if tag in tags and values.get(url_attr, "").strip():
            refs[values[url_attr].strip()] = None
    if tag in SRCSET_TAGS and values.get("srcset"):
        # As the HTML standard reads it: a URL is a run without spaces (an image
        # service's may hold commas), then descriptors up to the next comma.
        for candidate in _CANDIDATE.finditer(values["srcset"]):
            refs[candidate.group(1).rstrip(",")] = None
    return refs, name


def scan_file(path: str) -> tuple[list[str], list[str]]:
    """`extract` of one file; module-level, so that worker processes can run it."""
    with open(path, "rb") as file:
        return extract(file.read())


_DOTS = re.compile(r"(^|/)\.\.?(/|$|[?#])|//")


@dataclass(frozen=True)
class Target:
    """Where an internal URL leads: an output file and a fragment, or nowhere."""

    url: str
    file: str | None
    fragment: str
    outside: bool = False


class Resolver:
    """Internal URLs -> output files, as the site's host would serve them."""

    def __init__(self, config: Config, files: Collection[str]) -> None:
        self.base_path = config.base_path
        self.host = urlsplit(config.site.base_url).netloc.lower()
        self.files = files  # a set or a mapping's keys: asked with `in`, never copied
        # An image service answers its own paths on the site's host (no output file).
        self.served = image_service.served_prefix(config.images.service.strip())

    def resolve(self, page: str, value: str) -> Target | str | None:
        """A Target for an internal URL, the URL itself for an outside http(s) one,
        None for what is no link to check (mailto:, tel:, data:, javascript:)."""
        if value.startswith("#"):
            return Target(value, page, unquote(value[1:]))
        scheme, colon, _ = value.partition(":")
        if colon and scheme.isalpha() and scheme.lower() not in {"http", "https"}:
            return None
        if (colon and scheme.isalpha()) or value.startswith("//"):
            # Pages hold thousands of absolute URLs (canonical links, share buttons):
            # the host is read without urllib's full parse.
            after = value.split("//", 1)[1] if "//" in value else ""
            host = after.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].lower()
            if host != self.host:
                return value if after else None
            value_path = "/" + after[len(host):].lstrip("/") if after[len(host):] else "/"
        else:
            value_path = value
        if value_path.startswith("/") and not _DOTS.search(value_path):
            path, _, fragment = value_path.partition("#")
            path, fragment = unquote(path.split("?", 1)[0]), unquote(fragment)
        else:
            absolute = urlsplit(urljoin(f"http://{self.host}{self.base_path}{page}", value_path))
            path, fragment = unquote(absolute.path), unquote(absolute.fragment)
        if self.served and path.startswith(self.served):
            return None
        if not path.startswith(self.base_path):
            return Target(value, None, fragment, outside=True)
        relative = path[len(self.base_path):]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        if relative in self.files:
            return Target(value, relative, fragment)
        if f"{relative}/index.html" in self.files:  # the host redirects /x to /x/
            return Target(value, f"{relative}/index.html", fragment)
        return Target(value, None, fragment)


class PageSources(Mapping[str, str]):
    """Output file -> the content file it shows, for pages made from one. Made when first
    asked (a page with a finding, or the external check): a build whose links are sound
    never holds a second name for every page."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.made: dict[str, str] | None = None

    def _made(self) -> dict[str, str]:
        if self.made is None:
            self.made = {}
            for article in (*self.site.articles, *self.site.pages):
                self.made[urls.output_file(article.path)] = article.source
                for alias in article.aliases:
                    self.made[urls.output_file(alias)] = article.source
        return self.made

    def __getitem__(self, page: str) -> str:
        return self._made()[page]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


def page_sources(site: Site) -> PageSources:
    return PageSources(site)


def check_site(config: Config, files: Mapping[str, str], sources: Mapping[str, str],
               md_links: MdLinks, index: LinkIndex, shown: str, scan_map: ScanMap = map,
               written: Collection[str] | None = None) -> list[Problem]:
    """Every problem with the internal links of a built tree, as warnings.

    `files`: output file -> where its bytes are now; `shown`: how to name the
    output folder in messages; `written`: the files this build wrote (the others are
    the previous output's), when known. Only the pages written are scanned, and only
    they and the pages whose links their change can affect are judged again: pages
    linking with a fragment to a page whose ids changed, pages with findings when
    files were added (which can only mend them), and every page when a file that
    pages linked to is gone or the base URL changed. The rest keep their findings.
    """
    resolver = Resolver(config, files.keys())
    problems, bad_menu = check_menu(config, resolver)
    problems.extend(md_links.problems)
    context = config.site.base_url
    # The tree's own names, not a copy: at scale every set of the pages is about 130
    # bytes an article in the process that plans the build.
    current = files.keys()
    pages = [f for f in files if f.endswith(".html")]
    # A page gone may have been linked: every page is judged again (a set of every
    # linked page would cost the planning process a string an article, and removing a
    # story removes a page its lists link anyway); so is another file gone that the
    # index's filter says pages may link to (a search shard's replaced files: none).
    full = index.context != context or not index.gone_unlinked(current)
    if full or written is None:
        stale = [p for p in pages if index.current(p, files[p], verify=True) is None]
    else:
        fresh = set(written)  # few, after a cold build
        stale = [p for p in pages if p in fresh or p not in index.files]
    changed = index.scan(files, stale, scan_map, scan_file)
    judge: Collection[str] = pages
    if not full:
        more = set(stale)
        for page in changed:
            more.update(index.fragments.get(page, ()))
        if not current <= index.files:
            more.update(index.flagged)
        judge = {page for page in more if page in current and page.endswith(".html")}
    if full:
        index.restart(current)
    del stale
    known_ids = _Ids(index, files)
    # A root-relative or absolute URL means the same on every page, and most of a
    # page's URLs (menu, sections, styles, cards) are on many pages: judged once.
    judged: dict[str, tuple[str | None, str | None]] = {}
    base_path = config.base_path

    def verdict(page: str, value: str) -> str | None:
        same_everywhere = value.startswith("/") or "://" in value
        found = judged.get(value) if same_everywhere else None
        if found is None:
            target = resolver.resolve(page, value)
            found = (None, None)
            if isinstance(target, Target):
                linked = target.fragment not in FREE_FRAGMENTS and target.file \
                    and target.file.endswith(".html")
                found = (_problem(target, known_ids, base_path), target.file if linked else None)
                if target.file and not target.file.endswith(".html"):
                    index.linked.add(target.file)
            if same_everywhere:
                if len(judged) >= JUDGED_REMEMBERED:  # a bound, not a copy of every URL
                    judged.clear()
                judged[value] = found
        message, fragment_of = found
        if fragment_of and fragment_of != page:
            index.fragments.setdefault(fragment_of, set()).add(page)
        return message

    for page in sorted(judge):
        entry = known_ids.entry(page)
        findings = [[value, message] for value in entry[1]
                    if (message := verdict(page, value))]
        if findings != entry[3]:
            index.write(page, [entry[0], entry[1], entry[2], findings, index.generation])
        if findings:
            index.flagged[page] = findings
        else:
            index.flagged.pop(page, None)
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
    pages = sorted("/" + f.removesuffix("index.html") for f in resolver.files
                   if f.endswith("index.html"))
    for item in config.menu:
        url = urls.url_for(config.base_path, item.url) if item.url.startswith("/") else item.url
        target = resolver.resolve("index.html", url)
        if not isinstance(target, Target) or (target.file and not target.outside):
            continue
        close = difflib.get_close_matches(item.url, pages, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(Problem(CONFIG_NAME, line_of(text, f'"{item.url}"'),
                                f"menu entry '{item.name}': {item.url} is not a page of the "
                                f"site{hint}", warning=True))
        bad.add(url)
    return problems, bad


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

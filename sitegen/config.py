"""Layer 1. `sitegen.toml` -> a frozen, validated `Config`.

The file is read with tomllib and checked against the schema below. Every
problem is collected (never just the first), each with the line it is on, and
unknown keys are errors with a suggestion: a typo must never be silently
ignored. `[params]` is the one free-form table, handed to themes untouched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import string
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from sitegen import ads, image_service
from sitegen.ads import AdsConfig, AnalyticsConfig
from sitegen.errors import Problem, SitegenError, did_you_mean
from sitegen.picture_cache import parse_size

CONFIG_NAME = "sitegen.toml"
RAW_HTML_MODES = ("allow", "sanitize", "escape")


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Situs Berita"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "id"
    timezone: str = "Asia/Jakarta"
    copyright: str = ""
    logo: str = ""
    """Site-relative path of the publisher logo, e.g. `/images/logo.png`."""
    corrections_policy: str = ""
    ethics_policy: str = ""
    masthead: str = ""
    """The newsroom's policy pages (site paths or URLs), for the publisher's JSON-LD."""


@dataclass(frozen=True)
class BuildConfig:
    theme: str = "default"
    output_dir: str = "output"
    cache_dir: str = ".sitegen-cache"
    items_per_page: int = 10
    feed_items: int = 20
    feed_full_content: bool = True
    search: bool = True
    search_shard_pages: int = 300
    """At most this many pages in one search index shard (see search_shards.py)."""
    keep_going: bool = False
    """Publish the articles without errors and skip the others (`--keep-going`)."""
    cluster: str = field(default="", repr=False)
    """A Dask scheduler's address (`--cluster`, cluster.py). Left out of the repr, which
    the build's cache keys take: where the work runs changes no byte of the output."""


@dataclass(frozen=True)
class ContentConfig:
    ignore_keys: tuple[str, ...] = ()
    """Front matter keys the site knows it does not use: no warning for them."""


@dataclass(frozen=True)
class MarkdownConfig:
    raw_html: str = "sanitize"
    """What raw HTML in bodies does: "allow", "sanitize" or "escape" (sitegen.sanitize)."""


SVG_MODES = ("sanitize", "refuse", "allow")


@dataclass(frozen=True)
class StaticConfig:
    svg: str = "sanitize"
    """What an SVG file of the static folders with script in it becomes: "sanitize"
    (published without the script, with a warning), "refuse" (an error of its file) or
    "allow" (published as it is). See static_safety.py."""


@dataclass(frozen=True)
class BreakingConfig:
    """The breaking-news banner on every page, until `until` (the build time decides)."""

    text: str = ""
    url: str = ""
    until: str = ""


@dataclass(frozen=True)
class ImagesConfig:
    """How hero, card and body pictures are published (sitegen/pictures.py)."""

    widths: tuple[int, ...] = (480, 800, 1200, 1600)
    formats: tuple[str, ...] = ("avif", "webp")
    """Modern formats offered before the original's; AVIF only where Pillow can write it."""
    quality: int = 80
    """JPEG and WebP quality."""
    avif_quality: int = 60
    max_original_width: int = 2400
    """A wider original is published at its URL scaled down to this width."""
    service: str = ""
    """An image service that resizes instead of the build (sitegen/image_service.py):
    netlify, cloudflare, imgproxy, thumbor, or a URL template."""
    service_url: str = ""
    """The imgproxy or Thumbor server's address."""
    cache_limit: str = ""
    """Keep the picture cache under this size after each build, e.g. "4GB" (picture_cache.py)."""
    large_megapixels: int = 24
    """A photo with more pixels than this is reported with its cost (a warning)."""
    large_megabytes: int = 10
    """A photo file larger than this is reported with its cost (a warning)."""
    site_url: str = field(default="", metadata={"internal": True})
    """site.base_url, for the image service's URLs: set by the loader, not by sitegen.toml."""


@dataclass(frozen=True)
class Permalinks:
    article: str = "/{section}/{slug}/"
    page: str = "/{slug}/"
    section: str = "/{section}/"
    tag: str = "/tag/{slug}/"
    author: str = "/penulis/{slug}/"
    archive: str = "/arsip/"
    search: str = "/cari/"
    daily: str = "/indeks/"
    series: str = "/liputan-khusus/{slug}/"


DEPLOY_HOSTS = ("github", "gitlab", "netlify", "cloudflare", "s3")


@dataclass(frozen=True)
class DeployConfig:
    host: str = ""
    """Where the site is served; decides the host files the build writes (`_redirects`,
    `_headers`). Empty: none."""
    repo: str = ""
    """Older name of `[cms] repo`, still read when that is empty."""


CMS_BACKENDS = ("github", "gitlab")
CMS_AUTH_TYPES = ("token", "pkce", "oauth")


@dataclass(frozen=True)
class CmsConfig:
    """The editors' CMS at /admin/ (Sveltia CMS, which reads Decap's config.yml)."""

    repo: str = ""
    """The repository the CMS commits to: `owner/name` (GitLab: `group/subgroup/name`)."""
    branch: str = "main"
    backend: str = ""
    """`github` or `gitlab`; empty: GitLab on `[deploy] host = "gitlab"`, else GitHub."""
    auth_type: str = "token"
    """How editors sign in: `token` (a personal access token, no server anywhere),
    `pkce` (GitLab's own OAuth sign-in; needs `app_id`) or `oauth` (the host's or
    your OAuth service: Netlify's by default, or `base_url`)."""
    app_id: str = ""
    """The GitLab OAuth application's ID, for `auth_type = "pkce"`."""
    base_url: str = ""
    """An OAuth service of your own for `auth_type = "oauth"` (default: Netlify's)."""
    auth_endpoint: str = ""
    api_root: str = ""
    """A self-hosted GitHub Enterprise or GitLab API, e.g. https://gitlab.example.org/api/v4."""
    editorial_workflow: bool = False
    """Stories as pull requests: drafts, review, then publish (each a strict CI check)."""


@dataclass(frozen=True)
class MenuItem:
    name: str = ""
    url: str = ""


@dataclass(frozen=True)
class SectionConfig:
    title: str = ""
    description: str = ""


@dataclass(frozen=True)
class AuthorConfig:
    name: str = ""
    bio: str = ""


@dataclass(frozen=True)
class EditionConfig:
    """One more edition of the site (`[editions.<key>]`): its own language, address,
    title, time zone, sections and menu; [site] is the default edition, at the root."""

    language: str = ""
    title: str = ""
    description: str = ""
    path: str = ""
    """The URL prefix (`en` -> /en/); default: the edition's key."""
    base_url: str = ""
    """A domain of its own (https://en.example/) instead of a prefix on the site's."""
    timezone: str = ""
    date_style: str = ""
    """Babel's date format name (short, medium, long, full) for the dates pages show."""
    sections: dict[str, SectionConfig] = field(default_factory=dict)
    menu: tuple[MenuItem, ...] = ()
    permalinks: dict[str, str] = field(default_factory=dict)
    """`[editions.KEY.permalinks]`: patterns of its own, under its prefix (`/archive/`)."""


@dataclass(frozen=True)
class Config:
    root: Path
    site: SiteConfig = field(default_factory=SiteConfig)
    build: BuildConfig = field(default_factory=BuildConfig)
    permalinks: Permalinks = field(default_factory=Permalinks)
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    breaking: BreakingConfig = field(default_factory=BreakingConfig)
    deploy: DeployConfig = field(default_factory=DeployConfig)
    cms: CmsConfig = field(default_factory=CmsConfig)
    content: ContentConfig = field(default_factory=ContentConfig)
    images: ImagesConfig = field(default_factory=ImagesConfig)
    static: StaticConfig = field(default_factory=StaticConfig)
    ads: AdsConfig = field(default_factory=AdsConfig)
    analytics: AnalyticsConfig = field(default_factory=AnalyticsConfig)
    menu: tuple[MenuItem, ...] = ()
    sections: dict[str, SectionConfig] = field(default_factory=dict)
    authors: dict[str, AuthorConfig] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    editions: dict[str, EditionConfig] = field(default_factory=dict)
    """The other editions, by key (edition_config.py derives each one's Config)."""
    edition: str = ""
    """Which edition this Config is of: '' for the default one ([site])."""
    edition_path: str = ""
    """The edition's URL prefix inside the site ('en'), '' for the default edition."""
    own_domain: bool = False
    """The edition has a base_url of its own: links drop `edition_path`."""

    @property
    def home_path(self) -> str:
        """The site path of the edition's home page: `/`, or `/en/`."""
        return f"/{self.edition_path}/" if self.edition_path else "/"

    @property
    def base_path(self) -> str:
        """The path part of base_url, always with a trailing slash: `/` or `/berita/`."""
        path = re.sub(r"^https?://[^/]+", "", self.site.base_url)
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        match = re.match(r"^https?://[^/]+", self.site.base_url)
        return match.group(0) if match else ""

    @property
    def output_dir(self) -> Path:
        return (self.root / self.build.output_dir).resolve()

    @property
    def cache_dir(self) -> Path:
        return (self.root / self.build.cache_dir).resolve()

    def with_base_url(self, base_url: str) -> Config:
        site = dataclasses.replace(self.site, base_url=_normalise_base_url(base_url))
        images = dataclasses.replace(self.images, site_url=site.base_url)
        return dataclasses.replace(self, site=site, images=images)

    def with_output_dir(self, output_dir: Path) -> Config:
        build = dataclasses.replace(self.build, output_dir=str(output_dir))
        return dataclasses.replace(self, build=build)


PERMALINK_FIELDS = {
    "article": {"section", "slug", "year", "month", "day"},
    "page": {"slug"},
    "section": {"section"},
    "tag": {"slug"},
    "author": {"slug"},
    "archive": set(),
    "search": set(),
    "daily": set(),
    "series": {"slug"},
}

# Tables that hold one sub-table per user-chosen key.
_KEYED_TABLES = {"sections": SectionConfig, "authors": AuthorConfig}
_SIMPLE_TABLES = {"site": SiteConfig, "build": BuildConfig, "permalinks": Permalinks,
                  "markdown": MarkdownConfig, "breaking": BreakingConfig,
                  "deploy": DeployConfig, "cms": CmsConfig, "content": ContentConfig,
                  "images": ImagesConfig, "static": StaticConfig,
                  "ads": AdsConfig, "analytics": AnalyticsConfig}
_TOP_KEYS = [*_SIMPLE_TABLES, *_KEYED_TABLES, "menu", "params", "editions"]
DATE_STYLES = ("short", "medium", "long", "full")


def load_config(root: Path) -> Config:
    """Read `root/sitegen.toml`; raise SitegenError listing every problem."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise SitegenError(
            [Problem(str(path), 0, "no sitegen.toml here: run `sitegen init DIR` to start a site")]
        )
    text = path.read_bytes().decode("utf-8", errors="replace")
    return parse_config(text, root.resolve(), str(path))


def parse_config(text: str, root: Path, path: str = CONFIG_NAME) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SitegenError([Problem(path, line, f"invalid TOML: {message}")]) from None
    lines = _key_lines(text)
    problems: list[Problem] = []

    def report(keys: tuple[Any, ...], message: str) -> None:
        problems.append(Problem(path, _nearest_line(lines, keys), message))

    for key in data:
        if key not in _TOP_KEYS:
            report((key,), f"unknown table or key '{key}'{did_you_mean(key, _TOP_KEYS)}")
    values: dict[str, Any] = {}
    breaking = data.get("breaking")
    if isinstance(breaking, dict) and isinstance(breaking.get("until"), (dt.date, dt.time)):
        # A TOML date-time (until = 2026-11-28T18:00:00+07:00) is as good as the text form.
        breaking["until"] = breaking["until"].isoformat()
    for name, cls in _SIMPLE_TABLES.items():
        values[name] = _make(cls, data.get(name, {}), (name,), report)
    for name, cls in _KEYED_TABLES.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            report((name,), f"[{name}] must be a table")
            table = {}
        values[name] = {k: _make(cls, v, (name, k), report) for k, v in table.items()}
    menu = data.get("menu", [])
    if not isinstance(menu, list):
        report(("menu",), "menu must be written as [[menu]] entries with name and url")
        menu = []
    values["menu"] = tuple(_make(MenuItem, m, ("menu", i), report) for i, m in enumerate(menu))
    params = data.get("params", {})
    if not isinstance(params, dict):
        report(("params",), "[params] must be a table")
        params = {}
    values["editions"] = _editions(data.get("editions", {}), report)
    config = Config(root=root, params=params, **values)
    _check_semantics(config, report)
    _check_editions(config, report)
    if problems:
        raise SitegenError(problems)
    site = dataclasses.replace(config.site, base_url=_normalise_base_url(config.site.base_url))
    images = dataclasses.replace(config.images, site_url=site.base_url)
    return dataclasses.replace(config, site=site, images=images)


def _editions(table: Any, report: Any) -> dict[str, EditionConfig]:
    """`[editions.<key>]` tables, each with its own `sections` and `[[menu]]`."""
    if not isinstance(table, dict):
        report(("editions",), "[editions] must be a table of editions, such as [editions.en]")
        return {}
    found = {}
    for key, value in table.items():
        if not isinstance(value, dict):
            report(("editions", key), f"[editions.{key}] must be a table")
            continue
        plain = {k: v for k, v in value.items() if k not in ("sections", "menu", "permalinks")}
        edition = _make(EditionConfig, plain, ("editions", key), report)
        sections = value.get("sections", {})
        if not isinstance(sections, dict):
            report(("editions", key, "sections"), f"[editions.{key}.sections] must be a table")
            sections = {}
        menu = value.get("menu", [])
        if not isinstance(menu, list):
            report(("editions", key, "menu"), f"write the menu as [[editions.{key}.menu]] "
                   "entries with name and url")
            menu = []
        given = value.get("permalinks", {})
        if not isinstance(given, dict):
            report(("editions", key, "permalinks"), f"[editions.{key}.permalinks] must be a "
                   "table")
            given = {}
        made = _make(Permalinks, given, ("editions", key, "permalinks"), report)
        found[key] = dataclasses.replace(
            edition, permalinks={k: getattr(made, k) for k in given
                                 if k in PERMALINK_FIELDS and isinstance(given[k], str)},
            sections={s: _make(SectionConfig, v, ("editions", key, "sections", s),
                                        report) for s, v in sections.items()},
            menu=tuple(_make(MenuItem, m, ("editions", key, "menu", i), report)
                       for i, m in enumerate(menu)))
    return found


def _check_editions(config: Config, report: Any) -> None:
    """Each edition's language, address, zone and date style, checked like [site]'s."""
    paths: dict[str, str] = {}
    for key, edition in config.editions.items():
        where = ("editions", key)
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key):
            report(where, f"edition '{key}' must be a lower-case folder name under content/, "
                   "such as en")
        if not edition.language:
            report(where, f"[editions.{key}] needs a language, such as language = \"en\"")
        else:
            try:
                Locale.parse(edition.language.replace("-", "_"))
            except (ValueError, UnknownLocaleError):
                report((*where, "language"), f"editions.{key}.language '{edition.language}' "
                       "is not a known language code such as en or pt-BR")
        path = (edition.path or key).strip("/")
        if not re.fullmatch(r"[\w-]+(/[\w-]+)*", path) or ".." in path:
            report((*where, "path"), f"editions.{key}.path '{edition.path}' must be a URL "
                   "prefix such as en (no '..')")
        elif path in paths:
            report((*where, "path"), f"editions.{key} and editions.{paths[path]} both "
                   f"live at /{path}/: give one another path")
        paths[path] = key
        if path in config.sections:
            report((*where, "path"), f"editions.{key} lives at /{path}/, which is the "
                   f"section '{path}' of [site]: give the edition another path")
        if edition.base_url and not re.match(r"^https?://[^/\s]+(/\S*)?$", edition.base_url):
            report((*where, "base_url"), f"editions.{key}.base_url must be an absolute "
                   "http:// or https:// URL")
        if edition.timezone:
            try:
                zoneinfo.ZoneInfo(edition.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                report((*where, "timezone"), f"editions.{key}.timezone '{edition.timezone}' "
                       "is not an IANA time zone such as Asia/Jakarta")
        if edition.date_style and edition.date_style not in DATE_STYLES:
            report((*where, "date_style"), f"editions.{key}.date_style must be one of "
                   f"{', '.join(DATE_STYLES)}{did_you_mean(edition.date_style, DATE_STYLES)}")
        for i, item in enumerate(edition.menu):
            if not item.name or not item.url:
                report((*where, "menu", i), "each menu entry needs a name and a url")
        for kind, pattern in edition.permalinks.items():
            used = {f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None}
            if not pattern.startswith("/") or ".." in pattern:
                report((*where, "permalinks", kind), f"editions.{key}.permalinks.{kind} must "
                       "start with '/' (it is under the edition's prefix) and have no '..'")
            elif used - PERMALINK_FIELDS[kind]:
                allowed = ", ".join("{" + a + "}" for a in sorted(PERMALINK_FIELDS[kind]))
                report((*where, "permalinks", kind), f"editions.{key}.permalinks.{kind} may "
                       f"use only {allowed or 'no placeholders'}")


def _make(cls: type, table: Any, keys: tuple[Any, ...], report: Any) -> Any:
    """Build one config dataclass from a TOML table, reporting type errors and unknown keys."""
    where = ".".join(str(k) for k in keys)
    if not isinstance(table, dict):
        report(keys, f"[{where}] must be a table")
        return cls()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields or fields[key].metadata.get("internal"):
            report((*keys, key), f"unknown key '{key}' in [{where}]{did_you_mean(key, fields)}")
            continue
        expected = type(getattr(cls(), key))
        if expected is tuple and isinstance(value, list):  # TOML arrays, kept immutable
            value = tuple(value)
        # bool is an int subclass in Python, but `items_per_page = true` is a mistake.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            kind = "a list of text" if expected is tuple else expected.__name__
            report((*keys, key), f"{where}.{key} must be {kind}, not {value!r}")
            continue
        kwargs[key] = value
    return cls(**kwargs)


CLUSTER_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ucx|ws|wss)://)?[^\s/]+:\d+$")
"""A Dask scheduler's address: tcp://host:port (the default protocol), tls://…, or host:port."""


def cluster_problem(address: str) -> str:
    """What is wrong with a Dask scheduler address ("" if nothing)."""
    if not address or CLUSTER_ADDRESS.match(address):
        return ""
    return (f"'{address}' is not a Dask scheduler address such as tcp://10.0.0.5:8786 "
            "(the address `dask scheduler` prints)")


def _check_semantics(config: Config, report: Any) -> None:
    site, build = config.site, config.build
    if problem := cluster_problem(build.cluster):
        report(("build", "cluster"), f"build.cluster {problem}")
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", site.base_url):
        report(("site", "base_url"), "site.base_url must be an absolute http:// or https:// URL")
    try:
        Locale.parse(site.language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        report(("site", "language"),
               f"site.language '{site.language}' is not a known language code")
    try:
        zoneinfo.ZoneInfo(site.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        report(("site", "timezone"), f"site.timezone '{site.timezone}' is not an IANA time zone "
               "such as Asia/Jakarta")
    if site.logo and (not site.logo.startswith("/") or site.logo.startswith("//")
                      or "\\" in site.logo or ".." in site.logo.split("/")):
        report(("site", "logo"), f"site.logo '{site.logo}' must be a path under content/static/ "
               "written from the site's root, such as /images/logo.png (no '..')")
    if config.markdown.raw_html not in RAW_HTML_MODES:
        report(("markdown", "raw_html"), f"markdown.raw_html must be one of "
               f"{', '.join(repr(m) for m in RAW_HTML_MODES)}, not {config.markdown.raw_html!r}"
               f"{did_you_mean(config.markdown.raw_html, RAW_HTML_MODES)}")
    if config.static.svg not in SVG_MODES:
        report(("static", "svg"), f"static.svg must be one of "
               f"{', '.join(repr(m) for m in SVG_MODES)}, not {config.static.svg!r}"
               f"{did_you_mean(config.static.svg, SVG_MODES)}")
    if build.items_per_page < 1:
        report(("build", "items_per_page"), "build.items_per_page must be at least 1")
    if build.feed_items < 1:
        report(("build", "feed_items"), "build.feed_items must be at least 1")
    if build.search_shard_pages < 1:
        report(("build", "search_shard_pages"), "build.search_shard_pages must be at least 1")
    for kind, allowed in PERMALINK_FIELDS.items():
        pattern = getattr(config.permalinks, kind)
        used = {f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None}
        if not pattern.startswith("/") or ".." in pattern:
            report(("permalinks", kind), f"permalinks.{kind} must start with '/' and have no '..'")
        elif used - allowed:
            report(("permalinks", kind), f"permalinks.{kind} may use only "
                   f"{', '.join('{' + a + '}' for a in sorted(allowed)) or 'no placeholders'}")
    for key in ("corrections_policy", "ethics_policy", "masthead"):
        if getattr(site, key) and not re.match(r"^(/|https?://)\S*$", getattr(site, key)):
            report(("site", key), f"site.{key} must be a path on this site such as "
                   "/pedoman-media-siber/ or an http(s):// URL")
    _check_breaking(config.breaking, site.timezone, report)
    host = config.deploy.host
    if host and host not in DEPLOY_HOSTS:
        report(("deploy", "host"), f"deploy.host '{host}' is not one of "
               f"{', '.join(DEPLOY_HOSTS)}{did_you_mean(host, DEPLOY_HOSTS)}")
    _check_images(config.images, report)
    _check_cms(config.cms, report)
    ads.check(config.ads, config.analytics, report)
    for i, item in enumerate(config.menu):
        if not item.name or not item.url:
            report(("menu", i), "each [[menu]] entry needs a name and a url")
    for slug in config.sections:
        if not re.fullmatch(r"[\w-]+", slug):
            report(("sections", slug), f"section '{slug}' must be a folder name under content/")


def _check_cms(cms: CmsConfig, report: Any) -> None:
    if cms.repo and not re.fullmatch(r"[\w.-]+(/[\w.-]+)+", cms.repo):
        report(("cms", "repo"), f"cms.repo '{cms.repo}' must be the repository as owner/name, "
               "such as redaksi/situs-berita")
    if cms.backend and cms.backend not in CMS_BACKENDS:
        report(("cms", "backend"), f"cms.backend must be one of {', '.join(CMS_BACKENDS)}"
               f"{did_you_mean(cms.backend, CMS_BACKENDS)}")
    if cms.auth_type not in CMS_AUTH_TYPES:
        report(("cms", "auth_type"), f"cms.auth_type must be one of {', '.join(CMS_AUTH_TYPES)}"
               f"{did_you_mean(cms.auth_type, CMS_AUTH_TYPES)}")
    if cms.auth_type == "pkce" and not cms.app_id:
        report(("cms", "auth_type"), "cms.auth_type = \"pkce\" needs cms.app_id: the ID of a "
               "GitLab OAuth application (User settings > Applications, scope api, not "
               "confidential, redirect URI the site's /admin/)")
    if cms.auth_type == "pkce" and cms.backend == "github":
        report(("cms", "auth_type"), "GitHub has no PKCE sign-in for the CMS: use "
               "auth_type = \"token\" or \"oauth\"")
    for key in ("base_url", "api_root"):
        value = getattr(cms, key)
        if value and not re.match(r"^https://[^/\s]+(/\S*)?$", value):
            report(("cms", key), f"cms.{key} must be an https:// URL")
    if not re.fullmatch(r"[\w./-]+", cms.branch):
        report(("cms", "branch"), f"cms.branch '{cms.branch}' is not a branch name")


def _check_breaking(breaking: BreakingConfig, timezone: str, report: Any) -> None:
    if not (breaking.text or breaking.url or breaking.until):
        return
    if not breaking.text.strip():
        report(("breaking", "text"), "breaking.text is missing: the banner's headline")
    if breaking.url and not re.match(r"^(/|https?://)\S*$", breaking.url):
        report(("breaking", "url"), "breaking.url must be a path on this site such as "
               "/nasional/judul/ or an http(s):// URL")
    if not breaking.until:
        report(("breaking", "until"), "breaking.until is missing: when the banner comes down, "
               "such as 2026-11-28 18:00 (a breaking banner must not stay up forever)")
        return
    try:
        dt.datetime.fromisoformat(breaking.until.strip().replace(" ", "T", 1))
    except ValueError:
        report(("breaking", "until"), f"breaking.until '{breaking.until}' is not a time: write "
               "it as 2026-11-28 18:00 (site time zone) or 2026-11-28T18:00:00+07:00")


IMAGE_FORMATS = ("avif", "webp")


def _check_images(images: ImagesConfig, report: Any) -> None:
    if not images.widths or not all(isinstance(w, int) and not isinstance(w, bool)
                                    and 16 <= w <= 8192 for w in images.widths):
        report(("images", "widths"), "images.widths must be a list of widths in pixels "
               "between 16 and 8192, such as [480, 800, 1200, 1600]")
    elif images.max_original_width < max(images.widths):
        report(("images", "max_original_width"), "images.max_original_width must be at least "
               f"the largest of images.widths ({max(images.widths)})")
    for name in images.formats:
        if name not in IMAGE_FORMATS:
            report(("images", "formats"), f"images.formats may hold only "
                   f"{' and '.join(repr(f) for f in IMAGE_FORMATS)}, not {name!r}"
                   f"{did_you_mean(str(name), IMAGE_FORMATS)}")
    for key in ("quality", "avif_quality"):
        if not 1 <= getattr(images, key) <= 100:
            report(("images", key), f"images.{key} must be between 1 and 100")
    for key, message in image_service.problems(images.service.strip(), images.service_url):
        report(("images", key), message)
    if images.cache_limit and parse_size(images.cache_limit) is None:
        report(("images", "cache_limit"), f"images.cache_limit '{images.cache_limit}' is not a "
               "size: write it such as \"4GB\" or \"500MB\"")
    for key in ("large_megapixels", "large_megabytes"):
        if getattr(images, key) < 1:
            report(("images", key), f"images.{key} must be at least 1")


def _normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def _key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Map key paths such as ('site', 'title') or ('menu', 0, 'url') to their line numbers."""
    lines: dict[tuple[Any, ...], int] = {}
    table: tuple[Any, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(raw):
            parts = tuple(p.strip().strip("\"'") for p in header.group(2).split("."))
            if header.group(1) == "[[":
                index = counts[parts] = counts.get(parts, -1) + 1
                parts = (*parts, index)
            table = parts
            lines.setdefault(table, number)
        elif key := _KEY.match(raw):
            parts = tuple(p.strip().strip("\"'") for p in key.group(1).split("."))
            lines.setdefault((*table, *parts), number)
    return lines


def _nearest_line(lines: dict[tuple[Any, ...], int], keys: tuple[Any, ...]) -> int:
    while keys:
        if keys in lines:
            return lines[keys]
        keys = keys[:-1]
    return 0

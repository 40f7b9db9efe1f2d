"""Layer 0.9. What `sitegen.toml` may hold: one frozen dataclass per table.

The types here are the schema config.py reads the file against (a key that is no
field of its table is an unknown key), and what the rest of sitegen receives.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.ads import AdsConfig, AnalyticsConfig

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
        site = dataclasses.replace(self.site, base_url=normalise_base_url(base_url))
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
DATE_STYLES = ("short", "medium", "long", "full")


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"

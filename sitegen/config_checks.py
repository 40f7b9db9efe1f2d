"""Layer 0.95. What a well-formed `sitegen.toml` may still not say.

config.py has made the tables' types right; these checks judge the values (a
known language, an IANA zone, a URL, a permalink's placeholders...). Each problem
is reported with its key path, so config.py can give its line; all are collected.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import zoneinfo
from typing import Any

from babel import Locale, UnknownLocaleError

from sitegen import ads, image_service
from sitegen.config_schema import (
    CMS_AUTH_TYPES,
    CMS_BACKENDS,
    DATE_STYLES,
    DEPLOY_HOSTS,
    PERMALINK_FIELDS,
    RAW_HTML_MODES,
    SVG_MODES,
    BreakingConfig,
    CmsConfig,
    Config,
    ImagesConfig,
)
from sitegen.errors import did_you_mean
from sitegen.picture_cache import parse_size

CLUSTER_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ucx|ws|wss)://)?[^\s/]+:\d+$")
"""A Dask scheduler's address: tcp://host:port (the default protocol), tls://…, or host:port."""


def cluster_problem(address: str) -> str:
    """What is wrong with a Dask scheduler address ("" if nothing)."""
    if not address or CLUSTER_ADDRESS.match(address):
        return ""
    return (f"'{address}' is not a Dask scheduler address such as tcp://10.0.0.5:8786 "
            "(the address `dask scheduler` prints)")


def check_semantics(config: Config, report: Any) -> None:
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


def check_editions(config: Config, report: Any) -> None:
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

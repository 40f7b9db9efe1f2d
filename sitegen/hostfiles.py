"""Layer 5. The files a static host reads from the output: `_redirects` and `_headers`.

Written only for the host `[deploy] host` names, as render jobs of the theme's
`hosts/_redirects` and `hosts/_headers` templates, so they are cached and
checked for clashes like every page:

- `_redirects` (Netlify, Cloudflare Pages, GitLab Pages, and the S3 workflow,
  which turns each line into an object's redirect): a real 301 for every alias.
  Netlify and GitLab serve an existing file before a redirect, so on those hosts,
  and on Cloudflare, which follows redirects anyway, the alias gets no HTML
  redirect page. S3's workflow sets the redirect on that page's object, so there it
  stays.
- `_headers` (Netlify, Cloudflare Pages): a year's `Cache-Control: immutable` for
  each fingerprinted asset, whose name changes whenever its content does, and for
  every resized picture (`/_img/*`, named by a hash of its bytes and recipe).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import quote

from sitegen import urls
from sitegen.config import Config
from sitegen.embeds import PLAYER_ORIGINS
from sitegen.model import Job, Site
from sitegen.pictures import FOLDER
from sitegen.themes import FINGERPRINTED
from sitegen.value_views import View
from sitegen.views import Views

REDIRECT_HOSTS = {"netlify", "cloudflare", "gitlab", "s3"}
HEADER_HOSTS = {"netlify", "cloudflare"}
# Netlify's "!" applies the rule even where a file exists.
_CODES = {"netlify": "301!"}
IMMUTABLE = "public, max-age=31536000, immutable"


def replaces_redirect_pages(config: Config) -> bool:
    """True when the host answers aliases with a 301, so no HTML redirect page is written."""
    return config.deploy.host in REDIRECT_HOSTS - {"s3"}


def claims(config: Config) -> list[tuple[str, str]]:
    """(output file, owner) of the host files `plan_host_files` writes."""
    host = config.deploy.host
    return [*([("_redirects", "the host's redirects _redirects")] if host in REDIRECT_HOSTS
              else []),
            *([("_headers", "the host's headers _headers")] if host in HEADER_HOSTS else [])]


def alias_claims(site: Site, config: Config) -> list[tuple[str, str]]:
    """The output paths the host's redirects take, as claims (claims.py), where aliases
    get no redirect page: a `_redirects` line is checked against every file the site
    publishes (feeds, sitemaps, robots.txt, static files such as the CMS's admin/) just
    like a redirect page is, so no alias can take over or shadow one on any host."""
    if not replaces_redirect_pages(config):
        return []  # the redirect pages are render jobs, claimed like every page
    return [(urls.output_file(alias), f"an alias in {article.source}")
            for article in (*site.articles, *site.pages) for alias in article.aliases]


def plan_host_files(site: Site, config: Config, site_view: View, views: Views) -> Iterator[Job]:
    host = config.deploy.host
    if host in REDIRECT_HOSTS:
        code = _CODES.get(host, "301")
        redirects = [{"source": _encoded(views.link.url(alias)),
                      "target": _encoded(views.link.url(article.path)), "code": code}
                     for article in (*site.articles, *site.pages) for alias in article.aliases]
        yield Job("_redirects", ("hosts/_redirects",), {"redirects": redirects}, "_redirects",
                  "the host's redirects _redirects")
    if host in HEADER_HOSTS:
        assets = site_view["assets"]
        immutable = sorted(_encoded(url) for name, url in assets.items()
                           if PurePosixPath(name).suffix in FINGERPRINTED)
        if not config.images.service:
            # Resized pictures are named by a hash of their bytes and recipe too.
            immutable.append(_encoded(views.link.url(f"/{FOLDER}/")) + "*")
        yield Job("_headers", ("hosts/_headers",), {
            "immutable": immutable, "cache_control": IMMUTABLE,
            "everything": _encoded(views.link.url("/")) + "*", "security": SECURITY_HEADERS,
            "csp": CONTENT_SECURITY_POLICY, "pages": page_patterns(site, config, views, assets),
        }, "_headers", "the host's headers _headers")


SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"),
                    ("Referrer-Policy", "strict-origin-when-cross-origin"))
"""Sent with every file: no type guessing (an upload cannot become a script or a page),
and other sites see only the site's origin, never the article a reader came from."""
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    # Pagefind's search compiles WebAssembly; no script runs unless it is a file of the
    # site (the theme has no inline script: JSON-LD and the search settings are data).
    "script-src 'self' 'wasm-unsafe-eval'",
    # Markdown tables align cells with style attributes; <style> elements stay refused.
    "style-src 'self'", "style-src-attr 'unsafe-inline'",
    # Articles may show pictures and media from other sites, over https only.
    "img-src 'self' data: https:", "media-src 'self' https:",
    "font-src 'self'", "connect-src 'self'",
    f"frame-src {' '.join(PLAYER_ORIGINS)}",
    "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'self'",
])
"""For the site's own pages. Not for the editors' CMS (`admin/`), whose app comes from
unpkg.com: hosts apply every rule that matches a path, so the CMS must match none."""
CMS_FOLDER = "admin"


def page_patterns(site: Site, config: Config, views: Views, assets: dict[str, str]) -> list[str]:
    """Path patterns that cover every page of the site and nothing of the CMS's folder:
    the home page and each top-level folder or page that holds pages."""
    top: set[str] = {"page/"}  # the home page's later pages: /page/2/
    paths = [*(a.path for a in (*site.articles, *site.pages)),
             *(t.path for t in (*site.sections, *site.tags, *site.authors, *site.series)),
             *(d.path for d in site.days), *(m.path for m in site.archive),
             config.permalinks.archive, config.permalinks.search]
    paths += ["/" + name for name in assets if name.endswith((".html", ".htm"))]
    for path in paths:
        first, slash, _ = path.lstrip("/").partition("/")
        if first and first != CMS_FOLDER:
            top.add(first + slash)
    # A folder's pattern ends in the host's splat, which must not be percent-encoded.
    return [_encoded(views.link.url("/" + p)) + ("*" if p.endswith("/") and p != "" else "")
            for p in ("", "index.html", "404.html", *sorted(top))]


def _encoded(url: str) -> str:
    # A line of these files is split at spaces: every path is percent-encoded.
    return quote(url, safe="/")

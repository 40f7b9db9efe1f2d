"""Layer 6. Plan every page of the site as a render job, and render a job.

`plan` decides which files the site has and what each template gets; it is
the only place that knows the page kinds. `render_job` runs in worker
processes: it needs nothing but the job and the Jinja environment that the
worker built once at start-up, and it returns problems as data.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import math
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from sitegen import ads, bodies, feeds, hostfiles, newsroom, sitemaps, themes, urls
from sitegen.config import Config
from sitegen.dates import format_day, format_month
from sitegen.errors import Problem
from sitegen.model import Site, Term
from sitegen.themes import Theme, display_path, make_environment
from sitegen.views import View, Views, term_view

HOME_FEATURED = 5
HOME_SECTION_ITEMS = 4
HOME_NEXT = 4
HOME_LATEST = 10


@dataclass(frozen=True)
class Job:
    output: str
    """File to write, relative to the output folder."""
    templates: tuple[str, ...]
    """Candidates; the first that the theme has is used."""
    context: dict[str, Any]
    source: str
    """What is being rendered, for messages: a content file or a page's URL."""


def plan(site: Site, config: Config, site_view: View, views: Views, now: dt.datetime,
         wanted: Callable[[str], bool] | None = None) -> Iterator[Job]:
    """Every page of the site, in a fixed order; with `wanted`, only the pages whose
    output file it admits, and only their contexts are built. That is for the pages
    showing an edited body (deps.py), so the sitemaps and host files, which show none,
    are left out."""
    want = wanted or (lambda _: True)
    for job in _every_page(site, config, site_view, views, now, want, wanted is None):
        if want(job.output):
            yield job


def _every_page(site: Site, config: Config, site_view: View, views: Views, now: dt.datetime,
                want: Callable[[str], bool], everything: bool) -> Iterator[Job]:
    link = views.link
    per_page = config.build.items_per_page

    def page(kind: str, title: str, path: str, description: str = "", **extra: Any) -> View:
        extra.setdefault("language", config.site.language)
        return {"kind": kind, "title": title, "url": link.url(path),
                "permalink": link.absolute(path), "description": description, **extra}

    def listing(kind: str, term: View | None, title: str, path: str, indexes: tuple[int, ...],
                description: str = "", **extra: Any) -> Iterator[Job]:
        total = max(1, math.ceil(len(indexes) / per_page))
        for number in range(1, total + 1):
            current = urls.paginated(path, number)
            if not want(urls.output_file(current)):
                continue
            chunk = indexes[(number - 1) * per_page: number * per_page]
            yield Job(urls.output_file(current), (f"{kind}.html", "list.html"), {
                "site": site_view, "term": term, "articles": views.cards(chunk),
                "pagination": _pagination(path, number, total, link.url),
                "page": page(kind, title, current, description),
                # The home page's blocks are shown on its first page only; later pages
                # must not re-render when they change.
                **{k: (v if number == 1 else None) for k, v in extra.items()},
            }, current)

    yield from listing("home", None, config.site.title, "/", tuple(range(len(site.articles))),
                       config.site.description, home=_home(site, views))
    for index, article in enumerate(site.articles):
        if not want(urls.output_file(article.path)):
            continue
        view = views.article(index)
        yield Job(urls.output_file(article.path), ("article.html",), {
            "site": site_view, "article": view,
            "page": page("article", article.title, article.path, article.summary,
                         image=view["image"], language=view["language"]),
        }, article.source)
    for kind, terms, lookup in (("section", site.sections, views.sections),
                                ("tag", site.tags, views.tags),
                                ("author", site.authors, views.authors)):
        for term in terms:
            yield from listing(kind, lookup[term.slug], term.name, term.path, term.articles,
                               term.description,
                               feeds=feeds.term_feed_links(kind, term, config, views))
    yield from _archive(site, config, site_view, views, page, listing)
    yield from _newsroom_lists(site, config, views, listing)
    for standalone in site.pages:
        yield Job(urls.output_file(standalone.path), ("page.html",), {
            "site": site_view, "article": views.page(standalone),
            "page": page("page", standalone.title, standalone.path, standalone.summary,
                         language=standalone.language or config.site.language),
        }, standalone.source)
    yield Job("404.html", ("404.html",), {
        "site": site_view, "page": page("404", site_view["t"].get("not_found", "404"), "/404.html"),
    }, "404.html")
    # Where the host answers aliases with a real 301 (_redirects), no HTML page for them.
    aliased = () if hostfiles.replaces_redirect_pages(config) else (*site.articles, *site.pages)
    for article in aliased:
        for alias in article.aliases:
            yield Job(urls.output_file(alias), ("redirect.html",), {
                "site": site_view, "target": {"url": link.url(article.path),
                                              "permalink": link.absolute(article.path)},
                "page": page("redirect", article.title, alias),
            }, article.source)
    if config.build.search:
        path = config.permalinks.search
        yield Job(urls.output_file(path), ("search.html",), {
            "site": site_view, "page": page("search", site_view["t"].get("search", "Search"), path),
        }, path)
    for planned in feeds.plan_feeds(site, config, site_view, views, want):
        yield Job(*planned)
    if everything:
        for planned in (*sitemaps.plan_sitemaps(site, config, views, now),
                        *hostfiles.plan_host_files(site, config, site_view, views),
                        *ads.plan_ads_txt(config.ads)):
            yield Job(*planned)


def _home(site: Site, views: Views) -> View:
    """The front page's blocks, top down. Each block takes the next stories not yet shown
    in a block above it, so no story appears twice on the first screen; a section block
    left with nothing new is dropped."""
    shown: set[int] = set()

    def take(indexes: Iterable[int], count: int) -> list[int]:
        picked = list(itertools.islice((i for i in indexes if i not in shown), count))
        shown.update(picked)
        return picked

    everything = range(len(site.articles))
    # Paid content and press releases never lead the front page.
    journalism = [i for i in everything if site.articles[i].kind not in newsroom.NOT_NEWS]
    lead = take(journalism, 1)
    next_stories = take(journalism, HOME_NEXT)
    latest = take(everything, HOME_LATEST)
    featured = take((i for i, a in enumerate(site.articles) if a.featured), HOME_FEATURED)
    blocks = [(t, take(t.articles, HOME_SECTION_ITEMS)) for t in site.sections]
    return {
        "lead": views.card(lead[0]) if lead else None,
        "next": views.cards(next_stories),
        "featured": views.cards(featured),
        "latest": views.cards(latest),
        "sections": [{"section": views.sections[t.slug], "articles": views.cards(chosen)}
                     for t, chosen in blocks if chosen],
        "index_url": views.link.url(site.days[0].path) if site.days else None,
    }


def _newsroom_lists(site: Site, config: Config, views: Views, listing: Any) -> Iterator[Job]:
    """The series pages (parts in reading order) and the daily index, each day linking
    the previous and the next day that has articles."""
    for series in site.series:
        yield from listing("series", term_view(series, views.link), series.name, series.path,
                           series.articles)
    language = config.site.language
    names = [format_day(day.date, language) for day in site.days]
    for at, day in enumerate(site.days):
        def neighbour(other: int) -> View | None:
            if not 0 <= other < len(site.days):
                return None
            return {"url": views.link.url(site.days[other].path), "name": names[other],
                    "iso": site.days[other].date.isoformat()}
        term = Term(slug=day.date.isoformat(), name=names[at], path=day.path,
                    articles=day.articles)
        # Newest first, so the previous day is the next one in the tuple.
        yield from listing("daily", term_view(term, views.link), names[at], day.path,
                           day.articles, day={"iso": day.date.isoformat(),
                                              "previous": neighbour(at + 1),
                                              "next": neighbour(at - 1)})


def _archive(site: Site, config: Config, site_view: View, views: Views, page: Any,
             listing: Any) -> Iterator[Job]:
    language = config.site.language
    months = []
    for month in site.archive:
        name = format_month(month.year, month.month, language)
        term = Term(slug=f"{month.year}-{month.month:02d}", name=name, path=month.path,
                    articles=month.articles)
        months.append({"year": month.year, "month": month.month, "name": name,
                       "url": views.link.url(month.path), "count": len(month.articles)})
        yield from listing("archive_month", term_view(term, views.link), name, month.path,
                           month.articles)
    path = config.permalinks.archive
    title = site_view["t"].get("archive", "Archive")
    yield Job(urls.output_file(path), ("archive.html",), {
        "site": site_view, "months": months, "page": page("archive", title, path),
    }, path)


PAGER_NEIGHBOURS = 2


def _pagination(path: str, number: int, total: int, url: Any) -> View:
    """Where a page of a list stands. `pages` holds the first and last page and the
    current one's neighbours, with None for each gap: a list of 1,000 pages must not
    link all of them from each of them."""
    def at(n: int) -> str:
        return url(urls.paginated(path, n))
    shown = {1, total, *range(number - PAGER_NEIGHBOURS, number + PAGER_NEIGHBOURS + 1)}
    pages: list[View | None] = []
    for n in sorted(n for n in shown if 1 <= n <= total):
        if pages and pages[-1] is not None and n > pages[-1]["number"] + 1:
            pages.append(None)
        pages.append({"number": n, "url": at(n)})
    return {"number": number, "total": total,
            "previous_url": at(number - 1) if number > 1 else None,
            "next_url": at(number + 1) if number < total else None, "pages": pages}


# --- rendering, in worker processes --------------------------------------------

_environment: jinja2.Environment | None = None
_root: Path = Path()
_bodies: Path | None = None


def init_worker(chain: tuple[Theme, ...], root: Path, site_cache: Path | None = None,
                bodies_dir: Path | None = None) -> None:
    """Build the Jinja environment once per process (it cannot be pickled)."""
    global _environment, _root, _bodies
    # A worker forked from a CLI build inherits its disabled cyclic collector; a
    # worker makes short-lived garbage all the time, so it collects as usual.
    gc.enable()
    _environment = make_environment(chain, site_cache)
    _root = root
    _bodies = bodies_dir


def check_templates() -> list[Problem]:
    """Syntax errors of every template, found with this process's environment."""
    assert _environment is not None, "init_worker() must run first"
    return themes.check_templates(_environment, _root)


def render_job(job: Job) -> tuple[str, bytes | None, list[Problem]]:
    assert _environment is not None, "init_worker() must run first"
    try:
        template = _environment.select_template(job.templates)
        return job.output, template.render(_with_bodies(job.context)).encode("utf-8"), []
    except jinja2.TemplateSyntaxError as exc:
        where = display_path(exc.filename or "?", _root)
        problem = Problem(where, exc.lineno or 0, f"template syntax error: {exc.message}")
    except jinja2.TemplatesNotFound:
        problem = Problem(job.source, 0, f"the theme has none of the templates "
                          f"{', '.join(job.templates)}: add one to the theme's templates/")
    except Exception as exc:
        where, line = _template_frame(exc)
        problem = Problem(display_path(where, _root) if where else job.source, line,
                          f"{_describe(exc)}{WHILE}{job.source})")
    return job.output, None, [problem]


WHILE = " (while rendering "


def _with_bodies(context: dict[str, Any]) -> dict[str, Any]:
    """The context with each body recipe (views.body_recipe) made the body's HTML: read
    from disk here, in the process that renders, never in the one that plans."""
    article, feed, finished = context.get("article"), context.get("feed"), {}
    if isinstance(article, dict) and bodies.is_recipe(article.get("body_html")):
        finished["article"] = {**article,
                               "body_html": bodies.finish(article["body_html"], _bodies)}
    if isinstance(feed, dict) and any(bodies.is_recipe(e.get("content_html"))
                                      for e in feed.get("entries", ())):
        finished["feed"] = {**feed, "entries": [
            {**e, "content_html": bodies.finish(e["content_html"], _bodies)}
            if bodies.is_recipe(e.get("content_html")) else e for e in feed["entries"]]}
    return {**context, **finished} if finished else context


def once_each(problems: list[Problem]) -> list[Problem]:
    """One template mistake breaks every page that uses it: report it once, naming the
    first page and how many others, instead of once per page."""
    groups: dict[tuple[str, int, str], list[str]] = {}
    for problem in problems:
        message, _, page = problem.message.partition(WHILE)
        groups.setdefault((problem.path, problem.line, message), []).append(page[:-1])
    merged = []
    for (path, line, message), pages in groups.items():
        if pages[0]:
            others = f" and {len(pages) - 1} other pages" if len(pages) > 1 else ""
            message = f"{message}{WHILE}{pages[0]}{others})"
        merged.append(Problem(path, line, message))
    return merged


def _template_frame(exc: BaseException) -> tuple[str, int]:
    """The innermost template file and line in a traceback (Jinja maps frames to templates)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if not frame.filename.endswith(".py") and Path(frame.filename).is_file():
            return frame.filename, frame.lineno or 0
    return "", 0


def _describe(exc: BaseException) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"undefined in template: {exc.message}"
    return f"template error: {type(exc).__name__}: {exc}"

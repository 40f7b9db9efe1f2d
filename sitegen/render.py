"""Layer 6. Plan every page of the site as a render job, and render a job.

`plan` decides which files the site has and what each template gets; it is
the only place that knows the page kinds. `render_job` runs in worker
processes: it needs nothing but the job and the Jinja environment that the
worker built once at start-up, and it returns problems as data.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from sitegen import feeds, sitemaps, themes, urls
from sitegen.config import CONFIG_NAME, Config
from sitegen.dates import format_month
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


def plan(site: Site, config: Config, site_view: View, views: Views,
         now: dt.datetime) -> Iterator[Job]:
    """Every page of the site, in a fixed order."""
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
    for standalone in site.pages:
        yield Job(urls.output_file(standalone.path), ("page.html",), {
            "site": site_view, "article": views.page(standalone),
            "page": page("page", standalone.title, standalone.path, standalone.summary,
                         language=standalone.language or config.site.language),
        }, standalone.source)
    yield Job("404.html", ("404.html",), {
        "site": site_view, "page": page("404", site_view["t"].get("not_found", "404"), "/404.html"),
    }, "404.html")
    for article in (*site.articles, *site.pages):
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
    for planned in (*feeds.plan_feeds(site, config, site_view, views),
                    *sitemaps.plan_sitemaps(site, config, views, now)):
        yield Job(*planned)


def clashes(claims: list[tuple[str, str]], static: list[str]) -> list[Problem]:
    """Two things for one output file: a page and a feed, the search page, a static file.

    `claims` are (output file, source) of every planned job. (collect_site reports
    clashes between articles, pages, aliases and lists with better messages; this
    catches everything the plan adds on top of those.)
    """
    owners = {name: f"the static file {name}" for name in static}
    problems = []
    for output, source in claims:
        other = owners.setdefault(output, source)
        if other != source:
            blamed = next((s for s in (source, other) if s.startswith("content/")), None)
            problems.append(Problem(blamed or CONFIG_NAME, 1 if blamed else 0,
                                    f"{output} would be written for both {source} and "
                                    f"{other}: give one of them another URL"))
    return problems


def _home(site: Site, views: Views) -> View:
    featured = [i for i, a in enumerate(site.articles) if a.featured][:HOME_FEATURED]
    count = len(site.articles)
    # The front page reads top down: the lead, the next stories, then the
    # headlines that follow them, so no story appears twice at the top.
    rest = 1 + HOME_NEXT
    return {
        "lead": views.card(0) if site.articles else None,
        "next": views.cards(list(range(1, min(rest, count)))),
        "featured": views.cards(featured),
        "latest": views.cards(list(range(min(rest, count), min(rest + HOME_LATEST, count)))),
        "sections": [{"section": views.sections[t.slug],
                      "articles": views.cards(t.articles[:HOME_SECTION_ITEMS])}
                     for t in site.sections],
    }


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


def init_worker(chain: tuple[Theme, ...], root: Path, bytecode_dir: Path | None = None) -> None:
    """Build the Jinja environment once per process (it cannot be pickled)."""
    global _environment, _root
    # A worker forked from a CLI build inherits its disabled cyclic collector; a
    # worker makes short-lived garbage all the time, so it collects as usual.
    gc.enable()
    _environment = make_environment(chain, bytecode_dir)
    _root = root


def check_templates() -> list[Problem]:
    """Syntax errors of every template, found with this process's environment."""
    assert _environment is not None, "init_worker() must run first"
    return themes.check_templates(_environment, _root)


def render_job(job: Job) -> tuple[str, bytes | None, list[Problem]]:
    assert _environment is not None, "init_worker() must run first"
    try:
        template = _environment.select_template(job.templates)
        return job.output, template.render(job.context).encode("utf-8"), []
    except jinja2.TemplateSyntaxError as exc:
        where = display_path(exc.filename or "?", _root)
        problem = Problem(where, exc.lineno or 0, f"template syntax error: {exc.message}")
    except jinja2.TemplatesNotFound:
        problem = Problem(job.source, 0, f"the theme has none of the templates "
                          f"{', '.join(job.templates)}: add one to the theme's templates/")
    except Exception as exc:
        where, line = _template_frame(exc)
        problem = Problem(display_path(where, _root) if where else job.source, line,
                          f"{_describe(exc)} (while rendering {job.source})")
    return job.output, None, [problem]


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

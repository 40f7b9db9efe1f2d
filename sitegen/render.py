"""Layer 6. Plan every page of the site as a render job, and render a job.

`plan` asks the table of page kinds (sitegen/kinds/) which files the site has
and what each template gets. `render_job` runs in worker processes: it needs
nothing but the job and the Jinja environment that the worker built once at
start-up, and it returns problems as data.
"""

from __future__ import annotations

import datetime as dt
import gc
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2

from sitegen import bodies, kinds, template_environment
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.model import Job, Site
from sitegen.page_inputs import PageInputs
from sitegen.template_environment import make_environment
from sitegen.themes import Theme, display_path
from sitegen.value_views import View
from sitegen.views import Views


def plan(site: Site, config: Config, site_view: View, views: Views, now: dt.datetime,
         wanted: Callable[[str], bool] | None = None,
         inputs: PageInputs | None = None,
         only: Callable[[kinds.Kind], bool] | None = None,
         whole: Site | None = None) -> Iterator[Job]:
    """Every page of the site, in a fixed order: each page kind's (sitegen/kinds/); with
    `wanted`, only the pages whose output file it admits, and only their contexts are
    built. That is for the pages showing an edited body (deps.py), so the sitemaps and
    host files, which show none, are left out."""
    return kinds.plan(site, config, site_view, views, now, wanted, inputs, only, whole)


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


def bodies_folder() -> Path | None:
    """Where this process's environment reads stored bodies from (None: not set up)."""
    return _bodies if _environment is not None else None


def check_templates() -> list[Problem]:
    """Syntax errors of every template, found with this process's environment."""
    assert _environment is not None, "init_worker() must run first"
    return template_environment.check_templates(_environment, _root)


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
    """The context with each body recipe (value_views.body_recipe) made the body's HTML: read
    from disk here, in the process that renders, never in the one that plans."""
    return each_body(context, lambda recipe: bodies.finish(recipe, _bodies))


def each_body(context: dict[str, Any], change: Callable[[bodies.Recipe], Any]) -> dict[str, Any]:
    """The context with `change(recipe)` in place of each body recipe it holds (also
    cluster.py's, which puts a stored body into its recipe for a worker without the disk)."""
    article, feed, finished = context.get("article"), context.get("feed"), {}
    if isinstance(article, dict) and bodies.is_recipe(article.get("body_html")):
        finished["article"] = {**article, "body_html": change(article["body_html"])}
    if isinstance(feed, dict) and any(bodies.is_recipe(e.get("content_html"))
                                      for e in feed.get("entries", ())):
        finished["feed"] = {**feed, "entries": [
            {**e, "content_html": change(e["content_html"])}
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

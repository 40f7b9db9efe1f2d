"""Layer 3.2. The Jinja environment pages are rendered with: a theme chain's templates
(an override may extend the template it replaces), compiled once and kept sealed
between builds, escaping and `a.title` on a dict made cheap, the `number` filter,
and every template compiled once so that a syntax error is told once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
import markupsafe
from babel import UnknownLocaleError
from babel.numbers import format_decimal

from sitegen import dates, sealed
from sitegen.errors import Problem
from sitegen.themes import Theme, display_path


def make_environment(chain: tuple[Theme, ...],
                     site_cache: Path | None = None) -> jinja2.Environment:
    """The Jinja environment. With the build cache in use (`site_cache`), compiled
    templates are kept between builds, sealed, in the user's own cache folder and never
    in the build cache, which CI restores from a cache others can write (sealed.py)."""
    search = [str(t.path / "templates") for t in chain]
    prefixed = {t.name: jinja2.FileSystemLoader(str(t.path / "templates")) for t in chain}
    # The prefix loader lets an override extend the very template it replaces:
    # {% extends "default/base.html" %}.
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(search), jinja2.PrefixLoader(prefixed)])
    bytecode = sealed.template_cache(site_cache) if site_cache is not None else None
    # Before any template is compiled or loaded: their code imports `escape` from here.
    jinja2.runtime.escape = _escape  # type: ignore[assignment]
    environment = _Environment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
        bytecode_cache=bytecode,
    )
    environment.filters["number"] = number
    return environment


_DICT_NAMES = frozenset(dir(dict))

try:  # MarkupSafe's own escaping, in C, without the Markup object around it
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - a MarkupSafe built without its C speedups
    from markupsafe._native import _escape_inner


def _escape(value: Any) -> str:
    """What a compiled template calls on every `{{ value }}` with autoescaping: the text
    markupsafe.escape gives, but for plain text as a str rather than a Markup. Jinja only
    joins what a template yields (and makes a macro's or block's joined text Markup
    itself), so the type never shows; making a Markup object of every value was a sixth
    of a page's rendering."""
    if type(value) is str:
        return _escape_inner(value)
    return markupsafe.escape(value)


if _escape("<a href='x'>\"&\"</a>") != str(markupsafe.escape("<a href='x'>\"&\"</a>")):
    _escape = markupsafe.escape  # type: ignore[assignment]  # a MarkupSafe that escapes otherwise


class _Environment(jinja2.Environment):
    """Jinja's environment, with `a.title` on a plain dict (what every page's context is
    made of) read as the item at once. Jinja tries the attribute first, and on a dict that
    raises and catches an AttributeError for every `.`: a tenth of a page's rendering. The
    answer is the same: a plain dict has no attributes but its methods', which are still
    looked up first."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def number(value: int | float, language: str) -> str:
    """`{{ n | number(site.language) }}`: 1.234 in Indonesian, 1,234 in English (CLDR)."""
    try:
        return format_decimal(value, locale=dates.babel_locale(language))
    except (ValueError, UnknownLocaleError):
        return str(value)


def check_templates(env: jinja2.Environment, root: Path) -> list[Problem]:
    """Compile every template once, so a syntax error is reported once, not per page."""
    problems = []
    assert isinstance(env.loader, jinja2.ChoiceLoader)
    for name in env.loader.loaders[0].list_templates():
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            where = display_path(exc.filename or name, root)
            message = f"template syntax error: {exc.message}"
            problems.append(Problem(where, exc.lineno or 0, message))
    return problems

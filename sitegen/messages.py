"""Layer 0. What the tool says, in the user's language (gettext catalogs made with Babel).

The language is chosen the way every gettext program chooses it: the first of
LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set (`id_ID.UTF-8` -> Indonesian,
`C` or anything without a catalog -> English). Only the variable's text counts,
so it works on a machine that has no system locales installed.

The catalogs live in sitegen/locale/<lang>/LC_MESSAGES/sitegen.po, compiled to
.mo beside them (shipped in the wheel); README "Translating sitegen" says how to
update them with pybabel.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "sitegen"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@cache
def _catalog(environment: tuple[str | None, ...]) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, fallback=True)


def _current() -> gettext.NullTranslations:
    # Keyed by the variables, so a test (or a long-lived preview) that changes them
    # gets the matching catalog.
    return _catalog(tuple(os.environ.get(name) for name in _ENVIRONMENT))


def tr(message: str) -> str:
    """`message` in the user's language (English when there is no catalog for it)."""
    return _current().gettext(message)


def ntr(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the user's language."""
    return _current().ngettext(singular, plural, count)


def mark(message: str) -> str:
    """Marks a message for the catalogs where it is translated later, into a language that
    is not the user's (the CMS's labels follow the site's language: `in_language`)."""
    return message


@cache
def in_language(language: str) -> gettext.NullTranslations:
    """The catalog of `language` ('id', 'id_ID', 'en'), whatever the user's locale."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language.replace("-", "_")],
                               fallback=True)


def language() -> str:
    """The catalog's language ('id'), or 'en': part of the cache key of stored problems."""
    info = _current().info()
    return info.get("language", "en") or "en"

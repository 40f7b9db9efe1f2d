"""Layer 1.5. Each edition of a site as a Config of its own.

`[site]` is the default edition, at the root; each `[editions.<key>]` is another
one, at `/<path>/` (or on a domain of its own). An edition is built as the site
would be with its own language, title, time zone, sections and menu, and with
every permalink under its prefix, so each page kind (sitegen/kinds/) gives it
all its pages without knowing editions exist. A site without `[editions]` has
the one default edition, whose Config is the site's own, unchanged.
"""

from __future__ import annotations

import dataclasses
from pathlib import PurePosixPath

from sitegen.config_schema import BreakingConfig, Config, Permalinks

DEFAULT = ""
"""The default edition's key: `[site]`, at the root."""


def keys(config: Config) -> list[str]:
    """Every edition's key, the default one first."""
    return [DEFAULT, *config.editions]


def for_edition(config: Config, key: str) -> Config:
    """The Config an edition is built with (the site's own for the default edition)."""
    if key == config.edition:
        return config
    config = site_config(config)
    if key == DEFAULT:
        return config
    known = _DERIVED.get((id(config), key))
    if known is None or known[0] is not config:  # a Config holds dicts: not hashable
        if len(_DERIVED) > 256:
            _DERIVED.clear()
        known = _DERIVED[(id(config), key)] = (config, _derived(config, key))
    return known[1]


_DERIVED: dict[tuple[int, str], tuple[Config, Config]] = {}


def _derived(config: Config, key: str) -> Config:
    edition = config.editions[key]
    path = (edition.path or key).strip("/")
    site = dataclasses.replace(
        config.site, language=edition.language, title=edition.title or config.site.title,
        description=edition.description or config.site.description,
        timezone=edition.timezone or config.site.timezone,
        # Site paths carry the prefix (/en/economy/x/), so the links keep the site's base
        # URL; on a domain of its own, the Linker drops the prefix again.
        base_url=_with_slash(edition.base_url) if edition.base_url else config.site.base_url)
    # The site's patterns, or the edition's own, under its prefix: /en/{section}/{slug}/.
    permalinks = Permalinks(**{
        f.name: f"/{path}{edition.permalinks.get(f.name) or getattr(config.permalinks, f.name)}"
        for f in dataclasses.fields(Permalinks)})
    images = dataclasses.replace(config.images, site_url=site.base_url)
    # The breaking-news banner is written in the default edition's language: its own.
    derived = dataclasses.replace(config, site=site, permalinks=permalinks, images=images,
                                  breaking=BreakingConfig(),
                                  sections=dict(edition.sections), menu=edition.menu,
                                  edition=key, edition_path=path,
                                  own_domain=bool(edition.base_url))
    object.__setattr__(derived, "_site_config", config)  # not a field: not in its repr
    return derived


def site_config(config: Config) -> Config:
    """The default edition's Config (the site's), from any edition's."""
    found = getattr(config, "_site_config", config)
    assert isinstance(found, Config)
    return found


def date_style(config: Config) -> str:
    """The edition's `date_style` ('' : the theme's newspaper style)."""
    edition = config.editions.get(config.edition)
    return edition.date_style if edition is not None else ""


def folder_edition(config: Config, relative: PurePosixPath) -> str:
    """The edition a file under content/ belongs to by its folder (content/en/...)."""
    first = relative.parts[0] if len(relative.parts) > 1 else ""
    return first if first in config.editions else DEFAULT


def folders(config: Config) -> set[str]:
    """The folders of content/ that hold an edition, not a section of [site]."""
    return set(config.editions)


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"

"""Layer 3.8. Which pages are translations of each other, across the editions.

A story and its translations share a key: `translation_key:`, the original's with
`translation_of: <path under content/>` (both as readers.py keeps them), or else the
same path inside their editions' folders (content/ekonomi/a.md and
content/en/ekonomi/a.md), derived here.
The index is made from the published articles' metadata only, once per build:
key -> {edition: (language, site path)}. A page's alternates are every version
of it (itself included, as hreflang wants), plus `x-default`: the default
edition's version. The edition homes are alternates of each other too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from sitegen.config import Config
from sitegen.edition_config import DEFAULT, folder_edition, for_edition, keys
from sitegen.model import Article

Version = tuple[str, str, str]
"""(edition key, language, site path) of one version of a page."""
_OF = "of:"
_PATH = "path:"
CONTENT = "content"
"""The content folder, relative to the site (sitefiles.content_dir)."""
_HOME = "\0home"


class Translations:
    """The translations index of one build."""

    def __init__(self, config: Config, published: Mapping[str, Iterable[Article]]) -> None:
        self.config = config
        everything = [a for articles in published.values() for a in articles]
        by_source = {a.source: a for a in everything}
        groups: dict[str, dict[str, Version]] = {}
        for article in everything:
            key = _resolve(config, article, by_source)
            group = groups.setdefault(key, {})
            # One version per edition: a second one with the same key is not linked.
            group.setdefault(article.edition, (article.edition, _language(config, article),
                                                article.path))
        if len(published) > 1:
            groups[_HOME] = {key: (key, for_edition(config, key).site.language,
                                   for_edition(config, key).home_path)
                             for key in keys(config) if key in published}
        self.by_path: dict[str, list[Version]] = {}
        for group in groups.values():
            if len(group) < 2:
                continue
            versions = [group[k] for k in keys(config) if k in group]
            for version in versions:
                self.by_path[version[2]] = versions

    def versions(self, path: str) -> list[Version]:
        """Every version of the page at `path` (itself included); none when untranslated."""
        return self.by_path.get(path, [])


def _language(config: Config, article: Article) -> str:
    return article.language or for_edition(config, article.edition).site.language


def _resolve(config: Config, article: Article, by_source: Mapping[str, Article]) -> str:
    """The key of an article's group: `translation_of` leads to the original's."""
    key, seen = _own(config, article), set()
    while key.startswith(_OF) and key not in seen:
        seen.add(key)
        original = by_source.get(f"{CONTENT}/{key[len(_OF):]}")
        if original is None:
            return key  # the original is not published: the translations share its key
        key = _own(config, original)
    return key


def _own(config: Config, article: Article) -> str:
    """The key an article was given, or else its path inside its edition's folder."""
    if article.translation_key:
        return article.translation_key
    relative = PurePosixPath(article.source).relative_to(CONTENT)
    inside = PurePosixPath(*relative.parts[1:]) if folder_edition(config, relative) else relative
    return _PATH + inside.as_posix()


def x_default(versions: list[Version]) -> Version | None:
    """The version for readers of no listed language: the default edition's."""
    return next((v for v in versions if v[0] == DEFAULT), None)

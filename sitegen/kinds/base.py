"""Layer 5.6. What a page kind is, and what it is given to plan its pages.

A page kind (an article, a section front, a feed, the sitemap...) is declared
once, in one module of this package, by three answers:

- `plan(planner)`: its render jobs, each with the file it writes and its owner;
- `sitemap(planner)`: the (URL path, last change) of each page it lists in
  sitemap.xml; kinds that are not pages (feeds, redirects, 404) list none;
- `claims(site, config)`: (output file, owner) of each file it will write,
  computed from the site model alone (no contexts, no templates), so that two
  things on one URL are found before any picture or page is made.

Planning, the sitemap and the URL claims all come from the registry in
`kinds/__init__.py`; nothing else in sitegen lists the page kinds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen import urls
from sitegen.config import Config
from sitegen.kinds.shift import Shift
from sitegen.model import Site
from sitegen.page_inputs import PageInputs
from sitegen.plan_sweep import Planned
from sitegen.value_views import Linker, View
from sitegen.views import Views

Claim = tuple[str, str]
"""(output file, owner): who writes which file, for clash messages (claims.py)."""
Entry = tuple[str, dt.datetime | None]
"""(site path, last change) of one page in sitemap.xml."""


class Kind:
    """A page kind. Subclasses override what they have; the defaults plan nothing."""

    name = ""
    once = False
    """True for the files a site has once, at its root, whatever its editions (host
    files, ads.txt); the others are planned for each edition."""
    replanned_for_bodies = True
    """False for kinds that show no article body (sitemaps, host files): a body edit,
    which re-plans only the pages showing that body, never builds their contexts."""
    sharded = False
    """True for kinds built per article (its page, its redirects): `build --shard` plans
    them for the articles the shard owns, and `--merge` takes them from the shards."""

    def plan(self, planner: Planner) -> Iterator[Planned]:
        """Its jobs, and where in the walk through the archive to plan them
        (plan_sweep.py)."""
        return iter(())

    def sitemap(self, planner: Planner) -> Iterable[Entry]:
        return ()

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return ()


@dataclass
class Planner:
    """Everything a kind plans from; built once per build by the registry."""

    site: Site
    config: Config
    site_view: View
    views: Views
    now: dt.datetime
    want: Callable[[str], bool] = field(default=lambda _: True)
    """Admits an output file: with recorded dependencies, only the files to re-plan."""
    everything: bool = True
    """False when `want` picks a few pages; kinds that show no body then plan nothing."""
    inputs: PageInputs = field(default_factory=PageInputs)
    """Records what each page is planned from; says which pages keep their last file."""
    sitemap_entries: Callable[[], Sequence[Mapping[str, Any]]] = field(default=lambda: [])
    """Every kind's sitemap entries, for the kind that writes sitemap.xml."""
    whole: Site | None = None
    """Every edition's articles and pages, for the files the site has once (host files)."""
    shift: Shift | None = None
    """This build's archive as the last one's with new stories in front (shift.py): the
    pages no new story reaches keep their files without their inputs worked out."""
    _modified: list[dt.datetime] | None = field(default=None, repr=False)

    def modified(self) -> list[dt.datetime]:
        """Each article's `modified`, by its index, worked out once: the sitemap asks for
        it in every list a story is in (about nine times a story: 90,000 at 10,000)."""
        if self._modified is None:
            self._modified = [a.modified for a in self.site.articles]
        return self._modified

    @property
    def home(self) -> str:
        """The site path of the edition's home page: `/`, or `/en/`."""
        return self.config.home_path

    @property
    def link(self) -> Linker:
        return self.views.link

    @property
    def per_page(self) -> int:
        return self.config.build.items_per_page

    def page(self, kind: str, title: str, path: str, description: str = "",
             **extra: Any) -> View:
        """The `page` key of a context: what the page is and where it lives."""
        extra.setdefault("language", self.config.site.language)
        # This page in the other editions (hreflang); none without translations.
        extra.setdefault("alternates", self.views.alternates(path))
        return {"kind": kind, "title": title, "url": self.link.url(path),
                "permalink": self.link.absolute(path), "description": description, **extra}

    def wants(self, path: str) -> bool:
        """Whether the page at a site path is to be planned in this build."""
        return self.want(urls.output_file(path))

    def t(self, key: str, fallback: str) -> str:
        return str(self.site_view["t"].get(key, fallback))


def claim(path: str, owner: str) -> Claim:
    return urls.output_file(path), owner

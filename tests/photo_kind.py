"""A page kind that is not sitegen's: a photo index listing the stories with a picture,
declared in this one module (and one template, `photos.html`, in the test site's
theme). tests/test_kinds.py registers it and checks that it reaches the plan, the
sitemap and the URL claims with no other change to sitegen."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sitegen.config import Config
from sitegen.kinds.base import Claim, Entry, Kind, Planner
from sitegen.kinds.lists import list_claims, list_entries, plan_list
from sitegen.model import Job, Site

PATH = "/foto/"
OWNER = "the photo index"


def _with_pictures(site: Site) -> tuple[int, ...]:
    return tuple(i for i, a in enumerate(site.articles) if a.image or a.pictures)


class PhotoIndex(Kind):
    name = "photos"

    def plan(self, planner: Planner) -> Iterator[Job]:
        return plan_list(planner, "photos", None, "Foto", PATH, _with_pictures(planner.site),
                         OWNER)

    def sitemap(self, planner: Planner) -> Iterable[Entry]:
        return list_entries(planner, PATH, _with_pictures(planner.site))

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return list_claims(PATH, len(_with_pictures(site)), config.build.items_per_page, OWNER)

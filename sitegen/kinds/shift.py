"""Layer 5.55. A publish as a shift: the archive of the last build with new stories in
front, found with one digest, so that the pages no new story reaches keep their files
without their inputs being worked out.

Working out a page's inputs (page_inputs.py) means naming every article it shows with
that article's card digest: at 10,000 stories, every article page and every list over
every card, about half a second of a publish's planning. When this build's articles,
oldest first, are the last build's (same sources, same read keys, same order) with
`added` stories newer than all of them in front, and the facts every page's inputs
include are the same (the edition's site key, the term views cards name), then an
old story's card and its own page's fields are as they were; only its index moved up
by `added`. A page showing only old stories, by the same relations as before, is then
planned from what it was planned from last time, and keeps its file:

- an article page keeps its file unless it shows a new story (as a neighbour, in its
  related box, its series, its "Baca juga") or its related box may have changed
  without taking one in (`related.may_change_without_new`);
- a list keeps its pages when none of its stories is new and what it is apart from
  its stories (its term, title, pager facts, front extras) has the digest of last time.

The digest is of every article's source and read key, oldest first, after the edition's
site key and term views; it is worked out from the oldest end, so the digests of the
archive without its newest 1, 2, ... `MOST_ADDED` stories come on the way, and one of
them matching the last build's says how many stories are new. It is recorded with the
pages' inputs each time the whole edition is planned (never carried over by a body
edit, which plans a few pages and keeps the others' inputs: a digest of an archive the
pages no longer show must not be matched).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sitegen.index_lists import IndexLists
from sitegen.model import Article
from sitegen.page_inputs import PageInputs
from sitegen.sealed import short_key

ORDER_KEY = "\0order "
"""With the edition's home path: the key the archive's digest is kept under among the
pages' inputs."""
MOST_ADDED = 64
"""More new stories at once than this (an import) plan as before."""


@dataclass(frozen=True)
class Shift:
    """This build's archive is the last one's with `added` stories in front."""

    added: int
    new: frozenset[int] = field(init=False, repr=False, compare=False)
    """The new stories' indexes: asked about every list and every story's neighbours and
    related stories (a set's C loop, not a generator's: 34,000 asks in a publish)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "new", frozenset(range(self.added)))

    def shows_new(self, indexes: Iterable[int | None]) -> bool:
        return not self.new.isdisjoint(indexes)

    def shows_new_at(self, lists: Sequence[Sequence[int | None]], index: int) -> bool:
        """`shows_new(lists[index])`, without the tuple made of an IndexLists' list."""
        if isinstance(lists, IndexLists):
            return lists.meets(index, self.new)  # (its None is -1: never a new story's)
        return self.shows_new(lists[index])


def archive_digests(site_key: str, terms: str, articles: Sequence[Article],
                    keys: Mapping[str, str], most: int = MOST_ADDED) -> list[int]:
    """The digest of `articles[k:]` for k = 0 .. min(most, len(articles)) (index k is the
    archive without its k newest stories), each over the site key, the term views and
    every story's source and read key, oldest first. KeyError: a story without a read
    key (a merge's, say), whose content the digest could not vouch for."""
    head = min(most, len(articles))
    digest = hashlib.sha256(f"{site_key}\0{terms}\0".encode())
    # The stories below the newest `most` in one update (a string per story is the cost).
    digest.update("".join([f"{a.source}\0{keys[a.source]}\n"
                           for a in reversed(articles[head:])]).encode())
    found = [short_key(digest.copy())]
    for article in reversed(articles[:head]):
        digest.update(f"{article.source}\0{keys[article.source]}\n".encode())
        found.append(short_key(digest.copy()))
    found.reverse()
    return found


def find(found: dict[str, int], previous: dict[str, int], home: str, site_key: str,
         terms: str, articles: Sequence[Article], keys: Mapping[str, str],
         usable: bool) -> Shift | None:
    """Record this archive's digest in `found` (the pages' inputs of this build); the
    shift from the last build's archive when there is one and `usable` (the pages are
    planned whole, with inputs to keep); None otherwise."""
    try:
        digests = archive_digests(site_key, terms, articles, keys)
    except KeyError:
        found.pop(ORDER_KEY + home, None)
        return None
    found[ORDER_KEY + home] = digests[0]
    last = previous.get(ORDER_KEY + home)
    if not usable or last is None or last not in digests:
        return None
    return Shift(digests.index(last))


def keep(inputs: PageInputs, outputs: list[str], owner: str) -> bool:
    """Keep these pages' files and inputs as the last build left them, if all are there."""
    if not all(o in inputs.previous and o in inputs.renders and inputs.present(o)
               for o in outputs):
        return False
    for output in outputs:
        inputs.found[output] = inputs.previous[output]
        inputs.kept.append((output, owner))
    return True

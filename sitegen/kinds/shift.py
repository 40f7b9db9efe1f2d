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

A removal of the newest 1 ... `MOST_ADDED` stories is the mirror: the digests of the
archive without its newest stories are recorded too, and this build's whole digest
matching one says how many were removed. Each page (and list) that shows one of the
newest `MOST_ADDED` stories records the newest it shows (`NEWEST_KEY`): after a removal,
a page whose record names none of the removed stories shows what it showed, moved down
(an article page's related box changes only when it held a removed story, related.py;
its neighbours and "Baca juga" links are among what it records), and keeps its file; a
list none of whose stories was removed keeps its pages likewise.
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
"""More new stories at once than this (an import), or more of the newest removed at once,
plan as before."""
NEWEST_KEY = "\0newest "
"""With a page's output file or a list's path: the newest story (its index, under
MOST_ADDED) it shows, recorded when one of the newest is among what it shows."""
FIRST = frozenset(range(MOST_ADDED))


@dataclass(frozen=True)
class Shift:
    """This build's archive is the last one's with `added` stories in front, or without
    its `removed` newest stories (`before`: the pages' inputs of the last build, which
    say which pages showed them)."""

    added: int
    removed: int = 0
    before: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)
    new: frozenset[int] = field(init=False, repr=False, compare=False)
    """The new stories' indexes: asked about every list (a set's C loop, not a
    generator's)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "new", frozenset(range(self.added)))

    def shows_new(self, indexes: Iterable[int | None]) -> bool:
        return not self.new.isdisjoint(indexes)

    def showed_removed(self, key: str) -> bool:
        """Whether the page (an output file) or list (its path) `key` showed a removed
        story last time (its `NEWEST_KEY` record names one)."""
        return bool(self.removed) and self.before.get(NEWEST_KEY + key, MOST_ADDED) < self.removed

    def same_stories(self, path: str, indexes: Sequence[int]) -> bool:
        """Whether a list (`path`, its stories' `indexes` this build) holds the stories it
        held last time: none new, none removed."""
        return not self.shows_new(indexes) and not self.showed_removed(path)

    def keeps_page(self, output: str, index: int, newest: int | None) -> bool:
        """Whether an old story's article page, at `index`, whose `newest` shown story this
        build is that (None: none of the newest MOST_ADDED), shows what it showed last time
        by the same relations, as far as the archive's stories go (kinds/articles.py asks
        the rest): in a publish, none new is among them; in a removal, none removed was."""
        if self.removed:
            return not self.showed_removed(output)
        return index >= self.added and (newest is None or newest >= self.added)


def newest_of(lists: Iterable[Sequence[Sequence[int | None]]], index: int) -> int | None:
    """The newest story under MOST_ADDED that the lists at `index` (related stories,
    neighbours, ...) or the article itself show; None when none is."""
    found = index if index < MOST_ADDED else None
    for shown in lists:
        near = shown.meets(index, FIRST) if isinstance(shown, IndexLists) \
            else not FIRST.isdisjoint(shown[index])
        if near:
            least = min(i for i in shown[index] if i is not None and i >= 0)
            found = least if found is None else min(found, least)
    return found


def note_newest(found: dict[str, int], key: str, newest: int | None) -> None:
    """Record the newest story a page or list shows, when it is one of the newest."""
    if newest is not None and newest < MOST_ADDED:
        found[NEWEST_KEY + key] = newest


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
        forget(found, home)
        return None
    found[ORDER_KEY + home] = digests[0]
    for removed, digest in enumerate(digests[1:], 1):  # the archive without its newest
        found[_less_key(home, removed)] = digest
    last = previous.get(ORDER_KEY + home)
    if not usable or last is None:
        return None
    if last in digests:
        return Shift(digests.index(last))
    for removed in range(1, MOST_ADDED + 1):
        if previous.get(_less_key(home, removed)) == digests[0]:
            return Shift(0, removed, previous)
    return None


def forget(found: dict[str, int], home: str) -> None:
    """Record no digest of this archive (a plan that keeps pages planned from another)."""
    found.pop(ORDER_KEY + home, None)
    for removed in range(1, MOST_ADDED + 1):
        found.pop(_less_key(home, removed), None)


def _less_key(home: str, removed: int) -> str:
    """The key of the digest of the archive without its `removed` newest stories."""
    return f"{ORDER_KEY}{home}\0{removed}"


def keep(inputs: PageInputs, outputs: list[str], owner: str) -> bool:
    """Keep these pages' files and inputs as the last build left them, if all are there."""
    if not all(o in inputs.previous and o in inputs.renders and inputs.present(o)
               for o in outputs):
        return False
    for output in outputs:
        inputs.found[output] = inputs.previous[output]
        inputs.kept.append((output, owner))
    return True

"""Layer 4. Related stories: the nearest stories either side of each article, worked out
from the archive's shape alone (each article's section, tags and whether it may be
offered, newest first), and the last build's answer brought up to date when the archive
only gained stories newer than all of it (a publish) or only lost its newest stories
(their removal), instead of worked out again.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sitegen import urls
from sitegen.index_lists import IndexLists

RELATED_COUNT = 4
# At most this many of them published after the article (see `_related`).
RELATED_NEWER = 2
# Related articles are looked for among this many articles of each shared tag
# published just before, which keeps the work linear in the archive's size.
RELATED_WINDOW = 100
# An article's first this many tags decide its related articles (50 tags make 1,225
# pairs; 10,000 would make 50 million).
RELATED_TAGS = 20

Shape = tuple[tuple[str, tuple[str, ...], bool], ...]
"""Each article's (section, tags, not to be offered), newest first."""
Related = Sequence[tuple[int, ...]]
"""Each article's related articles, as indexes into the same order (an IndexLists)."""
Groups = tuple[dict[str, list[int]], dict[str, list[int]]]

_NUMBERS: list[int] = []


def numbers(count: int) -> list[int]:
    """The article indexes 0..count-1 as one int object each. Every grouping (sections,
    tags, authors, months, days, related) holds indexes; each `enumerate` would make its
    own copy of every index above 256, 28 bytes an article a grouping."""
    if len(_NUMBERS) < count:
        _NUMBERS.extend(range(len(_NUMBERS), count))
    return _NUMBERS[:count]  # a list of the same objects


def related(shape: Shape, last: Any = None) -> Related:
    """Each article's related articles. `last`: a (shape, related) pair an earlier build
    worked out (the build state keeps it): when `shape` is that shape with stories newer
    than all of it in front, only the articles whose nearest newer stories now include
    a new one are worked out again; when it is that shape without its newest stories,
    only those whose answer held one of them; the others' answers are the last ones,
    moved along. Anything else about `last` (another archive, a damaged record) is not
    used."""
    if last is not None:
        try:
            answer = IndexLists.from_plain(last[1])
            found = _after_publishing(shape, last[0], answer)
            if found is None:
                found = _after_removing(shape, last[0], answer)
        except (TypeError, ValueError, IndexError, KeyError):
            found = None
        if found is not None:
            return found
    return _related(shape)


def _related(shape: Shape) -> Related:
    """The nearest stories either side of the article: up to RELATED_NEWER published
    after it, the nearest first (sharing a tag, then of its section), then stories
    published before it, ranked: shared tags first (more shared ranks higher), then the
    same section; if those are too few, more of the later ones.

    The later side is chosen by nearness alone, so that publishing a story changes only
    the boxes of the few latest stories of each of its tags and of its section (those
    it is nearest to), not of every story sharing tags with it: a bounded number of
    pages renders again, whatever the archive's size. `shape` holds each article's
    (section, tags, draft), newest first, so a larger index is an older article. Each
    tag's candidates are the RELATED_WINDOW stories of it nearest to the article;
    counting them tells how many tags each shares. No article is compared with every
    other one.
    """
    groups = _groups(shape)
    return IndexLists(_one(index, section, tags, groups)
                      for index, (section, tags, _) in zip(numbers(len(shape)), shape,
                                                           strict=True))


def _groups(shape: Shape) -> Groups:
    """Each tag's and each section's articles that may be offered, newest first."""
    members: dict[str, list[int]] = defaultdict(list)
    by_section: dict[str, list[int]] = defaultdict(list)
    for index, (section, tags, draft) in zip(numbers(len(shape)), shape, strict=True):
        if draft:
            continue
        by_section[section].append(index)
        for slug in _slugs(tags):
            members[slug].append(index)
    return members, by_section


def _slugs(tags: tuple[str, ...]) -> Iterator[str]:
    return (slug for slug in dict.fromkeys(urls.slugify(t) for t in tags) if slug)


def _one(index: int, section: str, tags: tuple[str, ...], groups: Groups) -> tuple[int, ...]:
    members, by_section = groups
    slugs = [s for s in _slugs(tags) if s in members]
    lists = [members[s] for s in slugs[:RELATED_TAGS]]
    later = itertools.chain(heapq.merge(*(_after(found, index) for found in lists),
                                        reverse=True), _after(by_section[section], index))
    newer = _take(later, RELATED_NEWER, [])
    ranked: list[int] = []
    _pick([_before(found, index) for found in lists], _before(by_section[section], index),
          ranked, index, RELATED_COUNT - len(newer))
    if len(ranked) + len(newer) < RELATED_COUNT:
        _take(later, RELATED_COUNT - len(ranked), newer)
    return (*ranked, *newer)


def moved_along_unless_new(entry: tuple[str, tuple[str, ...], bool]) -> bool:
    """Whether an old article's related stories after a publish (`_after_publishing`) are
    its last ones moved along unless they now hold a new story: true of one that may be
    offered. Its tags are in the groups by itself, so its candidates are its old ones
    with the new stories added as its farthest newer ones, taken only after every nearer
    one. One that may not be offered (shape's third value) is in no group itself: a new
    story can bring its tags into the groups and change its older candidates (kinds/
    shift.py plans its page)."""
    return not entry[2]


def _after_publishing(shape: Shape, old: Shape, answer: IndexLists) -> Related | None:
    """`_related(shape)` from `answer`, the related articles of `old`, when `shape` is
    `old` with `added` stories in front (None otherwise). Indexes move up by `added`. An
    article's older candidates are the same stories; its newer ones are the
    RELATED_WINDOW nearest of each of its lists, which take in a new story only when
    fewer than that many of the list's old stories are newer than the article: those
    articles, the ones a new story brings a tag of theirs into the groups with, and the
    new stories are worked out again (at most RELATED_WINDOW a list a new story joins)."""
    added = len(shape) - len(old)
    if added < 0 or len(answer) != len(old) or shape[added:] != old:
        return None
    if not answer.within(len(old)):
        return None  # not an answer for this shape
    if not added:  # (an edit that changed no shape: the answer as it was, not copied)
        return answer
    indexes = numbers(len(shape))
    moved = indexes[added:]
    groups = _groups(shape)
    members, by_section = groups
    # How many new stories head each list one joins (they are its newest).
    joined = {s: bisect.bisect_left(found, added) for s, found in members.items()
              if found[0] < added}
    sections = {s: bisect.bisect_left(found, added) for s, found in by_section.items()
                if found and found[0] < added}
    result = [_one(index, section, tags, groups)
              for index, (section, tags, _) in zip(indexes[:added], shape[:added],
                                                   strict=True)]
    for index, (section, tags, _) in zip(indexes[added:], old, strict=True):
        new = section in sections and bisect.bisect_left(
            by_section[section], index) < RELATED_WINDOW + sections[section]
        for slug in _slugs(tags) if joined and not new else ():
            count = joined.get(slug)
            # (A tag only new stories are in changes which of its tags count: it is so
            # too, as no old story of it is newer than the article.)
            if count is not None and bisect.bisect_left(
                    members[slug], index) < RELATED_WINDOW + count:
                new = True
                break
        result.append(_one(index, section, tags, groups) if new
                      else tuple(map(moved.__getitem__, answer[index - added])))
    return IndexLists(result)


MOST_REMOVED = 64
"""More of the newest stories removed at once than this are worked out afresh (kinds/
shift.py's MOST_ADDED: a removal is the mirror of a publish)."""


def _after_removing(shape: Shape, old: Shape, answer: IndexLists) -> Related | None:
    """`_related(shape)` from `answer`, the related articles of `old`, when `shape` is `old`
    without its `removed` newest stories, 1 to MOST_REMOVED (None otherwise). Indexes move
    down by `removed`. An article's older candidates are the same stories (the removed
    ones are newer than all); its newer ones are each list's RELATED_WINDOW nearest, of
    which the removed stories were the farthest: without them, the nearest ones come in
    the same order, so an answer changes only when it held a removed story. Those
    articles are worked out again, and so are the ones that may not be offered whose
    tags only removed stories had (a tag in no group is passed over, `_one`)."""
    removed = len(old) - len(shape)
    if not 0 < removed <= MOST_REMOVED or len(answer) != len(old) or old[removed:] != shape:
        return None
    if not answer.within(len(old)):
        return None  # not an answer for this shape
    gone = frozenset(range(removed))
    groups = _groups(shape)
    vanished = {s for _, tags, _ in old[:removed] for s in _slugs(tags)} - groups[0].keys()
    redone = {index: _one(index, section, tags, groups)
              for index, (section, tags, draft) in zip(numbers(len(shape)), shape, strict=True)
              if answer.meets(index + removed, gone) or (
                  draft and vanished and not vanished.isdisjoint(_slugs(tags)))}
    return answer.moved_down(removed, redone)


def _take(candidates: Iterator[int], count: int, taken: list[int]) -> list[int]:
    """Add to `taken` the next candidates not in it, up to `count` in all."""
    if len(taken) >= count:
        return taken
    for other in candidates:
        if other not in taken:
            taken.append(other)
            if len(taken) >= count:
                break
    return taken


def _pick(windows: list[list[int]], section: list[int], ranked: list[int], index: int,
          count: int) -> None:
    """Add to `ranked`, up to `count`: the earlier candidates sharing most tags, then the
    nearest sharing one, then the nearest of the section (each window nearest first)."""
    shared = Counter(itertools.chain.from_iterable(windows))
    best = sorted((i for i, n in shared.items() if n > 1),
                  key=lambda i: (-shared[i], abs(i - index)))
    nearest = heapq.merge(*windows)
    _take(itertools.chain(best, nearest, section), count, ranked)


def _before(indexes: list[int], index: int) -> list[int]:
    """The RELATED_WINDOW entries of a sorted list just after `index` (older stories)."""
    start = bisect.bisect_right(indexes, index)
    return indexes[start:start + RELATED_WINDOW]


def _after(indexes: list[int], index: int) -> list[int]:
    """The RELATED_WINDOW entries just before `index` (newer stories), nearest first."""
    end = bisect.bisect_left(indexes, index)
    return indexes[max(0, end - RELATED_WINDOW):end][::-1]
